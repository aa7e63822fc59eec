"""pytest plugin: claim files are test files.

`pytest papers/` (or any folder, or one `*.claims.toml` file) collects each claim as a
test item with the node id `path/to/file.claims.toml::claim-id`:

- a verdict that contradicts the claim's `expect`, or an `error`, fails, with the
  counterexample (exact) or the message as the failure text;
- a claim declared `check = false` is skipped with the file's reason;
- an undecided claim (`consistent`, `unknown`) passes with a note in the summary,
  and fails under `--lawproof-strict`;
- file-level input errors are one failing item named `input-errors`.

Registered through the `pytest11` entry point, so installing lawproof is enough.
Only files named `*.claims.toml` are collected, and only under the paths pytest is
asked to look at (a project's `testpaths` still decide what plain `pytest` runs).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from ..language.claims import Claim, Theory
from ..engine import check_claim
from ..language.errors import ClaimInputError
from ..language.loader import load
from ..report.model import explain, outcome

SUFFIX = ".claims.toml"
_UNDECIDED = pytest.StashKey[list]()


class ClaimFailure(Exception):
    """A claim's verdict contradicts its expectation (or is an error)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lawproof", "lawproof claim files (*.claims.toml)")
    group.addoption("--lawproof-strict", action="store_true", default=False,
                    help="fail claims that are only consistent or unknown (undecided)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_UNDECIDED] = []


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ClaimFile.from_parent(parent, path=file_path)
    return None


class ClaimFile(pytest.File):
    """A `*.claims.toml` file: one item per claim."""

    theory: Theory

    def collect(self) -> Iterator[pytest.Item]:
        try:
            cf = load(self.path)
        except ClaimInputError as e:
            raise self.CollectError(str(e)) from None
        self.theory = cf.theory
        for claim in cf.claims:
            item = ClaimItem.from_parent(self, name=claim.id, claim=claim)
            if not claim.check:
                # known before running: reported at the claim, not inside the plugin
                item.add_marker(pytest.mark.skip(reason=f"not checkable: {claim.reason}"))
            yield item
        if cf.errors:
            yield InputErrorsItem.from_parent(self, name="input-errors", errors=cf.errors)


class _Item(pytest.Item):
    """An item whose failures are plain text (a counterexample, a message), not a traceback."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)


class ClaimItem(_Item):
    """One claim, checked by the engine when the test runs."""

    def __init__(self, *, claim: Claim, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim

    def runtest(self) -> None:
        result = check_claim(self.claim, self.parent.theory)
        self.user_properties.append(("verdict", result.verdict))
        self.user_properties.append(("method", result.method))
        kind = outcome(result)
        if kind == "fail":
            raise ClaimFailure(explain(result))
        if kind == "skip":
            if self.config.getoption("lawproof_strict"):
                raise ClaimFailure(explain(result) + "\n(--lawproof-strict: undecided claims fail)")
            self.config.stash[_UNDECIDED].append(f"{self.nodeid}: {result.verdict} ({result.method})")

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.claim.line - 1 if self.claim.line is not None else None
        return self.path, line, f"claim {self.claim.id}"


class InputErrorsItem(_Item):
    """The file's own input errors (unknown sections, bad symbols or definitions)."""

    def __init__(self, *, errors: list[ClaimInputError], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors = errors

    def runtest(self) -> None:
        raise ClaimFailure("\n".join(f"input error: {e}" for e in self.errors))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "input errors"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    undecided = config.stash.get(_UNDECIDED, [])
    if undecided:
        terminalreporter.section("lawproof: undecided claims (passed; --lawproof-strict fails them)")
        for line in undecided:
            terminalreporter.write_line(line)
