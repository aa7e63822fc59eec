"""A wall-clock limit for pure-Python work (SymPy) that may run away."""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

from .errors import BackendTimeout


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "computation") -> Iterator[None]:
    """Raise BackendTimeout if the block runs longer than `seconds`.

    Uses SIGALRM, so it only limits work on the main thread of a Unix process;
    elsewhere the block runs unlimited (z3 calls carry their own timeouts).
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise BackendTimeout(f"{what} ran past {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
