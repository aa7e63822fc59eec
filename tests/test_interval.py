"""The interval prover: rigorous proofs of transcendental inequalities, violations
re-checked exactly, honest `unknown` when the budget runs out."""
from __future__ import annotations

import time
from fractions import Fraction

import mpmath
import pytest
import sympy

import lawproof
from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import Atom, Binder, Implies, Not, Quantified, nnf
from lawproof.numeric import recheck
from lawproof.numeric.interval import Interval, compare, compile_term, prove, sign_on

x, y, b, t = (sympy.Symbol(n, real=True) for n in ("x", "y", "b", "t"))
I, R, oo = sympy.Integer, sympy.Rational, sympy.oo
LN2 = sympy.log(2)


def closed(lo, hi) -> Domain:
    return Domain(I(lo) if isinstance(lo, int) else lo, I(hi) if isinstance(hi, int) else hi)


def from_zero(open_at_zero: bool = False) -> Domain:
    return Domain(I(0), oo, lo_open=open_at_zero, hi_open=True)


def covers(result, symbol_count: int = 1) -> bool:
    """Whether the cover of a one-variable proof tiles the root side exactly."""
    assert symbol_count == 1
    sides = sorted((c.sides[0] for c in result.cover),
                   key=lambda s: (s.lo is not None, s.lo if s.lo is not None else 0))
    root = result.root[0]
    if (sides[0].lo, sides[-1].hi) != (root.lo, root.hi):
        return False
    return all(left.hi == right.lo for left, right in zip(sides, sides[1:]))


def confirmed(result) -> bool:
    """The violation re-checks exactly (rational arithmetic plus certified signs)."""
    check = recheck(nnf(Not(result.matrix)), result.point)
    return check.exact is True and check.digits50 is True


# --- three-valued comparisons -------------------------------------------------------

def test_a_ball_straddling_zero_is_neither_side_of_it():
    v = compile_term(x - 1, {x: 0})([Interval(*_ends(0, 3))])  # [-1, 2]
    for op in ("<", "<=", ">", ">=", "=", "!="):
        assert compare(op, v) is None
    assert compare(">", Interval(*_ends(1, 2))) is True
    assert compare("<=", Interval(*_ends(1, 2))) is False
    assert compare(">=", Interval(*_ends(0, 2))) is True
    assert compare(">", Interval(*_ends(0, 2))) is None
    # an open end at 0 excludes 0: (0, 2] is positive
    assert compare(">", Interval(*_ends(0, 2), lo_open=True)) is True


def _ends(lo: int, hi: int) -> tuple:
    return Interval.point(Fraction(lo)).lo, Interval.point(Fraction(hi)).hi


def test_enclosures_contain_the_50_digit_values():
    term = compile_term(sympy.exp(x) * sympy.log(x) + x ** R(-3, 10), {x: 0})
    for q in (Fraction(1, 3), Fraction(7, 2), Fraction(10 ** 6, 7)):
        lo, hi = term([Interval.point(q)]).bounds()
        with mpmath.workdps(60):
            v = mpmath.exp(mpmath.mpf(q.numerator) / q.denominator)
            v = v * mpmath.log(mpmath.mpf(q.numerator) / q.denominator) + \
                (mpmath.mpf(q.numerator) / q.denominator) ** mpmath.mpf("-0.3")
            assert mpmath.mpf(lo.numerator) / lo.denominator <= v <= mpmath.mpf(hi.numerator) / hi.denominator
            assert hi - lo < Fraction(abs(int(v)) + 1, 10 ** 9)  # tight, not just safe


def test_certified_signs_over_whole_domains():
    growth = 1 + (2 ** (b * t) - 1) / (b * LN2)
    assert sign_on(growth, {b: from_zero(True), t: from_zero()}) == 1
    assert sign_on(-sympy.exp(x), {x: Domain(-oo, oo, True, True)}) == -1
    assert sign_on(x - 1, {x: from_zero(True)}) == 0  # both signs occur
    assert sign_on(sympy.log(x), {x: closed(-1, 1)}) == 0  # undefined somewhere


# --- proofs ------------------------------------------------------------------------------

def test_exp_above_its_tangent_closes_at_the_touching_point():
    r = prove(Atom(">=", sympy.exp(x), 1 + x), {x: closed(-2, 2)})
    assert r.status == "proved"
    assert covers(r)
    # plain bisection cannot close a box containing 0: the Taylor form centred at 0,
    # where the slope is exactly 0, or the monotone form at a box corner 0 did
    assert any(side.lo == 0 or side.hi == 0 or side.lo < 0 < side.hi for c in r.cover for side in c.sides)
    text = r.certificate()
    assert text.startswith("lawproof interval certificate")
    assert ("monotone" in text or "taylor" in text) and text.count("\nbox ") == len(r.cover)


def test_log_below_its_tangent_on_a_domain_open_at_zero():
    r = prove(Atom("<=", sympy.log(x), x - 1), {x: Domain(I(0), I(5), lo_open=True)})
    assert r.status == "proved" and covers(r)
    first = min((c.sides[0] for c in r.cover), key=lambda s: s.lo)
    assert first.lo == 0 and first.lo_open  # the box at the open end never includes 0


def test_unbounded_domain_is_covered_to_infinity():
    r = prove(Atom("<=", sympy.log(x), x - 1), {x: from_zero(open_at_zero=True)})
    assert r.status == "proved" and covers(r)
    assert r.cover[-1].sides[0].hi is None or any(c.sides[0].hi is None for c in r.cover)
    assert "oo)" in r.certificate()


def test_negative_real_power_is_at_most_one_beyond_one():
    r = prove(Implies(Atom(">=", x, I(1)), Atom("<=", x ** R(-3, 10), I(1))), {x: from_zero(True)})
    assert r.status == "proved"


def test_doubling_beats_its_linearization_on_the_quadrant_and_around_zero():
    claim = Atom(">=", 2 ** (b * t), 1 + b * t * LN2)
    assert prove(claim, {b: from_zero(), t: from_zero()}).status == "proved"
    r = prove(claim, {b: closed(-3, 3), t: closed(-2, 2)})
    assert r.status == "proved"


def test_inner_universal_quantifier_becomes_a_box_variable():
    inner = Quantified("forall", (Binder(x, closed(-1, 1)),), Atom(">=", sympy.exp(y * x), 1 + y * x))
    r = prove(inner, {y: closed(0, 3)})
    assert r.status == "proved"
    assert [s.name for s in r.symbols] == ["y", "x"]


# --- violations ---------------------------------------------------------------------------

@pytest.mark.parametrize("claim, domains", [
    (Atom("<=", sympy.exp(x), 1 + x), {x: closed(-2, 2)}),                       # wrong sign
    (Atom(">=", sympy.log(x), x - 1), {x: Domain(I(0), I(5), lo_open=True)}),      # wrong sign
    (Implies(Atom(">=", x, I(1)), Atom("<=", x ** R(3, 10), I(1))), {x: from_zero(True)}),  # wrong exponent
    (Atom(">=", 2 ** (b * t), 1 + 2 * b * t * LN2), {b: from_zero(), t: from_zero()}),      # wrong factor
])
def test_false_claims_give_a_violation_that_rechecks_exactly(claim, domains):
    r = prove(claim, domains)
    assert r.status == "violation"
    assert set(r.point) == set(domains)
    assert confirmed(r)


def test_premise_restricts_the_box():
    claim = Implies(Atom(">=", x, R(1, 2)), Atom(">=", sympy.log(x), I(0)))
    r = prove(claim, {x: from_zero(True)})
    assert r.status == "violation" and Fraction(1, 2) <= r.point[x] < 1 and confirmed(r)


def test_undefined_atom_is_false_where_its_argument_is_nonpositive():
    r = prove(Atom(">", sympy.log(x - 1), I(-5)), {x: closed(0, 3)})
    assert r.status == "violation" and r.point[x] <= 1 and confirmed(r)


# --- budget and scope -------------------------------------------------------------------------

def test_tiny_budget_or_past_deadline_gives_unknown_with_counts():
    claim = Atom("<=", sympy.log(x), x - 1)
    r = prove(claim, {x: Domain(I(0), I(5), lo_open=True)}, max_boxes=1)
    assert r.status == "unknown" and r.boxes == 1 and "budget" in r.detail and r.point is None
    r = prove(claim, {x: Domain(I(0), I(5), lo_open=True)}, deadline=time.process_time() - 1)
    assert r.status == "unknown" and r.boxes == 0 and "deadline" in r.detail


def test_existential_claims_are_outside_the_prover():
    with pytest.raises(OutsideFragment):
        prove(Quantified("exists", (Binder(x, closed(0, 1)),), Atom(">", x, y)), {y: closed(0, 1)})


# --- through the engine -------------------------------------------------------------------------

TRANSCENDENTAL = '''
[paper]
id = "tangents"
title = "Tangent lines of exp and log"

[symbols]
x = "[-2, 2]"
z = "(0, 5]"

[[claim]]
id = "exp-tangent"
formula = "exp(x) >= 1 + x"

[[claim]]
id = "exp-tangent-mutant"
formula = "exp(x) >= 1 + 2*x"
expect = "fails"

[[claim]]
id = "log-tangent"
formula = "ln(z) <= z - 1"
'''


def test_claim_file_is_proved_by_the_interval_method_and_the_mutant_refuted():
    checked = lawproof.check_file(lawproof.loads(TRANSCENDENTAL, "tangents.claims.toml"))
    results = {r.claim: r for r in checked.results}
    for name in ("exp-tangent", "log-tangent"):
        r = results[name]
        assert r.verdict == "proved", (name, r.evidence.tried)
        # log coordinates (proofs/powers.py) or the certified bounds' first level may
        # prove a tangent before the interval prover is asked; each leaves its artifact
        assert r.method in ("interval branch and bound (arb)", "log coordinates + power atoms + SMT (z3)",
                            "certified polynomial bounds + SMT (z3)")
        if r.method.startswith("interval"):
            assert r.evidence.artifact.startswith("lawproof interval certificate")
        if r.method.startswith("certified"):
            assert r.evidence.artifact.startswith("; certified bound: ")
    mutant = results["exp-tangent-mutant"]
    assert mutant.verdict == "refuted", mutant.evidence.tried
    point = Fraction(mutant.evidence.counterexample["x"])
    # exp(q) < 1 + 2q at the rational q, recomputed here at 60 digits
    with mpmath.workdps(60):
        q = mpmath.mpf(point.numerator) / point.denominator
        assert mpmath.exp(q) < 1 + 2 * q


# --- certificate text for ends far beyond a float's range -------------------------------

def _mp(end) -> mpmath.mpf:
    q = Fraction(end)
    return mpmath.mpf(q.numerator) / q.denominator


@pytest.mark.parametrize("value", [sympy.exp(-1000), sympy.exp(-12345), sympy.exp(3000), -sympy.exp(20000),
                                   sympy.Rational(1, 10**400), sympy.pi / 10**7, I(12345)])
def test_interval_text_rounds_outward_for_huge_and_tiny_ends(value):
    # math.log10 of such a Fraction fails (0.0 or overflow); the text is built without floats
    v = compile_term(value, {})([])
    lo_text, hi_text = str(v)[1:-1].split(", ")
    with mpmath.workdps(80):
        exact = mpmath.mpf(sympy.N(value, 80))
        assert mpmath.mpf(lo_text) <= exact <= mpmath.mpf(hi_text)
        assert mpmath.mpf(hi_text) - mpmath.mpf(lo_text) <= abs(exact) * mpmath.mpf(10) ** -10


def test_interval_text_of_an_end_with_a_huge_binary_exponent():
    from flint import arb
    from lawproof.numeric.interval import _end_text
    big = arb(2) ** (2**40)  # about 8.06e+330985980541, far too big for an exact rational
    assert _end_text(big.upper(), up=True) == "8.05723224507e+330985980541"
    assert _end_text(big.lower(), up=False) == "8.05723224506e+330985980541"
    assert _end_text((-big).upper(), up=True) == "-8.05723224506e+330985980541"


def test_split_point_of_a_tiny_side_is_found_in_few_steps():
    from lawproof.numeric.interval import _simplest_dyadic
    tiny = Fraction(1, 2**3000)
    assert _simplest_dyadic(tiny / 4, tiny * 3 / 4, tiny / 2) == tiny / 2
    assert _simplest_dyadic(Fraction(-1, 3), Fraction(5, 7), Fraction(1, 9)) == 0
    assert _simplest_dyadic(Fraction(5, 4), Fraction(7, 4), Fraction(3, 2)) == Fraction(3, 2)


HUGE_AND_TINY = '''
[paper]
id = "huge"
title = "Enclosures far beyond a float's range"

[symbols]
s = "[0, oo)"
x = "(0, 1]"

[[claim]]
id = "exp-beats-square"
formula = "forall s in [0, oo): exp(s) >= s^2"

[[claim]]
id = "tiny-near-zero"
formula = "forall x in (0, 1]: exp(-1/x) < x^2.718"
'''


def test_claims_with_huge_and_tiny_enclosures_end_without_a_crash():
    # both hold: exp(s) - s^2 increases from 1 (exp(s) >= e*s > 2s); with u = 1/x >= 1 the
    # second is u - 2.718 ln(u) > 0, whose minimum 2.718 (1 - ln 2.718) is about 2.8e-4
    checked = lawproof.check_file(lawproof.loads(HUGE_AND_TINY, "huge.claims.toml"))
    for r in checked.results:
        assert r.verdict in ("proved", "consistent", "unknown"), (r.claim, r.verdict, r.message)
        assert not any("Error" in t for t in r.evidence.tried), r.evidence.tried


# --- tangency: second-order slopes and exact zeros at a touching point -------------------

def test_a_second_order_tangency_is_proved_by_the_slope_of_the_slope():
    # 1 + x + x^2 - exp(x) and its slope both vanish at 0; the slope's own slope
    # 2 - exp(x) is positive near 0, which signs the slope on [0, h]
    claim = Atom("<=", sympy.exp(x), 1 + x + x ** 2)
    result = prove(claim, {x: closed(0, 1)}, max_boxes=50)
    assert result.status == "proved" and covers(result)


def test_a_tangency_with_an_irrational_value_is_proved_exactly():
    # x exp(-x) reaches exp(-1) at x = 1: the balls of both sides overlap there, exact
    # evaluation shows lhs - rhs = 0 at the box corner
    claim = Atom("<=", x * sympy.exp(-x), sympy.exp(-1))
    result = prove(claim, {x: closed(0, 2)}, max_boxes=50)
    assert result.status == "proved" and covers(result)


def test_a_mutant_at_a_tangency_point_is_refuted():
    # exp(x) - 1 - x = x^2/2 + O(x^3) < 3x^2/5 near 0
    claim = Atom(">=", sympy.exp(x), 1 + x + R(3, 5) * x ** 2)
    result = prove(claim, {x: closed(-1, 1)}, max_boxes=200)
    assert result.status == "violation" and confirmed(result)


def test_two_unbounded_sides_are_split_in_turn():
    """ln(xy) <= x + y - 2 on the open quadrant touches at (1, 1); splitting only the
    first unbounded side would push its end to 2^k while the other stayed (0, oo)."""
    r = prove(Atom("<=", sympy.log(x * y), x + y - 2), {x: from_zero(True), y: from_zero(True)})
    assert r.status == "proved"
    assert r.boxes < 100
