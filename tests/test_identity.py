"""Identities: the cheap SymPy steps first, then z3, then SymPy's costly `simplify` and
`factor` only where z3 did not decide the claim (symbolic/identity.py, engine `_decide`)."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

import lawproof
from lawproof.symbolic.identity import QUICK_STEPS, STEPS

from conftest import claim_file

HEAD = '[paper]\nid = "id"\n[symbols]\nx = "(0, oo)"\ny = "[0, 1]"\n'


def check(formula: str) -> lawproof.Result:
    return lawproof.check_file(claim_file(f'[[claim]]\nid = "c"\nformula = "{formula}"\n', HEAD)).results[0]


def steps_of(r: lawproof.Result) -> list[str]:
    return [name for name, _ in r.evidence.chain]


def test_quick_steps_are_the_first_steps():
    assert tuple(STEPS)[:len(QUICK_STEPS)] == QUICK_STEPS and len(STEPS) > len(QUICK_STEPS)


def test_z3_decides_before_the_costly_steps():
    # the cheap steps leave the radicals; z3 proves the claim, so simplify never runs
    r = check("y < 1 -> sqrt(1 - y)*sqrt(1 + y) = sqrt(1 - y^2)")
    assert r.verdict == "proved" and r.method == "SMT (z3)"
    assert steps_of(r) == ["difference", *QUICK_STEPS]


def test_a_false_identity_is_refuted_by_z3_with_an_exact_counterexample():
    r = check("sqrt(1 - y)*sqrt(1 + y) = sqrt(1 - y^2) + y/1000")
    assert r.verdict == "refuted" and "simplify" not in steps_of(r)
    y = sympy.Rational(Fraction(r.evidence.counterexample["y"]))
    assert sympy.sqrt(1 - y) * sympy.sqrt(1 + y) - sympy.sqrt(1 - y**2) - y / 1000 != 0


@pytest.mark.parametrize("formula", ["sin(x)^2 + cos(x)^2 = 1", "cosh(x)^2 - sinh(x)^2 = 1"])
def test_outside_z3_the_costly_steps_still_prove_it(formula):
    r = check(formula)
    assert r.verdict == "proved" and r.method == "symbolic identity", (r.verdict, r.method)
    assert steps_of(r)[-1] in set(STEPS) - set(QUICK_STEPS)
