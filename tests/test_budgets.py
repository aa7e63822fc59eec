"""Budgets, not clocks (docs/budgets.md): verdicts and artifacts count work, and a
safety net that fires leaves the claim unknown, saying so."""
from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import lawproof
from lawproof.cache import ResultCache
from lawproof.language import timeout as budget

ROOT = Path(__file__).resolve().parent.parent

IDENTITY = '''[paper]
id = "b"
[symbols]
x = "(0, oo)"
[[claim]]
id = "square"
formula = "(x + 1)^2 = x^2 + 2*x + 1"
'''

#: (x + 1)^40 expanded: enough SymPy work for a tick of the CPU timer even in a warm process
POWER_40 = " + ".join(f"{math.comb(40, k)}*x^{k}" for k in range(41))


def test_timeout_seconds_map_to_a_z3_resource_budget():
    assert budget.rlimit_for(5.0) == 5 * budget.RLIMIT_PER_SECOND
    assert budget.safety_seconds(5.0) == budget.SAFETY_FACTOR * 5.0 >= 10 * 5.0
    assert budget.safety_seconds(0.3) == budget.SAFETY_FACTOR * 0.3
    assert budget.wall_safety_seconds(0.3) == budget.SAFETY_FLOOR >= 8


def _spin(cpu_seconds: float) -> None:
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass


def test_the_safety_net_is_far_above_the_budget_and_records_when_it_fires():
    with budget.watching() as fired:
        with budget.time_limit(0.01, "a quick step"):
            _spin(0.02)  # past the budget's seconds, well within the net
        assert fired == []
        with pytest.raises(budget.SafetyNetHit, match="safety net"):
            with budget.time_limit(0.001, "a runaway step"):
                _spin(1)
    assert len(fired) == 1 and "a runaway step" in fired[0]


def test_the_safety_net_counts_cpu_time_not_waiting():
    # a process that waits (another process has the cores) spends no CPU time: the net,
    # 10 x 0.01 s, does not fire during a 0.3 s sleep
    with budget.watching() as fired:
        with budget.time_limit(0.01, "a waiting step"):
            time.sleep(0.3)
    assert fired == []


def test_a_nested_limit_keeps_the_outer_net_armed():
    import signal
    with budget.time_limit(100.0, "outer"):
        with budget.time_limit(0.5, "inner"):
            pass
        left, _ = signal.getitimer(signal.ITIMER_PROF)
        assert 900 < left <= 1000.1  # the CPU timer rounds up to its tick
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0


def test_a_claim_whose_safety_net_fires_is_unknown_and_says_so(monkeypatch):
    monkeypatch.setattr(budget, "SAFETY_FACTOR", 1e-6)
    # enough SymPy work for the kernel's CPU timer, which counts in ticks, to fire
    text = IDENTITY.replace('"(x + 1)^2 = x^2 + 2*x + 1"', f'"(x + 1)^40 = {POWER_40}"')
    r = lawproof.check_file(lawproof.loads(text, "b.toml")).results[0]
    assert r.verdict == "unknown"
    assert r.method.startswith("stopped by a safety net")
    assert "safety net" in r.message
    assert any(t.startswith("safety net: ") for t in r.evidence.tried)
    assert r.evidence.artifact == "" and r.evidence.counterexample == {}
    monkeypatch.undo()
    again = lawproof.check_file(lawproof.loads(IDENTITY, "b.toml")).results[0]
    assert again.verdict == "proved"
    assert not any("safety net" in t for t in again.evidence.tried)


def test_the_claims_limit_clips_every_net_and_names_what_ran():
    limit = budget.ClaimLimit(0.05)
    with budget.watching() as fired:
        with pytest.raises(budget.SafetyNetHit, match="the claim's limit of 0.05 CPU seconds ran out during "
                                                        "a long step"):
            with limit.active():
                assert budget.net(100.0, "a z3 query").at == limit.end  # not 1000 s later
                with budget.time_limit(100.0, "a long step"):
                    _spin(2)
        # once it has run out, the rest of the claim's work is stopped soon
        with pytest.raises(budget.SafetyNetHit):
            with limit.active("report-only evidence"):
                _spin(1)
    assert fired == ["the claim's limit of 0.05 CPU seconds ran out during a long step",
                     "the claim's limit of 0.05 CPU seconds ran out during report-only evidence"]
    assert budget.net(1.0, "a z3 query").left() > 9  # outside a claim: its own net


def test_a_claim_past_its_limit_is_unknown_and_says_so():
    text = IDENTITY.replace('"(x + 1)^2 = x^2 + 2*x + 1"', f'"(x + 1)^40 = {POWER_40}"').replace(
        "[[claim]]", "[[claim]]\ntimeout = 0.001")
    r = lawproof.check_file(lawproof.loads(text, "b.toml")).results[0]
    assert r.verdict == "unknown"
    assert r.method == "stopped at its limit of 0.001 CPU seconds"
    assert r.message.startswith("the claim's limit of 0.001 CPU seconds ran out before a method decided it")
    # what ran when the limit struck depends on the machine: the evidence does not say
    assert r.evidence.tried == ["the claim's limit of 0.001 CPU seconds ran out"]


def test_report_only_evidence_past_the_limit_is_left_out_and_the_verdict_stands(monkeypatch, tmp_path):
    from lawproof import engine
    text = IDENTITY.replace('"(x + 1)^2 = x^2 + 2*x + 1"', '"minimized_at(x^2 - 2*x, x, 1)"').replace(
        "[[claim]]", "[[claim]]\ntimeout = 0.2")
    full = lawproof.check_file(lawproof.loads(text, "b.toml")).results[0]
    assert full.verdict == "proved" and full.evidence.closed_forms

    def slow(claim, theory):
        _spin(5)
        return []
    monkeypatch.setattr(engine, "_derivations", slow)
    store = ResultCache(tmp_path)
    start = time.process_time()
    r = lawproof.check_file(lawproof.loads(text, "b.toml"), cache=store).results[0]
    assert time.process_time() - start < 1.2
    assert (r.verdict, r.method, r.evidence.artifact) == (full.verdict, full.method, full.evidence.artifact)
    assert r.evidence.closed_forms == []  # the KKT certificate's lines stay: they are the proof's
    assert r.evidence.derivation == full.evidence.derivation[len(full.evidence.closed_forms):]
    assert r.evidence.tried[-1] == ("report-only evidence (closed forms, derived region) left out: the claim's "
                                    "limit of 0.2 CPU seconds ran out during report-only evidence (closed "
                                    "forms, derived region)")
    cf = lawproof.loads(text, "b.toml")
    assert engine.cached(cf.claims[0], cf.theory, store) is None  # machine-dependent: not kept


def test_a_z3_budget_gives_unknown_whatever_the_clock(monkeypatch):
    """With a tiny rlimit and the safety net ten times the claim's timeout, z3 stops on
    its count: the detail names the budget, not a time."""
    from lawproof.proofs import decide
    from lawproof.symbolic import normalize
    text = IDENTITY.replace('"(x + 1)^2 = x^2 + 2*x + 1"', '"x^3 - 3*x + 3 > 0"')
    cf = lawproof.loads(text, "b.toml")
    domains = {s.symbol: s.domain for s in cf.theory.symbols.values()}
    out = decide(normalize(cf.claims[0], cf.theory), domains, rlimit=10)
    assert out.status == "unknown" and "budget of 10 resource units ran out" in out.detail
    assert decide(normalize(cf.claims[0], cf.theory), domains).status == "proved"


def _burn() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


@pytest.mark.skipif(sys.platform != "linux", reason="the load test runs on Linux CI")
def test_bundled_reports_are_byte_identical_beside_two_busy_processes(tmp_path):
    """The bundled check, run while two CPU-burning processes compete for the cores,
    regenerates reports/ byte for byte (`lawproof report --check`)."""
    burners = [_burn() for _ in range(2)]
    try:
        done = subprocess.run([sys.executable, "-m", "lawproof.cli", "report", "--check"], cwd=ROOT,
                              capture_output=True, text=True, timeout=900,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
    finally:
        for p in burners:
            p.kill()
            p.wait()
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "reports/ is up to date" in done.stdout


def _check_output(jobs: int, *papers: str) -> str:
    import re
    done = subprocess.run([sys.executable, "-m", "lawproof.cli", "check", "--jobs", str(jobs),
                           *(str(ROOT / "papers" / p) for p in papers)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return re.sub(r" +[0-9.]+s$", "", done.stdout, flags=re.M)  # the time column


def test_jobs_2_prints_what_jobs_1_prints_in_the_same_order():
    papers = ("serial_scaling.claims.toml", "scaling_anchors.claims.toml")
    serial = _check_output(1, *papers)
    assert serial.count("\n") > 40
    assert _check_output(2, *papers) == serial


def test_check_files_in_parallel_gives_the_serial_results():
    from lawproof.engine import check_files
    from lawproof.report.model import tried

    def dicts(jobs: int) -> list[dict]:
        out = []
        for _, fr in check_files([ROOT / "papers" / "serial_scaling.claims.toml"], jobs=jobs):
            for r in fr.results:
                d = r.to_dict()
                d.pop("seconds", None)
                d["evidence"]["tried"] = tried(r)  # without timings, as reports show it
                out.append(d)
        return out

    assert dicts(1) == dicts(2)


def test_the_local_pool_parses_each_file_s_current_text(tmp_path):
    # the local pool's workers get the files the parent parsed (keyed by their text's
    # digest): a file edited between two runs is parsed again, and the parent keeps none
    from lawproof import engine
    path = tmp_path / "edited.claims.toml"
    head = '[paper]\nid = "edited"\n[symbols]\nx = "(0, 1)"\n'
    before = dict(engine._WORKER_FILES)
    verdicts = []
    for formula in ("x < 1", "x > 1", "x < 1"):
        path.write_text(head + f'[[claim]]\nid = "c"\nformula = "{formula}"\n[[claim]]\nid = "d"\nformula = "x > 0"\n')
        (_, fr), = engine.check_files([path], jobs=2)
        verdicts.append([r.verdict for r in fr.results])
    assert verdicts == [["proved", "proved"], ["refuted", "proved"], ["proved", "proved"]]
    assert engine._WORKER_FILES == before


def test_claims_sharing_a_derived_definition_form_one_task():
    # each process derives a definition once: claims that use one (directly or through
    # another definition) go to the same worker; the others are tasks of their own
    from lawproof.engine import _claim_groups
    from lawproof.language import loader
    cf = loader.loads('''
[paper]
id = "groups"
[symbols]
x = "(0, oo)"
a = "(0, 1)"
[define]
r = "solve(x^2 = a, x)"
twice = "2*r"
m = "argmin(x + a/x, x)"
[[claim]]
id = "plain"
formula = "a <= 1"
[[claim]]
id = "root"
formula = "r > 0"
[[claim]]
id = "opt"
formula = "m > 0"
[[claim]]
id = "through"
formula = "twice > 0"
[[claim]]
id = "both"
formula = "twice + m > 0"
''', "groups.claims.toml")
    assert _claim_groups(cf, [0, 1, 2, 3]) == [(1, 3), (2,), (0,)]
    assert _claim_groups(cf, [0, 1, 2, 3, 4]) == [(1, 2, 3, 4), (0,)]
    assert _claim_groups(cf, [0, 2]) == [(2,), (0,)]


def test_the_limit_never_raises_inside_a_finalizer_or_an_exception_report():
    """A SIGPROF raise under a finalizer, a gc callback or while a traceback is formatted
    would be handed to sys.unraisablehook (or break that report): the signal waits."""
    import types

    from lawproof.language.timeout import _unsafe_to_raise

    def inner():
        return sys._getframe()

    def __del__():
        return inner()

    def gc_callback():
        return inner()

    assert not _unsafe_to_raise(inner())
    assert _unsafe_to_raise(__del__())
    assert _unsafe_to_raise(gc_callback())
    # the same code run as a function of the linecache module (formatting a report)
    in_linecache = types.FunctionType(inner.__code__, {"__name__": "linecache", "sys": sys})
    assert _unsafe_to_raise(in_linecache())
