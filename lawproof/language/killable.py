"""Run a function in a child process that its CPU net can kill (issue 16).

z3 stops at an interrupt only where it polls for one, and some of its C code does not:
in an incremental query (a step of shrinking a counterexample) its nonlinear bound
propagation can take integer roots of rationals thousands of digits long and ignore the
watchdog's interrupts for seconds, and so can a query with nonlinear integer arithmetic
(proofs/smt.py sends those here). A child process can be stopped anywhere: each call
gets the net's CPU seconds in the child (SIGPROF, whose default action ends the
process), and the child's CPU seconds count on this process's clock (`timeout.charge`),
so the claim's limit covers them.

The child is one worker, forked from this process when first needed and kept: a fork
per call would cost more than most calls (7 ms and more for a process of 200 MB). It
has every module this process had imported, so a call is sent as a module-level
function and plain arguments (pickled: strings, numbers, Fractions, lists), and only
its result comes back. A worker killed at a net is replaced at the next call.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .timeout import Net, SafetyNetHit, bookkeeping, charge, wall_safety_seconds

bookkeeping(__file__)

T = TypeVar("T")
_SIZE = struct.Struct("<Q")


@dataclass
class _Worker:
    pid: int
    requests: int  # the write end of the pipe to the worker
    answers: int  # the read end of the pipe from it
    #: its CPU seconds already counted on this process's clock
    charged: float = 0.0


_worker: _Worker | None = None
#: CPU seconds of the workers ended so far (`reaped`)
_reaped = 0.0


def in_child(call: Callable[..., T], args: tuple[Any, ...], guard: Net) -> T:
    """`call(*args)`, computed in the worker process, which is killed once the CPU clock
    passes `guard`. `call` must be a module-level function, `args` and the result
    picklable plain values; an exception of `call` is raised here. When the worker is
    killed, the net's firing is recorded and SafetyNetHit raised: nothing it did counts."""
    global _worker
    if guard.left() <= 0:
        raise SafetyNetHit(guard.fired())
    request = pickle.dumps((call, args, guard.left()))
    worker = _worker = _worker or _start()
    try:
        try:
            _send(worker.requests, request)
        except BrokenPipeError:  # it ended between two calls
            _stop(worker)
            worker = _worker = _start()
            _send(worker.requests, request)
        answer = _receive(worker.answers, time.monotonic() + wall_safety_seconds(guard.left()))
    except BaseException:
        # (Ctrl-C) its answer would be read as the next call's
        _stop(worker)
        raise
    if not answer:
        _stop(worker)
        raise SafetyNetHit(guard.fired())
    ok, value, seconds = pickle.loads(answer)
    worker.charged += seconds
    charge(seconds)
    if not ok:
        raise value
    return value


def _start() -> _Worker:
    requests_r, requests_w = os.pipe()
    answers_r, answers_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(requests_w)
        os.close(answers_r)
        _serve(requests_r, answers_w)
    os.close(requests_r)
    os.close(answers_w)
    return _Worker(pid, requests_w, answers_r)


def _stop(worker: _Worker) -> None:
    """End the worker (killed at a net, or stuck) and count the CPU seconds it spent
    beyond what its answers counted."""
    global _worker, _reaped
    _worker = None
    os.close(worker.requests)
    os.close(worker.answers)
    os.kill(worker.pid, signal.SIGKILL)
    _, _, usage = os.wait4(worker.pid, 0)
    _reaped += usage.ru_utime + usage.ru_stime
    charge(max(0.0, usage.ru_utime + usage.ru_stime - worker.charged))


def reaped() -> float:
    """CPU seconds of the workers ended so far. The process's children's CPU time
    (`os.times()`, RUSAGE_CHILDREN) counts them too, though they are on its clock
    (`timeout.cpu`) already: a measure of both subtracts these."""
    return _reaped


def _forget_worker() -> None:
    # a process forked from this one (a --jobs worker) must start its own, and has no
    # children yet
    global _worker, _reaped
    _reaped = 0.0
    if _worker is not None:
        os.close(_worker.requests)
        os.close(_worker.answers)
        _worker = None


os.register_at_fork(after_in_child=_forget_worker)


def _serve(requests: int, answers: int) -> None:
    """The worker: answer calls until this process closes the pipe; never returns
    (os._exit: no cleanup of the parent's state runs twice)."""
    try:
        signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the kernel ends the worker at a net
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        while (request := _receive(requests, None)) is not None and request:
            call, args, seconds = pickle.loads(request)
            start = _own_cpu()
            signal.setitimer(signal.ITIMER_PROF, max(seconds, 1e-3))
            try:
                answer = (True, call(*args))
            except Exception as e:  # noqa: BLE001 - raised again in the parent
                answer = (False, e)
            signal.setitimer(signal.ITIMER_PROF, 0)
            try:
                data = pickle.dumps((*answer, _own_cpu() - start))
            except Exception as e:  # noqa: BLE001 - a result that cannot be pickled
                data = pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}"), _own_cpu() - start))
            _send(answers, data)
    finally:
        os._exit(0)


def _send(fd: int, data: bytes) -> None:
    message = memoryview(_SIZE.pack(len(data)) + data)
    while message:
        message = message[os.write(fd, message):]


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _receive(fd: int, until: float | None) -> bytes | None:
    """One message from `fd` (its length first); b"" when the other side has closed the
    pipe before one began, None when it ended within one (the worker killed) or the wall
    clock (`time.monotonic()`) passed `until`."""
    head = _read(fd, _SIZE.size, until)
    if not head:
        return head
    return _read(fd, _SIZE.unpack(head)[0], until) or None


def _read(fd: int, size: int, until: float | None) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        wait = None if until is None else max(0.0, until - time.monotonic())
        if not select.select([fd], [], [], wait)[0]:
            return None
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            return b"" if got == 0 else None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
