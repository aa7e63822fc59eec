"""Budgets, not clocks: the limits that can change a verdict or an artifact count work.

A claim's `timeout` (seconds, default 5) is turned into work budgets by fixed rules
(docs/budgets.md):

- z3: a resource limit (`rlimit`, z3's own deterministic count of work) of
  `RLIMIT_PER_SECOND` units per second of the claim's timeout, per query;
- the interval prover: a box count (`engine.INTERVAL_BOXES`), independent of the timeout;
- sampling: a fixed number of points and fixed precisions;
- SymPy, which has no step counter: nothing but the size of its input.

On top of every budget sits a *safety net*, `SAFETY_FACTOR` times the seconds the
budget stands for, so that a runaway computation still ends. Nets on Python work
(SymPy, the interval prover, searches) count the process's CPU seconds, which a busy
machine does not inflate much; z3's and QEPCAD's own limits only know wall-clock time,
so their nets are wall-clock and never under `SAFETY_FLOOR`, which keeps a small
budget's net (a 0.3 s sign proof) from firing when other processes take the cores. When a net fires
anyway, `record` notes it, the engine says so in the claim's evidence and the claim is
`unknown` (never a proved or refuted that another machine might not give).
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Iterator

from .errors import BackendTimeout

#: z3 resource units per second of a claim's `timeout`. Calibrated on z3 4.x, where
#: one second of solving on a 2-core x86-64 machine counts about 2 million units; the
#: bundled papers' largest query uses 0.66 million (a region proof), their largest
#: claim query 0.15 million, against the default 5 s x 2 M = 10 million.
RLIMIT_PER_SECOND = 2_000_000
#: The safety net is this many times the seconds a budget stands for...
SAFETY_FACTOR = 10
#: A wall-clock net (z3, QEPCAD) is never shorter than this: on a 2-core machine running
#: a dozen busy processes, a z3 query that spends its 0.3 s budget took over 3 s of
#: wall-clock time, and the net (10 x 0.3 s) turned a bundled claim's verdict into
#: `unknown` now and then.
SAFETY_FLOOR = 8.0


class SafetyNetHit(BackendTimeout):
    """A safety net fired: what it cut short depends on the machine."""


def rlimit_for(seconds: float) -> int:
    """The z3 resource budget that `seconds` of a claim's timeout stands for."""
    return max(1, int(seconds * RLIMIT_PER_SECOND))


def safety_seconds(seconds: float) -> float:
    """The CPU-time safety net above a budget worth `seconds`."""
    return SAFETY_FACTOR * seconds


def wall_safety_seconds(seconds: float) -> float:
    """The wall-clock safety net above a budget worth `seconds` (for z3 and QEPCAD, whose
    limits cannot count this process's CPU time)."""
    return max(SAFETY_FACTOR * seconds, SAFETY_FLOOR)


# -- what fired -----------------------------------------------------------------------

_local = threading.local()


def _stack() -> list[list[str]]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def record(what: str) -> None:
    """Note that a safety net cut `what` short (for every open `watching`)."""
    for hits in _stack():
        hits.append(what)


@contextlib.contextmanager
def watching() -> Iterator[list[str]]:
    """Collect the safety nets that fire inside the block (a list, filled in place)."""
    hits: list[str] = []
    _stack().append(hits)
    try:
        yield hits
    finally:
        # by identity: list.remove compares by value, and nested watchers with equal
        # lists (both empty) would take the outer one off the stack
        stack = _stack()
        del stack[next(i for i, h in enumerate(stack) if h is hits)]


def z3_fired(reason: str, elapsed: float, net: float) -> bool:
    """Did z3 give up on its wall-clock safety net of `net` seconds (rather than on its
    rlimit budget)? z3 reports either as "canceled" at times, so the clock tells."""
    return ("timeout" in reason or "canceled" in reason) and elapsed >= 0.9 * net


# -- the safety net for pure-Python work (SymPy) ----------------------------------------

#: CPU seconds between repeated signals once a safety net has fired.
REFIRE = 0.5


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "computation", *, absolute: bool = False) -> Iterator[None]:
    """A safety net for a SymPy computation budgeted at `seconds`, in CPU seconds of
    this process (so that other processes on the machine do not make it fire).

    The net is `safety_seconds(seconds)` (`seconds` itself when `absolute`, for a limit
    that is not a claim's budget, such as reading a file); when it fires the block raises
    SafetyNetHit (a BackendTimeout) and `record`s it, so that the claim's evidence says so.
    Uses SIGPROF, so it only limits work on the main thread of a Unix process;
    elsewhere the block runs unlimited. Nested limits keep the outer one armed.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return
    net = seconds if absolute else safety_seconds(seconds)
    outer_left, _ = signal.getitimer(signal.ITIMER_PROF)
    if outer_left and outer_left <= net:
        yield  # an enclosing net fires first anyway
        return
    message = (f"{what} ran past the safety net of {net:g} CPU seconds"
               + ("" if absolute else f" ({SAFETY_FACTOR} x its budget of {seconds:g} s)"))

    def on_signal(signum: int, frame: object) -> None:
        if not fired:
            fired.append(True)
            record(message)
        raise SafetyNetHit(message)

    fired: list[bool] = []
    start = time.process_time()
    previous = signal.signal(signal.SIGPROF, on_signal)
    # and again every REFIRE seconds: code under the limit (SymPy's comparisons) may
    # catch the first SafetyNetHit and carry on, which must not make the net one-shot
    signal.setitimer(signal.ITIMER_PROF, net, REFIRE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_PROF, max(1e-3, outer_left - (time.process_time() - start)))
