"""Budgets, not clocks: the limits that can change a verdict or an artifact count work.

A claim's `timeout` (seconds, default 5) is turned into work budgets by fixed rules
(docs/budgets.md):

- z3: a resource limit (`rlimit`, z3's own deterministic count of work) of
  `RLIMIT_PER_SECOND` units per second of the claim's timeout, per query;
- the interval prover: a box count (`engine.INTERVAL_BOXES`), independent of the timeout;
- sampling: a fixed number of points and fixed precisions;
- SymPy, which has no step counter: nothing but the size of its input.

On top of every budget sits a *safety net*, `SAFETY_FACTOR` times the seconds the
budget stands for, so that a runaway computation still ends; and the claim as a whole
has a *limit*: its `timeout` is also the CPU seconds its whole check may take
(`ClaimLimit`), and every net is clipped to what is left of it. Nets and limit read one
CPU clock (`cpu`): this process's CPU seconds (z3 solves on the calling thread, so its
work counts too) plus those of the worker process that did work for it (`charge`),
which other processes on the machine do not inflate: Python work is stopped by SIGPROF
(`time_limit`), z3 by a watchdog thread that interrupts the query (`interrupting`),
z3 work deaf to interrupts (shrinking a counterexample) by killing the worker process
it runs in (lawproof.language.killable), the interval prover by a deadline (`Net.at`),
and QEPCAD, a child process, by a CPU limit of its own (`Net.left`). When a net or the limit fires, `record` notes it, the
engine says so in the claim's evidence and the claim is `unknown` (never a proved or
refuted that another machine might not give).
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Iterator

from .errors import BackendTimeout

#: z3 resource units per second of a claim's `timeout`. Calibrated on z3 4.x, where
#: one second of solving on a 2-core x86-64 machine counts about 2 million units; the
#: bundled papers' largest query uses 0.66 million (a region proof), their largest
#: claim query 0.15 million, against the default 5 s x 2 M = 10 million.
RLIMIT_PER_SECOND = 2_000_000
#: The safety net is this many times the seconds a budget stands for...
SAFETY_FACTOR = 10
#: ... and a wall-clock net (only QEPCAD's, above its CPU limit, for a child that
#: stops using CPU without ending) is never shorter than this.
SAFETY_FLOOR = 8.0


class SafetyNetHit(BackendTimeout):
    """A safety net fired: what it cut short depends on the machine."""


# -- the clock: this process's CPU seconds and those of the children run in its place ------

#: CPU seconds of the children this process ran in its place (`charge`; lawproof.language.
#: killable); in a forked child, also its parent's clock at the fork
_charged = 0.0
_clock_at_fork = 0.0


def cpu() -> float:
    """The CPU clock every net and limit reads: this process's CPU seconds
    (`time.process_time()`) plus those of the children that did its work (`charge`), so
    that work moved into a child still counts against the claim's limit."""
    return time.process_time() + _charged


def charge(seconds: float) -> None:
    """Count `seconds` a child spent on this process's work on its clock (`cpu`). The armed
    CPU timer (SIGPROF, `_cpu_net`) counts this process only: it is brought forward."""
    global _charged
    _charged += seconds
    if _sigprof_usable():
        left, refire = signal.getitimer(signal.ITIMER_PROF)
        if left:
            signal.setitimer(signal.ITIMER_PROF, max(1e-3, left - seconds), refire)


def _sigprof_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def rlimit_for(seconds: float) -> int:
    """The z3 resource budget that `seconds` of a claim's timeout stands for."""
    return max(1, int(seconds * RLIMIT_PER_SECOND))


def safety_seconds(seconds: float) -> float:
    """The CPU-time safety net above a budget worth `seconds`."""
    return SAFETY_FACTOR * seconds


def wall_safety_seconds(cpu_seconds: float) -> float:
    """The wall-clock net above a child process's CPU limit of `cpu_seconds` (QEPCAD):
    it only ends a child that stops using CPU without ending."""
    return max(SAFETY_FACTOR * cpu_seconds, SAFETY_FLOOR)


# -- what fired and what runs ---------------------------------------------------------

_local = threading.local()


def _stack() -> list[tuple[list[str], bool]]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def _doing() -> list[str]:
    if not hasattr(_local, "doing"):
        _local.doing = []
    return _local.doing


def record(what: str) -> None:
    """Note that a safety net or the claim's limit cut `what` short (for every open
    `watching`, out to the first isolated one; once per watcher)."""
    for hits, isolated in reversed(_stack()):
        if what not in hits:
            hits.append(what)
        if isolated:
            break


@contextlib.contextmanager
def watching(*, isolated: bool = False) -> Iterator[list[str]]:
    """Collect the safety nets that fire inside the block (a list, filled in place).
    An `isolated` watcher keeps them from the watchers around it (work whose being cut
    short changes nothing outside the block)."""
    hits: list[str] = []
    _stack().append((hits, isolated))
    try:
        yield hits
    finally:
        # by identity: nested watchers with equal lists (both empty) are equal
        stack = _stack()
        del stack[next(i for i, (h, _) in enumerate(stack) if h is hits)]


@contextlib.contextmanager
def running(what: str) -> Iterator[None]:
    """Name the work inside the block, for the message when the claim's limit ends it."""
    doing = _doing()
    doing.append(what)
    try:
        yield
    finally:
        del doing[len(doing) - 1 - doing[::-1].index(what)]


def _net_message(what: str, seconds: float, absolute: bool = False) -> str:
    net = seconds if absolute else safety_seconds(seconds)
    return (f"{what} ran past the safety net of {net:g} CPU seconds"
            + ("" if absolute else f" ({SAFETY_FACTOR} x its budget of {seconds:g} s)"))


# -- the claim's limit ------------------------------------------------------------------

#: The start of every message of a claim's limit (the engine tells them from the nets').
LIMIT_MESSAGE = "the claim's limit of "


class ClaimLimit:
    """A claim's `timeout` as the CPU seconds its whole check may take.

    The clock starts when the limit is first entered (`active`); re-entering it later
    (report-only evidence after the verdict) gets what is left. Inside, every safety
    net ends no later than the limit (`net`, `time_limit`), and Python work is stopped
    by SIGPROF when it runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end: float | None = None

    def message(self) -> str:
        """What to record when the limit ends the work running now."""
        doing = _doing()
        return f"{LIMIT_MESSAGE}{self.seconds:g} CPU seconds ran out during {doing[-1] if doing else 'its checks'}"

    @contextlib.contextmanager
    def active(self, what: str | None = None) -> Iterator[None]:
        """Run the block under the limit (`what` names the block's work)."""
        now = cpu()
        if self.end is None:
            self.end = now + self.seconds
        previous = getattr(_local, "claim", None)
        _local.claim = self
        try:
            with running(what) if what else contextlib.nullcontext():
                if self.end <= now:
                    _fire(self.message())
                with _cpu_net(self.end - now, self.message, refire=CLAIM_REFIRE):
                    yield
        finally:
            _local.claim = previous


def _claim() -> ClaimLimit | None:
    return getattr(_local, "claim", None)


def _fire(message: str) -> None:
    record(message)
    raise SafetyNetHit(message)


@dataclass
class Net:
    """The CPU net of one piece of work: its own safety net (`SAFETY_FACTOR` x the
    seconds its budget stands for) or the end of the claim's limit, whichever comes
    first; `at` is a `cpu()` value."""

    what: str
    seconds: float
    at: float
    claim: ClaimLimit | None = None  # set when the claim's limit ends it first
    #: what it cut short, once it fired (`fired`)
    said: str = field(default="")

    def left(self) -> float:
        """CPU seconds until the net."""
        return self.at - cpu()

    def message(self) -> str:
        """What the net's firing cut short."""
        return self.claim.message() if self.claim is not None else _net_message(self.what, self.seconds)

    def fired(self) -> str:
        """Note that the net cut the work short (`record`); its message."""
        self.said = self.message()
        record(self.said)
        return self.said


def net(seconds: float, what: str) -> Net:
    """The CPU net of work named `what` whose budget stands for `seconds`."""
    at = cpu() + safety_seconds(seconds)
    claim = _claim()
    if claim is not None and claim.end is not None and claim.end < at:
        return Net(what, seconds, claim.end, claim)
    return Net(what, seconds, at)


# -- the watchdog: z3 (and any call stopped from another thread) ------------------------

#: Wall-clock seconds between the watchdog's looks at the CPU clock while a call runs.
WATCH_POLL = 0.02


@dataclass(eq=False)
class _Watch:
    net: Net
    interrupt: Callable[[], None]
    tripped: bool = False


class _Watchdog:
    """One daemon thread per process that interrupts watched calls whose net has passed."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.watches: set[_Watch] = set()
        self.thread: threading.Thread | None = None

    def add(self, w: _Watch) -> None:
        with self.cond:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="lawproof-watchdog", daemon=True)
                self.thread.start()
            self.watches.add(w)
            self.cond.notify()

    def remove(self, w: _Watch) -> None:
        # under the lock: once removed, the call cannot be interrupted any more
        with self.cond:
            self.watches.discard(w)

    def _run(self) -> None:
        with self.cond:
            while True:
                if not self.watches:
                    self.cond.wait()
                    continue
                now = cpu()
                # again at every look until the call returns: z3 forgets an interrupt
                # that comes before its query has started
                for w in [w for w in self.watches if now >= w.net.at]:
                    w.tripped = True
                    with contextlib.suppress(Exception):  # the thread must outlive any one call
                        w.interrupt()
                self.cond.wait(WATCH_POLL)


_WATCHDOG = _Watchdog()


def _before_fork() -> None:
    global _clock_at_fork
    _clock_at_fork = cpu()


def _after_fork() -> None:
    # the child has no watchdog thread, and the lock may have been held at the fork; its
    # own CPU seconds start at 0, and its clock goes on from its parent's
    global _WATCHDOG, _charged
    _WATCHDOG = _Watchdog()
    _charged = _clock_at_fork - time.process_time()


os.register_at_fork(before=_before_fork, after_in_child=_after_fork)


@contextlib.contextmanager
def interrupting(interrupt: Callable[[], None], seconds: float, what: str) -> Iterator[Net]:
    """Run a call (a z3 query) that `interrupt` stops from another thread under its CPU
    net (`net(seconds, what)`): the watchdog calls `interrupt` once the process's CPU
    clock passes it. Afterwards the net's `said` tells what it cut short if it fired
    (then recorded). When the claim's limit has already run out, raises SafetyNetHit
    at once."""
    guard = net(seconds, what)
    if guard.left() <= 0:
        _fire(guard.message())
    watch = _Watch(guard, interrupt)
    with running(what):
        _WATCHDOG.add(watch)
        try:
            yield guard
        finally:
            _WATCHDOG.remove(watch)
            if watch.tripped:
                guard.fired()


# -- SIGPROF: Python work (SymPy) -------------------------------------------------------

#: CPU seconds between repeated signals once a safety net has fired.
REFIRE = 0.5
#: ... once the claim's limit has: everything after it is wasted, so it is cut short soon
CLAIM_REFIRE = 0.02


#: Code an exception must not interrupt wherever it sits on the stack: finalizers and
#: garbage-collector callbacks (an exception there is "ignored" and handed to
#: sys.unraisablehook) and the formatting of such a report (traceback, linecache), where
#: a second one makes Python give up on the report (pytest fails the test then).
_NEVER_UNDER = ("__del__", "gc_callback")
_NEVER_IN_MODULES = ("traceback", "linecache")


#: Modules whose code is bookkeeping that must finish (`bookkeeping`).
_BOOKKEEPING = {__file__, contextlib.__file__}


def bookkeeping(module_file: str) -> None:
    """Mark the code of the module at `module_file` as bookkeeping that SIGPROF must not
    interrupt (restoring timers and stacks, collecting a child process)."""
    _BOOKKEEPING.add(module_file)


def _unsafe_to_raise(frame: object) -> bool:
    """Is `frame` bookkeeping that must finish (this module restoring timers and
    stacks, a context manager's exit, `bookkeeping` modules, a finalizer or anything it
    calls) or z3's Python API, whose objects an exception half-way leaves broken (a
    Context without its `owner`, a context never deleted)? The signal then comes again,
    soon after."""
    code = getattr(frame, "f_code", None)
    if code is None:
        return False
    if code.co_filename in _BOOKKEEPING:
        return True
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if frame.f_code.co_name in _NEVER_UNDER or module in _NEVER_IN_MODULES \
                or module == "z3" or module.startswith("z3."):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def _cpu_net(net_seconds: float, message: Callable[[], str], *, refire: float = REFIRE) -> Iterator[None]:
    """Raise SafetyNetHit in the block once it has used `net_seconds` of this process's
    CPU time, and again every `refire` seconds (code under the net, such as SymPy's
    comparisons, may catch the first one and carry on). Only on the main thread of a
    Unix process; elsewhere the block runs unlimited. Keeps an enclosing net armed, and
    arms nothing when the enclosing one fires first."""
    if not _sigprof_usable():
        yield
        return
    outer_left, outer_refire = signal.getitimer(signal.ITIMER_PROF)
    if outer_left and outer_left <= net_seconds:
        yield  # an enclosing net fires first anyway
        return

    def on_signal(signum: int, frame: object) -> None:
        if _unsafe_to_raise(frame):
            return
        what = message()
        if what not in said:
            said.append(what)
            record(what)
        raise SafetyNetHit(what)

    said: list[str] = []
    start = cpu()
    previous = signal.signal(signal.SIGPROF, on_signal)
    signal.setitimer(signal.ITIMER_PROF, max(net_seconds, 1e-3), refire)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_PROF, max(1e-3, outer_left - (cpu() - start)),
                             outer_refire)


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "computation", *, absolute: bool = False) -> Iterator[None]:
    """A safety net for a SymPy computation budgeted at `seconds`, in CPU seconds of
    this process (so that other processes on the machine do not make it fire).

    The net is `safety_seconds(seconds)` (`seconds` itself when `absolute`, for a limit
    that is not a claim's budget, such as reading a file), or the end of the claim's
    limit if sooner; when it fires the block raises SafetyNetHit (a BackendTimeout) and
    `record`s it, so that the claim's evidence says so. Uses SIGPROF, so it only limits
    work on the main thread of a Unix process; elsewhere the block runs unlimited.
    """
    with running(what):
        if seconds <= 0:
            yield
            return
        with _cpu_net(seconds if absolute else safety_seconds(seconds),
                      lambda: _net_message(what, seconds, absolute)):
            yield
