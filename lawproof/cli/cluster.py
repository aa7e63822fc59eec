"""Checking claims and running sweeps on a Dask distributed cluster (issue 12).

The optional extra `lawproof[distributed]` installs Dask's `distributed`. A cluster is
reached by its scheduler's address (`lawproof check --scheduler tcp://host:8786`); its
workers need lawproof installed, but not the claim files: each task carries the file's
text. The engine and the sweeps take any concurrent.futures.Executor, so the cluster is
used through `distributed.Client.get_executor()`, and output comes in the same order and
bytes as a serial run.
"""
from __future__ import annotations

import argparse
import contextlib
from concurrent.futures import Executor
from typing import Iterator

from ..language.errors import BackendUnavailable, LawproofError

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_SECONDS = 30


@contextlib.contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """An Executor submitting to the Dask scheduler at `address`; the connection is
    closed when the block ends."""
    try:
        from distributed import Client
    except ImportError:
        raise BackendUnavailable("checking on a Dask cluster needs Dask's `distributed` package: "
                                 "pip install 'lawproof[distributed]'") from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as e:
        raise LawproofError(f"cannot reach the Dask scheduler at {address!r} ({e}); start one with "
                            "`dask scheduler` and `dask worker ADDRESS`, or check the address") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


def scheduler_executor(address: str | None) -> contextlib.AbstractContextManager[Executor | None]:
    """`cluster_executor(address)`, or None (local processes) without an address."""
    return cluster_executor(address) if address else contextlib.nullcontext()


def add_scheduler_option(p: argparse.ArgumentParser, what: str) -> None:
    """The `--scheduler ADDRESS` option of a command that can run on a cluster."""
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help=f"{what} on the Dask distributed cluster whose scheduler is at ADDRESS "
                        "(e.g. tcp://10.0.0.5:8786; needs pip install 'lawproof[distributed]' here "
                        "and lawproof on the workers); the output is the same as a local run")
