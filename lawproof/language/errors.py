"""Every error lawproof raises on purpose, each with a message a user can act on."""
from __future__ import annotations

import difflib
from typing import Iterable


class LawproofError(Exception):
    """Base class of lawproof's own errors."""


class ClaimInputError(LawproofError):
    """A claim file (or one claim in it) cannot be read as written.

    Carries where the problem is (file, claim id, line, column) and how to fix it,
    so that the CLI can print one precise line per problem; `trace`, for the loader's
    "internal error" (a bug in lawproof, not in the file), the Python traceback that
    only the CLI's `--debug` prints.
    """

    def __init__(self, message: str, *, fix: str = "", file: str | None = None,
                 claim: str | None = None, line: int | None = None,
                 column: int | None = None, trace: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.file = file
        self.claim = claim
        self.line = line
        self.column = column
        self.trace = trace

    def located(self, *, file: str | None = None, claim: str | None = None,
                line: int | None = None, column: int | None = None) -> "ClaimInputError":
        """Fill in location fields that are still unknown; return self."""
        self.file = self.file or file
        self.claim = self.claim or claim
        if self.line is None:
            self.line, self.column = line, column
        return self

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        who = f" claim '{self.claim}':" if self.claim else ""
        return f"{where}:{who} {_with_fix(self.message, self.fix)}"


def _with_fix(message: str, fix: str) -> str:
    """`message` and, when there is one, `fix`, as one text: "message. Fix: fix"
    (no second stop after a message that ends in one)."""
    if not fix:
        return message
    message = message.rstrip()
    stop = "" if message.endswith((".", "?", "!", ":")) else "."
    return f"{message}{stop} Fix: {fix}"


def unknown_key_fix(key: str, allowed: Iterable[str]) -> str:
    """The fix for an unknown key `key` of a table whose keys are `allowed`: the
    closest allowed key, if one is close (`titel` -> `title`), then the list."""
    allowed = sorted(allowed)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
    known = "use " + ", ".join(allowed)
    return f"did you mean '{close[0]}'? ({known})" if close else known


def type_name(value: object) -> str:
    """What kind of TOML value `value` is, for an error message: "an integer", "a table"."""
    kinds = ((bool, "a boolean"), (int, "an integer"), (float, "a number"), (str, "a string"),
             (dict, "a table"), (list, "an array"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "a date or time")


class FormulaSyntaxError(ClaimInputError):
    """A formula, domain or definition does not follow the grammar."""


class OutsideFragment(LawproofError):
    """A formula uses something a backend cannot express (e.g. exp in z3)."""


class BackendTimeout(LawproofError):
    """A backend call ran past its time limit."""


class BackendUnavailable(LawproofError):
    """An optional external program (e.g. QEPCAD B) is not installed; the message
    says how to install it."""


class EncodingDisagreement(LawproofError):
    """Two encodings of one claim (e.g. the quantified and the first-order form of an
    optimum) decide it differently: a bug in lawproof, reported as an error verdict."""
