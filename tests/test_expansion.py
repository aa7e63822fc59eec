"""symbolic.expansion: the fast expansion of polynomials is the very object sympy.expand
returns (same arguments in the same order: z3 terms and their printout are built from
it), and anything that is not a polynomial with rational coefficients is left to
sympy.expand."""
from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from lawproof.symbolic.expansion import expand_polynomial

SYMBOLS = [sympy.Symbol("x", real=True), sympy.Symbol("y", positive=True), sympy.Symbol("z"),
           sympy.Symbol("aux0", real=True), sympy.Symbol("n", integer=True), sympy.Dummy("x", real=True)]

leaves = st.one_of(st.sampled_from(SYMBOLS),
                   st.builds(sympy.Rational, st.integers(-12, 12), st.integers(1, 5)))


def _trees(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(children, min_size=2, max_size=4).map(lambda a: sympy.Add(*a)),
                     st.lists(children, min_size=2, max_size=3).map(lambda a: sympy.Mul(*a)),
                     st.builds(sympy.Pow, children, st.integers(0, 4)))


polynomials = st.recursive(leaves, _trees, max_leaves=12)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return a == b and type(a) is type(b) and a.args == b.args and sympy.srepr(a) == sympy.srepr(b)


@settings(max_examples=300, deadline=None)
@given(polynomials)
def test_polynomials_expand_to_sympy_s_own_object(e):
    assert _same(expand_polynomial(e), sympy.expand(e))


@settings(max_examples=100, deadline=None)
@given(polynomials, st.sampled_from([sympy.sqrt(SYMBOLS[1]), 1 / (SYMBOLS[0] + 1), sympy.Float("0.5"),
                                     SYMBOLS[2] ** SYMBOLS[4], sympy.exp(SYMBOLS[0])]))
def test_other_terms_are_left_to_sympy(e, other):
    mixed = sympy.Mul(e + 1, other + e, evaluate=True)
    assert _same(expand_polynomial(mixed), sympy.expand(mixed))


def test_what_is_not_a_polynomial_over_the_rationals_is_expanded_by_sympy():
    x, n = SYMBOLS[0], SYMBOLS[4]
    for e in (1 / (x + 1) * (x - 1), sympy.sqrt(x) * (x + 1), sympy.Float("0.1") * (x + 1), sympy.pi * (x + 1),
              (x + 1) ** n):
        assert _same(expand_polynomial(e), sympy.expand(e))
    assert expand_polynomial(sympy.Float("0.1") * (x + 1)).has(sympy.Float)  # never turned into 1/10


def test_exact_examples():
    x, y = SYMBOLS[0], SYMBOLS[1]
    assert expand_polynomial((x + 1) ** 2 * (y - 2)) == x**2 * y - 2 * x**2 + 2 * x * y - 4 * x + y - 2
    assert expand_polynomial((x - x) * y + 3) == 3
    assert expand_polynomial((x + y) ** 2 - x**2 - 2 * x * y - y**2) == 0
    assert expand_polynomial(sympy.Rational(1, 2) * (2 * x + 4)) == x + 2


integer_leaves = st.one_of(st.sampled_from(SYMBOLS), st.integers(-12, 12).map(sympy.Integer))


@settings(max_examples=200, deadline=None)
@given(st.recursive(integer_leaves, _trees, max_leaves=10))
def test_an_integer_polynomial_is_its_own_numerator(e):
    # the translation skips `together` there: the expansion z3 gets is the same
    from lawproof.proofs.translate import _over_common_denominator
    num, den = sympy.fraction(sympy.together(e))
    assert den == 1
    assert _over_common_denominator(e) == (e, 1)
    assert _same(expand_polynomial(e), sympy.expand(num))
