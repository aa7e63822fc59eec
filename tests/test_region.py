"""Regions by quantifier elimination: derived by QEPCAD B, trusted only once z3 proves
them equivalent to the claim, compared with the paper's condition."""
from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

import lawproof
from lawproof import cli, regions
from lawproof.language.errors import BackendTimeout, BackendUnavailable, ClaimInputError
from lawproof.language.formula import Atom, Quantified
from lawproof.numeric import exact_truth
from lawproof.proofs import region as qe
from lawproof.proofs.region import QeFailed, answer_text, read_answer

from conftest import claim_file

PACK = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"
needs_qepcad = pytest.mark.skipif(qe.find_qepcad() is None,
                                  reason="QEPCAD B is not installed (pip install 'lawproof[qe]')")

QUADRATIC = '''
[paper]
id = "quadratic"

[symbols]
a = "(0, oo)"
b = "(-oo, oo)"
c = "(-oo, oo)"
x = "(-oo, oo)"
t = "(-oo, oo)"

[[claim]]
id = "real-root"
formula = "exists x: a*x^2 + b*x + c = 0"
region = { params = "a, b, c", stated = "b^2 - 4*a*c >= 0" }

[[claim]]
id = "root-of-sqrt"
formula = "exists x in [0, oo): sqrt(x) = t - 1"
'''


class Transcript:
    """A stand-in for QEPCAD B that answers with a fixed formula."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.scripts: list[str] = []

    def run(self, script: str, timeout: float) -> str:
        self.scripts.append(script)
        return f"Before Normalization >\nfinish\n\n{qe._ANSWER_HEAD}\n\n{self.answer}\n\n=====  The End  =====\n"


class Silent:
    def run(self, script: str, timeout: float) -> str:
        raise BackendTimeout(f"QEPCAD B gave no answer within {timeout:g} s")


def _values(point: dict[str, str], theory: lawproof.Theory) -> dict[sympy.Symbol, Fraction]:
    return {theory.symbols[k].symbol: Fraction(v) for k, v in point.items()}


@needs_qepcad
def test_quadratic_has_a_real_root_exactly_when_the_discriminant_is_nonnegative():
    r = regions.derive(lawproof.loads(QUADRATIC, "q.toml"), "real-root")
    assert r.status == "derived" and r.eliminated == ["x"]
    assert r.relation == "same" and not r.witnesses
    assert any("z3 re-proof of (region <-> claim): proved" in t for t in r.tried)


@needs_qepcad
def test_a_root_is_purified_before_elimination():
    r = regions.derive(lawproof.loads(QUADRATIC, "q.toml"), "root-of-sqrt", ["t"], stated="t >= 1")
    assert r.status == "derived" and r.relation == "same"
    assert "aux" in r.qepcad_input  # sqrt(x) became an auxiliary variable with its constraints


@needs_qepcad
def test_amdahl_threshold_is_derived_and_equals_the_papers():
    r = regions.derive(PACK, "collapse-threshold-derived")
    assert r.status == "derived" and r.params == ["S", "R"] and r.eliminated == ["a"]
    assert r.relation == "same"
    # QEPCAD's region is the polynomial form of the threshold; z3 proves them the same
    same = regions.derive(PACK, "collapse-threshold-derived", stated="R*S - R + 1 >= 0")
    assert same.relation == "same"
    solved = {x: text for x, text, _ in r.solved}
    assert set(solved) == {"S", "R"}
    mutant = regions.derive(PACK, "collapse-threshold-derived", stated=f"S >= {solved['S']}")
    assert mutant.relation == "same"


@needs_qepcad
def test_the_report_shows_the_derived_region_beside_the_papers():
    r = lawproof.check_file(PACK, only=["collapse-threshold-derived"]).results[0]
    lines = dict(r.evidence.derivation)
    assert r.verdict == "proved"
    assert lines["derived region vs paper's condition"].startswith(
        "same: derived region = paper's condition (proved equivalent)")
    assert lines["paper's condition"] == "S >= S_c, i.e. S >= 1 - 1/R"


@needs_qepcad
def test_a_stronger_stated_condition_comes_with_an_exact_witness():
    r = regions.derive(PACK, "collapse-threshold-derived", stated="S >= 1 - 1/R^2")
    assert r.relation == "stronger" and len(r.witnesses) == 1
    w = r.witnesses[0]
    assert w.inside == "derived region" and w.claim_holds is True
    theory = lawproof.load(PACK).theory
    S, R = theory.symbols["S"].symbol, theory.symbols["R"].symbol
    assert exact_truth(Atom(">=", S, 1 - 1 / R ** 2), _values(w.point, theory)) is False


@needs_qepcad
def test_a_weaker_stated_condition_under_a_growing_ratio():
    r = regions.derive(PACK, "referee-quadratic-R")
    assert r.status == "derived" and r.relation == "weaker"
    w = r.witnesses[0]
    assert w.inside == "paper's condition" and w.claim_holds is False


@needs_qepcad
def test_critical_ratio_from_the_command_line(capsys):
    assert cli.main(["region", str(PACK), "critical-ratio-derived", "--json"]) == cli.EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["status"] == "derived" and doc["context"] == "S < 1" and doc["relation"] == "same"
    assert [x for x, _, _ in doc["solved"]] == ["R", "S"]


def test_a_wrong_region_is_rejected_by_z3():
    wrong = Transcript("S R - R >= 0")
    r = regions.derive(PACK, "collapse-threshold-derived", backend=wrong)
    assert r.status == "error" and "disagrees with the claim" in r.message
    assert wrong.scripts and "(A a)" in wrong.scripts[0]
    right = regions.derive(PACK, "collapse-threshold-derived", backend=Transcript("S R - R + 1 >= 0"))
    assert right.status == "derived" and right.relation == "same"


def test_time_limit_gives_unknown_with_what_was_tried():
    r = regions.derive(PACK, "collapse-threshold-derived", backend=Silent(), timeout=0.5)
    assert r.status == "unknown" and not r.region
    # QEPCAD's CPU time is limited only by a safety net, ten times the budget's seconds
    # (docs/budgets.md): at most 5 CPU seconds
    limit = float(re.search(r"no answer within ([0-9.]+) s, a safety net", r.tried[0]).group(1))
    assert 4.5 < limit <= 5 and "parameters S, R" in r.tried[0]
    assert r.evidence()[0][1].startswith("not derived (unknown)")


def test_without_qepcad_the_command_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setattr(qe, "find_qepcad", lambda: None)
    with pytest.raises(BackendUnavailable, match="pip install 'lawproof\\[qe\\]'"):
        regions.derive(PACK, "collapse-threshold-derived")
    assert cli.main(["region", str(PACK), "collapse-threshold-derived"]) == cli.EXIT_INPUT
    assert "pip install 'lawproof[qe]'" in capsys.readouterr().err


def test_what_is_not_polynomial_is_refused():
    cf = claim_file('[[claim]]\nid = "e"\nformula = "forall a: exp(a) >= S"\n')
    with pytest.raises(ClaimInputError, match="exp"):
        regions.derive(cf, "e", ["S"], backend=Transcript("TRUE"))


DEPENDENT = '''
[paper]
id = "dependent"

[symbols]
p = "[0, 1]"
q = "[0, p]"
z = "[0, 2]"

[[claim]]
id = "q"
formula = "q <= 1/2"

[[claim]]
id = "z"
formula = "q <= 1/2 + z/4"
'''


def test_a_parameter_whose_domain_mentions_another_symbol_needs_it_too():
    # a region in q alone, for q in [0, p], would change meaning with p (was a KeyError)
    cf = lawproof.loads(DEPENDENT, "d.toml")
    with pytest.raises(ClaimInputError, match="domain of the parameter q mentions p"):
        regions.derive(cf, "q", ["q"], backend=Transcript("TRUE"))
    # by default the parameters are the symbols the claim reaches, p with q
    assert regions.derive(cf, "q", backend=Transcript("TRUE")).params == ["p", "q"]


@needs_qepcad
def test_symbols_a_claim_reaches_through_domains_are_eliminated_too():
    # p is in no formula, only in q's domain: for every p in [0, 1] and q in [0, p]
    r = regions.derive(lawproof.loads(DEPENDENT, "d.toml"), "z", ["z"], stated="z = 2")
    assert r.status == "derived" and r.eliminated == ["p", "q"] and r.relation == "same"


def test_region_key_errors_are_located():
    cf = claim_file('[[claim]]\nid = "r"\nformula = "S >= 0"\nregion = { params = "S, Q" }\n')
    err = cf.claims[0].error
    assert err is not None and "'Q' in region params" in str(err) and err.line is not None


def test_prenex_form_gives_each_quantifier_its_own_variable():
    cf = lawproof.load(PACK)
    claim = cf.claim("collapse-threshold")  # the iff mentions the quantified a on both sides
    domains = {s.symbol: s.domain for s in cf.theory.symbols.values()}
    problem = qe.to_problem(lawproof.symbolic.normalize(claim, cf.theory), domains,
                            [cf.theory.symbols["S"].symbol, cf.theory.symbols["R"].symbol])
    bound = problem.bound
    assert len(bound) == len(set(bound)) == 2
    assert [k for k, _ in problem.prefix] == ["forall", "exists"]
    assert not any(isinstance(f, Quantified) for f in problem.matrix.walk())


def test_qepcad_answers_are_read_by_the_grammar():
    cf = lawproof.loads(QUADRATIC, "q.toml")
    b, c = cf.theory.symbols["b"].symbol, cf.theory.symbols["c"].symbol
    problem = qe.QeProblem([b, c], [], Atom(">", b, sympy.Integer(0)), Atom(">", b, sympy.Integer(0)),
                           {b: "b", c: "c"})
    f = read_answer("4 c - b^2 <= 0 /\\ [ b < 0 \\/ ~ c (b + 1) = 0 ]", problem)
    point = {b: Fraction(-3), c: Fraction(2)}
    assert exact_truth(f, point) is True  # 8 - 9 <= 0 and b < 0
    assert exact_truth(f, {b: Fraction(3), c: Fraction(0)}) is False  # c (b + 1) = 0 there
    assert exact_truth(f, {b: Fraction(3), c: Fraction(3)}) is False  # 12 - 9 > 0
    with pytest.raises(QeFailed, match="not a parameter"):
        read_answer("x > 0", problem)
    with pytest.raises(QeFailed, match="extended language"):
        read_answer("b = _root_1 c", problem)
    with pytest.raises(QeFailed, match="RLOPRDR"):
        answer_text("Enter a prenex formula:\nError RLOPRDR: A relational operator was expected.\n")
