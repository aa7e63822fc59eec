"""Derive, don't only check: the exact region of parameters where a claim holds.

Quantifier elimination (QEPCAD B, `proofs.region`) turns the claim into a
quantifier-free condition on the named parameters. That condition is trusted only
once z3 proves it equivalent to the claim on the domains (`forall params: region <->
claim`); a disagreement is an `error`. The region is rendered readably, solved for
each parameter in which it is linear (each solved form proved equivalent too), and
compared with the paper's stated condition: same, weaker, stronger or different, with
an exactly re-checked witness point for every difference.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import sympy

from .language import loader
from .language.claims import Claim, ClaimFile, Theory
from .language.domain import Domain
from .language.errors import BackendUnavailable, ClaimInputError, OutsideFragment
from .language.formula import (And, Atom, Formula, Iff, Implies, Not, Or, Quantified, Truth, conj, disj,
                      claim_symbols, free_symbols, to_text)
from .numeric import recheck
from .language.parser import parse_formula
from .proofs import Translator, decide, holds_at
from .proofs.region import QeBackend, close_over, eliminate
from .symbolic import normalize
from .symbolic.normalize import fold

_FLIP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

#: How the paper's condition relates to the derived region, in words.
RELATIONS = {
    "same": "same: derived region = paper's condition (proved equivalent)",
    "weaker": "weaker: the paper's condition also admits points where the claim fails",
    "stronger": "stronger: the paper's condition misses points where the claim holds",
    "different": "different: each admits points the other does not",
}


@dataclass
class Witness:
    """A point in one of the two conditions but not the other, exact rationals as
    text; `claim_holds` is the claim's truth there, decided exactly."""

    inside: str
    outside: str
    point: dict[str, str]
    claim_holds: bool | None


@dataclass
class RegionResult:
    """The region where a claim (or its `region.of` part) holds.

    status: "derived" (QEPCAD's region, proved equivalent by z3), "unknown"
    (elimination or its re-proof ran out of time or failed; `tried` says what was
    done) or "error" (QEPCAD and z3 disagree: a bug in a backend or an encoding).
    `relation` compares the paper's condition with the region (see RELATIONS);
    empty when none is stated, "unknown" when z3 could not decide it.
    """

    paper: str
    claim: str
    status: str
    of: str
    params: list[str]
    eliminated: list[str] = field(default_factory=list)
    context: str = ""
    region: str = ""
    solved: list[tuple[str, str, str]] = field(default_factory=list)
    stated: str = ""
    stated_expanded: str = ""
    relation: str = ""
    witnesses: list[Witness] = field(default_factory=list)
    qepcad_input: str = ""
    qepcad_answer: str = ""
    tried: list[str] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def evidence(self) -> list[tuple[str, str]]:
        """`(what, text)` lines for a claim's Evidence.derivation (no timings, so that
        reports stay reproducible)."""
        if self.status != "derived":
            return [("derived region", f"not derived ({self.status}): {self.message}")]
        out = [(f"derived region in ({', '.join(self.params)}) (QEPCAD B, re-proved by z3)", self.region)]
        out += [(f"derived region solved for {x}" + (f" ({note})" if note else ""), text)
                for x, text, note in self.solved]
        if self.stated:
            out.append(("paper's condition", self._stated_text()))
            out.append(("derived region vs paper's condition", RELATIONS.get(self.relation, self.relation)))
            for w in self.witnesses:
                holds = {True: "holds", False: "fails", None: "undecided"}[w.claim_holds]
                point = ", ".join(f"{k} = {v}" for k, v in w.point.items())
                out.append((f"witness: in the {w.inside}, not in the {w.outside}",
                            f"{point} (re-checked exactly; the claim {holds} there)"))
        return out


    def _stated_text(self) -> str:
        return f"{self.stated}, i.e. {self.stated_expanded}" if self.stated_expanded else self.stated

    def to_text(self, qepcad: bool = False) -> str:
        """The result for a terminal; with `qepcad`, QEPCAD's input and answer too."""
        lines = [f"{self.paper} / {self.claim}"]
        rows = [("region of", self.of), ("assuming", self.context),
                ("parameters", ", ".join(self.params)), ("eliminated", ", ".join(self.eliminated)),
                ("status", f"{self.status} ({self.seconds:.2f} s)"), ("message", self.message),
                ("region", self.region)]
        rows += [(f"solved for {x}", text + (f"   ({note})" if note else "")) for x, text, note in self.solved]
        if self.stated:
            rows += [("paper's", self._stated_text()), ("relation", RELATIONS.get(self.relation, self.relation))]
        lines += [f"  {k:<13} {v}" for k, v in rows if v]
        for w in self.witnesses:
            holds = {True: "holds", False: "fails", None: "undecided"}[w.claim_holds]
            point = ", ".join(f"{k} = {v}" for k, v in w.point.items())
            lines.append(f"  witness       {point}: in the {w.inside}, not in the {w.outside}; "
                         f"the claim {holds} there (re-checked exactly)")
        lines.append("  tried:")
        lines += [f"    - {t}" for t in self.tried]
        if qepcad and self.qepcad_input:
            lines.append("  QEPCAD B input:")
            lines += ["    " + ln for ln in self.qepcad_input.splitlines()]
            lines.append(f"  QEPCAD B answer: {self.qepcad_answer}")
        return "\n".join(lines)


def derive(claim_file: str | Path | ClaimFile, claim_id: str,
           params: Sequence[str] | None = None, *, of: str | None = None, stated: str | None = None,
           timeout: float | None = None, backend: QeBackend | None = None) -> RegionResult:
    """The exact condition on `params` under which claim `claim_id` of `claim_file`
    holds: its formula, or `of` (a formula in the file's language), or the `of` of
    the claim's `region` key; the claim's `assume` is the setting.

    `params` and `stated` (the paper's condition, to compare with) default to the
    claim's `region` key; without one, the parameters are all free symbols of the
    formula. Raises ClaimInputError for bad input and BackendUnavailable when
    QEPCAD B is not installed.
    """
    cf = claim_file if isinstance(claim_file, ClaimFile) else loader.load(claim_file)
    claim = cf.claim(claim_id)
    if claim.error is not None:
        raise claim.error
    return derive_for(claim, cf.theory, params, of=of, stated=stated, timeout=timeout, backend=backend)


def derive_for(claim: Claim, theory: Theory, params: Sequence[str] | None = None, *,
               of: str | None = None, stated: str | None = None, timeout: float | None = None,
               backend: QeBackend | None = None) -> RegionResult:
    """`derive` for a loaded claim."""
    start = time.perf_counter()
    spec = claim.region
    formula, of_text = claim.formula, claim.text
    if of is not None:
        formula, of_text = _parsed(of, "the formula", theory, claim), of
    elif spec is not None and spec.of is not None:
        formula, of_text = spec.of, spec.of_text
    if formula is None:
        raise ClaimInputError("the claim has no formula to derive a region for", claim=claim.id,
                              file=theory.path, fix="give one with --of")
    seconds = timeout if timeout is not None else claim.timeout
    domains = {s.symbol: s.domain for s in theory.symbols.values()}
    target = _normalized(formula, claim, theory)
    chosen = _parameters(params, spec, target, theory, claim)
    context = _context(claim, theory, chosen)
    stated_f, stated_text, stated_expanded = _stated(stated, spec, chosen, theory, claim)
    whole = close_over(target, domains, chosen)
    bound = [b.symbol.name for q in whole.walk() if isinstance(q, Quantified) for b in q.binders]
    out = RegionResult(theory.id, claim.id, "unknown", of_text, [s.name for s in chosen],
                       list(dict.fromkeys(bound)), context=to_text(context) if context is not None else "")
    try:
        qe = eliminate(target, domains, chosen, assume=context, timeout=seconds, backend=backend)
    except OutsideFragment as e:
        raise ClaimInputError(f"no region can be derived: {e}", claim=claim.id, file=theory.path,
                              fix="quantifier elimination takes polynomial and rational terms with "
                                  "roots; exp, log and symbolic powers are outside it") from None
    out.qepcad_input, out.qepcad_answer = qe.script, qe.answer
    out.tried.append(f"QEPCAD B: {qe.status}" + (f" - {qe.detail}" if qe.detail else "")
                     + f" [{qe.seconds:.3f} s]")
    if qe.region is None:
        out.message = qe.detail
        return _done(out, start)
    region = qe.region
    goal = _within(context, Iff(region, whole))
    smt = decide(goal, domains, timeout=seconds)
    out.tried.append(f"z3 re-proof of (region <-> claim): {smt.status} - {smt.detail} [{smt.seconds:.3f} s]")
    if smt.status == "refuted":
        point = ", ".join(f"{s.name} = {v}" for s, v in smt.values.items())
        out.status = "error"
        out.message = (f"QEPCAD's region {_show(region)} disagrees with the claim at {point} (by z3); "
                       "a bug in a backend or in an encoding")
        return _done(out, start)
    if smt.status != "proved":
        out.message = f"QEPCAD's region {_show(region)} could not be re-proved by z3 within {seconds:g} s"
        return _done(out, start)
    out.status, out.region = "derived", _show(region)
    out.solved = _solved_forms(region, chosen, domains, context, seconds)
    if stated_f is not None:
        out.stated, out.stated_expanded = stated_text, stated_expanded
        try:
            _compare(out, region, stated_f, whole, domains, context, seconds)
        except OutsideFragment as e:
            out.relation = "unknown"
            out.tried.append(f"comparison with the paper's condition: not applicable - {e}")
    return _done(out, start)


def _done(out: RegionResult, start: float) -> RegionResult:
    out.seconds = time.perf_counter() - start
    return out


def _normalized(f: Formula, claim: Claim, theory: Theory) -> Formula:
    """Definitions expanded, calculus evaluated, optimality spelled out."""
    return normalize(Claim(id=claim.id, formula=f, timeout=claim.timeout), theory, seconds=claim.timeout)


def _parameters(names: Sequence[str] | None, spec, target: Formula, theory: Theory,
                claim: Claim) -> list[sympy.Symbol]:
    domains = {s.symbol: s.domain for s in theory.symbols.values()}
    if names is None:
        if spec is not None:
            return _with_their_bounds(list(spec.params), domains, claim, theory)
        return [s for s in domains if s in claim_symbols(target, domains)]
    out = []
    for n in names:
        if n not in theory.symbols:
            raise ClaimInputError(f"'{n}' is not a symbol of the file", claim=claim.id, file=theory.path,
                                  fix="name parameters declared under [symbols]: "
                                      + ", ".join(theory.symbols))
        out.append(theory.symbols[n].symbol)
    if not out:
        raise ClaimInputError("no parameters named", claim=claim.id, file=theory.path,
                              fix="give --params S,R (the symbols the region is a condition on)")
    return _with_their_bounds(out, domains, claim, theory)


def _with_their_bounds(params: list[sympy.Symbol], domains: dict[sympy.Symbol, Domain], claim: Claim,
                       theory: Theory) -> list[sympy.Symbol]:
    """`params`, when the domain of each mentions parameters only: a region in q for q
    in [0, p] would be a condition on q whose meaning changes with p."""
    for s in params:
        extra = sorted(t.name for t in domains[s].free_symbols if t not in params)
        if extra:
            raise ClaimInputError(f"the domain of the parameter {s.name} mentions {', '.join(extra)}, "
                                  "which is not a parameter", claim=claim.id, file=theory.path,
                                  fix=f"add {', '.join(extra)} to the parameters")
    return params


def _context(claim: Claim, theory: Theory, params: list[sympy.Symbol]) -> Formula | None:
    """The claim's `assume`, as the setting the region is derived in; it must speak
    of the parameters only."""
    if claim.assume is None:
        return None
    ctx = _normalized(claim.assume, claim, theory)
    extra = sorted(s.name for s in free_symbols(ctx) - set(params))
    if extra:
        raise ClaimInputError(f"the claim's assume mentions {', '.join(extra)}, which is not a parameter",
                              claim=claim.id, file=theory.path,
                              fix="add it to the parameters, or move the assumption into the formula")
    return ctx


def _stated(text: str | None, spec, params: list[sympy.Symbol], theory: Theory,
            claim: Claim) -> tuple[Formula | None, str, str]:
    """The paper's condition normalized, as written, and with definitions expanded
    (empty when there are none)."""
    if text is not None:
        parsed = _parsed(text, "the stated condition", theory, claim)
    elif spec is not None and spec.stated is not None:
        parsed, text = spec.stated, spec.stated_text
    else:
        return None, "", ""
    expanded = _normalized(parsed, claim, theory)
    extra = sorted(s.name for s in free_symbols(expanded) - set(params))
    if extra:
        raise ClaimInputError(f"the stated condition mentions {', '.join(extra)}, which is not a parameter",
                              claim=claim.id, file=theory.path, fix="state it in the parameters only")
    return expanded, text, (_show(expanded) if expanded != parsed else "")


def _parsed(text: str, what: str, theory: Theory, claim: Claim) -> Formula:
    try:
        return parse_formula(text, theory.namespace)
    except ClaimInputError as e:
        e.message = f"in {what}: {e.message}"
        raise e.located(file=theory.path, claim=claim.id)


def _within(context: Formula | None, f: Formula) -> Formula:
    return f if context is None else Implies(context, f)


# -- readable forms --------------------------------------------------------------------------

def _show(f: Formula) -> str:
    """A region in claim-language syntax with as few parentheses as the grammar needs."""
    if isinstance(f, Truth):
        return "true" if f.value else "false"
    if isinstance(f, Atom):
        lhs = _readable(f.lhs) if f.rhs == 0 else f.lhs
        return f"{sympy.sstr(lhs)} {f.op} {sympy.sstr(f.rhs)}"
    if isinstance(f, (And, Or)):
        word = " and " if isinstance(f, And) else " or "
        return word.join(_show(a) if isinstance(a, (Atom, Truth)) or type(a) is type(f)
                         else f"({_show(a)})" for a in f.args)
    if isinstance(f, Not):
        return f"not ({_show(f.arg)})"
    return to_text(f)


def _readable(p: sympy.Expr) -> sympy.Expr:
    """The shortest of: `p` expanded, factored, or collected in one symbol with
    factored coefficients."""
    if not p.is_polynomial():
        return p
    forms = [p, sympy.factor(p)] + [sympy.collect(p, s, func=sympy.factor)
                                    for s in sorted(p.free_symbols, key=lambda s: s.name)]
    return min(forms, key=lambda x: (len(sympy.sstr(x)), sympy.sstr(x)))


def _quotient(num: sympy.Expr, den: sympy.Expr) -> sympy.Expr:
    """`num/den` in its shortest printed form (1/(1 - S) rather than -1/(S - 1))."""
    e = num / den
    forms = [e, sympy.expand(-num) / sympy.expand(-den), sympy.cancel(e)]
    forms += [sympy.apart(e, s) for s in sorted(e.free_symbols, key=lambda s: s.name)]
    return min(forms, key=lambda x: (sympy.count_ops(x), len(sympy.sstr(x)), sympy.sstr(x)))


class _NotLinear(Exception):
    pass


def _solved_forms(region: Formula, params: list[sympy.Symbol], domains: dict[sympy.Symbol, Domain],
                  context: Formula | None, seconds: float) -> list[tuple[str, str, str]]:
    """The region solved for each parameter it is linear in, each form proved
    equivalent to the region by z3: (parameter, text, note on the signs used)."""
    out = []
    for x in params:
        if x not in free_symbols(region):
            continue
        notes: list[str] = []
        try:
            solved = _solve_formula(region, x, domains, context, seconds, notes)
        except (_NotLinear, sympy.PolynomialError):
            continue
        if solved == region:
            continue
        check = decide(_within(context, Iff(region, solved)), domains, timeout=seconds, shrink=False)
        if check.status == "proved":
            out.append((x.name, _show(solved), "; ".join(dict.fromkeys(notes))))
    return out


def _solve_formula(f: Formula, x: sympy.Symbol, domains, context, seconds, notes: list[str]) -> Formula:
    if isinstance(f, Atom):
        return _solve_atom(f, x, domains, context, seconds, notes)
    if isinstance(f, And):
        return conj([_solve_formula(a, x, domains, context, seconds, notes) for a in f.args])
    if isinstance(f, Or):
        return disj([_solve_formula(a, x, domains, context, seconds, notes) for a in f.args])
    if isinstance(f, Truth):
        return f
    raise _NotLinear()


def _solve_atom(a: Atom, x: sympy.Symbol, domains, context, seconds, notes: list[str],
                cases: bool = True) -> Formula:
    """`p op 0` with `p` linear in `x` as `x op' bound`; where the coefficient's sign
    is not fixed by the domains, one case per feasible sign."""
    p = sympy.expand(a.lhs - a.rhs)
    degree = sympy.Poly(p, x).degree()
    if degree <= 0:
        return a
    if degree != 1:
        raise _NotLinear()
    c1, c0 = p.coeff(x, 1), p.coeff(x, 0)
    bound = _quotient(sympy.expand(-c0), c1)
    sign = Translator(dict(domains)).sign(c1, domains, {})
    if sign != 0:
        if not c1.is_number:
            notes.append(f"{sympy.sstr(c1)} {'>' if sign > 0 else '<'} 0 on the domain")
        return Atom(a.op if sign > 0 else _FLIP[a.op], x, bound)
    if not cases:
        raise _NotLinear()
    parts = []
    for cond, rel in ((Atom(">", c1, sympy.Integer(0)), Atom(a.op, x, bound)),
                      (Atom("<", c1, sympy.Integer(0)), Atom(_FLIP[a.op], x, bound)),
                      (Atom("=", c1, sympy.Integer(0)), fold(Atom(a.op, c0, sympy.Integer(0))))):
        if _proves(context, Not(cond), domains, seconds):
            continue  # this sign never occurs
        if isinstance(rel, Atom) and _proves(conj([c for c in (context, cond) if c is not None]), rel,
                                             domains, seconds):
            rel = Truth(True)  # e.g. 1 >= 0 where the coefficient vanishes
        if _proves(context, cond, domains, seconds):
            where = "on the domain" if context is None else "under the claim's assumption"
            notes.append(f"{_show(_tidy(cond, domains, context, seconds))} {where}")
            parts.append(rel)  # the only sign that occurs
            continue
        parts.append(conj([_tidy(cond, domains, context, seconds), _tidy(rel, domains, context, seconds)]))
    return disj(parts)


def _proves(premise: Formula | None, f: Formula, domains, seconds: float) -> bool:
    return decide(_within(premise, f), domains, timeout=seconds, shrink=False).status == "proved"


def _tidy(cond: Formula, domains, context, seconds) -> Formula:
    """A condition in one symbol solved for it when that is immediate (S - 1 < 0
    becomes S < 1)."""
    if not isinstance(cond, Atom):
        return cond
    syms = sorted((cond.lhs - cond.rhs).free_symbols, key=lambda s: s.name)
    if len(syms) != 1:
        return cond
    try:
        return _solve_atom(cond, syms[0], domains, context, seconds, [], cases=False)
    except (_NotLinear, sympy.PolynomialError):
        return cond


# -- the paper's condition -------------------------------------------------------------------

def _compare(out: RegionResult, region: Formula, stated: Formula, whole: Formula,
             domains: dict[sympy.Symbol, Domain], context: Formula | None, seconds: float) -> None:
    """Which way the paper's condition and the derived region differ, with a witness
    point (z3 model, shrunk, re-checked in exact arithmetic) in each difference."""
    sufficient = decide(_within(context, Implies(stated, region)), domains, timeout=seconds)
    necessary = decide(_within(context, Implies(region, stated)), domains, timeout=seconds)
    out.tried.append(f"z3: paper's condition -> region: {sufficient.status}; "
                     f"region -> paper's condition: {necessary.status}")
    if "unknown" in (sufficient.status, necessary.status):
        out.relation = "unknown"
        return
    for smt, inside, outside in ((sufficient, "paper's condition", "derived region"),
                                 (necessary, "derived region", "paper's condition")):
        if smt.status != "refuted":
            continue
        check = recheck(smt.negation, smt.values)
        if check.exact is not True:
            out.relation = "unknown"
            out.tried.append(f"witness {check.point} did not re-check exactly ({check.exact})")
            return
        holds = holds_at(_within(context, whole), smt.values, domains, timeout=seconds)
        out.witnesses.append(Witness(inside, outside, check.point, holds))
    out.relation = {("proved", "proved"): "same", ("refuted", "proved"): "weaker",
                    ("proved", "refuted"): "stronger"}.get((sufficient.status, necessary.status),
                                                          "different")


def region_evidence(claim: Claim, theory: Theory) -> list[tuple[str, str]]:
    """Derivation lines for a claim with a `region` key, for the engine's evidence; a
    region that cannot be derived here says why instead of failing the claim."""
    try:
        return derive_for(claim, theory).evidence()
    except (BackendUnavailable, ClaimInputError, OutsideFragment) as e:
        return [("derived region", f"not derived: {e}")]


__all__ = ["RegionResult", "Witness", "RELATIONS", "derive", "derive_for", "region_evidence"]
