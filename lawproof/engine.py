"""The pipeline: parse -> symbolic -> proofs -> numeric -> verdict.

Verdict rules (non-negotiable): `proved` only from a sound method (SMT unsat, an
exact identity with its definedness proved); `refuted` only with a counterexample
re-checked exactly and at 50 digits; sampling alone gives `consistent`; methods
that disagree give `error`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterable

import sympy

from . import loader
from .claims import Claim, ClaimFile, Theory
from .domain import Domain
from .errors import ClaimInputError, LawproofError, OutsideFragment
from .formula import Formula, Implies, Not, Optimum, conj, nnf, to_text
from .verdict import Evidence, Result

from .numeric import recheck, search
from .proofs import decide, holds_at
from .symbolic import decide_identity, definedness, derive_optimum, expand, normalize

#: Sampling effort: cross-validation of a proof, and the search when nothing proves.
CROSS_CHECK_POINTS = 24
SEARCH_POINTS = 160


@dataclass
class FileResult:
    """All results of one claim file, plus its file-level input errors."""

    theory: Theory
    results: list[Result] = field(default_factory=list)
    errors: list[ClaimInputError] = field(default_factory=list)


def bundled_papers() -> list[Path]:
    """The claim files shipped in the repository's papers/ folder."""
    root = Path(__file__).resolve().parent.parent / "papers"
    return sorted(root.glob("*.claims.toml"))


def check_file(source: str | Path | ClaimFile, *,
               progress: Callable[[Result], None] | None = None,
               only: Iterable[str] | None = None) -> FileResult:
    """Check every claim of a claim file (or the claims named in `only`)."""
    cf = source if isinstance(source, ClaimFile) else loader.load(source)
    out = FileResult(cf.theory, errors=list(cf.errors))
    wanted = set(only) if only is not None else None
    for claim in cf.claims:
        if wanted is not None and claim.id not in wanted:
            continue
        result = check_claim(claim, cf.theory)
        out.results.append(result)
        if progress is not None:
            progress(result)
    return out


def check_claim(claim: Claim, theory: Theory) -> Result:
    """Check one claim and return its verdict with evidence."""
    start = time.perf_counter()
    base = dict(paper=theory.id, claim=claim.id, expect=claim.expect, says=claim.says,
                where=claim.where, formula=claim.text if not claim.assume_text
                else f"({claim.assume_text}) -> ({claim.text})")
    if claim.error is not None:
        return Result(verdict="error", method="input", seconds=0.0, message=str(claim.error), **base)
    if not claim.check:
        return Result(verdict="not-checkable", method="declared by the file", seconds=0.0,
                      reason=claim.reason, **base)
    try:
        result = _check(claim, theory, base)
    except ClaimInputError as e:
        result = Result(verdict="error", method="input", seconds=0.0,
                        message=str(e.located(file=theory.path, claim=claim.id)), **base)
    except (LawproofError, ValueError, TypeError, ArithmeticError, RecursionError,
            NotImplementedError, sympy.PolynomialError) as e:
        # A failure inside a backend is reported on this claim; the others still run.
        result = Result(verdict="error", method="internal", seconds=0.0,
                        message=f"{type(e).__name__}: {e}", **base)
    result.seconds = time.perf_counter() - start
    return result


def _domains(theory: Theory) -> dict[sympy.Symbol, Domain]:
    return {s.symbol: s.domain for s in theory.symbols.values()}


def _text(values: dict[sympy.Symbol, Fraction]) -> dict[str, str]:
    return {s.name: str(v) for s, v in sorted(values.items(), key=lambda kv: kv[0].name)}


def _check(claim: Claim, theory: Theory, base: dict) -> Result:
    domains = _domains(theory)
    normalized = normalize(claim, theory, seconds=claim.timeout)
    ev = Evidence(derivation=_derivations(claim, theory))

    def result(verdict: str, method: str, message: str = "") -> Result:
        return Result(verdict=verdict, method=method, seconds=0.0, normalized=to_text(normalized),
                      message=message, evidence=ev, **base)

    proved_by = _prove_identity(normalized, domains, claim, ev)
    smt = None
    if proved_by is None:
        try:
            smt = decide(normalized, domains, timeout=claim.timeout)
            ev.tried.append(f"SMT (z3): {smt.status} - {smt.detail} [{smt.seconds:.3f} s]")
        except OutsideFragment as e:
            ev.tried.append(f"SMT (z3): not applicable - {e}")
        if smt is not None and smt.status == "proved":
            proved_by, ev.artifact = "SMT (z3)", smt.smt2

    if smt is not None and smt.status == "refuted":
        problem = _confirm_counterexample(smt, domains, claim, ev)
        if problem:
            return result("error", "SMT (z3) vs exact re-check", problem)
        if ev.instances:
            return result("refuted", "SMT (z3) on the closed sentence; instances re-checked exactly")
        return result("refuted", "SMT (z3) counterexample, re-checked exactly")

    points = CROSS_CHECK_POINTS if proved_by else SEARCH_POINTS
    try:
        report = search(normalized, domains, points, deadline=time.perf_counter() + claim.timeout)
    except (ValueError, TypeError) as e:
        # a term the numeric layer cannot evaluate: the claim stays undecided
        ev.tried.append(f"sampling: not applicable - {e}")
        if proved_by:
            return result("proved", proved_by)
        return result("unknown", "none", "no method could evaluate the claim")
    ev.samples = {"count": report.count, "digits": report.dps, "sampler": report.sampler}
    ev.tried.append(f"sampling: {report.count} points at {report.dps} digits ({report.sampler}), "
                    + ("violation candidate found" if report.violation else "no violation"))
    confirmed = None
    if report.violation is not None:
        confirmed = _confirm_point(normalized, report.violation, domains, claim, ev)
    if proved_by and confirmed:
        return result("error", f"{proved_by} vs sampling",
                      "the proof and an exactly re-checked sample disagree: a bug in lawproof or an encoding")
    if proved_by:
        return result("proved", proved_by)
    if confirmed:
        return result("refuted", "sampling, re-checked exactly")
    if report.violation is not None:
        return result("unknown", "sampling",
                      "a point violates the claim at 50 digits but could not be confirmed exactly")
    if report.count == 0:
        return result("unknown", "none", "no method could evaluate the claim")
    return result("consistent", "sampling")


def _prove_identity(normalized: Formula, domains: dict, claim: Claim, ev: Evidence) -> str | None:
    """An exact identity proves an equation claim once its definedness is proved too."""
    ident = decide_identity(normalized, domains, seconds=claim.timeout)
    if not ident.chain:
        return None
    ev.chain = ident.chain
    if not ident.decided:
        ev.tried.append("symbolic identity: the difference did not simplify to 0; handed on")
        return None
    try:
        needed = [c for a in ident.identities for side in (a.lhs, a.rhs) for c in definedness(side)]
    except OutsideFragment as e:
        ev.tried.append(f"symbolic identity: holds, but definedness cannot be stated ({e})")
        return None
    if not needed:
        ev.tried.append("symbolic identity: the difference simplifies to 0; both sides defined everywhere")
        return "symbolic identity"
    obligation = conj(needed) if ident.premise is None else Implies(ident.premise, conj(needed))
    try:
        smt = decide(obligation, domains, timeout=claim.timeout, shrink=False)
    except OutsideFragment as e:
        ev.tried.append(f"symbolic identity: holds where defined; definedness not provable by SMT ({e})")
        return None
    ev.tried.append(f"symbolic identity: difference simplifies to 0; definedness {to_text(obligation)}: "
                    f"SMT {smt.status}")
    if smt.status == "proved":
        ev.artifact = smt.smt2
        return "symbolic identity + SMT (definedness)"
    return None


def _confirm_counterexample(smt, domains: dict, claim: Claim, ev: Evidence) -> str:
    """Re-check z3's counterexample exactly and at 50 digits; return a problem or ''."""
    if smt.values or not smt.instances:
        ok, problem = _recheck_into(smt.negation, smt.values, smt.witnesses, domains, claim, ev)
        return "" if ok else problem
    for point, sub in smt.instances:
        record = Evidence()
        ok, problem = _recheck_into(sub.negation, sub.values, sub.witnesses, domains, claim, record)
        if not ok:
            return problem
        ev.instances.append({"for": _text(point), "counterexample": record.counterexample,
                             "witnesses": record.witnesses, "values": record.values})
    ev.artifact = smt.smt2
    return "" if ev.instances else "the closed sentence is false by z3 but no instance could be exhibited"


def _recheck_into(negation: Formula, values: dict, witnesses: list, domains: dict,
                  claim: Claim, ev: Evidence) -> tuple[bool, str]:
    check = recheck(negation, values)
    exact = check.exact
    if exact is None:
        # inner quantifiers remain: decide the closed instance exactly with z3
        exact = holds_at(negation, values, domains, timeout=claim.timeout)
        ev.tried.append(f"exact re-check of the inner quantifiers by z3 on the closed instance: {exact}")
    ev.counterexample = _text(values)
    ev.witnesses = sorted(s.name for s in witnesses)
    ev.values = check.values
    if exact is not True:
        return False, f"z3's counterexample {ev.counterexample} does not re-check exactly ({exact})"
    if not check.digits50:
        return False, f"the counterexample {ev.counterexample} holds exactly but not at 50 digits"
    ev.tried.append("counterexample re-checked: exact rational arithmetic and 50 digits agree")
    return True, ""


def _confirm_point(normalized: Formula, point: dict, domains: dict, claim: Claim, ev: Evidence) -> bool:
    """Is a sampled violation real? Only an exact check (or z3 on the closed
    instance) may say so."""
    negation = nnf(Not(normalized))
    check = recheck(negation, point)
    exact = check.exact
    if exact is None:
        try:
            exact = holds_at(negation, point, domains, timeout=claim.timeout)
        except OutsideFragment:
            exact = None
    if exact is True:
        ev.counterexample = _text(point)
        ev.values = check.values
        ev.tried.append("sampled violation re-checked exactly: confirmed")
        return True
    ev.tried.append(f"sampled violation at {_text(point)} not confirmed exactly ({exact})")
    return False


def _derivations(claim: Claim, theory: Theory) -> list[tuple[str, str]]:
    """Closed forms behind each one-variable optimality statement of the claim."""
    steps: list[tuple[str, str]] = []
    if claim.formula is None:
        return steps
    for node in claim.formula.walk():
        if isinstance(node, Optimum) and len(node.binders) == 1:
            f = expand(node.objective, theory, seconds=claim.timeout)
            p = expand(node.point[0], theory, seconds=claim.timeout)
            steps.extend(derive_optimum(f, node.binders[0], p).as_text())
            break
    return steps
