"""Load-bearing premises: which hypotheses of a claim does it actually need?

Each hypothesis is weakened or dropped in turn, everything else kept, and the
claim re-checked by the engine:

- each end of the domain of each free symbol (after definitions are expanded): a
  positive lower end is weakened to 0 (R in (1, oo) becomes (0, oo), which keeps the
  sign most models need), any other lower end is dropped; likewise a negative upper
  end is raised to 0 and any other upper end dropped; an integer symbol loses its
  integrality;
- each conjunct of the claim's `assume`;
- each conjunct of the claim's own premise (`P1 and P2 -> C`, also along a chain
  `P1 -> P2 -> C`);
- with a variant (`family` or `expr`), "the parameter is constant": the claim is
  checked with the parameter replaced by the family's function.

A hypothesis is needed when the claim is refuted without it (the witness is shown,
exact and shrunk) and not needed when the claim is still proved; anything else is
undecided and said so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import sympy

from . import variants
from ..language.claims import Claim, ClaimFile, SymbolInfo, Theory
from .counterexample import Witness, make_witness, negated_target, point_from_text
from ..language.domain import Domain
from ..engine import check_claim
from ..language.errors import LawproofError
from ..language.formula import And, Formula, Implies, conj, free_symbols, to_text
from ..symbolic import normalize
from ..verdict import Result


@dataclass
class Hypothesis:
    """One hypothesis of a claim and what it was weakened to."""

    kind: str  # "domain" | "assume" | "premise" | "constant"
    text: str
    weakened: str


@dataclass
class PremiseCheck:
    """The claim re-checked without (or with a weaker) `hypothesis`.

    `needed` is True when that made the claim false (`witness` shows it), False when
    it is still proved, None when undecided.
    """

    hypothesis: Hypothesis
    result: Result
    witness: Witness | None = None

    @property
    def needed(self) -> bool | None:
        """True (refuted without it), False (still proved) or None (undecided)."""
        return {"refuted": True, "proved": False}.get(self.result.verdict)


@dataclass
class PremisesReport:
    """The claim's own verdict and one check per hypothesis."""

    paper: str
    claim: str
    baseline: Result
    checks: list[PremiseCheck]

    def text(self) -> str:
        """The table `lawproof premises` prints."""
        lines = [f"{self.paper} / {self.claim}: {self.baseline.verdict} ({self.baseline.method})"]
        if self.baseline.verdict != "proved":
            lines.append("  note: the claim itself is not proved, so 'not needed' means little here")
        width = max([len(c.hypothesis.text) for c in self.checks] + [10])
        lines.append(f"  {'hypothesis':<{width}}  {'weakened to':<28} {'verdict':<11} {'needed':<9} witness")
        for c in self.checks:
            needed = {True: "yes", False: "no", None: "undecided"}[c.needed]
            wit = c.witness.text() if c.witness else ", ".join(
                f"{k} = {v}" for k, v in c.result.evidence.counterexample.items())
            lines.append(f"  {c.hypothesis.text:<{width}}  {c.hypothesis.weakened:<28} "
                         f"{c.result.verdict:<11} {needed:<9} {wit}")
        needed = [c.hypothesis.text for c in self.checks if c.needed]
        lines.append(f"  load-bearing: {', '.join(needed) if needed else 'none of the hypotheses checked'}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {"paper": self.paper, "claim": self.claim, "verdict": self.baseline.verdict,
                "method": self.baseline.method,
                "hypotheses": [{"kind": c.hypothesis.kind, "hypothesis": c.hypothesis.text,
                                "weakened": c.hypothesis.weakened, "verdict": c.result.verdict,
                                "method": c.result.method, "needed": c.needed,
                                "witness": ({k: str(v) for k, v in c.witness.values.items()} if c.witness
                                            else c.result.evidence.counterexample or None)}
                               for c in self.checks]}


def _domain_weakenings(s: sympy.Symbol, info: SymbolInfo) -> list[tuple[Hypothesis, Domain]]:
    d = info.domain
    out = []
    if d.lo_bounded:
        op = ">" if d.lo_open else ">="
        if d.lo.is_number and d.lo > 0:
            weaker = replace(d, lo=sympy.Integer(0))
        else:
            weaker = replace(d, lo=-sympy.oo, lo_open=True)
        out.append((Hypothesis("domain", f"{s} {op} {sympy.sstr(d.lo)} (domain of {s})",
                               f"{s} in {weaker}"), weaker))
    if d.hi_bounded:
        op = "<" if d.hi_open else "<="
        if d.hi.is_number and d.hi < 0:
            weaker = replace(d, hi=sympy.Integer(0))
        else:
            weaker = replace(d, hi=sympy.oo, hi_open=True)
        out.append((Hypothesis("domain", f"{s} {op} {sympy.sstr(d.hi)} (domain of {s})",
                               f"{s} in {weaker}"), weaker))
    if d.integer:
        weaker = replace(d, integer=False)
        out.append((Hypothesis("domain", f"{s} is an integer", f"{s} real"), weaker))
    return out


def _shown(f: Formula) -> str:
    """Formula text as a user wrote it: a constant definition is `S_c`, not `S_c()`."""
    return re.sub(r"\b([A-Za-z_]\w*)\(\)", r"\1", to_text(f))


def _conjuncts(f: Formula) -> list[Formula]:
    return list(f.args) if isinstance(f, And) else [f]


def _premise_chain(f: Formula) -> tuple[list[list[Formula]], Formula]:
    """`P1 -> P2 -> C` as ([conjuncts of P1, conjuncts of P2], C)."""
    levels = []
    while isinstance(f, Implies):
        levels.append(_conjuncts(f.lhs))
        f = f.rhs
    return levels, f


def _rebuild_chain(levels: list[list[Formula]], conclusion: Formula) -> Formula:
    out = conclusion
    for parts in reversed(levels):
        if parts:
            out = Implies(conj(parts), out)
    return out


def _with_formula(claim: Claim, formula: Formula, assume: Formula | None, tag: str) -> Claim:
    return replace(claim, id=f"{claim.id}~{tag}", formula=formula, text=to_text(formula),
                   assume=assume, assume_text=to_text(assume) if assume is not None else "",
                   expect="holds")


def _weakened(claim: Claim, theory: Theory) -> list[tuple[Hypothesis, Claim, Theory]]:
    out: list[tuple[Hypothesis, Claim, Theory]] = []
    free = free_symbols(normalize(claim, theory, seconds=claim.timeout))
    for name, info in theory.symbols.items():
        if info.symbol not in free:
            continue
        for hyp, domain in _domain_weakenings(info.symbol, info):
            symbols = dict(theory.symbols)
            symbols[name] = replace(info, domain=domain)
            out.append((hyp, replace(claim, expect="holds"), replace(theory, symbols=symbols)))
    if claim.assume is not None:
        parts = _conjuncts(claim.assume)
        for i, part in enumerate(parts):
            rest = parts[:i] + parts[i + 1:]
            weaker = _with_formula(claim, claim.formula, conj(rest) if rest else None, f"assume{i + 1}")
            out.append((Hypothesis("assume", f"{_shown(part)} (assume)", "dropped"), weaker, theory))
    levels, conclusion = _premise_chain(claim.formula)
    for li, parts in enumerate(levels):
        for i, part in enumerate(parts):
            fewer = [p if j != li else p[:i] + p[i + 1:] for j, p in enumerate(levels)]
            weaker = _with_formula(claim, _rebuild_chain(fewer, conclusion), claim.assume,
                                   f"premise{li + 1}.{i + 1}")
            out.append((Hypothesis("premise", f"{_shown(part)} (premise)", "dropped"), weaker, theory))
    return out


def _witness(result: Result, claim: Claim, theory: Theory) -> Witness | None:
    """The engine's counterexample, shrunk and with its 50-digit numbers."""
    if result.verdict != "refuted" or not result.evidence.counterexample:
        return None
    try:
        target = negated_target(claim, theory)
        found = point_from_text(target, result.evidence.counterexample)
        return make_witness(claim, theory, target, found) if found is not None else None
    except (LawproofError, ValueError):
        return None


def premises(source: str | Path | ClaimFile, claim_id: str, *, param: str | None = None,
             family: str | None = None, expr: str | None = None,
             symbols: dict[str, str] | None = None, var: str | None = None,
             timeout: float | None = None) -> PremisesReport:
    """Check the claim without each of its hypotheses in turn (see the module
    docstring). With `param` and `family` or `expr`, "param is constant" is one of
    them."""
    claim, theory = variants.load_claim(source, claim_id)
    if timeout is not None:
        claim = replace(claim, timeout=timeout)
    baseline = check_claim(claim, theory)
    checks = []
    for hyp, weaker, th in _weakened(claim, theory):
        result = check_claim(weaker, th)
        checks.append(PremiseCheck(hyp, result, _witness(result, weaker, th)))
    if param is not None and (family is not None or expr is not None):
        v = variants.apply(source, claim_id, param, family or "linear", expr=expr, symbols=symbols,
                           var=var, timeout=claim.timeout)
        result = check_claim(v.claim, v.theory)
        hyp = Hypothesis("constant", f"{param} is constant", v.describe())
        checks.append(PremiseCheck(hyp, result, _witness(result, v.claim, v.theory)))
    return PremisesReport(theory.id, claim.id, baseline, checks)


__all__ = ["Hypothesis", "PremiseCheck", "PremisesReport", "premises"]
