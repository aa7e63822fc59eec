"""Decide a normalized claim with z3: unsat of its negation proves it; a model of
the negation is a counterexample, with witnesses for the inner quantifiers,
shrunk to small rationals."""
from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import sympy
import z3

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import Binder, Formula, Not, Quantified, claim_symbols, free_symbols, nnf
from lawproof.language.killable import in_child
from lawproof.language.timeout import SafetyNetHit, interrupting, net, rlimit_for, running

from .shrink import candidates
from .translate import Translator, lift_existentials

#: Budget per shrinking step, in z3 resource units (deterministic: the same
#: counterexample on a busy machine as on an idle one; the bundled papers' largest step
#: uses 0.19 million). The steps run in the worker process (lawproof.language.killable),
#: killed at the shrinking's CPU net: `safety_seconds` of the claim's timeout, or the
#: claim's limit if sooner.
SHRINK_CHECK_RLIMIT = 2_000_000

#: Called with every outcome `decide` returns (its SMT-LIB2 text and z3's answer on
#: it): the test suite registers one to replay every query lawproof writes with a
#: second solver. Empty in normal use.
OBSERVERS: list[Callable[["SmtOutcome"], None]] = []


@dataclass
class SmtOutcome:
    """What z3 said about a claim.

    status: "proved" (negation unsat), "refuted" (model found), "unknown".
    `negation` is the negated claim with its outer existentials lifted; with
    `values` (free symbols and witnesses, exact rationals) it is the formula a
    counterexample must satisfy, for the exact re-check. A closed claim (no free
    symbols) that is refuted has no point; `instances` then holds counterexamples
    for sample values of its outer existential.
    """

    status: str
    smt2: str = ""
    detail: str = ""
    values: dict[sympy.Symbol, Fraction] = field(default_factory=dict)
    witnesses: list[sympy.Symbol] = field(default_factory=list)
    negation: Formula | None = None
    instances: list[tuple[dict[sympy.Symbol, Fraction], "SmtOutcome"]] = field(default_factory=list)
    seconds: float = 0.0
    #: symbols whose model value is an irrational algebraic number (in `values` only as
    #: a rational approximation, so the point is no exact counterexample)
    irrational: list[sympy.Symbol] = field(default_factory=list)
    #: the domain of each witness (its quantifier's; bounds may mention other symbols)
    witness_domains: dict[sympy.Symbol, Domain] = field(default_factory=dict)


def _to_fraction(v: z3.ExprRef) -> Fraction:
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    if z3.is_algebraic_value(v):
        return _to_fraction(v.approx(30))
    raise OutsideFragment(f"z3 returned a non-numeric value {v}")


#: Whether `decide` prints its query (the artifact) unless told: a check whose results
#: no report shows need not (`printing_artifacts`).
_ARTIFACTS: contextvars.ContextVar[bool] = contextvars.ContextVar("artifacts", default=True)


@contextmanager
def printing_artifacts(on: bool) -> Iterator[None]:
    """Within the block, `decide` prints its query only if `on` (or asked to, or an
    observer wants it): printing it from a fresh context is a tenth of a small check."""
    token = _ARTIFACTS.set(on)
    try:
        yield
    finally:
        _ARTIFACTS.reset(token)


def decide(f: Formula, domains: dict[sympy.Symbol, Domain], *, timeout: float = 5.0,
           shrink: bool = True, fixed: dict[sympy.Symbol, Fraction] | None = None,
           rlimit: int | None = None, bounds: Callable | None = None, artifact: bool | None = None,
           instances: bool = True) -> SmtOutcome:
    """Prove `f` (free symbols universal over `domains`) or find a counterexample.

    The budget is z3's own resource count, deterministic: `rlimit` units, by default
    `rlimit_for(timeout)`; it gives the same answer on a busy machine as on an idle
    one. A CPU-time safety net (`safety_seconds(timeout)`, or the claim's limit if sooner)
    only bounds the query against z3 work its count misses: when it fires the watchdog
    interrupts z3, the outcome is unknown, its detail says so and it is recorded.

    `fixed` pins free symbols to exact values by constraints rather than by
    substitution: SymPy would evaluate sqrt(-2) to a complex number and lose
    the fact that the term is undefined there.
    `bounds` (proofs/bounds.py) encloses transcendental terms by certified bounds:
    then only "proved" means anything, a model of the negation is no counterexample.
    With `artifact` False the outcome's `smt2` is left empty (unless an observer
    wants it): printing the query is a noticeable part of a small one's cost. Unset,
    it is what the enclosing `printing_artifacts` says (by default True).
    With `instances` False a refuted closed sentence gets no instances (`with_instances`
    adds them), for a caller that may replace the outcome by another.
    Raises OutsideFragment when `f` uses something z3 cannot take (exp, log, ...).
    """
    start = time.perf_counter()
    free = sorted(claim_symbols(f, domains), key=lambda s: s.name)
    missing = [s.name for s in free if s not in domains]
    if missing:
        raise OutsideFragment(f"no domain for {', '.join(missing)}")
    taken = {s.name for e in _all_exprs(f) for s in e.free_symbols} | {s.name for s in free}
    negation, witnesses = lift_existentials(nnf(Not(f)), taken)
    scope = {s: domains[s] for s in free}
    scope.update({b.symbol: b.domain for b in witnesses})
    tr = Translator(scope, bounds=bounds)
    solver = z3.Solver(ctx=tr.ctx)
    budget = rlimit if rlimit is not None else rlimit_for(timeout)
    solver.set("rlimit", budget)
    for s in free:
        solver.add(*tr.domain_constraints(s, domains[s], scope))
    for s, v in (fixed or {}).items():
        solver.add(tr.var(s) == tr.value(v))
    solver.add(tr.formula(negation, scope))
    deaf = tr.nonlinear_integers()
    if artifact is None:
        artifact = _ARTIFACTS.get()
    text = canonical_smt2(printed(solver)) if artifact or OBSERVERS or deaf else ""
    smt2 = text if artifact or OBSERVERS else ""
    order = free + [b.symbol for b in witnesses]
    if deaf:
        verdict, why, point, said = _check_in_worker(text, budget, [tr.var(s) for s in order], timeout)
    else:
        verdict, why, point, said = _check(solver, tr, order, timeout)
    out = SmtOutcome("unknown", smt2=smt2, negation=negation, witnesses=[b.symbol for b in witnesses],
                     witness_domains={b.symbol: b.domain for b in witnesses})
    if verdict == "unsat":
        out.status, out.detail = "proved", "z3: the negation is unsatisfiable"
    elif verdict == "sat":
        out.status = "refuted"
        variables = [tr.var(s) for s in order]
        if shrink and order:
            inside = [tr.domain_constraints(b.symbol, b.domain, scope) for b in witnesses]
            # in the worker process, which the net can kill: z3 ignores interrupts in
            # some of the incremental queries shrinking makes
            point = in_child(_shrink, _shrink_call(solver, variables, [[]] * len(free) + inside, point),
                             net(timeout, "shrinking a counterexample"))
        out.values = {s: v for s, (v, _) in zip(order, point)}
        out.irrational = [s for s, (_, irrational) in zip(order, point) if irrational]
        if out.irrational:
            out.detail = ("z3: the negation has a model only at irrational values of "
                          + ", ".join(s.name for s in out.irrational))
        else:
            out.detail = "z3: the negation has a model" + (", shrunk to small rationals" if shrink else "")
        if _closed_exists(f, out):
            out.detail = "z3: the negated closed sentence holds; exact counterexamples for sample values of " + \
                ", ".join(b.symbol.name for b in f.binders)
            if instances:
                out.instances = _instances(f, domains, timeout)
    else:
        if said:
            out.detail = f"z3 was interrupted before its budget of {budget} resource units ran out: {said}"
        elif "resource limit" in why or "canceled" in why:  # z3 says either when the rlimit runs out
            out.detail = f"z3 returned unknown: its budget of {budget} resource units ran out"
        else:
            out.detail = f"z3 returned unknown ({why}) within its budget of {budget} resource units"
    out.seconds = time.perf_counter() - start
    for observe in OBSERVERS:
        observe(out)
    return out


def _check(solver: z3.Solver, tr: Translator, order: list[sympy.Symbol],
           timeout: float) -> tuple[str, str, list[tuple[Fraction, bool]] | None, str]:
    """z3's answer on the query in `solver` ("sat", "unsat" or "unknown"), its reason
    when unknown, the model's point of the `order` variables when sat, and what a net
    cut short ("" if none): in this process, the watchdog interrupting z3 at the net."""
    with interrupting(tr.ctx.interrupt, timeout, "a z3 query") as guard:
        verdict = solver.check()
    point = _point(solver.model(), [tr.var(s) for s in order]) if verdict == z3.sat else None
    return str(verdict), solver.reason_unknown() if verdict == z3.unknown else "", point, guard.said


def _check_in_worker(smt2: str, rlimit: int, variables: list[z3.ArithRef],
                     timeout: float) -> tuple[str, str, list[tuple[Fraction, bool]] | None, str]:
    """`_check` for a query with nonlinear integer arithmetic, where z3 ignored the
    watchdog's interrupts for seconds (fuzz run, issue 16: 1-4 s past a 1 s limit): the
    query's text (`smt2`, also the artifact, so that replaying it gives this answer) is
    solved under the same `rlimit` in the worker process (lawproof.language.killable),
    which is killed at the same net."""
    guard = net(timeout, "a z3 query")
    try:
        with running("a z3 query"):
            return (*in_child(_solve_text, (smt2, rlimit, _sent(variables)), guard), "")
    except SafetyNetHit:
        return "unknown", "", None, guard.said


def _sent(variables: list[z3.ArithRef]) -> list[tuple[str, bool]]:
    """The variables as the worker gets them: each one's name and whether it is an
    integer (z3 terms belong to this process's context)."""
    return [(v.decl().name(), v.is_int()) for v in variables]


def _received(sent: list[tuple[str, bool]], ctx: z3.Context) -> list[z3.ArithRef]:
    """In the worker: the variables `_sent` names, in the context `ctx`."""
    return [z3.Int(name, ctx) if integer else z3.Real(name, ctx) for name, integer in sent]


def _solve_text(smt2: str, rlimit: int,
                sent: list[tuple[str, bool]]) -> tuple[str, str, list[tuple[Fraction, bool]] | None]:
    """In the worker: z3's answer on the SMT-LIB2 query `smt2` under `rlimit`, its reason
    when unknown, and the model's point of the variables `sent` (`_sent`) when sat."""
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.set("rlimit", rlimit)
    try:
        solver.add(*z3.parse_smt2_string(smt2, ctx=ctx))
    except z3.Z3Exception as e:
        return "unknown", f"the query did not read back: {e}", None
    verdict = solver.check()
    if verdict != z3.sat:
        return str(verdict), solver.reason_unknown() if verdict == z3.unknown else "", None
    return "sat", "", _point(solver.model(), _received(sent, ctx))


def printed(solver: z3.Solver) -> str:
    """The solver's query as SMT-LIB2, printed from a copy in a fresh context. z3 binds
    with `let` every term referenced more than once, Python's references included, so
    the solver's own printout depends on which Python objects happen to be alive: a Dask
    worker's sampling profiler, holding a finished frame of the translator for a moment,
    gave another artifact for the same claim (review12). In the copy only the query
    references its terms. (The assertions are copied, not the solver: `Solver.translate`
    sets up a whole solver, 0.4 s.)"""
    ctx = z3.Context()
    copy = z3.Solver(ctx=ctx)
    copy.add(*[a.translate(ctx) for a in solver.assertions()])
    return copy.to_smt2()


def canonical_smt2(text: str) -> str:
    """z3 names its let-bindings after internal term ids, which depend on what was
    built before; renumber them by first appearance so the artifact is reproducible."""
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        return names.setdefault(m.group(0), f"{m.group(1)}t{len(names)}")

    return re.sub(r"([$?])x\d+", rename, text)


def _point(model: z3.ModelRef, variables: list[z3.ArithRef]) -> list[tuple[Fraction, bool]]:
    """The model's value of each variable (an algebraic one as a rational approximation)
    and whether it is irrational: plain values, which the worker can send."""
    values = [model.eval(v, model_completion=True) for v in variables]
    return [(_to_fraction(v), z3.is_algebraic_value(v)) for v in values]


def _shrink_call(solver: z3.Solver, variables: list[z3.ArithRef], inside: list[list[z3.BoolRef]],
                 point: list[tuple[Fraction, bool]]) -> tuple:
    """The arguments of `_shrink` in the worker: the negation and then each variable's
    `inside` constraints as one SMT-LIB2 script, the variables (`_sent`)."""
    whole = z3.Solver(ctx=solver.ctx)
    whole.add(*solver.assertions())
    for constraints in inside:
        whole.add(*constraints)
    return whole.to_smt2(), _sent(variables), [len(c) for c in inside], point


def _shrink(script: str, sent: list[tuple[str, bool]], groups: list[int],
            point: list[tuple[Fraction, bool]]) -> list[tuple[Fraction, bool]]:
    """In the worker (lawproof.language.killable): `point`, a model of the negation in
    `script`, shrunk (`_shrunk`); `point` itself if the script does not read back."""
    ctx = z3.Context()
    try:
        asserted = list(z3.parse_smt2_string(script, ctx=ctx))
    except z3.Z3Exception:
        return point
    base = len(asserted) - sum(groups)
    if base < 0:
        return point
    solver = z3.Solver(ctx=ctx)
    solver.add(*asserted[:base])
    variables = _received(sent, ctx)
    inside = []
    for size in groups:
        inside.append(asserted[base:base + size])
        base += size
    return _shrunk(solver, variables, inside, point)


def _shrunk(solver: z3.Solver, variables: list[z3.ArithRef], inside: list[list[z3.BoolRef]],
            point: list[tuple[Fraction, bool]]) -> list[tuple[Fraction, bool]]:
    """Fix variables one at a time to the simplest rational that keeps the negation
    satisfiable, starting from `point` (a model's values); the final point is rational
    wherever one of the candidates was.

    A witness whose quantifier sits in a disjunct the model does not need is left
    unconstrained by the negation (its domain guards that disjunct only), so z3 may give
    it any value, e.g. 0 for `u` in [2, 5]: it is first kept in its domain (`inside`)
    whenever that stays satisfiable, so no reported value lies outside its domain.

    Runs in the worker, which the claim's limit kills (z3 ignores interrupts in some of
    these incremental queries): each step has its budget, no CPU net of its own."""
    solver.set("rlimit", SHRINK_CHECK_RLIMIT)
    # the steps are incremental queries, which z3 sends to its core without simplifying
    # them first: a variable pinned to a value stays a variable, and the nonlinear
    # solver's LP optimization of bounds then tightens monomial bounds by integer roots
    # of rationals thousands of digits long, uncounted in the rlimit and deaf to
    # interrupts (4 s past a 1 s limit, issue 16); without it such a step takes 10 ms
    solver.set("arith.nl.optimize_bounds", False)
    for i, v in enumerate(variables):
        if inside[i]:
            solver.push()
            solver.add(*inside[i])
            if solver.check() == z3.sat:
                point = _point(solver.model(), variables)
            else:
                solver.pop()
        for c in candidates(point[i][0]):
            if v.is_int() and c.denominator != 1:
                continue
            solver.push()
            solver.add(v == z3.RealVal(f"{c.numerator}/{c.denominator}", solver.ctx))
            if solver.check() == z3.sat:
                point = _point(solver.model(), variables)
                break
            solver.pop()
    return point


def with_instances(out: SmtOutcome, f: Formula, domains: dict[sympy.Symbol, Domain], *,
                   timeout: float = 5.0) -> SmtOutcome:
    """`out`, a refutation of `f` by `decide(..., instances=False)`, with the instances
    it left out: counterexamples to the body for a few values of the outer existential
    when `f` is a closed `exists` sentence (its negation has no point to show)."""
    if out.status == "refuted" and _closed_exists(f, out):
        out.instances = _instances(f, domains, timeout)
    return out


def _closed_exists(f: Formula, out: SmtOutcome) -> bool:
    """Is `f` a closed `exists` sentence whose negation z3 found true (no free symbols,
    no witnesses lifted from the negation: a refutation without a point)?"""
    return isinstance(f, Quantified) and f.kind == "exists" and not out.witnesses and not free_symbols(f)


def _instances(f: Quantified, domains: dict[sympy.Symbol, Domain], timeout: float) -> list:
    """Counterexamples to `f`'s body for a few values of its outer existential."""
    out = []
    inner = dict(domains)
    inner.update({b.symbol: b.domain for b in f.binders})
    for point in _sample_values(f.binders):
        try:
            sub = decide(f.body, inner, timeout=timeout, fixed=point)
        except OutsideFragment:
            continue
        if sub.status == "refuted":
            out.append((point, sub))
    return out


def _sample_values(binders: tuple[Binder, ...]) -> list[dict[sympy.Symbol, Fraction]]:
    """A few representative exact values per binder: lower end, middle, near the top."""
    picks: list[dict[sympy.Symbol, Fraction]] = []
    for t in (Fraction(0), Fraction(1, 2), Fraction(9, 10), Fraction(99, 100)):
        point = {}
        for b in binders:
            lo, hi = b.domain.lo, b.domain.hi
            if not (lo.is_Rational and (hi.is_Rational or hi == sympy.oo)):
                return picks
            lo_f = Fraction(int(lo.p), int(lo.q))
            if hi == sympy.oo:
                v = lo_f + t / (1 - t) if t < 1 else lo_f + 100
            else:
                v = lo_f + t * (Fraction(int(hi.p), int(hi.q)) - lo_f)
            if t == 0 and b.domain.lo_open:
                continue
            point[b.symbol] = v
        if len(point) == len(binders):
            picks.append(point)
    return picks[:3]


def _all_exprs(f: Formula):
    for node in f.walk():
        yield from node.exprs()


def holds_at(f: Formula, values: dict[sympy.Symbol, Fraction], domains: dict[sympy.Symbol, Domain],
             *, timeout: float = 5.0) -> bool | None:
    """Truth of `f` at `values` (exact rationals for its free symbols), decided by z3;
    None when z3 cannot decide. A fixed symbol's domain is no assumption here: a value
    outside it made the query's assumptions contradictory, so every formula "held"
    there (a shrunk witness a_w = -1 of a quantifier over [0, 1) was accepted)."""
    scope = dict(domains)
    for s in values:
        scope[s] = Domain(-sympy.oo, sympy.oo, True, True)
    out = decide(f, scope, timeout=timeout, shrink=False, fixed=values, artifact=False)
    return {"proved": True, "refuted": False}.get(out.status)
