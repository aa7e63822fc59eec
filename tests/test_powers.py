"""Powers in real arithmetic: an integer exponent (literal, or a term SymPy knows is
integer-valued) is defined for every base but a zero base with a negative exponent;
a fractional or real exponent needs a nonnegative (or positive) base. The verdicts are
checked through the engine, so the parser, the symbolic layer, z3 and the numeric
layers must agree."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

import lawproof
from lawproof.language.definedness import of_node
from lawproof.language.domain import Domain
from lawproof.language.formula import Atom
from lawproof.symbolic import definedness

HEAD = '''
[paper]
id = "powers"
title = "Powers"

[symbols]
n = { domain = "[0, 10]", integer = true }
m = { domain = "[-5, 5]", integer = true }
x = "[-2, 2]"
y = "[-1, 1]"

[define]
"f(y, m)" = "y^m"
'''

n = sympy.Symbol("n", integer=True)
x = sympy.Symbol("x", real=True)
ZERO = sympy.Integer(0)


def result(formula: str) -> lawproof.Result:
    cf = lawproof.loads(HEAD + f'[[claim]]\nid = "c"\nformula = "{formula}"\n', "powers.claims.toml")
    assert not cf.errors and not cf.claims[0].error, (cf.errors, cf.claims[0].error)
    return lawproof.check_file(cf).results[0]


@pytest.mark.parametrize("formula", [
    "(-1)^(2*n) = 1",              # was refuted: a symbolic exponent demanded a positive base
    "abs((-1)^n) = 1",
    "(-1)^m * (-1)^m = 1",
    "(-2)^3 = -8",
    "(-2)^(-3) = -1/8",
    "forall x in [-2, 2]: x^2 >= 0",
    "forall x in [-2, 2]: x^3 <= 8",
    "0^0 = 1",                     # as SymPy and the numeric layers evaluate it
    "forall x in [-2, 2]: x^0 = 1",
    "(x^n)^2 = x^(2*n)",
    "y != 0 -> (y^m)^2 = y^(2*m)",
    "2^m > 0",
    "approx((-1)^(2*n), 1)",
])
def test_integer_powers_of_negative_bases_are_defined(formula):
    assert result(formula).verdict == "proved"


@pytest.mark.parametrize("formula", [
    "x^(2*n) >= 0",
    "x^n >= -512",                 # (-2)^9
    "0^n <= 1",
])
def test_symbolic_integer_powers_are_never_refuted_when_true(formula):
    assert result(formula).verdict in ("proved", "consistent", "unknown")


@pytest.mark.parametrize("formula, bad", [
    ("forall x in [-1, 1]: x^(1/2) >= 0", lambda ce: Fraction(ce["x_w"]) < 0),
    ("forall x in [-1, 1]: sqrt(x) >= 0", lambda ce: Fraction(ce["x_w"]) < 0),
    ("(-8)^(1/3) = -2", lambda ce: True),
    ("forall x in [-1, 1]: x^(-2) > 0", lambda ce: Fraction(ce["x_w"]) == 0),
    ("y^m * y^(-m) = 1", lambda ce: Fraction(ce["y"]) == 0),
    ("(y^m)^2 = y^(2*m)", lambda ce: Fraction(ce["y"]) == 0 and int(ce["m"]) < 0),
    ("f(y, m)^2 = f(y, 2*m)", lambda ce: Fraction(ce["y"]) == 0 and int(ce["m"]) < 0),
    # n/2 is not known to be an integer: a real power, which needs base > 0, so it is
    # undefined for every n (even n too: the rule reads the exponent as written)
    ("(-1)^(n/2) <= 1", lambda ce: True),
    ("forall t in [0, 2]: (-1)^t <= 1", lambda ce: True),
    ("forall y in [-1, 1]: y^sqrt(2) >= 0", lambda ce: True),  # an irrational exponent
    ("forall y in [-1, 1]: (y^pi)^2 = y^(2*pi)", lambda ce: True),
    ("x^n >= -32", lambda ce: int(ce["n"]) % 2 == 1 and Fraction(ce["x"]) < 0),
])
def test_fractional_and_real_powers_need_a_nonnegative_base(formula, bad):
    r = result(formula)
    assert r.verdict == "refuted", (formula, r.verdict, r.evidence.tried)
    assert bad(r.evidence.counterexample), r.evidence.counterexample


def test_of_node_rules():
    b = sympy.Symbol("b", real=True)
    pw = lambda e: sympy.Pow(b, e, evaluate=False)
    assert of_node(pw(sympy.Integer(3))) == []
    assert of_node(pw(sympy.Integer(0))) == []
    assert of_node(pw(sympy.Integer(-2))) == [Atom("!=", b, ZERO)]
    assert of_node(pw(2 * n)) == [Atom("!=", b, ZERO)]          # n may be negative
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    assert of_node(pw(2 * k)) == []
    assert of_node(pw(sympy.Rational(1, 2))) == [Atom(">=", b, ZERO)]
    assert of_node(pw(sympy.Rational(-1, 2))) == [Atom("!=", b, ZERO), Atom(">", b, ZERO)]
    assert of_node(pw(sympy.sqrt(2))) == [Atom(">=", b, ZERO)]
    assert of_node(pw(x)) == [Atom(">", b, ZERO)]
    assert of_node(pw(n / 2)) == [Atom(">", b, ZERO)]


def test_symbolic_definedness_uses_the_exponents_domain():
    b = sympy.Symbol("b", real=True)
    term = sympy.Pow(b, 2 * n, evaluate=False)
    assert definedness(term) == [Atom("!=", b, ZERO)]
    assert definedness(term, {n: Domain(sympy.Integer(0), sympy.Integer(10))}) == []
    assert definedness(term, {n: Domain(sympy.Integer(-1), sympy.Integer(10))}) == [Atom("!=", b, ZERO)]
