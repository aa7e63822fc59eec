"""Verdicts and their evidence: what a check found, and why it may be believed."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
    - `instances`: counterexamples for sample values of an outer existential.
    - `tried`: every method attempted, with what it said, in order.
    """

    artifact: str = ""
    counterexample: dict[str, str] = field(default_factory=dict)
    witnesses: list[str] = field(default_factory=list)
    values: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    chain: list[tuple[str, str]] = field(default_factory=list)
    derivation: list[tuple[str, str]] = field(default_factory=list)
    samples: dict[str, Any] = field(default_factory=dict)
    instances: list[dict[str, Any]] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)


@dataclass
class Result:
    """The outcome of checking one claim."""

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
        d = asdict(self)
        d["matches_expect"] = self.matches_expect
        return d
