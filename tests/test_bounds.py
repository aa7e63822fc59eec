"""The certified-bounds prover (MetiTarski's method): every bound really bounds its
function (checked with arb balls, rigorously), known-true inequalities are proved
(tangency points, unbounded domains, two variables), known-false ones are not, and
the artifact replays in z3."""
from __future__ import annotations

from fractions import Fraction

import flint
import pytest
import sympy
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import And, Atom, Formula, Or, Quantified, Binder
from lawproof.numeric.interval import Interval, compare, compile_term
from lawproof.proofs.bounds import exp_bounds, log_bounds, prove

x, y, u, s, v = (sympy.Symbol(n, real=True) for n in ("x", "y", "u", "s", "v"))
I, oo = sympy.Integer, sympy.oo


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
]

FALSE = [
    ("exp below its quadratic Taylor polynomial", forall(x, closed(0, 1), Atom(
        "<=", sympy.exp(x), 1 + x + x ** 2 / 2))),
    ("ln below a lowered tangent", forall(x, closed(1, 2), Atom("<=", sympy.log(x), x - sympy.Rational(101, 100)))),
    ("ln(1+x) above x", forall(x, POSITIVE, Atom(">=", sympy.log(1 + x), x))),
    # ln is undefined at x <= 0, where the comparison is false
    ("ln where it is undefined", forall(x, closed(-1, 1), Atom("<=", sympy.log(x), x - 1))),
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
