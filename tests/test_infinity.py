"""docs/semantics.md, "Infinity": `oo` stands only where it means one thing (a limit's
point, a bound, a whole side of a comparison); a comparison with it follows the extended
real order and keeps the other side's definedness; no layer reads it as a number or as
"undefined". The labelled claims are in tests/soundness/infinity.claims.toml."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, strategies as st

import lawproof
from lawproof.language.errors import ClaimInputError
from lawproof.language.formula import And, Atom, Truth
from lawproof.language.parser import Namespace, parse_bound
from lawproof.numeric.evaluate import Unsupported, exact_truth, exact_value
from lawproof.numeric.interval import _Unsupported, compile_term
from lawproof.symbolic.normalize import fold

from conftest import claim_file

HEAD = '[paper]\nid = "inf"\n[symbols]\nx = "(-oo, oo)"\nu = "(0, oo)"\n[define]\n"f(y)" = "sqrt(y)"\n'
X = sympy.Symbol("x", real=True)
OPS = ("=", "!=", "<", "<=", ">", ">=")
FLOAT_OPS = {"=": float.__eq__, "!=": float.__ne__, "<": float.__lt__, "<=": float.__le__,
             ">": float.__gt__, ">=": float.__ge__}


def claim(formula: str) -> lawproof.Claim:
    return claim_file(f'[[claim]]\nid = "c"\nformula = "{formula}"\n', HEAD).claims[0]


@pytest.mark.parametrize("formula, column", [
    ("x + oo = oo", 5), ("min(oo, x) = x", 5), ("0*oo = 0", 3), ("oo - oo = 0", 1),
    ("sqrt(oo) > x", 6), ("approx(x, oo)", 11), ("x < 2*oo", 7), ("exp(-oo) = 0", 6),
])
def test_oo_inside_a_term_is_an_input_error_with_its_position(formula, column):
    err = claim(formula).error
    assert isinstance(err, ClaimInputError), err
    # columns in the file: the formula starts at column 12 of its line
    assert "oo (infinity) is not a number" in err.message and err.column == 11 + column
    assert "whole side of a comparison" in err.fix


def test_a_series_is_an_input_error():
    err = claim("sum(1/k^2, k, 1, oo) = 2").error
    assert isinstance(err, ClaimInputError) and "a sum to oo" in err.message and err.column == 11 + 18


def test_oo_in_a_definition_or_a_table_cell_is_an_input_error():
    cf = lawproof.loads(HEAD + 'big = "oo"\n[[claim]]\nid = "c"\nformula = "x < big"\n', "t.claims.toml")
    assert any("oo (infinity) is not a number" in str(e) for e in cf.errors + [c.error for c in cf.claims])


@pytest.mark.parametrize("formula", [
    "x < oo", "-oo < x", "-(-oo) > x", "(oo) > x", "+oo > x", "-oo < 1/u < oo", "limit(1/u, u, oo) = 0",
    "integrate(exp(-s), s, 0, oo) = 1", "forall s in [0, oo): exp(s) >= 1", "exists s in (-oo, 0): s < -1",
])
def test_oo_where_it_means_one_thing_is_accepted(formula):
    assert claim(formula).error is None


def test_a_binder_named_oo_is_a_variable_everywhere_in_its_body():
    body = '[[claim]]\nid = "c"\nformula = "forall oo in [0, 1]: oo < 2 and oo + 1 < 3"\n'
    assert lawproof.check_file(claim_file(body, HEAD)).results[0].verdict == "proved"


def test_a_bound_given_on_the_command_line_may_be_infinite():
    # lawproof counterexample --lemma-lower -oo
    assert parse_bound("-oo", Namespace()) == -sympy.oo and parse_bound("1/2", Namespace()) == sympy.Rational(1, 2)
    with pytest.raises(ClaimInputError):
        parse_bound("oo/2", Namespace())


@given(st.fractions(max_denominator=50), st.sampled_from(OPS), st.sampled_from((1, -1)), st.booleans())
def test_a_rational_against_an_infinity_follows_the_extended_real_order(q, op, sign, infinity_left):
    t, inf = sympy.Rational(q.numerator, q.denominator), sign * sympy.oo
    lhs, rhs = (inf, t) if infinity_left else (t, inf)
    expected = FLOAT_OPS[op](*((float(sign) * float("inf"), float(q)) if infinity_left
                               else (float(q), float(sign) * float("inf"))))
    assert fold(Atom(op, lhs, rhs)) == Truth(expected)


@pytest.mark.parametrize("op", OPS)
def test_a_comparison_with_oo_keeps_the_other_sides_definedness(op):
    folded = fold(Atom(op, sympy.sqrt(X), sympy.oo))
    holds = op in ("!=", "<", "<=")
    # sqrt(x) < oo holds exactly where x >= 0; sqrt(x) = oo nowhere
    assert folded == (And((Atom(">=", X, sympy.Integer(0)), Truth(True))) if holds else Truth(False)) \
        or folded == (Atom(">=", X, sympy.Integer(0)) if holds else Truth(False))


@pytest.mark.parametrize("t", [
    sympy.Limit(sympy.Function("g")(X), X, sympy.oo) + 1,   # may be oo itself
    sympy.LambertW(X), sympy.gamma(X),                        # definedness no rule here states
])
def test_a_side_that_may_be_infinite_or_undefined_unseen_is_left_undecided(t):
    assert fold(Atom("<", t, sympy.oo)) == Atom("<", t, sympy.oo)


@pytest.mark.parametrize("op", OPS)
def test_numeric_layers_give_oo_no_value(op):
    # neither a number nor "undefined": that reading refuted x < oo at x = 1
    assert exact_truth(Atom(op, X, sympy.oo), {X: Fraction(1)}) is None
    with pytest.raises(Unsupported):
        exact_value(-sympy.oo, {})
    with pytest.raises(_Unsupported):
        compile_term(X + sympy.oo, {X: 0})


@pytest.mark.parametrize("formula, verdict", [
    ("x < oo", "proved"),
    ("sqrt(x) < oo", "refuted"),      # undefined at x = -1
    ("f(x) < oo", "refuted"),         # through a definition
    ("u = oo", "refuted"),
    ("limit(sqrt(ln(u + 1)), u, oo) = oo", "proved"),
    ("limit(sqrt(ln(u + 1)), u, oo) = 5", "refuted"),
    ("limit(sqrt(ln(u + 1)), u, oo) >= 10^6", "proved"),
    ("limit(1/x, x, 0) = oo", "refuted"),   # +oo from the right, -oo from the left: no limit
    ("limit(1/x, x, 0) != oo", "refuted"),
    ("limit(1/u, u, 0) = oo", "proved"),    # one-sided at the end of u's domain
    ("integrate(1/(u + 1), u, 0, oo) = 3", "refuted"),
    # inside a larger term an infinite integral stays unevaluated, also where SymPy's Sum
    # evaluates it inside the sum's body (it folded to true)
    ("ln(integrate(1, u, 0, oo)) > 5", "unknown"),
    ("sum(integrate(2, u, 0, oo), k, 1, 3) > 5", "unknown"),
])
def test_verdicts(formula, verdict):
    result = lawproof.check_file(claim_file(f'[[claim]]\nid = "c"\nformula = "{formula}"\n', HEAD)).results[0]
    assert result.verdict == verdict, (result.verdict, result.method, result.message)
