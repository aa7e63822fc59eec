"""Run a call in a forked child process that its CPU net can kill (issue 16).

z3 stops at an interrupt only where it polls for one, and some of its C code does not:
in an incremental query (a step of shrinking a counterexample) its nonlinear bound
propagation can take integer roots of rationals that have grown to thousands of digits
and ignore the watchdog's interrupts for seconds. A child process can be stopped
anywhere: it is given the net's CPU seconds (SIGPROF, whose default action ends the
process, and RLIMIT_CPU behind it), the watchdog still interrupts its z3 queries at the
net first (so that they end as `unknown` where z3 listens), and its CPU seconds are
counted on this process's clock (`timeout.charge`), so the claim's limit covers them.

The child is a fork: it shares everything the call needs without sending it, and only
its result comes back (pickled). Where there is no fork (Windows) the call runs in this
process, under the watchdog only.
"""
from __future__ import annotations

import math
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from .timeout import Net, SafetyNetHit, bookkeeping, charge, record, wall_safety_seconds, watching

bookkeeping(__file__)

T = TypeVar("T")

#: CPU seconds the child may run past its net before the kernel ends it: the
#: watchdog's interrupt at the net comes first, and a z3 query that listens to it
#: ends as `unknown` within this.
GRACE = 0.1


def in_child(call: Callable[[], T], guard: Net) -> T:
    """`call()`, computed in a forked child that is killed once the CPU clock passes
    `guard` (plus `GRACE`). What the child's nets and the claim's limit cut short is
    recorded here as well; an exception of `call` is raised here. When the child is
    killed, the net's firing is recorded and SafetyNetHit raised: nothing it did counts.
    The result must be picklable (plain values: Fractions, strings, lists)."""
    if guard.left() <= 0:
        raise SafetyNetHit(guard.fired())
    if not hasattr(os, "fork"):
        return call()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(call, guard, write)
    os.close(write)
    data = None
    try:
        data = _read(read, time.monotonic() + wall_safety_seconds(guard.left() + GRACE))
    finally:
        os.close(read)
        if data is None:
            # only a child that stopped using CPU without ending gets here
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
        charge(usage.ru_utime + usage.ru_stime)
    if not data or os.WIFSIGNALED(status):
        raise SafetyNetHit(guard.fired())
    ok, value, fired = pickle.loads(data)
    for what in fired:
        record(what)
    if not ok:
        raise value
    return value


def _child(call: Callable[[], T], guard: Net, write: int) -> None:
    """The child's side: run `call` and send back (ok, result or exception, what fired);
    never returns (os._exit: no cleanup of the parent's state runs twice)."""
    try:
        signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the kernel ends the child
        seconds = max(guard.left() + GRACE, 1e-3)
        signal.setitimer(signal.ITIMER_PROF, seconds)
        hard = math.ceil(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard + 1))
        with watching(isolated=True) as fired:
            try:
                answer = (True, call(), fired)
            except Exception as e:  # noqa: BLE001 - raised again in the parent
                answer = (False, e, fired)
        try:
            data = pickle.dumps(answer)
        except Exception as e:  # noqa: BLE001 - an exception that cannot be pickled
            data = pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}"), list(fired)))
        with os.fdopen(write, "wb") as out:
            out.write(data)
    finally:
        os._exit(0)


def _read(fd: int, until: float) -> bytes | None:
    """Everything the child writes to `fd` until it ends (empty when it was killed), or
    None when the wall clock (`time.monotonic()`) passes `until` first."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
