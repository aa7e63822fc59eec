"""First-order (KKT) form of `minimized_at` / `maximized_at`, used when the objective
is certified convex (concave for a maximum) on the feasible set.

The plain encoding of `minimized_at(f, x, v, C)` is "v is feasible and every
feasible x has f(x) >= f(v)": a universal quantifier over a nonlinear formula,
which z3 does not scale to several variables. When a certificate holds, this
module replaces it by the first-order conditions at v: a quantifier-free formula
(existential only when a nonstrict general linear constraint needs a multiplier).

Setting. The variables x = (x_1..x_n) range over a box (each binder's domain, ends
open or closed, finite or infinite, bounds free of the variables, real not
integer) intersected with C, a conjunction of linear equations and inequalities
in x, strict or not (coefficients may involve parameters). The feasible set F is
convex. A maximum is a minimum of -f.

Certificate (`lawproof.symbolic.convexity.certify`, side conditions proved here by
z3 for every value of the parameters and every x in F, using the claim's `assume`
and the premises of enclosing implications): f is defined and infinitely
differentiable on an open set containing F, and convex on F. Convexity must hold on
the WHOLE feasible set, not only near v: near v it would only make v a local minimum.

Claim: for v in F, "v minimizes f over F" holds iff KKT(v):
    g = grad f(v); there are multipliers lambda_j >= 0 for the nonstrict
    inequalities d_j(x) <= 0 of C and mu_k (free) for its equations e_k(x) = 0 with
    lambda_j d_j(v) = 0, such that h = g + sum lambda_j grad d_j + sum mu_k grad e_k
    lies in the box's normal cone at v: for every i, h_i = 0, or v_i is a closed
    lower end and h_i >= 0, or v_i is a closed upper end and h_i <= 0.

Proof. (1) v minimizes f over F iff g.(x - v) >= 0 for every x in F. If: convexity on
F and differentiability at v give f(x) >= f(v) + g.(x - v) along the segment from v
to x, which lies in F. Only if: for x in F the points v + t(x - v), 0 < t <= 1, are
in F, and g.(x - v) < 0 would make f smaller than f(v) for small t (no convexity
needed). (2) The linear condition over F is the same over its closure P (replace
every strict inequality by the nonstrict one): F is convex and nonempty (it holds
v), so P is the closure of F — for y in P the points (1 - t) v + t y, t < 1, satisfy
the strict inequalities — and a linear inequality that holds on F holds on its
closure. (3) "v minimizes g.x over the polyhedron P" is, by LP duality (Farkas'
lemma, exact for linear constraints: no constraint qualification is needed), the
existence of the multipliers above, with every constraint that is strict in C
inactive at v (v is in F) and so of multiplier 0 — which is why strict
constraints and open domain ends never appear in KKT(v). (4) The box part is
separable: g.(x - v) >= 0 for all x in a box holds coordinate by coordinate,
which is the normal-cone disjunction.

Open domains (a in [0, 1)): v must be feasible, so an open end is never active; a
minimum that is not attained (S = 0 in the Amdahl model: T decreases towards
a = 1) has no feasible v satisfying KKT(v), and then both encodings say false.
Feasibility of v and definedness: KKT(v) is conjoined with "v is feasible" exactly
as the plain encoding spells it; where f would be undefined somewhere on F (for
some parameter values) the certificate fails and the plain encoding stays.

Whenever the certificate is missing (curvature unknown, a constraint that is not
linear, integer variables) the quantified encoding is kept unchanged. A
counterexample found on the first-order form is re-decided on the quantified form
at the same parameter values, which supplies the witnesses (a better point) and
checks the reduction: the two disagreeing is an error, never resolved silently.
"""
from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction

import sympy

from lawproof.language.claims import Claim, Theory
from lawproof.language.domain import Domain
from lawproof.language.errors import BackendTimeout, EncodingDisagreement, OutsideFragment
from lawproof.language.formula import (And, Approx, Atom, Binder, canonical, Formula, Iff, Implies, Not, Optimum, Or,
                              Quantified, Truth, claim_symbols, conj, disj, free_symbols, nnf, renumbering,
                              to_text)
from lawproof.symbolic import expand_formula, normalize
from lawproof.symbolic.convexity import CONCAVE, CONVEX, Certificate, Prover, certify
from lawproof.symbolic.normalize import fold
from lawproof.language.timeout import RLIMIT_PER_SECOND, rlimit_for, time_limit, watching

from .box import Unsupported, box_holds, value
from .smt import SmtOutcome, decide, with_instances
from .translate import lift_existentials

_ZERO = sympy.Integer(0)
#: z3's resources for each side condition of a certificate (a count, so the certificate
#: does not depend on the machine's speed): those of the bundled packs need at most
#: about 170 000 (0.15 s); a Hessian minor z3 cannot settle quickly would only delay
#: the quantified encoding. The CPU-time limit is only a safety net: `safety_seconds`
#: of the seconds this budget stands for, or the claim's limit if sooner.
SIDE_CONDITION_RLIMIT = 400_000
SIDE_CONDITION_SECONDS = SIDE_CONDITION_RLIMIT / RLIMIT_PER_SECOND
#: z3's resources for a claim whose optima are over one variable each, decided as written
#: before any certificate is made (`_decided_as_written`): z3 decides the Amdahl pack's in
#: at most about 50 000 units, and then neither the certificate (for a non-convex
#: objective a Hessian minor z3 spent 400 000 units failing to prove) nor the sampled
#: cross-check of a first-order form is needed. A count, so whether this settles a claim
#: does not depend on the machine.
AS_WRITTEN_RLIMIT = 200_000
Domains = dict[sympy.Symbol, Domain]


@dataclass
class Reduction:
    """One optimum of a claim: its certificate and, when certified, its first-order form."""

    optimum: Optimum
    certificate: Certificate | None = None
    form: Formula | None = None
    reason: str = ""

    def as_text(self) -> list[tuple[str, str]]:
        """Evidence lines: the optimum, the certificate, the first-order form."""
        name = "minimized_at" if self.optimum.kind == "min" else "maximized_at"
        point = ", ".join(sympy.sstr(p) for p in self.optimum.point)
        head = (f"KKT: {name} over ({', '.join(b.symbol.name for b in self.optimum.binders)}) at ({point})",
                "first-order conditions replace the quantifier" if self.form is not None
                else f"quantified encoding kept: {self.reason}")
        lines = [head] + (self.certificate.as_text() if self.certificate else [])
        if self.form is not None:
            lines.append(("first-order form", to_text(self.form)))
        return lines


@dataclass
class KktReport:
    """What the reduction did to a claim; `original` is the claim's quantified
    normal form, kept to re-decide counterexamples found on the reduced one."""

    reductions: list[Reduction] = field(default_factory=list)
    original: Formula | None = None
    #: z3's outcome on the quantified form as written, when that decided the claim
    #: before any reduction (`AS_WRITTEN_RLIMIT`)
    decided: SmtOutcome | None = None

    @property
    def reduced(self) -> bool:
        return any(r.form is not None for r in self.reductions)

    def label(self, method: str) -> str:
        """The engine's method name, saying which encoding decided the claim."""
        if not self.reduced or method == "none":
            return method
        how = sorted({r.certificate.method for r in self.reductions if r.form is not None and r.certificate})
        via = f" via KKT (convexity certified: {', '.join(how)})"
        solver = "SMT (z3)"
        if method.startswith(solver):
            rest = method[len(solver):].strip()
            return solver + via + (f": {rest}" if rest else "")
        return method + via

    def evidence(self) -> list[tuple[str, str]]:
        return [line for r in self.reductions for line in r.as_text()]

    def notes(self) -> list[str]:
        """One line per optimum for the list of methods tried."""
        if self.decided is not None:
            return [f"KKT reduction: not needed (z3 decided the quantified form within {AS_WRITTEN_RLIMIT} "
                    "resource units)"]
        return [f"KKT reduction: {r.certificate.curvature} by {r.certificate.method}, first-order form used"
                if r.form is not None else f"KKT reduction: not applied ({r.reason})"
                for r in self.reductions]


def prover(domains: Domains, region: list[Formula], *, timeout: float = 5.0,
           rlimit: int | None = None) -> Prover:
    """A prover of side conditions for the convexity certificate: exact interval
    arithmetic on `domains` alone, or else z3, shows that the condition holds for every
    value in `domains` satisfying `region`."""
    premise = conj(region)
    given = "" if premise == Truth(True) else f", given {to_text(premise)}"

    def prove(condition: Formula) -> str | None:
        if isinstance(condition, Atom) and _holds_on_the_box(condition, domains):
            return "proved by exact interval arithmetic on the domains"
        # symbols that only domain bounds mention (S in [Sstar, 1]) keep their own domains
        hyps = [premise] + [Atom(op, lhs, rhs) for s in _bound_symbols(free_symbols(condition) |
                            free_symbols(premise), domains) for op, lhs, rhs in domains[s].constraints(s)]
        goal = condition if conj(hyps) == Truth(True) else Implies(conj(hyps), condition)
        if _false_at_a_point(goal, domains):
            return None  # z3 could not prove it either, and may spend long finding that out
        try:
            out = decide(goal, domains, timeout=timeout, shrink=False, rlimit=rlimit, artifact=False)
        except OutsideFragment:
            return None
        return f"proved by z3 on the domains{given}" if out.status == "proved" else None

    return prove


def _holds_on_the_box(condition: Atom, domains: Domains) -> bool:
    """Does interval arithmetic show `condition` for every value in the domains of its
    symbols, premises aside (most side conditions are a sign a domain gives: `1 - a > 0`
    for a in [0, 1), `S >= 0`)? Then no z3 context and query are needed."""
    f = condition.lhs - condition.rhs
    symbols = f.free_symbols
    return symbols <= domains.keys() and box_holds(condition.op, f, {s: domains[s] for s in symbols})


#: A side condition with at least this many SymPy nodes (a Hessian minor) is first
#: evaluated exactly at a few points of the domains: z3 takes up to 0.3 s to find one
#: false, while the small ones it settles in milliseconds.
LARGE_CONDITION = 150


def _false_at_a_point(goal: Formula, domains: Domains) -> bool:
    """Is a large `goal` false, evaluated exactly, at one of a few rational points
    inside the domains of its free symbols (at most 3 values each, 4 symbols)? Then
    it does not hold on the domains, so no prover can prove it. Only speed depends on
    this: False says nothing (small goals, symbolic or integer domains, a value that
    is not rational are not evaluated)."""
    exprs = [e for node in goal.walk() for e in node.exprs()]
    if sum(1 for e in exprs for _ in sympy.preorder_traversal(e)) < LARGE_CONDITION:
        return False
    symbols = sorted(free_symbols(goal), key=lambda s: s.name)
    values = [_inside(domains.get(s)) for s in symbols]
    if len(symbols) > 4 or any(not v for v in values):
        return False
    return any(_truth(goal, dict(zip(symbols, point))) is False for point in itertools.product(*values))


def _inside(domain: Domain | None) -> list[sympy.Rational]:
    """Three rationals in `domain`, its closed ends among them (a side condition often
    fails first at an end); none when it is not an interval with rational or infinite
    ends."""
    if domain is None or domain.integer:
        return []
    lo, hi = domain.lo, domain.hi
    if not all(end.is_Rational or end.is_infinite for end in (lo, hi)):
        return []
    if domain.lo_bounded and domain.hi_bounded:
        quarter = (hi - lo) / 4
        return [lo + quarter if domain.lo_open else lo, lo + 2 * quarter, hi - quarter if domain.hi_open else hi]
    if domain.lo_bounded:
        return [lo + sympy.Rational(1, 2) if domain.lo_open else lo, lo + 2, lo + 10]
    if domain.hi_bounded:
        return [hi - sympy.Rational(1, 2) if domain.hi_open else hi, hi - 2, hi - 10]
    return [sympy.Integer(-1), sympy.Rational(1, 2), sympy.Integer(2)]


_HOLDS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
          ">=": operator.ge}


def _truth(f: Formula, point: dict[sympy.Symbol, sympy.Rational]) -> bool | None:
    """`f` at `point` in exact arithmetic; None where a term is not a rational number
    there (undefined, irrational) or `f` has a quantifier."""
    if isinstance(f, Truth):
        return f.value
    if isinstance(f, Atom):
        try:  # Fractions: SymPy's substitution took a sixth of a large condition's proof
            exact = [value(side, {s: Fraction(int(v.p), int(v.q)) for s, v in point.items()})
                     for side in (f.lhs, f.rhs)]
        except Unsupported:  # roots and the like: SymPy knows which have rational values
            lhs, rhs = f.lhs.xreplace(point), f.rhs.xreplace(point)
            if not (lhs.is_Rational and rhs.is_Rational):
                return None
            return fold(Atom(f.op, lhs, rhs)) == Truth(True)
        if None in exact:
            return None
        return _HOLDS[f.op](*exact)
    if isinstance(f, Not):
        inner = _truth(f.arg, point)
        return None if inner is None else not inner
    if isinstance(f, (And, Or)):
        parts = [_truth(a, point) for a in f.args]
        decisive = isinstance(f, Or)  # the value one part alone decides: true for Or, false for And
        if decisive in parts:
            return decisive
        return None if None in parts else not decisive
    if isinstance(f, Implies):
        return _truth(Or((Not(f.lhs), f.rhs)), point)
    if isinstance(f, Iff):
        a, b = _truth(f.lhs, point), _truth(f.rhs, point)
        return None if a is None or b is None else a == b
    return None


def _bound_symbols(symbols: set[sympy.Symbol], domains: Domains) -> list[sympy.Symbol]:
    """Symbols reached only through the domain bounds of `symbols`, transitively."""
    seen, todo = set(symbols), list(symbols)
    while todo:
        s = todo.pop()
        for t in domains[s].free_symbols if s in domains else ():
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return sorted(seen - symbols, key=lambda s: s.name)


def _conjuncts(f: Formula) -> list[Formula]:
    return [c for a in f.args for c in _conjuncts(a)] if isinstance(f, And) else [f]


def _linear(constraint: Formula | None, xs: list[sympy.Symbol]) -> list[tuple[str, sympy.Poly]] | None:
    """The constraint as `(op, d)` meaning `d(x) op 0`, op in <=, <, =, with d of
    degree <= 1 in `xs`; None when it is not a conjunction of such atoms."""
    if constraint is None or constraint == Truth(True):
        return []
    out = []
    for a in _conjuncts(constraint):
        if not isinstance(a, Atom) or a.op == "!=":
            return None
        d = a.lhs - a.rhs if a.op in ("<", "<=", "=") else a.rhs - a.lhs
        try:
            poly = sympy.Poly(d, *xs)
        except sympy.PolynomialError:
            return None
        if poly.total_degree() > 1:
            return None
        out.append(({">": "<", ">=": "<="}.get(a.op, a.op), poly))
    return out


def _normal_cone(v: sympy.Expr, domain: Domain, h: sympy.Expr) -> Formula:
    """`-h` in the normal cone of the interval `domain` at `v` (v in the interval):
    h = 0, or v is a closed lower end and h >= 0, or a closed upper end and h <= 0."""
    cases = []
    if domain.lo_bounded and not domain.lo_open:
        cases.append((fold(Atom("=", v, domain.lo)), fold(Atom(">=", h, _ZERO))))
    if domain.hi_bounded and not domain.hi_open:
        cases.append((fold(Atom("=", v, domain.hi)), fold(Atom("<=", h, _ZERO))))
    certain = [sign for active, sign in cases if active == Truth(True)]
    maybe = [conj([active, sign]) for active, sign in cases if active != Truth(True)]
    if certain:  # an end v surely sits at makes h = 0 a special case; the other end may
        # be v too, where the interval is a single point (y in [0, c] at c = 0)
        return disj(certain + maybe)
    return disj([fold(Atom("=", h, _ZERO))] + maybe)


def _fresh(base: str, taken: set[str]) -> sympy.Symbol:
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return sympy.Symbol(name, real=True)


#: Results of the SymPy steps of first-order forms, shared by the claims of a process:
#: they differentiate the same objectives, each over bound variables of its own (a tenth
#: of a check of the Amdahl pack). Keyed by the step and its arguments up to the renaming
#: of bindings (a step reads a symbol's name and assumptions, never the domain of its
#: binding); bounded: emptied when full.
_SHARED: dict[tuple, sympy.Expr] = {}
_SHARED_SIZE = 1024


def _shared(step: "Callable[..., sympy.Expr]", *args: sympy.Expr) -> sympy.Expr:
    """`step(*args)`, computed once for all arguments equal up to the renaming of bound
    symbols: the result is renamed back to the bound symbols of `args`. A step a safety
    net cuts short raises, so only finished results are kept."""
    seen: dict = {}
    for a in args:
        renumbering(a, seen)
    key = (step, *(a.xreplace(seen) for a in args))
    out = _SHARED.get(key)
    if out is None:
        if len(_SHARED) >= _SHARED_SIZE:
            _SHARED.clear()
        out = _SHARED[key] = step(*key[1:])
    return out.xreplace({v: k for k, v in seen.items()})


def _simplified(e: sympy.Expr) -> sympy.Expr:
    return sympy.factor(sympy.together(e))


def first_order_form(opt: Optimum, linear: list[tuple[str, sympy.Poly]], taken: set[str], *,
                     seconds: float = 5.0) -> Formula:
    """Feasibility of the point and the KKT conditions there (see the module docstring).
    `taken` are names in use, so that multipliers get fresh ones."""
    xs = [b.symbol for b in opt.binders]
    sub = dict(zip(xs, opt.point))
    sign = 1 if opt.kind == "min" else -1
    feasible: list[Formula] = [fold(Atom(op, lhs.xreplace(sub), rhs.xreplace(sub)))
                               for b in opt.binders for op, lhs, rhs in b.domain.constraints(b.symbol)]
    if opt.constraint is not None:
        at_v = opt.constraint.map_exprs(lambda e: e.xreplace(sub))
        feasible += [fold(a) if isinstance(a, Atom) else a for a in _conjuncts(at_v)]  # `true` is no atom
    h = [_shared(sympy.diff, sign * opt.objective, x).xreplace(sub) for x in xs]
    try:
        with time_limit(seconds, "simplifying the gradient"):
            h = [_shared(_simplified, hi) for hi in h]
    except BackendTimeout:
        pass  # the unsimplified gradient is as exact, only larger
    multipliers: list[Binder] = []
    slack: list[Formula] = []
    for op, d in linear:
        normal = [d.coeff_monomial(x) for x in xs]
        if op == "<" or all(c == 0 for c in normal):
            continue  # strict: inactive at a feasible point; no normal: no direction
        m = _fresh("lambda" if op == "<=" else "mu", taken)
        multipliers.append(Binder(m, Domain(_ZERO, sympy.oo, False, True) if op == "<="
                                  else Domain(-sympy.oo, sympy.oo, True, True)))
        h = [hi + m * c for hi, c in zip(h, normal)]
        if op == "<=":
            slack.append(fold(Atom("=", m * d.as_expr().xreplace(sub), _ZERO)))
    cone = [_normal_cone(v, b.domain, hi) for b, v, hi in zip(opt.binders, opt.point, h)]
    stationary = conj(cone + slack)
    if multipliers:
        stationary = Quantified("exists", tuple(multipliers), stationary)
    return conj(feasible + [stationary])


def _usable(h: Formula) -> list[Formula]:
    """A premise usable as a hypothesis of side conditions: no quantifier inside."""
    return [] if any(isinstance(n, (Quantified, Optimum, Approx)) for n in h.walk()) else [h]


#: Certificates already made: the claims of one paper often optimize the same objective
#: over the same feasible set.
_CERTIFIED: dict[tuple, Certificate] = {}


def _reduce(opt: Optimum, scope: Domains, hyps: list[Formula], timeout: float,
            taken: set[str]) -> Reduction:
    xs = [b.symbol for b in opt.binders]
    if any(b.domain.integer for b in opt.binders):
        return Reduction(opt, reason="integer variables: the feasible set is not convex")
    if any(b.domain.free_symbols & set(xs) for b in opt.binders):
        return Reduction(opt, reason="a variable's domain depends on another variable")
    linear = _linear(opt.constraint, xs)
    if linear is None:
        return Reduction(opt, reason="the constraint is not a conjunction of linear (in)equations")
    inner = dict(scope)
    inner.update({b.symbol: b.domain for b in opt.binders})
    region = [h for h in hyps if not free_symbols(h) & set(xs)]
    if opt.constraint is not None:
        region.append(opt.constraint)
    want = CONVEX if opt.kind == "min" else CONCAVE
    # up to the renaming of bound variables: each claim binds its own
    key = canonical((opt.objective, tuple(xs), want, tuple(region), frozenset(inner.items()), timeout))
    cert = _CERTIFIED.get(key)
    if cert is None:
        prove = prover(inner, region, timeout=min(timeout, SIDE_CONDITION_SECONDS), rlimit=SIDE_CONDITION_RLIMIT)
        with watching() as fired:
            cert = certify(opt.objective, xs, want, prove, seconds=timeout)
        if not fired:  # a certificate a safety net cut short is this claim's only: alone, another may finish
            _CERTIFIED[key] = cert
    if not cert.certifies(want):
        return Reduction(opt, cert, reason=f"not certified {want}: {cert.reason}")
    return Reduction(opt, cert, first_order_form(opt, linear, taken, seconds=timeout))


def reduce_optima(f: Formula, domains: Domains, *, hypotheses: list[Formula] | None = None,
                  timeout: float = 5.0) -> tuple[Formula, list[Reduction]]:
    """Replace every certified Optimum node of `f` (definitions already expanded) by
    its first-order form. `hypotheses` hold wherever `f` matters (the claim's
    `assume`); premises of implications are added on the way down, and a
    hypothesis is dropped below a binder that rebinds one of its symbols."""
    taken = {s.name for n in f.walk() for e in n.exprs() for s in e.free_symbols} | {s.name for s in domains}
    done: list[Reduction] = []

    def go(g: Formula, scope: Domains, hyps: list[Formula]) -> Formula:
        if isinstance(g, Optimum):
            r = _reduce(g, scope, hyps, timeout, taken)
            done.append(r)
            return r.form if r.form is not None else g
        if isinstance(g, Implies):
            return Implies(go(g.lhs, scope, hyps), go(g.rhs, scope, hyps + _usable(g.lhs)))
        if isinstance(g, Quantified):
            bound = {b.symbol for b in g.binders}
            inner = dict(scope)
            inner.update({b.symbol: b.domain for b in g.binders})
            kept = [h for h in hyps if not free_symbols(h) & bound]
            return Quantified(g.kind, g.binders, go(g.body, inner, kept))
        if isinstance(g, (And, Or)):
            return type(g)(tuple(go(a, scope, hyps) for a in g.args))
        if isinstance(g, Not):
            return Not(go(g.arg, scope, hyps))
        if isinstance(g, Iff):
            return Iff(go(g.lhs, scope, hyps), go(g.rhs, scope, hyps))
        return g

    start = [u for h in hypotheses or [] for u in _usable(h)]
    return go(f, dict(domains), start), done


def kkt_normalize(claim: Claim, theory: Theory, domains: Domains) -> tuple[Formula, KktReport]:
    """The claim normalized with every certified optimum in first-order form, and the
    report (with the plain quantified normal form, to re-decide counterexamples)."""
    original = normalize(claim, theory, seconds=claim.timeout)
    if claim.formula is None or not any(isinstance(n, Optimum) for n in claim.formula.walk()):
        return original, KktReport(original=original)
    decided = _decided_as_written(claim.formula, original, domains, claim.timeout)
    if decided is not None:
        return original, KktReport(original=original, decided=decided)

    def expanded(g: Formula) -> Formula:
        # with the definedness that expanding definitions would hide (as `normalize` does)
        return expand_formula(g, theory, seconds=claim.timeout)

    hyps = [expanded(claim.assume)] if claim.assume is not None else []
    rewritten, reductions = reduce_optima(expanded(claim.formula), domains, hypotheses=hyps,
                                          timeout=claim.timeout)
    report = KktReport(reductions, original)
    if not report.reduced:
        return original, report
    return normalize(replace(claim, formula=rewritten), theory, seconds=claim.timeout), report


def _decided_as_written(formula: Formula, original: Formula, domains: Domains,
                        timeout: float) -> SmtOutcome | None:
    """z3's proof or counterexample of the claim's quantified normal form `original`
    within `AS_WRITTEN_RLIMIT`, when each optimum of `formula` is over one variable and
    the query is quantifier-free (`_quantifier_free_query`); else None. Optima over
    several variables are left to the reduction: translating their quantified forms
    alone can take SymPy seconds (the three-class pack's objective), which no resource
    count bounds."""
    optima = [n for n in formula.walk() if isinstance(n, Optimum)]
    if any(len(o.binders) != 1 for o in optima) or not _quantifier_free_query(original):
        return None
    try:
        out = decide(original, domains, timeout=timeout, rlimit=min(AS_WRITTEN_RLIMIT, rlimit_for(timeout)))
    except OutsideFragment:
        return None
    return out if out.status in ("proved", "refuted") else None


def _quantifier_free_query(f: Formula) -> bool:
    """Is the satisfiability query of `f` quantifier-free: its negation has no
    quantifier left once the outer existentials are lifted (every optimum occurs
    positively), and every term is a rational function (no root, abs or min, which
    the translation defines by variables of its own under the quantifier)? With
    quantifiers the first-order form is the better query, also for a second solver:
    cvc5 replays the first-order forms of `minimized_at(T(a), a, 0) <-> S >= S_c` and
    its kin at once, their quantified forms not within seconds."""
    names = {s.name for node in f.walk() for e in node.exprs() for s in e.free_symbols}
    negation, _ = lift_existentials(nnf(Not(f)), names)
    if any(isinstance(n, Quantified) for n in negation.walk()):
        return False
    return all(_rational(e) for node in negation.walk() for e in node.exprs())


def _rational(e: sympy.Expr) -> bool:
    """Built from symbols and rationals by sums, products and integer powers."""
    return all(n.is_Symbol or n.is_Rational or n.is_Add or n.is_Mul or (n.is_Pow and n.exp.is_Integer)
               for n in sympy.preorder_traversal(e))


def decide_reduced(normalized: Formula, report: KktReport, domains: Domains, *,
                   timeout: float = 5.0) -> SmtOutcome:
    """`decide` on the (possibly reduced) claim; the outcome already found when the
    quantified form was decided as written. A counterexample of a reduced claim
    is re-decided on the quantified form with the claim's symbols fixed to it:
    that gives the witnesses of its inner quantifiers (the better point), and the
    quantified form proving the claim there is an EncodingDisagreement."""
    if report.decided is not None:
        return report.decided
    again_on_original = report.reduced and report.original is not None
    # a closed sentence's instances, when the quantified form is decided again, come from it
    out = decide(normalized, domains, timeout=timeout, instances=not again_on_original)
    if not again_on_original or out.status != "refuted":
        return out
    keep = claim_symbols(report.original, domains)
    point = {s: v for s, v in out.values.items() if s in keep}
    try:
        again = decide(report.original, domains, timeout=timeout, fixed=point)
    except OutsideFragment as e:  # e.g. ln in the objective: only its first-order form is polynomial
        with_instances(out, normalized, domains, timeout=timeout)
        out.detail += f"; the quantified form is outside SMT ({e}), so the point is re-checked on the first-order form"
        return out
    shown = ", ".join(f"{s} = {v}" for s, v in sorted(point.items(), key=lambda kv: kv[0].name))
    if again.status == "proved":
        raise EncodingDisagreement(
            f"the first-order (KKT) form is false at {shown or 'the sample values'} but the quantified "
            "form holds there: a bug in the convexity certificate or the reduction; report it")
    if again.status == "refuted":
        again.detail = f"{out.detail} on the first-order form; witnesses from the quantified form at that point"
        again.seconds += out.seconds
        return again
    with_instances(out, normalized, domains, timeout=timeout)
    out.detail += f"; the quantified form did not decide that point ({again.detail})"
    return out


__all__ = ["Reduction", "KktReport", "prover", "first_order_form", "reduce_optima", "kkt_normalize",
           "decide_reduced"]
