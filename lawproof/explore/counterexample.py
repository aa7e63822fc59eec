"""Counterexamples for claims under model variants, shrunk and re-checked exactly.

For each variant (see `lawproof.explore.variants`), where z3's fragment allows
(polynomials, roots, min/max) the engine checks the restated claim: z3 proves it or
returns a counterexample. Where z3 cannot go (exp, symbolic exponents) a guided
search runs first and looks for a model of the claim's negation with its inner
existentials lifted (so the witness of "some allocation beats zero" is searched
together with the parameters): Halton points of the whole box, plus each point
projected onto the boundary of every non-strict atom of the form `x >= e`
(failures of a threshold claim sit at the threshold). Float evaluation only picks
candidates; a candidate becomes a witness only when the negation holds at it in
exact arithmetic, and then it settles the verdict. Without one, the engine runs
(interval prover, sampling).

Every witness is then shrunk coordinate by coordinate to the simplest rationals
that still fail, each step re-checked exactly, and finally re-checked exactly and
at 50 digits: shrinking never returns a non-witness.

When neither a proof nor a witness comes out, a family whose function provably
satisfies lower < R(x) <= R(at) inherits the claim from the general lemma
(`variants.lemma`), which is itself proved by the engine.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import mpmath
import numpy as np
import sympy

from . import threshold as thr
from . import variants
from ..numeric import vectorize
from ..language.claims import Claim, ClaimFile, Theory
from ..language.domain import Domain
from ..engine import check_claim
from ..language.errors import ClaimInputError, LawproofError, OutsideFragment
from ..language.formula import Atom, Formula, Iff, Implies, Not, Optimum, claim_symbols, conj, nnf, to_text
from ..numeric import Undecided, Undefined, exact_truth, exact_value, interval, mp_value, points, recheck
from ..proofs import decide, holds_at, lift_existentials
from ..proofs.shrink import candidates
from ..symbolic import expand, normalize
from ..language.timeout import cpu, record, safety_seconds, watching
from ..verdict import Result

#: Points drawn by the guided search (each also projected onto premise boundaries).
SEARCH_POINTS = 2000
#: Float candidates re-checked exactly before the search gives up on a batch.
EXACT_TRIES = 8
#: Rounds of coordinate-wise shrinking.
SHRINK_ROUNDS = 3


@dataclass
class Target:
    """What a counterexample must satisfy: the negated claim with its outer
    existentials lifted, and the domains of every symbol in it."""

    formula: Formula
    negation: Formula
    symbols: list[sympy.Symbol]
    witnesses: list[sympy.Symbol]
    domains: dict[sympy.Symbol, Domain]


@dataclass
class Witness:
    """An exact counterexample and the numbers that show it.

    `values`: every coordinate (claim symbols and inner witnesses) as exact rationals,
    by name; `witnesses`: which names are witnesses of inner quantifiers; `atoms`:
    each atom of the negated claim at the point, (lhs, op, rhs, lhs value, rhs value)
    with values at 50 digits; `objective`: for an optimality claim, the objective at
    the witness and at the claimed optimum, and their difference, at 50 digits;
    `found_as`: the point before shrinking, when shrinking changed it.
    """

    values: dict[str, Fraction]
    witnesses: list[str]
    atoms: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    objective: tuple[str, str, str, str, str] | None = None
    found_as: dict[str, Fraction] = field(default_factory=dict)

    def text(self) -> str:
        """`name = value` pairs, by name."""
        return ", ".join(f"{k} = {v}" for k, v in self.values.items())


@dataclass
class Outcome:
    """The verdict on one variant of a claim, with its evidence. `result` is the
    engine's result (None when an exact witness made running the engine unnecessary)."""

    family: str
    function: str
    verdict: str
    method: str
    result: Result | None = None
    witness: Witness | None = None
    threshold: thr.EffectiveThreshold | None = None
    closed_form: str = ""
    closed_form_proof: str = ""
    curve: list[thr.CurvePoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def negated_target(claim: Claim, theory: Theory) -> Target:
    """The claim's negation, existentials lifted, with the free symbols' domains."""
    normalized = normalize(claim, theory, seconds=claim.timeout)
    domains = {s.symbol: s.domain for s in theory.symbols.values()}
    free = sorted(claim_symbols(normalized, domains), key=lambda s: s.name)
    taken = {s.name for node in normalized.walk() for e in node.exprs() for s in e.free_symbols}
    negation, lifted = lift_existentials(nnf(Not(normalized)), taken | {s.name for s in free})
    domains.update({b.symbol: b.domain for b in lifted})
    missing = [s.name for s in free if s not in domains]
    if missing:
        raise ClaimInputError(f"no domain for {', '.join(missing)}", fix="declare it under [symbols]")
    guards = [Atom(op, lhs, rhs) for s in free for op, lhs, rhs in domains[s].constraints(s)]
    return Target(conj(guards + [negation]), negation, free + [b.symbol for b in lifted],
                  [b.symbol for b in lifted], domains)


def is_witness(target: Target, point: dict[sympy.Symbol, Fraction], timeout: float = 2.0) -> bool:
    """Exactly: is `point` a counterexample? Rational arithmetic and certified signs,
    and z3 on the closed instance where inner universal quantifiers remain."""
    if set(point) != set(target.symbols):
        return False
    if any(s.is_integer and v.denominator != 1 for s, v in point.items()):
        return False
    exact = exact_truth(target.formula, point)
    if exact is None:
        try:
            exact = holds_at(target.formula, point, target.domains, timeout=timeout)
        except OutsideFragment:
            return False
    return exact is True


def shrink(target: Target, point: dict[sympy.Symbol, Fraction]) -> dict[sympy.Symbol, Fraction]:
    """The simplest rationals that still fail, one coordinate at a time: smaller
    denominators first, then smaller numerators. Every accepted step is an exact
    witness (float evaluation only orders the tries). Raises ValueError when `point`
    is not a witness to begin with."""
    if not is_witness(target, point):
        raise ValueError("shrink needs an exact counterexample to start from")
    best = dict(point)
    for _ in range(SHRINK_ROUNDS):
        changed = False
        for s in target.symbols:
            for c in _simpler(target, best, s):
                trial = {**best, s: c}
                if is_witness(target, trial):
                    best, changed = trial, True
                    break
        if not changed:
            break
    return best


def _complexity(c: Fraction) -> tuple[int, int]:
    return c.denominator, abs(c.numerator)


#: Simple values every coordinate is tried at (besides the simple values near it).
_SMALL = frozenset(Fraction(n, q) for q in (1, 2, 3, 4) for n in range(-12 * q, 12 * q + 1))


def _simpler(target: Target, point: dict[sympy.Symbol, Fraction], s: sympy.Symbol) -> list[Fraction]:
    """Values simpler than point[s], simplest first, that look like witnesses in floats."""
    v = point[s]
    pool = sorted((c for c in set(candidates(v)) | _SMALL
                   if _complexity(c) < _complexity(v) and (not s.is_integer or c.denominator == 1)),
                  key=lambda c: (*_complexity(c), c))
    if not pool:
        return []
    env = {t: np.full(len(pool), float(point[t])) for t in target.symbols}
    env[s] = np.array([float(c) for c in pool])
    try:
        mask = vectorize.truth(target.formula, env, (len(pool),))
    except ValueError:  # inner quantifiers: no float filter, only the simplest few exactly
        return pool[:EXACT_TRIES]
    return [c for c, ok in zip(pool, mask) if ok]


def search(target: Target, *, seed: int = 0, n: int = SEARCH_POINTS,
           deadline: float | None = None) -> dict[sympy.Symbol, Fraction] | None:
    """A point where the target holds exactly, or None (see the module docstring)."""
    pts = points(target.symbols, target.domains, n, seed=seed)
    if not pts:
        return None
    env = {s: np.array([float(p[s]) for p in pts]) for s in target.symbols}
    batches: list[tuple[sympy.Symbol | None, sympy.Expr | None]] = [(None, None)]
    batches += _boundaries(target)
    for sym, bound in batches:
        if deadline is not None and cpu() > deadline:
            record("the guided search for a witness, before its last batch")
            break
        trial = dict(env)
        try:
            if sym is not None:
                trial[sym] = vectorize.evaluate(bound, env) * np.ones(len(pts))
            mask = vectorize.truth(target.formula, trial, (len(pts),))
        except ValueError:
            return None  # inner universal quantifiers, or a term floats cannot evaluate
        for i in np.flatnonzero(mask)[:EXACT_TRIES]:
            point = dict(pts[i])
            if sym is not None:
                try:
                    v = exact_value(bound, point)
                except (Undefined, Undecided):
                    continue
                if not v.is_Rational:
                    continue
                point[sym] = Fraction(int(v.p), int(v.q))
            if is_witness(target, point):
                return point
    return None


def _boundaries(target: Target) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    """(x, e) for every non-strict atom `x >= e`, `x <= e` or `x = e` of the target
    with x a searched symbol and e free of x: where premise-tight failures sit."""
    out = []
    for node in target.negation.walk():
        if not isinstance(node, Atom) or node.op not in ("<=", ">=", "="):
            continue
        for lone, other in ((node.lhs, node.rhs), (node.rhs, node.lhs)):
            if lone in target.symbols and lone not in other.free_symbols and (lone, other) not in out:
                out.append((lone, other))
    return out


def _numbers(target: Target, point: dict, dps: int = 50) -> list[tuple[str, str, str, str, str]]:
    out = []
    for node in target.negation.walk():
        if isinstance(node, Atom) and (node.lhs.free_symbols | node.rhs.free_symbols) <= set(point):
            sides = []
            for e in (node.lhs, node.rhs):
                try:
                    sides.append(mpmath.nstr(mp_value(e, point, dps), dps))
                except Undefined:
                    sides.append("undefined")
            row = (sympy.sstr(node.lhs), node.op, sympy.sstr(node.rhs), *sides)
            if row not in out:
                out.append(row)
    return out


def _objective_numbers(claim: Claim, theory: Theory, target: Target,
                       point: dict) -> tuple[str, str, str, str, str] | None:
    """(witness name, claimed optimum, f(witness), f(optimum), their difference), at 50 digits."""
    optima = [n for n in claim.formula.walk() if isinstance(n, Optimum) and len(n.binders) == 1]
    if len(optima) != 1:
        return None
    opt = optima[0]
    x = opt.binders[0].symbol
    named = [w for w in target.witnesses if re.fullmatch(re.escape(x.name) + r"(_w)*", w.name)]
    if len(named) != 1:
        return None
    f = expand(opt.objective, theory)
    at_w = f.xreplace({x: named[0]})
    at_p = f.xreplace({x: expand(opt.point[0], theory)})
    try:
        with mpmath.mp.workdps(50):
            vw, vp = mp_value(at_w, point, 50), mp_value(at_p, point, 50)
            return (named[0].name, sympy.sstr(opt.point[0]), mpmath.nstr(vw, 50), mpmath.nstr(vp, 50),
                    mpmath.nstr(vw - vp, 50))
    except Undefined:
        return None


def make_witness(claim: Claim, theory: Theory, target: Target,
                 found: dict[sympy.Symbol, Fraction]) -> Witness:
    """Shrink `found`, re-check the result exactly and at 50 digits, and attach the
    numbers. Raises LawproofError when `found` is not an exact witness."""
    if not is_witness(target, found):
        raise LawproofError(f"the counterexample {_names(found)} does not re-check exactly: a bug in lawproof")
    small = shrink(target, found)
    check = recheck(target.formula, small)
    if not is_witness(target, small) or not check.digits50:
        raise LawproofError(f"the shrunk counterexample {_names(small)} does not re-check: a bug in lawproof")
    return Witness(_names(small), sorted(w.name for w in target.witnesses),
                   _numbers(target, small), _objective_numbers(claim, theory, target, small),
                   _names(found) if small != found else {})


def _names(point: dict[sympy.Symbol, Fraction]) -> dict[str, Fraction]:
    return {s.name: v for s, v in sorted(point.items(), key=lambda kv: kv[0].name)}


def point_from_text(target: Target, values: dict[str, str]) -> dict[sympy.Symbol, Fraction] | None:
    """A counterexample given as {name: "p/q"} (the engine's evidence) as a point of
    the target. A witness may be named after its bound variable with or without the
    "_w" suffixes that lifting adds (backends differ); None when names do not match."""
    def base(name: str) -> str:
        return re.sub(r"(_w)+$", "", name)

    by_base = {base(s.name): s for s in target.symbols}
    if len(by_base) != len(target.symbols) or len(values) != len(by_base):
        return None
    out = {}
    for k, v in values.items():
        s = by_base.get(base(k))
        if s is None:
            return None
        out[s] = Fraction(v)
    return out


def check_variant(variant: variants.Variant, *, seed: int = 0, budget: float = 2.0,
                  scan: str | None = "S",
                  lemma: Callable[[], tuple[variants.Variant, Result] | None] | None = None,
                  prove_closed_form: bool = False, curve: int = 0) -> Outcome:
    """See `_check_variant`; a safety net that fires on the way (see
    docs/budgets.md) leaves the variant unknown, and its notes say so."""
    with watching() as fired:
        out = _check_variant(variant, seed=seed, budget=budget, scan=scan, lemma=lemma,
                             prove_closed_form=prove_closed_form, curve=curve)
    if fired:
        out.notes.extend(f"safety net: {what}" for what in dict.fromkeys(fired))
        if out.verdict in ("proved", "refuted"):
            out.notes.append(f"the {out.verdict} reached past the safety net is not given")
            out.verdict, out.witness = "unknown", None
    return out


def _check_variant(variant: variants.Variant, *, seed: int, budget: float, scan: str | None,
                   lemma: Callable[[], tuple[variants.Variant, Result] | None] | None,
                   prove_closed_form: bool, curve: int) -> Outcome:
    """Verdict on one variant: proved, or refuted with a shrunk exact witness.

    Within z3's fragment the engine decides first. Outside it (exp, symbolic
    exponents) the guided search runs first, and an exact witness settles the
    verdict without the engine's slower methods; otherwise the engine runs.
    `lemma` gives `variants.lemma` for the same claim with the engine's result on it
    (called only when needed); when it is proved, an undecided family that provably
    stays within its bounds inherits the proof. With `scan` (a parameter the objective is affine in), the effective
    threshold is computed at the witness's parameter values and, where SymPy finds
    it, in closed form (proved by the engine when `prove_closed_form`); with `curve`,
    also a*(S) at that many values of S around the threshold (see `_curve`).
    """
    start = time.perf_counter()
    claim, theory = variant.claim, variant.theory
    target = negated_target(claim, theory)
    out = Outcome(variant.name, variant.describe(), "unknown", "none")
    found = None
    if not _in_smt_fragment(target.formula):
        # the batches are the budget; the deadline is only a safety net
        found = search(target, seed=seed, deadline=cpu() + safety_seconds(budget))
        if found is not None:
            out.verdict, out.method = "refuted", "guided search (outside z3's fragment), re-checked exactly"
    if found is None:
        result = check_claim(claim, theory, derivations=False)  # the outcome shows no derivation
        out.result, out.verdict, out.method = result, result.verdict, result.method
        if result.verdict == "refuted" and result.evidence.counterexample:
            found = point_from_text(target, result.evidence.counterexample)
        elif result.verdict in ("consistent", "unknown") and lemma is not None \
                and (proved := lemma()) is not None and proved[1].verdict == "proved":
            bound = proved[0].theory.symbols[proved[0].function.name].domain
            premise = _lemma_premise(variant, claim.timeout, bound.lo if bound.lo_bounded else None,
                                     bound.lo_open)
            out.notes.append(f"lemma premise {premise}")
            if premise.startswith("proved"):
                out.verdict = "proved"
                out.method = "general non-increasing lemma + its premise " + premise.split(":")[0][len("proved "):]
    if found is not None:
        out.witness = make_witness(claim, theory, target, found)
    if scan is not None:
        _thresholds(variant, out, scan, prove_closed_form, curve)
    out.seconds = time.perf_counter() - start
    return out


def _in_smt_fragment(f: Formula) -> bool:
    """No exp, log or non-rational power anywhere: what z3 can take."""
    for node in f.walk():
        for e in node.exprs():
            for t in sympy.preorder_traversal(e):
                if isinstance(t, (sympy.exp, sympy.log)) or (isinstance(t, sympy.Pow) and not t.exp.is_Rational):
                    return False
    return True


def _lemma_premise(variant: variants.Variant, timeout: float, lower: sympy.Expr | None,
                   lower_open: bool) -> str:
    """Prove that the family's function stays within the lemma's bounds,
    lower < R(x) <= R(at) for every x: by z3, or by the interval prover where z3
    cannot take the function (exp, real powers)."""
    x, fn = variant.var, variant.function
    parts = [Atom("<=", fn, fn.xreplace({x: variant.at}))]
    if lower is not None:
        parts.append(Atom("<" if lower_open else "<=", lower, fn))
    formula = conj(parts)
    domains = {s.symbol: s.domain for s in variant.theory.symbols.values()}
    domains[x] = variant.var_domain
    text = f"{to_text(formula)} for every {x}"
    try:
        smt = decide(formula, domains, timeout=timeout, shrink=False)
        return f"{smt.status} by SMT (z3): {text}"
    except OutsideFragment:
        pass
    try:
        found = interval.prove(formula, domains, deadline=cpu() + safety_seconds(timeout))
    except OutsideFragment as e:
        return f"not decided ({e}): {text}"
    except (ValueError, ArithmeticError) as e:  # a failure inside the prover decides nothing
        return f"not decided (interval prover: {type(e).__name__}: {e}): {text}"
    return f"{found.status} by interval branch and bound (arb): {text}"


def _thresholds(variant: variants.Variant, out: Outcome, scan: str, prove: bool, curve: int) -> None:
    try:
        tf = thr.threshold_function(variant.claim, variant.theory, scan)
    except ClaimInputError as e:
        out.notes.append(f"no effective threshold: {e.message}")
        return
    closed = thr.symbolic_threshold(tf)
    if closed is not None:
        out.closed_form = closed.text(tf.var, tf.domain)
        if prove:
            out.closed_form_proof = prove_closed_form(variant, tf, closed).verdict
    if out.witness is None:
        return
    values = {p.name: out.witness.values[p.name] for p in tf.params if p.name in out.witness.values}
    try:
        out.threshold = thr.effective_threshold(tf, values)
        if curve > 0:
            out.curve = thr.astar_curve(tf, values, _curve(out.threshold, curve))
    except (ClaimInputError, LawproofError, ValueError) as e:
        out.notes.append(f"effective threshold not computed: {e}")


def _decimal(x: mpmath.mpf | Fraction, places: int) -> Fraction:
    return Fraction(round(Fraction(str(mpmath.nstr(x, 30))) * 10**places), 10**places)


def _curve(t: thr.EffectiveThreshold, n: int) -> list[Fraction]:
    """`n` decimal values of S from 0.1 below the paper's threshold up to S_c_eff,
    plus the two values 1e-6 either side of S_c_eff, so that the transition shows."""
    low = max(Fraction(0), _decimal(t.corner, 4) - Fraction(1, 10))
    top = _decimal(t.value, 9)
    steps = [low + (top - low) * Fraction(i, max(1, n - 1)) for i in range(max(1, n - 1))]
    return sorted({_decimal(s, 4) for s in steps} | {top - Fraction(1, 10**6), top + Fraction(1, 10**6)})


def prove_closed_form(variant: variants.Variant, tf: thr.ThresholdFunction,
                      closed: thr.SymbolicThreshold) -> Result:
    """Check with the engine: the corner is optimal exactly when S is at least phi
    at the corner and at every root of phi' that lies inside the domain."""
    s = tf.scan
    parts: list[Formula] = [Atom(">=", s, closed.corner)]
    for root, value in closed.candidates:
        inside = conj([Atom("<", tf.domain.lo, root), Atom("<", root, tf.domain.hi)])
        parts.append(Implies(inside, Atom(">=", s, value)))
    optima = [n for n in variant.claim.formula.walk() if isinstance(n, Optimum)]
    formula = Iff(optima[0], conj(parts))
    claim = Claim(id=f"{variant.claim.id}:threshold", text=to_text(formula), formula=formula,
                  timeout=variant.claim.timeout)
    return check_claim(claim, variant.theory)


def counterexamples(source: str | Path | ClaimFile, claim_id: str, param: str = "R",
                    families: list[str] | None = None, *, expr: str | None = None,
                    symbols: dict[str, str] | None = None, var: str | None = None,
                    at: str | None = None, lemma: bool | None = None, lemma_lower: str | None = None,
                    seed: int = 0, budget: float = 2.0, scan: str | None = "S",
                    prove_closed_form: bool = False, curve: int = 0,
                    timeout: float = 2.0) -> tuple[Result | None, list[Outcome]]:
    """The general non-increasing lemma and one Outcome per family (all of FAMILIES
    by default; with `expr`, the user's expression only).

    The lemma (`variants.lemma`, with `lemma_lower`) is checked and returned when
    `lemma` is True, by default when every family is checked; otherwise it is
    checked only if a family needs it, and None is returned (also when it cannot be
    stated for this claim).
    """
    cache: dict[str, tuple[variants.Variant, Result] | None] = {}

    def general() -> tuple[variants.Variant, Result] | None:
        if "lemma" not in cache:
            try:
                lem = variants.lemma(source, claim_id, param, var=var, at=at, lower=lemma_lower,
                                     timeout=timeout)
                cache["lemma"] = (lem, check_claim(lem.claim, lem.theory))
            except ClaimInputError as e:
                if "lemma cannot be stated" not in e.message:
                    raise
                cache["lemma"] = None
        return cache["lemma"]

    shown = general() if (lemma if lemma is not None else families is None and expr is None) else None
    if expr is not None:
        chosen = [variants.apply(source, claim_id, param, expr=expr, symbols=symbols, var=var, at=at,
                                 timeout=timeout)]
    else:
        chosen = [variants.apply(source, claim_id, param, f, var=var, at=at, timeout=timeout)
                  for f in (families or list(variants.FAMILIES))]
    outcomes = [check_variant(v, seed=seed, budget=budget, scan=scan, lemma=general,
                              prove_closed_form=prove_closed_form, curve=curve) for v in chosen]
    return (shown[1] if shown else None), outcomes


def _shown(q: Fraction) -> str:
    """A rational that is a short decimal as that decimal, others as p/q."""
    for k in range(13):
        if 10**k % q.denominator == 0:
            whole, rest = divmod(abs(q.numerator) * 10**k // q.denominator, 10**k)
            sign = "-" if q < 0 else ""
            return f"{sign}{whole}" + (f".{rest:0{k}d}" if k else "")
    return str(q)


def outcome_dict(o: Outcome) -> dict:
    """An Outcome as JSON-ready data (exact values as "p/q" text)."""
    w = o.witness
    t = o.threshold
    return {
        "family": o.family, "function": o.function, "verdict": o.verdict, "method": o.method,
        "witness": None if w is None else {
            "values": {k: str(v) for k, v in w.values.items()}, "witnesses": w.witnesses,
            "found_as": {k: str(v) for k, v in w.found_as.items()},
            "atoms_50_digits": [list(a) for a in w.atoms],
            "objective_50_digits": None if w.objective is None else dict(zip(
                ("witness", "claimed_optimum", "at_witness", "at_claimed_optimum", "difference"), w.objective))},
        "effective_threshold": None if t is None else {
            "values": t.values, "S_c_eff": mpmath.nstr(t.value, 50), "paper_threshold": mpmath.nstr(t.corner, 50),
            "argmax": mpmath.nstr(t.argmax, 50), "transition": t.transition, "method": t.method,
            "exact": None if t.exact is None else sympy.sstr(t.exact)},
        "closed_form": o.closed_form, "closed_form_proof": o.closed_form_proof,
        "astar_curve_50_digits": [{"S": str(p.s), "a_star": mpmath.nstr(p.argmin, 50),
                                   "minimum": mpmath.nstr(p.minimum, 50), "corner": p.corner}
                                  for p in o.curve],
        "notes": o.notes, "engine": None if o.result is None else {
            "verdict": o.result.verdict, "method": o.result.method, "tried": o.result.evidence.tried},
    }


def render(title: str, lemma_result: Result | None, outcomes: list[Outcome]) -> str:
    """The text report of `lawproof counterexample`."""
    lines = [title]
    if lemma_result is not None:
        lines.append(f"general lemma: {lemma_result.says}")
        lines.append(f"  {lemma_result.verdict} ({lemma_result.method})")
    for o in outcomes:
        lines.append("")
        lines.append(f"{o.family}: {o.function}")
        lines.append(f"  verdict     {o.verdict} ({o.method}, {o.seconds:.2f} s)")
        if o.result is not None and o.result.message and o.verdict != "refuted":
            lines.append(f"  message     {o.result.message}")
        w = o.witness
        if w is not None:
            inner = f"   ({', '.join(w.witnesses)}: witness of the inner quantifier)" if w.witnesses else ""
            lines.append(f"  witness     {w.text()}   (exact, shrunk; re-checked exactly and at 50 digits){inner}")
            if w.found_as:
                lines.append(f"  found as    {', '.join(f'{k} = {v}' for k, v in w.found_as.items())}")
            if w.objective is not None:
                name, point, at_w, at_p, gap = w.objective
                rows = ((f"objective at {name} = {w.values[name]}", at_w),
                        (f"objective at the claimed optimum {point}", at_p), ("difference", gap))
                width = max(len(label) for label, _ in rows) + 1
                lines.extend(f"  {label + ':':<{width}} {value}" for label, value in rows)
            else:
                for lhs, op, rhs, lv, rv in w.atoms:
                    lines.append(f"  {lhs} {op} {rhs}:  {lv} {op} {rv}")
        t = o.threshold
        if t is not None:
            at = ", ".join(f"{k} = {v}" for k, v in t.values.items())
            lines.append(f"  at {at}: S_c_eff = {mpmath.nstr(t.value, 30)}  (paper's threshold there: "
                         f"{mpmath.nstr(t.corner, 30)})")
            if t.transition == "jump":
                lines.append(f"              a* jumps from {mpmath.nstr(t.argmax, 20)} to 0 at S = S_c_eff "
                             "(a first-order transition, not a kink)")
            else:
                lines.append("              a* leaves 0 continuously (a kink at the threshold)")
            lines.append(f"              {t.method}")
        if o.curve:
            lines.append("  a*(S) at 50 digits (numeric minimization), around the threshold:")
            for p in o.curve:
                where = "corner" if p.corner else "interior"
                lines.append(f"    S = {_shown(p.s):<12} a* = {mpmath.nstr(p.argmin, 16):<20} "
                             f"T* = {mpmath.nstr(p.minimum, 16):<20} {where}")
        if o.closed_form:
            proof = f"   [{o.closed_form_proof} by the engine]" if o.closed_form_proof else ""
            lines.append(f"  closed form {o.closed_form}{proof}")
        for note in o.notes:
            lines.append(f"  note        {note}")
    lines.append("")
    lines.append(f"{'family':<12} {'verdict':<10} {'witness':<44} effective threshold")
    for o in outcomes:
        wit = o.witness.text() if o.witness else "-"
        if o.threshold is not None:
            eff = f"{mpmath.nstr(o.threshold.value, 12)} > {mpmath.nstr(o.threshold.corner, 12)} ({o.threshold.transition})"
        elif o.verdict == "proved":
            eff = "= the paper's threshold (proved)"
        else:
            eff = "-"
        lines.append(f"{o.family:<12} {o.verdict:<10} {wit:<44} {eff}")
    return "\n".join(lines)


__all__ = ["Target", "Witness", "Outcome", "is_witness", "shrink", "search", "make_witness",
           "check_variant", "prove_closed_form", "counterexamples", "negated_target",
           "point_from_text", "outcome_dict", "render"]
