"""The certified-bounds prover (MetiTarski's method): every bound really bounds its
function (checked with arb balls, rigorously, at hypothesis-drawn points and the edges),
a deliberately wrong bound is caught by the same check, known-true inequalities are
proved (tangency points, unbounded domains, two variables, trigonometric and hyperbolic
functions), known-false ones are not (nor claims through a pole of tan or outside
arcsin's domain), and the artifact replays in z3."""
from __future__ import annotations

import re
from fractions import Fraction

import flint
import pytest
import sympy
import z3
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import And, Atom, Formula, Or, Quantified, Binder
from lawproof.language.functions import Cbrt
from lawproof.numeric.interval import Interval, compare, compile_term
from lawproof.proofs.bounds import prove
from lawproof.proofs.exp_log_bounds import Level, exp_bounds, log_bounds
from lawproof.proofs.trig_bounds import (_HYPERBOLIC, alternating, atan_bounds, cos_bounds, pi_bounds,
                                         pi_enclosure, sin_bounds)

x, y, u, s, v = (sympy.Symbol(n, real=True) for n in ("x", "y", "u", "s", "v"))
I, R, oo = sympy.Integer, sympy.Rational, sympy.oo


def closed(lo, hi) -> Domain:
    return Domain(sympy.sympify(lo), sympy.sympify(hi))


POSITIVE = Domain(I(0), oo, lo_open=True, hi_open=True)


def forall(var: sympy.Symbol, domain: Domain, body: Formula) -> Formula:
    return Quantified("forall", (Binder(var, domain),), body)


# --- each bound is valid where it is stated (rigorous: arb balls) --------------------

def _truth(c: Formula, env: dict[sympy.Symbol, flint.arb]) -> bool | None:
    """Three-valued truth of a bound at balls for its symbols."""
    if isinstance(c, And):
        parts = [_truth(a, env) for a in c.args]
        return False if False in parts else (None if None in parts else True)
    if isinstance(c, Or):
        parts = [_truth(a, env) for a in c.args]
        return True if True in parts else (None if None in parts else False)
    index = {sym: i for i, sym in enumerate(env)}
    term = compile_term(sympy.expand(c.lhs - c.rhs), index)
    return compare(c.op, term([Interval.of(b) for b in env.values()]))


def _ball(q: Fraction) -> flint.arb:
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


rationals = st.fractions(min_value=-30, max_value=30, max_denominator=1000)


@settings(max_examples=150, deadline=None)
@given(rationals, st.integers(1, 4))
def test_every_exp_bound_holds_at_exp(q: Fraction, k: int):
    saved = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        value = _ball(q).exp()
        for c in exp_bounds(y, v, k):
            # False would mean the bound excludes exp(q): an unsound bound
            assert _truth(c, {y: value, v: _ball(q)}) is not False, (c, q, k)
    finally:
        flint.ctx.prec = saved


@settings(max_examples=150, deadline=None)
@given(st.fractions(min_value=Fraction(1, 10 ** 6), max_value=10 ** 6, max_denominator=10 ** 6),
       st.sampled_from([1, 2, 8, 32]), st.integers(1, 4))
def test_every_log_bound_holds_at_log(q: Fraction, scale: int, n: int):
    saved = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        ball = _ball(q)
        root = ball ** (flint.arb(1) / scale)
        atanh = (root - 1) / (root + 1)
        for c in log_bounds(y, u, s, scale, n):
            assert _truth(c, {y: ball.log(), u: ball, s: atanh}) is not False, (c, q, scale, n)
    finally:
        flint.ctx.prec = saved

def _violated(bounds: list[Formula], env: dict[sympy.Symbol, flint.arb]) -> list[Formula]:
    """The bounds that exclude the true value (False at the balls): unsound ones."""
    return [c for c in bounds if _truth(c, env) is False]


def _at(q: Fraction, make, value) -> list[Formula]:
    """The bounds `make(y, v)` violated at v = q, y = value(q), at 200 bits."""
    saved = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        return _violated(make(y, v), {y: value(_ball(q)), v: _ball(q)})
    finally:
        flint.ctx.prec = saved


def _atan(b: flint.arb) -> flint.arb:
    return b.atan()


PI = pi_bounds(Level(1, 0))
#: Each family of trigonometric bounds as (name, bounds of y = f(v) at a level, f on balls).
FAMILIES = {
    "sin": (lambda k: lambda y, v: sin_bounds(y, v, Level(k, 0)), flint.arb.sin),
    "cos": (lambda k: lambda y, v: cos_bounds(y, v, Level(k, 0)), flint.arb.cos),
    "arctan": (lambda k: lambda y, v: atan_bounds(y, v, Level(k, 0), *PI), _atan),
}
#: Edges: the case split at 0, tiny and large arguments (the bounds claim the whole line).
EDGES = [Fraction(0), Fraction(1, 10 ** 9), Fraction(-1, 10 ** 9), Fraction(1), Fraction(-1),
         Fraction(30), Fraction(-30), Fraction(10 ** 6), Fraction(-10 ** 6)]
wide = st.fractions(min_value=-40, max_value=40, max_denominator=1000)


@pytest.mark.parametrize("family", FAMILIES)
@settings(max_examples=300, deadline=None)
@given(q=wide, k=st.integers(1, 4))
def test_every_trig_bound_holds(family: str, q: Fraction, k: int):
    make, f = FAMILIES[family]
    for point in (q, *EDGES):
        assert not _at(point, make(k), f), (family, point, k)


#: Deliberately wrong bounds (a remainder dropped, a Taylor polynomial on the wrong side):
#: the same check must catch each, or it could not catch an unsound bound either.
MUTANTS = {
    "sin >= T_5 on v >= 0 (T_5 is above)": (
        lambda y, v: [Or((Atom("<", v, I(0)), Atom(">=", y, alternating(v, 2, True, True))))], flint.arb.sin),
    "cos <= 1 - v^2/2 (it is below)": (
        lambda y, v: [Atom("<=", y, alternating(v, 1, False, True))], flint.arb.cos),
    "arctan <= pi/2 - 1/v on v > 0 (the series correction dropped)": (
        lambda y, v: [Or((Atom("<=", v, I(0)), Atom("<=", v * y, v * PI[1] / 2 - 1)))], _atan),
    "arctan <= v - v^3/3 on v >= 0 (an odd partial sum is below)": (
        lambda y, v: [Or((Atom("<", v, I(0)), Atom("<=", y, alternating(v, 1, True, False))))], _atan),
}


@pytest.mark.parametrize("name", MUTANTS)
def test_a_wrong_bound_is_caught(name: str):
    make, f = MUTANTS[name]
    points = [Fraction(n, 4) for n in range(-12, 13)] + EDGES
    assert any(_at(q, make, f) for q in points), name


def test_pi_is_enclosed_and_a_one_sided_sum_is_caught():
    saved = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        for m in range(1, 14):
            lo, hi = pi_enclosure(m)
            assert flint.arb(flint.fmpq(lo.p, lo.q)) < flint.arb.pi() < flint.arb(flint.fmpq(hi.p, hi.q))
        lo, hi = (flint.arb(flint.fmpq(q.p, q.q)) for q in PI)
        assert lo < flint.arb.pi() < hi and hi - lo < flint.arb(2) ** -15
        # without the tail: both ends from the same partial sums, which misses pi
        third = sympy.Rational(1, 5)
        one_sided = 16 * alternating(third, 3, True, False) - 4 * alternating(sympy.Rational(1, 239), 3, True, False)
        assert not (flint.arb(flint.fmpq(one_sided.p, one_sided.q)) == flint.arb.pi())
        assert not flint.arb(flint.fmpq(one_sided.p, one_sided.q)).contains(flint.arb.pi())
    finally:
        flint.ctx.prec = saved


@settings(max_examples=200, deadline=None)
@given(wide)
@example(Fraction(0))
@example(Fraction(-40))
def test_the_hyperbolic_relations_hold_at_exp(q: Fraction):
    saved = flint.ctx.prec
    flint.ctx.prec = 200
    try:
        ball = _ball(q)
        for function, (text, relation) in _HYPERBOLIC.items():
            value = getattr(ball, function.__name__)()
            lhs, rhs = relation(y, v)
            assert _truth(Atom("=", lhs, rhs), {y: value, v: ball.exp()}) is not False, (text, q)
            # a sign slip in the relation is caught (away from 0, where both sides vanish for sinh)
            assert q == 0 or _truth(Atom("=", lhs, -rhs), {y: value, v: ball.exp()}) is False, (text, q)
    finally:
        flint.ctx.prec = saved


# --- proofs --------------------------------------------------------------------------

TRUE = [
    # tangency at 0 (second order): 1 + x + x^2 - exp(x) has value and slope 0 at 0
    ("exp below 1+x+x^2", forall(x, closed(0, 1), Atom("<=", sympy.exp(x), 1 + x + x ** 2))),
    ("exp above its tangent", forall(x, closed(-1, 1), Atom(">=", sympy.exp(x), 1 + x))),
    ("ln below its tangent, wide", forall(x, closed(1, 100), Atom("<=", sympy.log(x), x - 1))),
    ("ln below its tangent, unbounded", forall(x, POSITIVE, Atom("<=", sympy.log(x), x - 1))),
    ("ln(1+x) above 2x/(2+x)", forall(x, POSITIVE, Atom(">=", sympy.log(1 + x), 2 * x / (2 + x)))),
    ("exp above its cubic, unbounded", forall(x, POSITIVE, Atom(">=", sympy.exp(x),
                                                                1 + x + x ** 2 / 2 + x ** 3 / 6))),
    ("two variables", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        ">=", sympy.exp(x + y), 1 + x + y + x * y)))),
    ("power of two", forall(x, closed(0, 1), Atom("<=", 2 ** x, 1 + sympy.Rational(11, 10) * x))),
    ("power of two, unbounded", forall(x, Domain(I(0), oo, False, True), Atom(">=", 2 ** x, 1 + x / 2))),
    ("exp over [0, 3]", forall(x, closed(0, 3), Atom("<=", sympy.exp(x), 1 + x * sympy.exp(3)))),
    # trigonometric and hyperbolic: tangency at 0, unbounded domains, poles kept away
    ("sin above its cubic", forall(x, closed(0, 2), Atom("<=", x - x ** 3 / 6, sympy.sin(x)))),
    ("sin below x, unbounded", forall(x, POSITIVE, Atom("<=", sympy.sin(x), x))),
    ("cos below its quartic", forall(x, closed(-3, 3), Atom("<=", sympy.cos(x), 1 - x ** 2 / 2 + x ** 4 / 24))),
    ("Jordan on [0, 3/2]", forall(x, closed(0, R(3, 2)), Atom("<=", 2 * x / sympy.pi, sympy.sin(x)))),
    ("tan above x before its pole", forall(x, closed(0, R(3, 2)), Atom(">=", sympy.tan(x), x))),
    ("arctan below x, unbounded", forall(x, POSITIVE, Atom("<=", sympy.atan(x), x))),
    ("arctan above x/(1+x^2), unbounded", forall(x, POSITIVE, Atom(">=", sympy.atan(x), x / (1 + x ** 2)))),
    ("arctan of negatives, reflected", forall(x, closed(-40, -1), Atom("<=", sympy.atan(x), -R(3, 4)))),
    ("tanh below x, unbounded", forall(x, POSITIVE, Atom("<=", sympy.tanh(x), x))),
    ("cosh above 1 + x^2/2", forall(x, Domain(-oo, oo, True, True), Atom(">=", sympy.cosh(x), 1 + x ** 2 / 2))),
    ("arcsin above x", forall(x, closed(0, 1), Atom(">=", sympy.asin(x), x))),
    ("sin, two variables", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        "<=", sympy.sin(x) * sympy.sin(y), x * y)))),
    ("cube root and cos", forall(x, closed(0, 1), Atom("<=", sympy.cos(x), 1 + Cbrt(x)))),
    # monotone functions at two arguments (MetiTarski's two-variable-problem-6)
    ("exp ordered at two points", forall(x, Domain(-oo, oo, True, True), forall(y, Domain(x, oo, True, True), Atom(
        ">", 1 / (1 + sympy.exp(x)), 1 / (1 + sympy.exp(y)))))),
    ("arctan ordered, equal at equal points", forall(x, closed(0, 1), forall(y, closed(x, 2), Atom(
        "<=", sympy.atan(x), sympy.atan(y))))),
    ("arccos decreasing", forall(x, closed(-1, 1), forall(y, closed(x, 1), Atom(
        ">=", sympy.acos(x), sympy.acos(y))))),
    # angle sums: sin(x + y) and cos(x - y) tied to sin and cos of x and y
    ("sin of a sum", forall(x, Domain(I(0), R(3, 2), True, True), forall(y, Domain(I(0), R(3, 2), True, True), Atom(
        "<=", sympy.sin(x + y), sympy.sin(x) + sympy.sin(y))))),
    ("cos of a difference", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        ">=", sympy.cos(x - y), sympy.cos(x) * sympy.cos(y))))),
    # addition laws (MetiTarski's polypaver-bench-exp)
    ("exp of a sum", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        "<=", sympy.exp(x + y), sympy.exp(x) * sympy.exp(y) + R(1, 256))))),
    ("exp of a double", forall(x, closed(0, 3), Atom("<=", sympy.exp(2 * x), sympy.exp(x) ** 2))),
    ("log of a product", forall(x, closed(1, 5), forall(y, closed(1, 5), Atom(
        "<=", sympy.log(x * y), sympy.log(x) + sympy.log(y))))),
]

FALSE = [
    ("exp below its quadratic Taylor polynomial", forall(x, closed(0, 1), Atom(
        "<=", sympy.exp(x), 1 + x + x ** 2 / 2))),
    ("ln below a lowered tangent", forall(x, closed(1, 2), Atom("<=", sympy.log(x), x - sympy.Rational(101, 100)))),
    ("ln(1+x) above x", forall(x, POSITIVE, Atom(">=", sympy.log(1 + x), x))),
    # ln is undefined at x <= 0, where the comparison is false
    ("ln where it is undefined", forall(x, closed(-1, 1), Atom("<=", sympy.log(x), x - 1))),
    ("cos below a tightened quartic", forall(x, closed(-3, 3), Atom(
        "<=", sympy.cos(x), 1 - x ** 2 / 2 + x ** 4 / 25))),
    ("sin above a raised cubic", forall(x, closed(0, 2), Atom("<=", x - x ** 3 / 7, sympy.sin(x)))),
    # tan has a pole at pi/2 in the box, where the comparison is false
    ("tan through its pole", forall(x, closed(0, 2), Atom(">=", sympy.tan(x), x))),
    ("tan through its pole, loosely", forall(x, closed(1, 2), Atom(">=", sympy.tan(x), -1000 * x))),
    # arcsin is undefined beyond 1
    ("arcsin outside its domain", forall(x, closed(0, 2), Atom(">=", sympy.asin(x), I(0)))),
    # arctan(-1) = -pi/4 < -3/5: the mirrored reflection bound once had its relations
    # the wrong way round and gave arctan(v) >= -pi/2 - 1/v (caught by the bound checks)
    ("arctan of negatives, raised", forall(x, closed(-2, -1), Atom(">=", sympy.atan(x), -R(3, 5)))),
    ("tanh above x", forall(x, POSITIVE, Atom(">=", sympy.tanh(x), x))),
    # monotonicity the wrong way round (or strict where the arguments may be equal)
    ("exp decreasing", forall(x, closed(0, 1), forall(y, closed(x, 1), Atom("<=", sympy.exp(y), sympy.exp(x))))),
    ("arccos increasing", forall(x, closed(-1, 1), forall(y, closed(x, 1), Atom(
        "<=", sympy.acos(x), sympy.acos(y))))),
    ("exp of a sum, lowered", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        "<=", sympy.exp(x + y), sympy.exp(x) * sympy.exp(y) - R(1, 256))))),
    # cos(x + y) = cos x cos y - sin x sin y < cos x cos y for x, y > 0 (a sign slip in the
    # angle-sum law would prove it)
    ("cos of a sum above the product", forall(x, closed(0, 1), forall(y, closed(0, 1), Atom(
        ">=", sympy.cos(x + y), sympy.cos(x) * sympy.cos(y))))),
    ("arctan strictly ordered at equal points", forall(x, closed(0, 1), forall(y, closed(x, 2), Atom(
        "<", sympy.atan(x), sympy.atan(y))))),
]


@pytest.mark.parametrize("name, claim", TRUE, ids=[n for n, _ in TRUE])
def test_known_true_inequalities_are_proved(name: str, claim: Formula):
    out = prove(claim, {}, timeout=5)
    assert out.status == "proved", out.detail
    assert out.bounds and out.smt2
    # the artifact replays: z3 reads the SMT-LIB2 text back and finds it unsatisfiable
    solver = z3.Solver()
    solver.from_string(out.smt2)
    assert solver.check() == z3.unsat


@pytest.mark.parametrize("name, claim", FALSE, ids=[n for n, _ in FALSE])
def test_known_false_inequalities_are_not_proved(name: str, claim: Formula):
    assert prove(claim, {}, timeout=2).status != "proved"


def test_a_claim_without_transcendental_terms_is_left_to_plain_smt():
    with pytest.raises(OutsideFragment):
        prove(forall(x, closed(0, 1), Atom(">=", x ** 2, I(0))), {})


@pytest.mark.parametrize("claim, names", [
    (forall(x, closed(0, R(3, 2)), Atom(">=", sympy.tan(x), x)), ["sin(v) between", "cos(v) between", "tan(u) cos(u)"]),
    (forall(x, closed(0, R(3, 2)), Atom("<=", 2 * x / sympy.pi, sympy.sin(x))), ["<= pi <=", "Machin"]),
    (forall(x, POSITIVE, Atom("<=", sympy.tanh(x), x)), ["exp(v) >= T_", "tanh(u) (exp(u)^2 + 1)"]),
    (forall(x, closed(0, 1), Atom(">=", sympy.asin(x), x)), ["arcsin(u) = 2 arctan", "arctan(v) between"]),
])
def test_the_evidence_names_the_trig_bounds(claim: Formula, names: list[str]):
    out = prove(claim, {}, timeout=5)
    assert out.status == "proved", out.detail
    text = out.artifact()
    for name in names:
        assert name in text, (name, out.bounds)


# --- the first level before the interval prover (lawproof/engine.py) ---------------------

STALL_FILE = '''[paper]
id = "stall"
[symbols]
x = "[0, 1]"
[[claim]]
id = "true-tangent"
formula = "ln(1 + x) >= x - x^2/2"
[[claim]]
id = "tangent-plane"
formula = "forall y in [-3, 3]: forall z in [-3, 3]: exp(y + z) >= 1 + y + z"
[[claim]]
id = "false-bound"
formula = "exp(x) <= 1 + x + x^2/3"
'''


def _stalling(monkeypatch):
    """The engine's certified-bounds prover stalls at once, as z3 does where its rlimit
    does not count: a net fires (recorded) and nothing is proved."""
    from lawproof import engine
    from lawproof.language.timeout import record
    from lawproof.proofs.bounds import BoundsOutcome

    def stalled(f, domains, **kw):
        record("a z3 query ran past the safety net (simulated stall)")
        return BoundsOutcome("unknown", "simulated stall", stalled=True)

    monkeypatch.setattr(engine, "certified_bounds", stalled)


def test_the_first_level_proves_a_tangent_before_the_interval_prover():
    import lawproof
    from lawproof.engine import EARLY_BOXES
    r = {x.claim: x for x in lawproof.check_file(lawproof.loads(STALL_FILE, "s.claims.toml")).results}
    # a tangent plane the interval prover does not settle in its first boxes: the bounds prove it
    plane = r["tangent-plane"]
    assert plane.verdict == "proved"
    assert plane.method == "certified polynomial bounds + SMT (z3)"
    assert not any(t.startswith("interval") for t in plane.evidence.tried)
    # one it settles there (Taylor forms close the touching point at once): the bounds are not asked
    tangent = r["true-tangent"]
    assert tangent.verdict == "proved"
    assert tangent.method == "interval branch and bound (arb)"
    assert not any("certified polynomial bounds" in t for t in tangent.evidence.tried)
    line = next(t for t in tangent.evidence.tried if t.startswith("interval"))
    boxes = int(re.search(r"\((\d+) examined\)", line).group(1))
    assert boxes <= EARLY_BOXES
    assert r["false-bound"].verdict == "refuted"


def test_a_stalled_first_level_leaves_a_refutation_and_undecides_the_rest(monkeypatch):
    import lawproof
    _stalling(monkeypatch)
    r = {x.claim: x for x in lawproof.check_file(lawproof.loads(STALL_FILE, "s.claims.toml")).results}
    # it only proves, so its stall cannot matter to an exact counterexample found later
    assert r["false-bound"].verdict == "refuted"
    x = Fraction(r["false-bound"].evidence.counterexample["x"])
    q = sympy.Rational(x.numerator, x.denominator)
    assert not (sympy.exp(q) <= 1 + q + q**2 / 3)
    # a claim the interval prover proves anyway keeps its proof; none stays undecided silently
    for tangent in (r["true-tangent"], r["tangent-plane"]):
        assert tangent.verdict in ("proved", "unknown")
        if tangent.verdict == "proved":
            assert tangent.method.startswith("interval") or tangent.method.startswith("reduction")
        else:
            assert "simulated stall" in tangent.message
