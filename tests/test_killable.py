"""Calls run in the worker process (lawproof.language.killable): their results and
exceptions come back, the worker is killed at the net even where the call never looks
at one (z3 deaf to interrupts), is replaced afterwards, and its CPU seconds count on
this process's clock (`timeout.cpu`)."""
from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest
import z3

from lawproof.language.errors import OutsideFragment
from lawproof.language.killable import in_child
from lawproof.language.timeout import ClaimLimit, SafetyNetHit, cpu, interrupting, net, watching

#: What a kill may take beyond the net: the kernel's signal, the worker's end, the answer.
SLACK = 0.5


def _burn_forever() -> None:
    while True:
        pass


def _burn(seconds: float) -> float:
    end = cpu() + seconds
    while cpu() < end:
        pass
    return seconds


def _outside() -> None:
    raise OutsideFragment("z3 cannot take exp")


def _pid() -> int:
    return os.getpid()


def _deaf_step(interrupt_after: float) -> str:
    """The shrinking step z3 5.4 ignored ~150 interrupts in (tests/data), interrupted by
    the watchdog once `interrupt_after` CPU seconds have passed."""
    base, step = (Path(__file__).parent / "data" / "deaf_shrink_step.smt2").read_text().split("(push)")
    # a context of its own: in the worker's default context, which the worker inherits
    # from a long test session, z3 sometimes finishes the step within the limit
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.add(*z3.parse_smt2_string(base.replace("(check-sat)", ""), ctx=ctx))
    solver.check()
    solver.push()
    solver.add(*z3.parse_smt2_string(step.replace("(check-sat)", ""), decls={"Fn_2": z3.Real("Fn_2", ctx)}, ctx=ctx))
    with interrupting(solver.ctx.interrupt, interrupt_after / 10, "a deaf step"):
        return str(solver.check())


def test_the_result_comes_back_from_one_worker():
    point = [(Fraction(1, 3), True), (Fraction(-7), False)]
    assert in_child(list, (point,), net(1, "a step")) == point
    assert in_child(_pid, (), net(1, "a step")) == in_child(_pid, (), net(1, "a step")) != os.getpid()


def test_an_exception_of_the_call_is_raised_here():
    with pytest.raises(OutsideFragment, match="cannot take exp"):
        in_child(_outside, (), net(1, "a step"))


def test_the_worker_is_killed_at_its_net_its_cpu_charged_and_replaced():
    before = in_child(_pid, (), net(1, "a step"))
    start = cpu()
    with watching() as fired, pytest.raises(SafetyNetHit):
        in_child(_burn_forever, (), net(0.02, "a busy loop"))  # the net: 10 x 0.02 s
    assert 0.2 - 0.05 <= cpu() - start <= 0.2 + SLACK  # the worker's seconds, on this clock
    assert fired == ["a busy loop ran past the safety net of 0.2 CPU seconds (10 x its budget of 0.02 s)"]
    assert in_child(_pid, (), net(1, "a step")) != before


def test_a_workers_cpu_counts_against_the_claims_limit():
    # half the limit spent in the worker, then Python work here: stopped at the limit
    start = cpu()
    with pytest.raises(SafetyNetHit), ClaimLimit(0.4).active("a test"):
        assert in_child(_burn, (0.2,), net(100, "half")) == 0.2
        _burn_forever()
    assert 0.4 - 0.05 <= cpu() - start <= 0.4 + SLACK  # (CPU timers tick at a few ms)


def test_z3_deaf_to_interrupts_is_killed_at_the_claims_limit():
    # in this process the watchdog's interrupts at 0.3 s go unheard for a second or more
    start = cpu()
    with watching() as fired, pytest.raises(SafetyNetHit), ClaimLimit(0.3).active("a test"):
        in_child(_deaf_step, (0.3,), net(100, "a deaf step"))
    assert cpu() - start <= 0.3 + SLACK
    assert fired == ["the claim's limit of 0.3 CPU seconds ran out during a test"]
