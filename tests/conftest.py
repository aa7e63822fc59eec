"""Shared fixtures: a small theory to parse formulas against."""
from __future__ import annotations

import time

import pytest

import lawproof

AMDAHL_HEAD = '''
[paper]
id = "toy"
title = "Toy"

[symbols]
S = "[0, 1]"
R = "(1, oo)"
a = { domain = "[0, 1)", text = "allocation" }

[define]
"T(a)" = "S/(1 - a) + (1 - S)/(1 + a*(R - 1))"
S_c = "1 - 1/R"
'''


@pytest.fixture
def toy_text() -> str:
    return AMDAHL_HEAD


def claim_file(body: str, head: str = AMDAHL_HEAD) -> lawproof.ClaimFile:
    """Load a claim file made of the toy head and `body`."""
    return lawproof.loads(head + body, "toy.claims.toml")


# -- every SMT-LIB2 query lawproof produces in the suite is valid SMT-LIB 2.6 ------------

@pytest.fixture(scope="session", autouse=True)
def every_smt2_text_is_smtlib26(request):
    """Collects the SMT-LIB2 text of every query `decide` makes while the suite runs
    (each artifact a report writes is one of them) and, at the end, requires each to
    have no bare `and`/`or` symbol and to parse in cvc5; where cvc5 answers within
    its small time limit, the answer must be z3's. Texts are checked once each, in
    child processes, within a time budget (tests/smtlib_check.py)."""
    from lawproof.proofs import smt
    from smtlib_check import bare_connectives, replay_all

    answers: dict[str, set[str]] = {}

    def observe(out: smt.SmtOutcome) -> None:
        if out.smt2:
            z3_said = {"proved": "unsat", "refuted": "sat"}.get(out.status)
            answers.setdefault(out.smt2, set()).update([z3_said] if z3_said else [])

    smt.OBSERVERS.append(observe)
    yield
    smt.OBSERVERS.remove(observe)
    texts = list(answers)
    problems = [f"bare connective {bad!r} in:\n{text}" for text in texts
                for bad in bare_connectives(text)[:1]]
    try:
        import cvc5  # noqa: F401
    except ImportError:
        cvc5 = None
    answered, start = 0, time.perf_counter()
    if cvc5 is not None and texts:
        for text, replay in zip(texts, replay_all(texts)):
            answered += replay.answer in ("sat", "unsat")
            z3_said = answers[text]
            if replay.error is not None:
                problems.append(f"cvc5 rejects an SMT-LIB2 text ({replay.error}):\n{text}")
            elif replay.answer in ("sat", "unsat") and z3_said and z3_said != {replay.answer}:
                problems.append(f"cvc5 says {replay.answer}, z3 said {sorted(z3_said)}:\n{text}")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and texts:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"SMT-LIB2: {len(texts)} distinct texts checked"
                                + (f", {answered} answered by cvc5" if cvc5 is not None else
                                   " (cvc5 not installed: no replay)")
                                + f" in {time.perf_counter() - start:.1f} s")
    if problems:
        pytest.fail(f"{len(problems)} problems in the {len(texts)} SMT-LIB2 texts made in the suite (not valid "
                    "SMT-LIB 2.6, or the solvers disagree); the first:\n" + problems[0][:4000],
                    pytrace=False)


# The soundness corpus holds claims labelled by `expect`, some of them undecided or wrong
# on purpose until fixed; tests/test_soundness_corpus.py checks them, not the plugin.
collect_ignore_glob = ["soundness/*.claims.toml"]


@pytest.fixture(autouse=True)
def _no_alarm_outlives_its_test():
    """A net or alarm a test leaves armed (a tiny monkeypatched net can fire inside its
    own cleanup) must not disarm the next test's limits: disarm both after each test."""
    import signal
    if not hasattr(signal, "setitimer"):
        yield
        return
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGALRM, signal.SIGPROF)}
    yield
    for timer, sig in ((signal.ITIMER_REAL, signal.SIGALRM), (signal.ITIMER_PROF, signal.SIGPROF)):
        signal.setitimer(timer, 0)
        signal.signal(sig, handlers[sig])
