"""Forward-mode AD on arb balls (numeric/taylor.py) and the interval prover's Taylor
forms: every coefficient encloses the exact derivative, a wrong derivative rule or a
dropped remainder is caught, tangency points of any order are certified, false claims
near them are not proved."""
from __future__ import annotations

from fractions import Fraction

import flint
import mpmath
import pytest
import sympy
from flint import arb, fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from lawproof.language.domain import Domain
from lawproof.language.formula import Atom, Not, nnf
from lawproof.language.functions import Cbrt
from lawproof.numeric import interval, recheck, taylor
from lawproof.numeric.interval import prove
from lawproof.numeric.taylor import NotSmooth, coefficients, compile_series

x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
R, oo = sympy.Rational, sympy.oo
ORDER = 5

#: One term per rule of the series evaluator, smooth on [1/4, 3/4] (y in [1/4, 1/2]).
TERMS = [
    sympy.sin(x) * sympy.exp(y), sympy.cos(2 * x), sympy.tan(x), sympy.asin(x), sympy.acos(x / 2),
    sympy.atan(3 * x), sympy.sinh(x), sympy.cosh(x - y), sympy.tanh(2 * x), Cbrt(x - 1),
    sympy.log(1 + x * y), sympy.sqrt(x), x ** x, x ** R(5, 2) - 1 / x ** 3, sympy.Abs(x - 2),
    sympy.Min(x, 1 + y), sympy.Max(x - 3, y), sympy.LambertW(x), sympy.exp(-x ** 2) / (1 + x),
]


@pytest.fixture(autouse=True)
def _precision():
    saved = flint.ctx.prec
    flint.ctx.prec = interval.PREC
    yield
    flint.ctx.prec = saved


def _exact(term: sympy.Expr, k: int, at: dict) -> mpmath.mpf:
    # evalf with subs: no exact power (41/64)^(41/64) is built on the way
    value = (sympy.diff(term, x, k) / sympy.factorial(k)).evalf(60, subs=at)
    with mpmath.workdps(60):
        return mpmath.mpf(str(value))


def _contains(ball: arb, value: mpmath.mpf) -> bool:
    """Whether the ball meets the exact value (50 digits, give or take 1e-30: a wrong rule
    misses by far more, the balls are ~1e-38 wide)."""
    return ball.overlaps(arb(mpmath.nstr(value, 50)) + arb(0, 1e-30 * (1 + abs(float(value)))))


def _mismatches(term: sympy.Expr, px: Fraction, py: Fraction) -> list[int]:
    """The orders whose AD coefficient at (px, py) misses the exact derivative / k!."""
    f = compile_series(term, {x: 0, y: 1})
    balls = [arb(fmpq(px.numerator, px.denominator)), arb(fmpq(py.numerator, py.denominator))]
    coeffs = coefficients(f, balls, 0, balls[0], ORDER)
    at = {x: sympy.Rational(px.numerator, px.denominator), y: sympy.Rational(py.numerator, py.denominator)}
    return [k for k, c in enumerate(coeffs) if not _contains(c, _exact(term, k, at))]


points = st.fractions(min_value=Fraction(1, 4), max_value=Fraction(3, 4), max_denominator=64)


@settings(max_examples=12, deadline=None)
@given(px=points, py=st.fractions(min_value=Fraction(1, 4), max_value=Fraction(1, 2), max_denominator=16))
def test_every_coefficient_encloses_the_exact_derivative(px, py):
    for term in TERMS:
        assert _mismatches(term, px, py) == [], term


@settings(max_examples=8, deadline=None)
@given(lo=points, width=st.fractions(min_value=Fraction(1, 64), max_value=Fraction(1, 8), max_denominator=64),
       where=st.fractions(min_value=0, max_value=1, max_denominator=16))
def test_coefficients_over_a_ball_enclose_every_point_of_it(lo, width, where):
    """The remainder's enclosure: c_k over the ball [lo, lo + width] holds c_k at any
    point inside."""
    inside = lo + where * width
    hull = arb(fmpq(lo.numerator, lo.denominator)).union(arb(fmpq((lo + width).numerator, (lo + width).denominator)))
    for term in TERMS:
        f = compile_series(term, {x: 0, y: 1})
        coeffs = coefficients(f, [hull, arb(fmpq(1, 3))], 0, hull, ORDER)
        at = {x: sympy.Rational(inside.numerator, inside.denominator), y: R(1, 3)}
        for k, c in enumerate(coeffs):
            assert _contains(c, _exact(term, k, at)), (term, k)


def test_a_wrong_derivative_rule_is_caught(monkeypatch):
    """The check above is not vacuous: sinh differentiated as cosh (a wrong rule) fails it."""
    assert _mismatches(sympy.sinh(x), Fraction(1, 2), Fraction(1, 3)) == []
    monkeypatch.setitem(taylor._ELEMENTARY, "sinh", taylor._cosh)
    assert _mismatches(sympy.sinh(x), Fraction(1, 2), Fraction(1, 3)) != []


@pytest.mark.parametrize("term, ball", [
    (sympy.log(x), arb(0).union(arb(1))),           # log at 0
    (sympy.sqrt(x), arb(0).union(arb(1))),          # sqrt is not differentiable at 0
    (sympy.tan(x), arb(1).union(arb(2))),           # a pole at pi/2
    (sympy.asin(x), arb(fmpq(1, 2)).union(arb(1))), # arcsin' is infinite at 1
    (Cbrt(x), arb(-1).union(arb(1))),               # cbrt' is infinite at 0
    (sympy.Abs(x), arb(-1).union(arb(1))),          # abs has a corner at 0
    (1 / x, arb(-1).union(arb(1))),                 # a pole at 0
    (sympy.Min(x, 1 - x), arb(0).union(arb(1))),    # a corner at 1/2
])
def test_no_derivative_where_the_term_may_not_be_smooth(term, ball):
    f = compile_series(term, {x: 0})
    with pytest.raises(NotSmooth):
        coefficients(f, [ball], 0, ball, 3)


def test_floor_has_no_series():
    with pytest.raises(taylor.Unsupported):
        compile_series(sympy.floor(x), {x: 0})


# --- the Taylor forms in the prover ------------------------------------------------------

def _domain(lo, hi, lo_open=False, hi_open=False) -> Domain:
    return Domain(sympy.sympify(lo), sympy.sympify(hi), lo_open, hi_open)


def _confirmed(result) -> bool:
    check = recheck(nnf(Not(result.matrix)), result.point)
    return check.exact is True and check.digits50 is True


@pytest.mark.parametrize("atom, domain", [
    # order 6: cos - (1 - x^2/2 + x^4/24) = -x^6/720 + ..., the first five coefficients 0
    (Atom("<=", sympy.cos(x), 1 - x**2 / 2 + x**4 / 24), _domain(-2, 2)),
    # order 4 at 0, and the tail [1, oo) by the remainder sinh(x)/24 >= 0 over all of it
    (Atom(">=", sympy.sinh(x), x + x**3 / 6), _domain(0, oo, hi_open=True)),
    (Atom(">=", sympy.cosh(x), 1 + x**2 / 2), _domain(-oo, oo, True, True)),
    (Atom(">=", sympy.sin(x), x - x**3 / 6), _domain(0, oo, hi_open=True)),
    # order 4: cosh(x) - exp(x^2/2) = -x^4/12 + ...
    (Atom("<=", sympy.cosh(x), sympy.exp(x**2 / 2)), _domain(-1, 1)),
    # equal at the irrational end pi/2 (Jordan): the form centred at the premise's bound
    (Atom(">=", sympy.sin(x), 2 * x / sympy.pi), _domain(0, sympy.pi / 2)),
    # second order at the excluded irrational end pi/2: 1 - cos = 2 sin^2(x/2) <= tan(x/2)
    (Atom("<=", 1 - sympy.cos(x), sympy.tan(x / 2)), _domain(0, sympy.pi / 2, hi_open=True)),
])
def test_tangency_points_of_any_order_are_certified(atom, domain):
    r = prove(atom, {x: domain})
    assert r.status == "proved"
    assert "taylor" in r.certificate()


@pytest.mark.parametrize("atom, domain", [
    # third order at 0: exp(x) - T_2(x) ~ x^3/6 < 0 for x < 0
    (Atom(">=", sympy.exp(x), 1 + x + x**2 / 2), _domain(-1, 1)),
    # sixth order: -x^6/720 < -x^6/1000
    (Atom(">=", sympy.cos(x), 1 - x**2 / 2 + x**4 / 24 - x**6 / 1000), _domain(-1, 1)),
    # fifth order: sin(x) - (x - x^3/6) ~ x^5/120 > x^5/200
    (Atom("<=", sympy.sin(x), x - x**3 / 6 + x**5 / 200), _domain(0, 1)),
    # just below the value at the tangency point 1: e^-1 = 0.36787944...
    (Atom("<=", x * sympy.exp(-x), R(36787, 100000)), _domain(0, oo, hi_open=True)),
    # crosses before the irrational end: sin(x) < 21 x/(10 pi) next to pi/2
    (Atom(">=", sympy.sin(x), 21 * x / (10 * sympy.pi)), _domain(0, sympy.pi / 2)),
    # fourth order on both sides of 0: sin(x)^2 = x^2 - x^4/3 + ... > x^2 - x^4/2
    (Atom("<=", sympy.sin(x)**2, x**2 - x**4 / 2), _domain(-1, 1)),
])
def test_false_claims_next_to_a_tangency_point_are_not_proved(atom, domain):
    r = prove(atom, {x: domain})
    assert r.status == "violation" and _confirmed(r)


def test_a_dropped_remainder_would_prove_a_false_claim(monkeypatch):
    """The test above is sensitive to the remainder: without its term the Taylor form at a
    tangency point is the exact zero polynomial, and exp(x) >= T_2(x) on [-1, 1] (false
    for x < 0) comes out proved."""
    atom, domain = Atom(">=", sympy.exp(x), 1 + x + x**2 / 2), {x: _domain(-1, 1)}
    assert prove(atom, domain).status == "violation"
    real = interval._taylor_forms

    def dropped(point, over, offset, top):
        return real(point, [interval.ZERO] * len(over), offset, top)
    monkeypatch.setattr(interval, "_taylor_forms", dropped)
    assert prove(atom, domain).status == "proved"


def test_another_form_of_the_difference_may_decide():
    # expansion: exp(x + y) - exp(x) exp(y) is 0
    polypaver = Atom("<=", sympy.exp(x + y), sympy.exp(x) * sympy.exp(y) + R(1, 256))
    r = prove(polypaver, {x: _domain(0, 1), y: _domain(0, 1)})
    assert r.status == "proved" and "expanded" in r.certificate()
    # numerator over a positive denominator: sin(x)/x - 1 = (sin(x) - x)/x on (0, 3]
    r = prove(Atom("<=", sympy.sin(x) / x, sympy.Integer(1)), {x: _domain(0, 3, lo_open=True)})
    assert r.status == "proved" and "numerator" in r.certificate()
    r = prove(Atom("<=", sympy.sin(x) / x, R(99, 100)), {x: _domain(0, 3, lo_open=True)})
    assert r.status == "violation" and _confirmed(r)


def test_a_variant_is_not_read_where_the_claim_is_undefined():
    """x/x - 1 expands to 0, but x/x is undefined at 0: the claim x/x >= 1 on [-1, 1]
    fails there, whatever its other forms say."""
    r = prove(Atom(">=", x * (1 / x + 1) - x, sympy.Integer(1)), {x: _domain(-1, 1)})
    assert r.status != "proved"
