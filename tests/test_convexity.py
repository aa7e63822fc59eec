"""Convexity certificates: the DCP calculus on expressions of known curvature, the
second-order fallback, and "unknown" (never a guess) where no rule applies."""
from __future__ import annotations

import pytest
import sympy

from lawproof.language.domain import Domain
from lawproof.language.formula import Atom
from lawproof.proofs.kkt import prover
from lawproof.symbolic.convexity import (AFFINE, CONCAVE, CONVEX, UNKNOWN, Certificate, certify, dcp,
                                         smoothness)

x, y, c, p = (sympy.Symbol(n, real=True) for n in ("x", "y", "c", "p"))
ZERO, ONE = sympy.Integer(0), sympy.Integer(1)


def box(lo, hi, lo_open=False, hi_open=False) -> Domain:
    def exact(v):
        return sympy.Integer(v) if isinstance(v, int) else v
    return Domain(exact(lo), exact(hi), lo_open, hi_open)


ANY = Domain(-sympy.oo, sympy.oo, True, True)
WIDE = {x: box(-3, 3), y: box(-3, 3)}


def analyse(expr: sympy.Expr, domains: dict, variables=(x, y)) -> Certificate:
    return dcp(expr, [v for v in variables if v in expr.free_symbols] or [x],
               prover(domains, [], timeout=2.0))


@pytest.mark.parametrize("expr, domains, expected", [
    (x**2 + 3*y, WIDE, CONVEX),
    (-x**2 + y, WIDE, CONCAVE),
    (2*x - 5*y + 1, WIDE, AFFINE),
    ((x + y)**4, WIDE, CONVEX),                             # even power of an affine expression
    ((x**2 + 1)**2, WIDE, CONVEX),                          # even power of a nonnegative convex one
    (1/(1 + x), {x: box(0, 3)}, CONVEX),                    # 1/affine on affine > 0
    (1/(1 - x), {x: box(-3, 1, hi_open=True)}, CONVEX),
    (sympy.sqrt(x), {x: box(0, 3)}, CONCAVE),
    (sympy.sqrt(1 - x**2), {x: box(-1, 1)}, CONCAVE),       # concave nondecreasing of concave
    (sympy.exp(x + y), WIDE, CONVEX),
    (sympy.exp(x**2), WIDE, CONVEX),                        # convex nondecreasing of convex
    (-sympy.log(x), {x: box(0, 3, lo_open=True)}, CONVEX),
    (x**3, {x: box(0, 3)}, CONVEX),
    (x**3, {x: box(-3, 0)}, CONCAVE),
    (1/x, {x: box(-3, 0, hi_open=True)}, CONCAVE),          # odd negative power on t < 0
    (2**x, WIDE, CONVEX),
    (sympy.Rational(1, 2)**x, WIDE, CONVEX),
    (x**sympy.Rational(3, 2), {x: box(0, 3)}, CONVEX),
    (x**sympy.Rational(-1, 2), {x: box(0, 3, lo_open=True)}, CONVEX),
    (x**p, {x: box(0, 3, lo_open=True), p: box(2, 3)}, CONVEX),           # x^p by the range of p
    (x**p, {x: box(0, 3, lo_open=True), p: box(sympy.Rational(1, 4), sympy.Rational(1, 2))}, CONCAVE),
    (x**p, {x: box(0, 3, lo_open=True), p: box(-2, -1)}, CONVEX),
    (c*x**2, {x: ANY, c: box(0, sympy.oo, hi_open=True)}, CONVEX),
    (c*x**2, {x: ANY, c: box(-sympy.oo, 0, lo_open=True)}, CONCAVE),
])
def test_known_curvature(expr, domains, expected):
    assert analyse(expr, domains).curvature == expected


@pytest.mark.parametrize("expr, domains", [
    (x*y, WIDE),                                  # no product rule
    (sympy.sin(x), WIDE),                         # no rule for sin
    (x**2 - y**2, WIDE),                          # convex plus concave
    (x**3, WIDE),                                 # odd power of a sign-changing argument
    (sympy.exp(-x**2), WIDE),                     # exp of a concave expression
    (1/(x - 1), {x: box(0, 2)}, ),                # 1/affine where the affine part changes sign
    (c*x**2, {x: ANY, c: ANY}),                   # a multiple of unknown sign
    (x**p, {x: box(0, 3, lo_open=True), p: box(-1, 2)}),   # p's range straddles the cases
    (x**2/(1 + x), {x: box(0, 3)}),               # convex, but not by DCP: still "unknown" here
])
def test_no_rule_means_unknown(expr, domains):
    cert = analyse(expr, domains)
    assert cert.curvature == UNKNOWN and not cert.certifies(CONVEX) and not cert.certifies(CONCAVE)


def test_side_conditions_are_recorded_with_their_proof():
    cert = analyse(c/(1 + x), {x: box(0, 3), c: box(0, 1)})
    assert cert.curvature == CONVEX
    shown = {a.formula for a in cert.conditions}
    assert Atom(">", x + 1, ZERO) in shown and Atom(">=", c, ZERO) in shown
    # signs the domains alone give: interval arithmetic shows them, no z3 query
    assert all(a.proof == "proved by exact interval arithmetic on the domains" for a in cert.conditions)
    rules = [rule for rule, _ in cert.steps]
    assert any("power t^(-1) on t > 0" in r for r in rules) and any("nonnegative multiple" in r for r in rules)


def test_a_side_condition_that_needs_the_premise_goes_to_z3():
    # c - x >= 0 is false on the box (c = 0, x = 3); with the premise c >= x, z3 proves it
    prove = prover({x: box(0, 3), c: box(0, 5)}, [Atom(">=", c, x)], timeout=2.0)
    assert prove(Atom(">=", c - x, ZERO)) == "proved by z3 on the domains, given c >= x"
    assert prover({x: box(0, 3), c: box(0, 5)}, [], timeout=2.0)(Atom(">=", c - x, ZERO)) is None


def test_second_order_fallback_one_variable():
    prove = prover({x: box(0, 3)}, [], timeout=2.0)
    cert = certify(x**2/(1 + x), [x], CONVEX, prove)
    assert cert.certifies(CONVEX) and cert.method == "second-order"
    assert not certify(x**2/(1 + x), [x], CONCAVE, prove).certifies(CONCAVE)


def test_second_order_fallback_principal_minors():
    # quadratic-over-linear x^2/y, convex for y > 0; DCP has no rule for the product
    prove = prover({x: box(-3, 3), y: box(0, 3, lo_open=True)}, [], timeout=2.0)
    cert = certify(x**2/y, [x, y], CONVEX, prove)
    assert cert.certifies(CONVEX) and cert.method.startswith("second-order (principal minors")
    assert [w for w, _ in cert.steps] == ["principal minor [x]", "principal minor [y]",
                                          "principal minor [x, y]"]


def test_non_convex_is_unknown_after_both_methods():
    prove = prover({x: box(-1, 1)}, [], timeout=2.0)
    for want in (CONVEX, CONCAVE):
        cert = certify(x**3 - x, [x], want, prove)
        assert cert.curvature == UNKNOWN and "not proved" in cert.reason


def test_hypotheses_of_the_region_are_used():
    # 1/(1 - x - y) is convex where x + y < 1, not on the whole box
    inside = prover(WIDE, [Atom("<", x + y, ONE)], timeout=2.0)
    assert certify(1/(1 - x - y), [x, y], CONVEX, inside).certifies(CONVEX)
    assert not certify(1/(1 - x - y), [x, y], CONVEX, prover(WIDE, [], timeout=2.0)).certifies(CONVEX)


def test_smoothness_is_required_for_a_certificate():
    assert smoothness(sympy.Abs(x), [x]) is None
    prove = prover({x: box(-1, 1)}, [], timeout=2.0)
    assert certify(sympy.Abs(x), [x], CONVEX, prove).curvature == UNKNOWN
    # sqrt is concave on [0, 1] but not differentiable at 0: no certificate for KKT
    assert smoothness(sympy.sqrt(x), [x]) == [Atom(">", x, ZERO)]
    assert not certify(sympy.sqrt(x), [x], CONCAVE, prover({x: box(0, 1)}, [])).certifies(CONCAVE)
    assert certify(sympy.sqrt(x), [x], CONCAVE, prover({x: box(0, 1, lo_open=True)}, [])).certifies(CONCAVE)


def test_certificate_text_names_rules_and_conditions():
    cert = certify(1/(1 + x) + x**2, [x], CONVEX, prover({x: box(0, 3)}, []))
    lines = dict(cert.as_text())
    assert lines["curvature"] == "convex (DCP)"
    assert lines["side condition x + 1 > 0"] == "proved by exact interval arithmetic on the domains"
