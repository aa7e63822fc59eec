"""Symbolic exponents in log coordinates (proofs/powers.py): power-law claims proved and
refuted through the engine; what stays outside the method; a model that is only a
candidate."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

import lawproof
from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import Atom, Formula
from lawproof.numeric import exact_truth
from lawproof.proofs.powers import decide_powers

HEAD = '''
[paper]
id = "exponents"
title = "Exponents"

[symbols]
E     = "(0, oo)"
A     = "(0, oo)"
B     = "(0, oo)"
alpha = "(0, 1)"
beta  = "(0, 1)"
N     = "(0, oo)"
N2    = "(0, oo)"
D     = "(0, oo)"
D2    = "(0, oo)"
C     = "(0, oo)"
g     = "(-1, 1)"

[define]
"L(N, D)" = "E + A/N^alpha + B/D^beta"
"Lc(N)"   = "L(N, C/(6*N))"
N_opt     = "(alpha*A/(beta*B))^(1/(alpha + beta))*(C/6)^(beta/(alpha + beta))"
'''

POS = Domain(sympy.Integer(0), sympy.oo, True, True)
UNIT = Domain(sympy.Integer(0), sympy.Integer(1), True, True)
A, B, N, D = (sympy.Symbol(s, real=True) for s in "ABND")
alpha, beta = sympy.Symbol("alpha", real=True), sympy.Symbol("beta", real=True)
DOMAINS = {A: POS, B: POS, N: POS, D: POS, alpha: UNIT, beta: UNIT}


def result(formula: str) -> lawproof.Result:
    cf = lawproof.loads(HEAD + f'[[claim]]\nid = "c"\nformula = "{formula}"\n', "exponents.claims.toml")
    return lawproof.check_claim(cf.claims[0], cf.theory)


LOG_COORDINATES = "log coordinates + power atoms + SMT (z3)"


@pytest.mark.parametrize("formula, method", [
    ("N <= N2 and D <= D2 -> L(N2, D2) <= L(N, D)", LOG_COORDINATES),
    ("diff(Lc(N), N) < 0 <-> alpha*A/N^alpha > beta*B/(C/(6*N))^beta", LOG_COORDINATES),
    ("N < N_opt -> diff(Lc(N), N) < 0", LOG_COORDINATES),
    # N and D occur only as N^alpha and D^beta: y = D^beta, y2 = N^alpha make it
    # polynomial (symbolic/reductions.powers), before log coordinates are asked
    ("A/N^alpha > B/D^beta <-> A*D^beta > B*N^alpha", "reduction (power substitution) + SMT (z3)"),
    ("exp(g) >= 1 + g", LOG_COORDINATES),
])
def test_power_law_claims_proved_in_log_coordinates(formula: str, method: str) -> None:
    r = result(formula)
    assert (r.verdict, r.method) == ("proved", method)


@pytest.mark.parametrize("formula", [
    "N < N2 -> L(N2, D) > L(N, D)",
    "N < N2 -> N^g < N2^g",
    "alpha < beta -> N^alpha < N^beta",
])
def test_false_mutants_refuted_with_exact_counterexamples(formula: str) -> None:
    r = result(formula)
    assert r.verdict == "refuted"
    point = {s: Fraction(v) for s, v in r.evidence.counterexample.items()}
    env = {s: point[s.name] for e in _exprs(r.normalized_tree) for s in e.free_symbols}
    assert exact_truth(r.normalized_tree, env) is False


def _exprs(f: Formula):
    for node in f.walk():
        yield from node.exprs()


def test_a_power_of_a_base_not_provably_positive_is_outside() -> None:
    x = sympy.Symbol("x", real=True)
    claim = Atom(">=", x ** alpha, sympy.Integer(0))
    with pytest.raises(OutsideFragment):
        decide_powers(claim, {x: Domain(sympy.Integer(-1), sympy.Integer(1)), alpha: UNIT})


@pytest.mark.parametrize("term", [N ** (1 / (alpha - beta)), sympy.exp(1 / (alpha - beta)),
                                  N ** sympy.sqrt(alpha - beta)])
def test_an_exponent_undefined_somewhere_is_outside(term: sympy.Expr) -> None:
    # the power's variable would be positive even where the exponent is undefined (and
    # the comparison false): `term > 0` is false at alpha = beta, never proved here
    with pytest.raises(OutsideFragment):
        decide_powers(Atom(">", term, sympy.Integer(0)), DOMAINS)


def test_a_refuting_model_is_only_a_candidate() -> None:
    # (1 + N)^alpha <= 1 + alpha*N (Bernoulli) holds, but the abstraction forgets the
    # concavity it needs: z3's model is no counterexample, as the exact re-check shows
    bernoulli = Atom("<=", (1 + N) ** alpha, 1 + alpha * N)
    out = decide_powers(bernoulli, DOMAINS)
    assert out.outcome.status == "refuted"
    assert exact_truth(bernoulli, out.candidate) is True
