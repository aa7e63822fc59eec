"""Verdicts and their evidence: what a check found, and why it may be believed."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import sympy

    from .language.formula import Formula

#: Jupyter's rich display of results, file results and reports, by format ("markdown",
#: "html"): filled in by lawproof/__init__.py with the report layer's renderers, which
#: this layer may not import (docs/architecture.md).
RICH_DISPLAY: dict[str, Callable[[Any], str]] = {}

VERDICTS = ("proved", "refuted", "consistent", "unknown", "error", "not-checkable")


@dataclass
class Evidence:
    """What backs a verdict. Every field is computed by the engine, never typed in.

    - `artifact`: a replayable SMT-LIB2 query (for `proved` by SMT).
    - `counterexample`: exact rationals (as text) for the claim's free symbols and
      the witnesses of its inner quantifiers (names listed in `witnesses`).
    - `values`: the atoms of the negated claim at the counterexample, 50 digits.
    - `chain`: simplification or derivation steps `(what, expression)`.
    - `samples`: how the domain was sampled (count, digits, sampler).
    - `functions`: for a claim about function symbols, the concrete function (a term
      in `t`, claim-language syntax) of each symbol that the counterexample uses.
    - `instances`: counterexamples for sample values of an outer existential.
    - `tried`: every method attempted, with what it said, in order.
    - `closed_forms`: the `derivation` steps as SymPy expressions, for renderers
      that print math (not part of `Result.to_dict`).
    """

    artifact: str = ""
    counterexample: dict[str, str] = field(default_factory=dict)
    witnesses: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    values: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    chain: list[tuple[str, str]] = field(default_factory=list)
    derivation: list[tuple[str, str]] = field(default_factory=list)
    samples: dict[str, Any] = field(default_factory=dict)
    instances: list[dict[str, Any]] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)
    closed_forms: list[tuple[str, sympy.Expr]] = field(default_factory=list, repr=False,
                                                         compare=False)


@dataclass
class Result:
    """The outcome of checking one claim.

    `formula_tree`, `assume_tree` and `normalized_tree` are the structured forms of
    `formula` and `normalized` (the claim as parsed, its `assume`, the formula the
    backends decided), kept for renderers that print math; they are None where the
    claim did not parse, and are not part of `to_dict`. `trace` is the Python traceback
    of an internal error (a bug in lawproof), printed only by the CLI's `--debug`; it is
    not part of `to_dict` or of any report (it names this machine's files).
    """

    paper: str
    claim: str
    verdict: str
    method: str
    seconds: float
    expect: str = "holds"
    says: str = ""
    where: str = ""
    formula: str = ""
    normalized: str = ""
    message: str = ""
    reason: str = ""
    evidence: Evidence = field(default_factory=Evidence)
    formula_tree: Formula | None = field(default=None, repr=False, compare=False)
    assume_tree: Formula | None = field(default=None, repr=False, compare=False)
    normalized_tree: Formula | None = field(default=None, repr=False, compare=False)
    trace: str = field(default="", repr=False, compare=False)

    @property
    def matches_expect(self) -> bool | None:
        """True/False when the verdict confirms/contradicts `expect`; None when it
        decides nothing (consistent, unknown) or the claim is not checkable."""
        if self.verdict == "error":
            return False
        if self.verdict == "proved":
            return self.expect == "holds"
        if self.verdict == "refuted":
            return self.expect == "fails"
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): every text field, without the structured forms."""
        plain = replace(self, formula_tree=None, assume_tree=None, normalized_tree=None,
                        evidence=replace(self.evidence, closed_forms=[]))
        d = asdict(plain)
        for key in ("formula_tree", "assume_tree", "normalized_tree", "trace"):
            del d[key]
        del d["evidence"]["closed_forms"]
        d["matches_expect"] = self.matches_expect
        return d

    def _repr_markdown_(self) -> str:
        return RICH_DISPLAY["markdown"](self)

    def _repr_html_(self) -> str:
        return RICH_DISPLAY["html"](self)
