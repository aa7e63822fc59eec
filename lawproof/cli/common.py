"""What the `lawproof` subcommands share: exit codes, finding a paper by id or path, the
--timeout option's values."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..engine import bundled_papers
from ..language import loader
from ..language.errors import ClaimInputError

EXIT_OK, EXIT_MISMATCH, EXIT_INPUT = 0, 1, 2


def seconds(text: str) -> float:
    """A --timeout value, read as a claim's `timeout` is: a positive, finite number of
    seconds, at most loader.MAX_TIMEOUT (nan and inf reached the CPU limit's clock as
    internal errors: cli_fuzz seed 42000)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= loader.MAX_TIMEOUT:  # also nan
        raise argparse.ArgumentTypeError(f"{text!r}: the timeout must be a positive, finite number of seconds "
                                         f"(at most {loader.MAX_TIMEOUT:g})")
    return value


def find_paper(paper: str) -> Path:
    """A claim file's path, or the bundled paper with that id."""
    p = Path(paper)
    if p.exists():
        return p
    for path in bundled_papers():
        try:
            if loader.load(path).theory.id == paper:
                return path
        except ClaimInputError:
            continue
    ids = []
    for path in bundled_papers():
        try:
            ids.append(loader.load(path).theory.id)
        except ClaimInputError:
            pass
    raise ClaimInputError(f"no paper '{paper}'", fix="give a claim file's path or one of: " + ", ".join(ids))


__all__ = ["EXIT_OK", "EXIT_MISMATCH", "EXIT_INPUT", "find_paper"]
