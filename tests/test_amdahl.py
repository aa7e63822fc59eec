"""Every claim of the bundled Amdahl pack gets the verdict its file expects, by a
sound method, and every counterexample re-checks independently of lawproof."""
from __future__ import annotations

from fractions import Fraction

import pytest

import lawproof

PACK = [p for p in lawproof.bundled_papers() if p.name == "amdahl_modernized.claims.toml"][0]


@pytest.fixture(scope="module")
def results() -> dict[str, lawproof.Result]:
    fr = lawproof.check_file(PACK)
    assert not fr.errors
    return {r.claim: r for r in fr.results}


def test_every_claim_matches_its_expectation_by_a_sound_method(results):
    assert len(results) >= 19
    for r in results.values():
        assert r.matches_expect is True, (r.claim, r.verdict, r.message)
        if r.verdict == "proved":
            assert r.method.startswith(("SMT", "symbolic identity", "symbolic normalization")), r.claim
            assert "(check-sat)" in r.evidence.artifact or r.evidence.chain
        assert r.verdict in ("proved", "refuted"), r.claim  # none merely consistent here


def T(S, R, a):
    return S / (1 - a) + (1 - S) / (1 + a * (R - 1))


def values(r: lawproof.Result) -> dict[str, Fraction]:
    return {k: Fraction(v) for k, v in r.evidence.counterexample.items()}


def test_growing_R_counterexample_rechecks_in_plain_fractions(results):
    r = results["referee-growing-R"]
    v = values(r)
    assert set(v) == {"R0", "S", "g", "a_w"} and r.evidence.witnesses == ["a_w"]
    R0, S, g, a = v["R0"], v["S"], v["g"], v["a_w"]
    assert R0 > 1 and g > 0 and 0 <= S <= 1 and 0 <= a < 1
    assert S >= 1 - 1 / R0                      # the premise holds ...
    assert T(S, R0 * (1 + g * a), a) < T(S, R0, 0)  # ... yet a > 0 beats a = 0
    assert max(x.denominator for x in v.values()) <= 12  # shrunk to small rationals


def test_mutant_without_positive_S_fails_at_S_zero(results):
    v = values(results["interior-optimum-at-zero-S"])
    assert v["S"] == 0 and v["R"] > 1


def test_v1_claim_refuted_with_exact_instances(results):
    r = results["v1-any-efficiency-advantage"]
    assert r.verdict == "refuted" and len(r.evidence.instances) >= 2
    for inst in r.evidence.instances:
        sstar = Fraction(inst["for"]["Sstar"])
        cx = {k: Fraction(x) for k, x in inst["counterexample"].items()}
        R, S, a = cx["R_w"], cx["S_w"], cx["a_w"]
        assert R > 1 and sstar <= S <= 1 and 0 <= a < 1
        assert T(S, R, a) < T(S, R, 0)


def test_derivation_of_the_threshold_is_computed(results):
    import sympy
    S, R = sympy.Symbol("S", real=True), sympy.Symbol("R", real=True)
    steps = dict(results["collapse-threshold"].evidence.derivation)
    referee = sympy.factor(S - (1 - S) * (R - 1))   # the referee's slope, computed here
    assert steps["slope at a = 0"] == sympy.sstr(referee)
    assert steps["threshold: slope = 0 at S"] in ("(R - 1)/R", "1 - 1/R")


def test_smt_artifact_replays_with_z3(results):
    import z3
    r = results["collapse-threshold"]
    solver = z3.Solver()
    solver.from_string(r.evidence.artifact)
    assert solver.check() == z3.unsat
