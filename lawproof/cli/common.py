"""What the `lawproof` subcommands share: exit codes and finding a paper by id or path."""
from __future__ import annotations

from pathlib import Path

from ..engine import bundled_papers
from ..language import loader
from ..language.errors import ClaimInputError

EXIT_OK, EXIT_MISMATCH, EXIT_INPUT = 0, 1, 2


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
