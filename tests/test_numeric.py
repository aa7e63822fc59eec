"""The numeric layer: exact and 50-digit evaluation, sampling, re-checks."""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from lawproof.language.domain import Domain
from lawproof.language.formula import And, Atom, Binder, Implies, Not, Quantified, Truth, nnf
from lawproof.numeric import (Undecided, Undefined, atom_values, exact_sign, exact_truth,
                              exact_value, mp_truth, mp_value, points, recheck, search)

x, y, a, S = (sympy.Symbol(n, real=True) for n in ("x", "y", "a", "S"))
n = sympy.Symbol("n", integer=True)
R, I = sympy.Rational, sympy.Integer
sqrt = sympy.sqrt


# --- exact evaluation -------------------------------------------------------------

def test_division_by_zero_hidden_by_simplification_is_undefined():
    x_over_x = sympy.Mul(x, 1 / x, evaluate=False)
    with pytest.raises(Undefined):
        exact_value(x_over_x, {x: Fraction(0)})
    with pytest.raises(Undefined):
        exact_value((x**2 + x) / x, {x: Fraction(0)})
    assert exact_value((x**2 + x) / x, {x: Fraction(2)}) == 3
    # Substituting first would give zoo**0 = 1 and sqrt(-1)**2 = -1: harmless-looking.
    with pytest.raises(Undefined):
        exact_value(sympy.Pow(1 / x, 0, evaluate=False), {x: Fraction(0)})
    with pytest.raises(Undefined):
        exact_value(sympy.Pow(sqrt(x), 2, evaluate=False), {x: Fraction(-1)})
    with pytest.raises(Undefined):
        mp_value(x_over_x, {x: Fraction(0)})


def test_roots_and_logs_of_negatives_are_undefined():
    for expr, at in ((sqrt(x), -1), (x ** R(1, 3), -8), (sympy.log(x), 0), (x ** R(-1, 2), 0)):
        with pytest.raises(Undefined):
            exact_value(expr, {x: Fraction(at)})
        with pytest.raises(Undefined):
            mp_value(expr, {x: Fraction(at)})
    assert exact_value(sqrt(x), {x: Fraction(0)}) == 0
    assert exact_value(x**3, {x: Fraction(-2)}) == -8


def test_exact_value_stays_exact():
    assert exact_value(sqrt(x) * sqrt(y), {x: Fraction(2), y: Fraction(8)}) == 4
    assert exact_value(sympy.Max(x, sqrt(x)), {x: Fraction(1, 4)}) == R(1, 2)
    assert exact_value(sympy.Abs(1 - sqrt(x)), {x: Fraction(2)}) == sqrt(2) - 1


def test_exact_sign():
    assert exact_sign(sqrt(2) - R(1414213562373095, 10**15)) == 1
    assert exact_sign(R(1414213562373095, 10**15) - sqrt(2)) == -1
    hidden_zero = sympy.Add(sympy.Mul(sqrt(2), sqrt(3), evaluate=False), -sqrt(6), evaluate=False)
    assert exact_sign(hidden_zero) == 0
    assert exact_sign(sqrt(hidden_zero) + 1) == 1  # the interval under the root touches 0
    assert exact_sign(sympy.pi - R(355, 113)) == -1
    assert exact_sign(sympy.exp(1) - R(27183, 10000)) == -1
    # A transcendental zero of logarithms of rationals is decided exactly...
    assert exact_sign(sympy.log(4) - 2 * sympy.log(2)) == 0
    # ...one of logarithms of irrationals has no exact test here, and none is pretended.
    hidden_log_zero = sympy.log(1 + sqrt(2)) + sympy.log(sqrt(2) - 1)
    assert exact_sign(hidden_log_zero) is None
    with pytest.raises(Undecided):
        exact_value(sqrt(hidden_log_zero), {})


def test_unsupported_node_is_named():
    with pytest.raises(ValueError, match="Heaviside"):
        exact_value(sympy.Heaviside(x), {x: Fraction(1, 2)})
    with pytest.raises(ValueError, match="Heaviside"):
        mp_value(sympy.Heaviside(x) + 1, {x: Fraction(1, 2)})


@pytest.mark.parametrize("q, down, up", [
    (Fraction(7, 2), 3, 4), (Fraction(-7, 2), -4, -3), (Fraction(3), 3, 3), (Fraction(-1, 10**60), -1, 0),
    (Fraction(3) - Fraction(1, 10**60), 2, 3),
])
def test_floor_and_ceil_are_exact(q, down, up):
    assert exact_value(sympy.floor(x), {x: q}) == down and exact_value(sympy.ceiling(x), {x: q}) == up


def test_floor_of_an_irrational_is_exact_and_an_integer_in_disguise_undecided():
    assert exact_value(sympy.floor(sqrt(2) * 1000), {}) == 1414
    assert exact_value(sympy.ceiling(-sympy.pi), {}) == -3
    # log(4) - 2 log(2) is 0: no enclosure tells which side of 0 it lies on, the exact
    # zero test does; for logarithms of irrationals there is none, and none is pretended
    log_zero = sympy.log(4) - 2 * sympy.log(2)
    assert exact_value(sympy.floor(log_zero, evaluate=False), {}) == 0
    assert exact_value(sympy.ceiling(log_zero + 3, evaluate=False), {}) == 3
    hidden = sympy.log(1 + sqrt(2)) + sympy.log(sqrt(2) - 1)
    with pytest.raises(Undecided):
        exact_value(sympy.floor(hidden, evaluate=False), {})


@settings(max_examples=80, deadline=None)
@given(st.fractions(min_value=-50, max_value=50, max_denominator=1000))
def test_floor_at_fifty_digits_and_as_an_interval_enclose_the_exact_value(q):
    from lawproof.numeric.evaluate import _iv_digits, _walk
    exact = math.floor(q)
    assert mp_value(sympy.floor(x), {x: q}) == exact
    with _iv_digits(30):
        lo, hi = (mpmath.mp.make_mpf(e) for e in _walk(sympy.floor(x / 3), {x: q}, mpmath.iv)._mpi_)
    assert lo <= math.floor(q / 3) <= hi


EXPRESSIONS = [
    (x**2 - 3 * x * y + 1) / (y**2 + 1),
    1 / (x - y) + x / 7,
    sqrt(x**2 + y**2) - x,
    sqrt(x * y) + (x + y) ** R(3, 2),
    sympy.Max(x, y) * sympy.Abs(x - 2 * y),
]
small = st.fractions(min_value=-20, max_value=20, max_denominator=1000)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(EXPRESSIONS), small, small)
def test_mp_value_matches_exact_value(expr, xv, yv):
    env = {x: xv, y: yv}
    try:
        exact = exact_value(expr, env)
    except Undefined:
        with pytest.raises(Undefined):
            mp_value(expr, env)
        return
    got = mp_value(expr, env)
    with mpmath.workdps(60):
        reference = mpmath.mpf(str(sympy.N(exact, 60)))
        assert abs(got - reference) <= mpmath.mpf(10) ** -45 * max(1, abs(reference))


def _terms(leaves):
    """Random terms over x and y with every node the 50-digit evaluation knows, built
    unevaluated (SymPy would fold some and refuse to order complex ones)."""
    no = {"evaluate": False}
    unary = [lambda t: sympy.exp(t, **no), lambda t: sympy.log(t, **no), lambda t: sympy.Abs(t, **no),
             lambda t: sympy.sin(t, **no), lambda t: sympy.floor(t, **no), lambda t: sympy.atan(t, **no),
             lambda t: sympy.Pow(t, R(1, 2), **no), lambda t: sympy.Pow(t, R(1, 3), **no),
             lambda t: sympy.Pow(t, -2, **no), lambda t: sympy.Pow(t, y, **no)]
    binary = [lambda u, v: sympy.Add(u, v, **no), lambda u, v: sympy.Mul(u, v, **no),
              lambda u, v: sympy.Min(u, v, **no), lambda u, v: sympy.Max(u, v, **no),
              lambda u, v: sympy.Add(u, sympy.Mul(-1, v, **no), **no)]
    return st.recursive(leaves, lambda inner: st.one_of(
        st.builds(lambda f, t: f(t), st.sampled_from(unary), inner),
        st.builds(lambda f, u, v: f(u, v), st.sampled_from(binary), inner, inner)), max_leaves=8)


def _outcome(evaluate):
    try:
        return "value", evaluate()
    except Exception as e:  # the same kind of error is the same outcome
        return "error", type(e).__name__


@settings(max_examples=400, deadline=None)
@given(_terms(st.sampled_from([x, y, R(1, 3), R(-5, 2), I(0), I(2), sympy.pi])),
       st.fractions(min_value=-5, max_value=5, max_denominator=50),
       st.fractions(min_value=-5, max_value=5, max_denominator=50),
       st.sampled_from([15, 50]))
def test_compiled_50_digit_evaluation_is_the_tree_walk(term, xv, yv, dps):
    from lawproof.numeric.evaluate import _compiled, _walk
    env = {x: xv, y: yv}
    with mpmath.workdps(dps):
        walked = _outcome(lambda: _walk(term, env, mpmath.mp))
        compiled = _outcome(lambda: _compiled(term)(env))
    assert compiled == walked, (term, env)


@settings(max_examples=300, deadline=None)
@given(st.fractions(min_value=-10**60, max_value=10**60, max_denominator=10**70),
       st.sampled_from([15, 50, 200]))
def test_a_rational_at_working_precision_is_rounded_once_to_nearest(q, dps):
    # exact comparison in Fractions: the value is within half a unit in the last place
    got = mp_value(sympy.Rational(q.numerator, q.denominator) * x, {x: Fraction(1)}, dps)
    with mpmath.workdps(dps):
        prec = mpmath.mp.prec
    exact = Fraction(*(int(part) for part in mpmath.libmp.to_rational(got._mpf_)))
    assert abs(exact - q) <= abs(q) / 2**prec


# --- truth ------------------------------------------------------------------------

def test_exact_truth_is_three_valued():
    forall = Quantified("forall", (Binder(a, Domain(I(0), I(1))),), Atom("<=", a * x, x))
    assert exact_truth(forall, {x: Fraction(1)}) is None
    assert exact_truth(And((Atom("<", x, I(0)), forall)), {x: Fraction(1)}) is False
    assert exact_truth(Not(Atom(">", 1 / x, I(0))), {x: Fraction(0)}) is True
    assert exact_truth(Atom("!=", 1 / x, I(0)), {x: Fraction(0)}) is False
    assert exact_truth(Implies(Atom("<", x, I(0)), Truth(False)), {x: Fraction(1)}) is True
    assert exact_truth(Atom("=", sqrt(2) * sqrt(x), sqrt(2 * x)), {x: Fraction(3)}) is True


def test_a_quantifier_over_a_few_integers_is_decided_point_by_point():
    k, j = sympy.Symbol("k", integer=True), sympy.Symbol("j", integer=True)

    def every(lo, hi, body, lo_open=False, hi_open=False, kind="forall"):
        return Quantified(kind, (Binder(k, Domain(lo, hi, lo_open, hi_open, True)),), body)
    nonzero = Atom("!=", k - 2, I(0))
    assert exact_truth(every(I(1), I(3), nonzero), {}) is False      # k = 2
    assert exact_truth(every(I(3), I(9), nonzero), {}) is True
    assert exact_truth(every(I(2), I(3), nonzero, lo_open=True), {}) is True   # (2, 3]: k = 3 only
    assert exact_truth(every(R(3, 2), R(5, 2), nonzero), {}) is False          # [3/2, 5/2]: k = 2
    assert exact_truth(every(I(1), x, nonzero), {x: Fraction(2)}) is False     # a bound from the point
    assert exact_truth(every(I(1), I(0), Truth(False)), {}) is True            # no integer: vacuous
    assert exact_truth(every(I(1), I(3), Atom("=", k, I(3)), kind="exists"), {}) is True
    # one violation among 180 points: the 50-digit reading takes every point too
    many = every(I(1), I(180), Atom("!=", k - 150, I(0)))
    assert exact_truth(many, {}) is False and mp_truth(many, {}) is False
    # beyond MAX_INTEGER_POINTS, over reals, or with an infinite bound: not decided here
    assert exact_truth(every(I(1), I(10**6), nonzero), {}) is None
    assert exact_truth(every(I(1), sympy.oo, nonzero), {}) is None
    two = Quantified("forall", (Binder(k, Domain(I(1), I(3), integer=True)), Binder(j, Domain(k, I(3), integer=True))),
                     Atom("<=", k, j))
    assert exact_truth(two, {}) is True                                        # j's bound mentions k


def test_mp_truth_tolerance_treats_rounding_as_equality():
    env = {x: Fraction(3)}
    lhs, rhs = sqrt(2) * sqrt(x), sqrt(2 * x)  # equal; 50-digit values may differ in the last place
    assert mp_truth(Atom("=", lhs, rhs), env)
    assert mp_truth(Atom("<=", lhs, rhs), env) and mp_truth(Atom(">=", lhs, rhs), env)
    assert not mp_truth(Atom("<", lhs, rhs), env) and not mp_truth(Atom(">", lhs, rhs), env)
    assert mp_truth(Atom("<", x, x + R(1, 10**30)), env)


def test_a_side_without_the_inner_variable_is_evaluated_once_per_outer_point(monkeypatch):
    from lawproof.numeric import sample
    calls = []
    monkeypatch.setattr(sample, "mp_value", lambda e, env, dps: calls.append(e) or mp_value(e, env, dps))
    sample._SIDES.clear()
    lhs, rhs = a ** 2 + x * y, x ** 3 - 1 / y
    forall = Quantified("forall", (Binder(a, Domain(I(0), I(1))),), Atom(">=", lhs, rhs))
    assert mp_truth(forall, {x: Fraction(2), y: Fraction(1, 8)}, inner=16)  # a^2 + 1/4 >= 0
    assert calls.count(rhs) == 1 and calls.count(lhs) == 16
    assert not mp_truth(forall, {x: Fraction(2), y: Fraction(3)})  # 6 + a^2 >= 23/3 fails at a = 0
    assert calls.count(rhs) == 2
    # an undefined side stays undefined (the atom false) at every inner point
    assert not mp_truth(forall, {x: Fraction(2), y: Fraction(0)}, inner=16)
    assert not mp_truth(forall, {x: Fraction(2), y: Fraction(0)}, inner=16)
    assert calls.count(rhs) == 3


def test_inner_points_are_built_once_unless_a_bound_names_an_outer_symbol(monkeypatch):
    from lawproof.numeric import sample
    built = []
    monkeypatch.setattr(sample, "points", lambda *a, **k: built.append(a) or points(*a, **k))
    sample._INNER.clear()
    fixed = Quantified("forall", (Binder(a, Domain(I(0), I(1))),), Atom("<=", a * x, x))
    moving = Quantified("forall", (Binder(a, Domain(I(0), x)),), Atom("<=", a, x))
    for v in (1, 2, 3):
        assert mp_truth(fixed, {x: Fraction(v)}) and mp_truth(moving, {x: Fraction(v)})
    assert len(built) == 1 + 3
    assert not mp_truth(fixed, {x: Fraction(-1)})  # the kept points still decide


def test_mp_truth_approximates_quantifiers_by_sampling():
    forall = Quantified("forall", (Binder(a, Domain(I(0), I(1))),), Atom("<=", a * x, x))
    assert mp_truth(forall, {x: Fraction(1)})
    assert not mp_truth(forall, {x: Fraction(-1)})
    # The bound depends on x; the closed end a = x is a sample point.
    at_end = Quantified("exists", (Binder(a, Domain(I(0), x)),), Atom("=", a, I(1)))
    assert mp_truth(at_end, {x: Fraction(1)})
    assert not mp_truth(at_end, {x: Fraction(1, 2)})
    empty = Quantified("forall", (Binder(a, Domain(I(1), x)),), Truth(False))
    assert mp_truth(empty, {x: Fraction(0)})


def test_atom_values_for_reports():
    f = And((Atom(">", 1 / x, I(0)), Atom("<", x + 1, I(2)),
             Quantified("forall", (Binder(a, Domain(I(0), I(1))),), Atom("<=", a, x))))
    assert atom_values(f, {x: Fraction(0)}) == [("1/x", ">", "0", "undefined", "0.0"),
                                                 ("x + 1", "<", "2", "1.0", "2.0")]
    assert len(atom_values(f, {x: Fraction(1)}, limit=1)) == 1


# --- sampling ---------------------------------------------------------------------

DOMAINS = {
    x: Domain(I(0), I(2)),
    y: Domain(I(1), sympy.oo, lo_open=True),
    S: Domain(sqrt(x) / 2, I(1), lo_open=True),
    a: Domain(-sympy.oo, sympy.oo),
    n: Domain(I(1), I(5), hi_open=True, integer=True),
}


def _inside(v: Fraction, d: Domain) -> bool:
    lo_ok = d.lo == -sympy.oo or (d.lo < v if d.lo_open else d.lo <= v)
    hi_ok = d.hi == sympy.oo or (v < d.hi if d.hi_open else v <= d.hi)
    return bool(lo_ok and hi_ok)


def test_points_are_exact_reproducible_and_inside():
    order = [S, a, n, x, y]  # S's bound depends on x, listed after it on purpose
    ps = points(order, DOMAINS, 40)
    assert ps == points(order, DOMAINS, 40)
    assert ps != points(order, DOMAINS, 40, seed=1)
    assert len(ps) == 40 and len({tuple(sorted(p.items(), key=str)) for p in ps}) == 40
    for p in ps:
        assert set(p) == set(order)
        assert all(type(v) is Fraction for v in p.values())
        assert p[n].denominator == 1
        at_x = R(p[x].numerator, p[x].denominator)
        for s, v in p.items():
            d = DOMAINS[s]
            d = Domain(d.lo.subs(x, at_x), d.hi.subs(x, at_x), d.lo_open, d.hi_open, d.integer)
            assert _inside(R(v.numerator, v.denominator), d), (s, v)
    assert any(p[x] == 0 for p in ps) and any(p[x] == 2 for p in ps)
    assert not any(p[y] == 1 for p in ps)


def test_points_use_outer_values_and_skip_empty_domains():
    d = {a: Domain(I(0), x)}
    assert all(0 <= p[a] <= 3 for p in points([a], d, 8, env={x: Fraction(3)}))
    assert points([a], d, 8, env={x: Fraction(-1)}) == []
    assert points([a], {a: Domain(I(0), 1 / x)}, 8, env={x: Fraction(0)}) == []
    with pytest.raises(ValueError, match="x"):
        points([a], d, 8)


def test_search_finds_a_violation_and_only_when_there_is_one():
    d = {x: Domain(I(0), I(2))}
    claim = Atom(">=", x**2, x)
    report = search(claim, d, 64)
    assert report.violation is not None
    assert 0 < report.violation[x] < 1
    assert report.count >= 1 and report.dps == 50 and "seed 0" in report.sampler
    clean = search(Atom(">", x**2 + 1, I(0)), d, 64)
    assert clean.violation is None and clean.count == 64
    assert search(claim, d, 64, deadline=0.0).count == 0


def test_recheck_confirms_a_counterexample():
    claim = Implies(Atom(">", y, I(0)), Atom("<", 1 / y, I(1)))
    negation = nnf(Not(claim))
    check = recheck(negation, {y: Fraction(1, 2)})
    assert check.exact is True and check.digits50 is True
    assert check.point == {"y": "1/2"}
    assert ("1/y", "<", "1", "2.0", "1.0") in check.values
    wrong = recheck(negation, {y: Fraction(2)})
    assert wrong.exact is False and wrong.digits50 is False


# --- closed claims whose margin is below 50-digit rounding --------------------------------

CLOSE_CALLS = '''
[paper]
id = "close"
title = "Margins far below 50-digit rounding"

[symbols]
x = "[0, oo)"

[[claim]]
id = "tiny-positive"
formula = "exp(-1000) > 0"

[[claim]]
id = "tiny-not-positive"
formula = "exp(-1000) <= 0"
expect = "fails"

[[claim]]
id = "pi-above-51-digits"
formula = "pi > 3.14159265358979323846264338327950288419716939937510"

[[claim]]
id = "pi-below"
formula = "pi < 3.14159265358979323846264338327950288419716939937511"

[[claim]]
id = "e-to-51-digits"
formula = "approx(E, 2.71828182845904523536028747135266249775724709369995, abs=1e-51)"
expect = "fails"

[[claim]]
id = "tiny-beside-a-transcendental-tie"
formula = "exp(-1000) + ln(8) > 3*ln(2)"

[[claim]]
id = "algebraic-tie"
formula = "sqrt(2)^2 = 2"

[[claim]]
id = "algebraic-tie-unfolded"
formula = "sqrt(2)*sqrt(3) = sqrt(6)"

[[claim]]
id = "log-tie"
formula = "ln(8) = 3*ln(2)"

[[table]]
id = "row"
params = ["x"]
formula = "exp(-x)"
rows = [[1000], [1000]]
paper = [5.1e-435, 5.2e-435]
expect = ["holds", "fails"]
'''


def test_closed_claims_with_margins_below_50_digits_are_decided_not_errors():
    import lawproof
    checked = lawproof.check_file(lawproof.loads(CLOSE_CALLS, "close.claims.toml"))
    got = {r.claim: r for r in checked.results}
    # exp(-1000) = 5.08e-435; pi - 3.14...510 = 5.8e-51; E - 2.71...995 = 9.57e-51 > 1e-51;
    # |exp(-1000) - 5.1e-435| = 2.4e-437 <= 5e-437 (half a unit of the last written digit),
    # |exp(-1000) - 5.2e-435| = 1.2e-436 > 5e-437
    expected = {"tiny-positive": "proved", "tiny-not-positive": "refuted", "pi-above-51-digits": "proved",
                "pi-below": "proved", "e-to-51-digits": "refuted", "tiny-beside-a-transcendental-tie": "proved",
                "algebraic-tie": "proved", "algebraic-tie-unfolded": "proved", "log-tie": "proved",
                "row-row1": "proved", "row-row2": "refuted"}
    assert {k: got[k].verdict for k in expected} == expected, {k: got[k].message for k in expected}
    for name in ("tiny-positive", "pi-above-51-digits", "e-to-51-digits", "row-row2"):
        assert any("arb enclosures" in t for t in got[name].evidence.tried), got[name].evidence.tried
    # the shown difference is right although its sides cancel all 50 digits
    chain = dict(got["pi-above-51-digits"].evidence.chain)
    assert "= 5.8209749445923078164e-51..., certified positive" in next(iter(chain.values()))
    # a tie no enclosure can separate is decided exactly (minimal polynomial, logarithms
    # of rationals)
    assert got["log-tie"].method == "exact evaluation (certified signs)"
    assert got["algebraic-tie-unfolded"].method == "exact evaluation (certified signs)"


def test_closed_truth_by_enclosures_leaves_ties_to_the_fallback():
    from lawproof.numeric.interval import closed_atom, closed_truth
    assert closed_atom(Atom(">", sympy.exp(-1000), I(0))) == (True, 64)
    assert closed_atom(Atom(">", sympy.pi, R(314159265358979323846264338327950288419716939937510, 10**50)))[0] is True
    assert closed_atom(Atom("=", sympy.log(8), 3 * sympy.log(2)))[0] is None  # never proves equality
    assert closed_atom(Atom("!=", sympy.log(8), 3 * sympy.log(2)))[0] is None
    assert closed_atom(Atom(">", sympy.log(I(-1), evaluate=False), I(0))) == (False, 64)  # undefined side
    tie = Atom(">=", sympy.log(8), 3 * sympy.log(2))
    assert closed_truth(And((tie, Atom(">", sympy.exp(-1000), I(0)))), lambda g: g is tie) == (True, 64)
    assert closed_truth(tie, lambda g: False) == (False, 0)


def test_shown_value_escalates_past_cancellation():
    from lawproof.numeric import shown_value
    c = R(271828182845904523536028747135266249775724709369995, 10**50)
    assert shown_value(sympy.E - c, {}).startswith("9.574966967627724")
    assert shown_value(sympy.sqrt(x), {x: Fraction(2)}) == "1.4142135623730950488"


# --- Lambert's W (what solve gives for x*exp(x) = a) ------------------------------------

LAMBERT = '''
[paper]
id = "lambert"
title = "Lambert's W from solve"

[symbols]
x = "(0, oo)"
a = "(0, 5]"

[define]
w = "solve(x*exp(x) = 1, x)"
"wa(a)" = "solve(x*exp(x) = a, x)"

[[claim]]
id = "above-half"
formula = "w > 0.5"

[[claim]]
id = "above-six-tenths"
formula = "w > 0.6"
expect = "fails"

[[claim]]
id = "above-a-third"
formula = "wa(a) >= a/3"
expect = "fails"
'''


def test_lambert_w_is_evaluated_exactly_at_50_digits_and_in_intervals():
    w1 = sympy.LambertW(1)  # 0.56714329040978387299996866221035554975381578718651...
    assert exact_value(w1, {}) == w1
    assert exact_sign(w1 - R(567143290409783872999968662210355549753815787186512508135131, 10**60)) == 1
    assert exact_sign(w1 - R(567143290409783872999968662210355549753815787186512508135132, 10**60)) == -1
    assert mpmath.nstr(mp_value(sympy.LambertW(x), {x: Fraction(1)}), 30) == "0.56714329040978387299996866221"
    assert exact_sign(sympy.LambertW(-sympy.exp(-1) + R(1, 10**30)) + 1) == 1
    for below in (R(-1, 2), R(-3679, 10000)):  # -1/e = -0.36787944...
        with pytest.raises(Undefined):
            exact_value(sympy.LambertW(x), {x: Fraction(below)})
        with pytest.raises(Undefined):
            mp_value(sympy.LambertW(x), {x: Fraction(below)})
    from lawproof.numeric.interval import compile_term
    lo, hi = compile_term(sympy.LambertW(x), {x: 0})([_side(1, 2)]).bounds()
    assert lo <= Fraction(5671432905, 10**10) and Fraction(8526055020, 10**10) <= hi  # W(2) = 0.85260550201...
    assert hi - lo < Fraction(3, 10)


def _side(lo: int, hi: int):
    from lawproof.numeric.interval import Interval
    return Interval(Interval.point(Fraction(lo)).lo, Interval.point(Fraction(hi)).hi)


def test_claims_through_lambert_w_are_decided():
    import lawproof
    checked = lawproof.check_file(lawproof.loads(LAMBERT, "lambert.claims.toml"))
    got = {r.claim: r for r in checked.results}
    assert got["above-half"].verdict == "proved", got["above-half"].message
    assert got["above-six-tenths"].verdict == "refuted", got["above-six-tenths"].message
    third = got["above-a-third"]  # W(5) = 1.3267 < 5/3
    assert third.verdict == "refuted", third.message
    a_value = Fraction(third.evidence.counterexample["a"])
    assert 0 < a_value <= 5
    with mpmath.workdps(40):
        assert mpmath.lambertw(mpmath.mpf(a_value.numerator) / a_value.denominator).real < \
            mpmath.mpf(a_value.numerator) / (3 * a_value.denominator)


@given(st.lists(st.tuples(st.integers(-6, 6), st.integers(1, 40), st.integers(1, 40)), min_size=1, max_size=4),
       st.fractions(min_value=-3, max_value=3, max_denominator=7))
@settings(max_examples=60, deadline=None)
def test_a_rational_combination_of_logarithms_is_zero_exactly_when_its_product_is_one(terms, offset):
    # sum c log(p/q) + r = 0 iff r = 0 and prod (p/q)^c = 1 (Lindemann-Weierstrass):
    # the truth computed here from exact rational arithmetic, not from the prover's factoring
    value = sympy.Rational(offset.numerator, offset.denominator) + sum(
        c * sympy.log(sympy.Rational(p, q)) for c, p, q in terms)
    product = Fraction(1)
    for c, p, q in terms:
        product *= Fraction(p, q) ** c
    zero = offset == 0 and product == 1
    sign = exact_sign(value)
    assert (sign == 0) == zero
    if not zero and sign is not None:
        assert sign == (1 if mpmath.mpf(sympy.N(value, 80)) > 0 else -1)


@pytest.mark.parametrize("value, sign", [
    (sympy.log(8) - 3 * sympy.log(2), 0), (sympy.log(6) - sympy.log(2) - sympy.log(3), 0),
    (sympy.log(8) - 3 * sympy.log(2) + sympy.Rational(1, 10**70), 1),
    (sympy.log(9) - 2 * sympy.log(3) - sympy.Rational(1, 10**70), -1)])
def test_ties_between_logarithms_of_rationals_are_decided_exactly(value, sign):
    assert exact_sign(value) == sign


def test_a_value_too_large_to_evaluate_leaves_a_claim_undecided_not_an_internal_error():
    # exp(10^6) is beyond the magnitudes numeric evaluation builds: a closed claim goes on
    # to the reductions (exp is increasing), a claim with a sampled point is unknown
    import lawproof
    text = ('[paper]\nid = "big"\n\n[symbols]\nx = "(-oo, oo)"\n\n'
            '[[claim]]\nid = "tiny"\nformula = "exp(-10^6) > 0"\n'
            '[[claim]]\nid = "huge"\nformula = "exp(10^6) < 0"\n'
            '[[claim]]\nid = "scaled"\nformula = "forall x in [1, 2]: x*exp(-10^6) < 1e-300"\n')
    results = lawproof.check_file(lawproof.loads(text, "big.claims.toml")).results
    assert [r.verdict for r in results][0] == "proved"
    assert all(r.verdict in ("refuted", "unknown") for r in results[1:2])
    assert results[2].verdict in ("proved", "unknown")
    assert not any(r.method == "internal" for r in results)
