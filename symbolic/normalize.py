"""From a parsed claim to its normalized form: definitions expanded, derivatives,
integrals and limits evaluated, `minimized_at` and `approx` spelled out as plain
quantified formulas, the claim's `assume` made a premise."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol

import sympy

from lawproof.language import sizes
from lawproof.language.claims import Claim, Theory
from lawproof.language.definedness import folded, guarded, holds_plainly, of_node, shown, unguarded, written
from lawproof.language.domain import Domain
from lawproof.language.errors import BackendTimeout, ClaimInputError, OutsideFragment
from lawproof.language.formula import (CALCULUS, And, Approx, Atom, Bound, Formula, Implies, Limit, Optimum, Or,
                                       Quantified, Truth, conj, disj, domain_of, free_symbols)
from lawproof.language import functions
from lawproof.language.functions import NO_SYMPY_LIMIT
from lawproof.language.parser import ArgMin, Derived, Optimal, Rebind, Solve, _Optimizer, limit_direction
from lawproof.language.timeout import SafetyNetHit, time_limit

from .identity import _assumed

Domains = dict[sympy.Symbol, Domain]
#: (what was derived and how, the closed form SymPy computed), for the evidence
Step = tuple[str, sympy.Expr]


def expand(expr: sympy.Expr, theory: Theory, *, seconds: float = 5.0) -> sympy.Expr:
    """Replace every call of a definition by its body, compute the derived built-ins
    (solve, argmin, argmax) and evaluate diff/integrate/limit.

    Calculus and derived built-ins are evaluated with every symbol inside its
    declared domain (SymPy assumptions such as `beta > 0`), so their closed forms
    hold on the domains, not necessarily outside them. An integral or limit SymPy
    cannot evaluate stays unevaluated; later layers treat it as outside their
    fragment. A derived built-in without a unique value raises ClaimInputError.
    """
    # the whole expansion, not only each calculus node, under the safety net: SymPy
    # rebuilding min(integrate(1, s, 0, oo), 1) integrates numerically without end
    with time_limit(seconds, "SymPy expanding definitions and calculus"):
        try:
            return _substitute_and_evaluate(expr, _expanded_bodies(theory, seconds), _domains(theory), seconds)
        except ValueError as e:
            if "is not comparable" not in str(e):
                raise
            # SymPy's Min/Max refuse arguments they cannot order, which a definition put
            # in may make: min(x, sum(Fn(K, pi), k, 0, 3)) with K = 2 (the parser's check
            # of min's arguments saw the symbol K); the parser leaves arguments with
            # calculus to be ordered here: min(integrate(1, s, 0, oo), 1)
            raise ClaimInputError(f"min/max needs real-valued arguments SymPy can compare once the definitions "
                                  f"are put in and the calculus evaluated ({e})",
                                  fix="give min/max arguments with a definite real value, or state the claim "
                                      "without min/max") from None


def _domains(theory: Theory) -> Domains:
    return {s.symbol: s.domain for s in theory.symbols.values()}


@dataclass(frozen=True)
class _Failed:
    """A definition whose derived value could not be computed: every claim that uses
    it gets the error, the other claims are unaffected."""

    name: str
    message: str
    fix: str

    def error(self) -> ClaimInputError:
        return ClaimInputError(f"in the definition of '{self.name}': {self.message}", fix=self.fix)


class _Bodies:
    """A theory's definition bodies with calls expanded and calculus evaluated, each
    computed on first use (with the definitions it uses): a claim pays only for what
    it mentions, not for every derivative of a large file."""

    def __init__(self, theory: Theory, seconds: float) -> None:
        self.theory, self.seconds = theory, seconds
        self._bodies: dict[str, sympy.Expr | sympy.Lambda | _Failed] = {}
        self._steps: dict[str, list[Step]] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.theory.definitions

    def __getitem__(self, name: str) -> sympy.Expr | sympy.Lambda | _Failed:
        if name not in self._bodies:
            self._bodies[name] = self._expanded(name)
        return self._bodies[name]

    def steps(self, name: str) -> list[Step]:
        """How the derived built-ins in `name`'s body were computed."""
        self[name]
        return self._steps.get(name, [])

    def _expanded(self, name: str) -> sympy.Expr | sympy.Lambda | _Failed:
        d = self.theory.definitions[name]
        steps: list[Step] = []
        try:
            body = _substitute_and_evaluate(d.body, self, _domains(self.theory), self.seconds, steps)
        except ClaimInputError as e:
            return _Failed(name, e.message, e.fix)
        except SafetyNetHit:
            raise  # not kept: each claim that needs it tries again, and its evidence says so
        except BackendTimeout as e:
            return _Failed(name, str(e), "raise the claim's timeout or simplify the definition")
        self._steps[name] = steps
        return sympy.Lambda(d.params, body) if d.params else body


def _expanded_bodies(theory: Theory, seconds: float) -> _Bodies:
    # per claim limit too: the bodies' safety nets are those of `seconds`, so a claim
    # checked after one with a smaller limit must not inherit its nets (the same claim
    # alone and in its file would then differ where a net fires)
    key = (id(theory), seconds)
    cached = _BODY_CACHE.get(key)
    if cached is not None and cached.theory is theory:
        return cached
    _BODY_CACHE[key] = out = _Bodies(theory, seconds)
    return out


_BODY_CACHE: dict[tuple[int, float], _Bodies] = {}


def _substitute_and_evaluate(expr: sympy.Expr, bodies: "_Bodies", domains: Domains, seconds: float,
                             steps: list[Step] | None = None) -> sympy.Expr:
    def call(e: sympy.Expr) -> sympy.Expr:
        body = bodies[e.func.__name__]
        if isinstance(body, _Failed):
            raise body.error()
        if not isinstance(body, sympy.Lambda):
            return body
        _whole_arguments(e, bodies.theory)
        if not _within_parameters(e, bodies.theory, domains):
            # a closed form computed for the parameters' domains (integrate(t^x, t, 0, 1)
            # is 1/(x + 1) for x > 0) may not hold at this argument (x = -2, where the
            # integral diverges): the body as written, evaluated at the arguments below
            return _macro(e, bodies.theory)
        if body.expr.has(sympy.Derivative):
            # a derivative of a function symbol at a call's argument: `subs` writes
            # d f(t)/dt at t = x^2 as a Subs, where the Lambda's xreplace would fail
            return body.expr.subs(dict(zip(body.variables, e.args)), simultaneous=True)
        sub = dict(zip(body.variables, e.args))
        try:
            out = sizes.substitute(body.expr, sub)
        except ValueError as err:
            raise ClaimInputError(f"{sympy.sstr(e)}: {err}",
                                  fix="use smaller arguments, or a symbol for the large value") from None
        # the argument may fold a term of the body away (a*integrate(1/s, s, 0, 1) at
        # a = 0 is 0): its conditions travel with the value as a guard
        lost = folded([c.map_exprs(lambda t: t.xreplace(sub)) for c in written(body.expr)], out)
        return guarded(out, lost) if lost else out

    if expr.has(Derived):
        expr = expr.replace(lambda e: isinstance(e, Derived) and _calls(e, bodies),
                            lambda e: _derived_with_calls(e, bodies, domains, seconds, steps))
    if expr.has(Rebind):
        expr = expr.replace(lambda e: isinstance(e, Rebind),
                            lambda e: _rebound(e, bodies, domains, seconds, steps))
    out = expr.replace(lambda e: isinstance(e, sympy.core.function.AppliedUndef)
                       and e.func.__name__ in bodies, call)
    if out.has(Derived):
        out = out.replace(lambda e: isinstance(e, Derived),
                          lambda e: _derived_or_implicit(e, domains, seconds, steps))
    if out.has(*CALCULUS):
        out = _evaluate_calculus(out, domains, seconds)
    return out


def _calls(e: sympy.Expr, bodies: "_Bodies") -> bool:
    """Whether `e` calls a definition."""
    return any(isinstance(n, sympy.core.function.AppliedUndef) and n.func.__name__ in bodies
               for n in sympy.preorder_traversal(e))


def _derived_with_calls(node: Derived, bodies: "_Bodies", domains: Domains, seconds: float,
                        steps: list[Step] | None) -> sympy.Expr:
    """The value of a derived built-in whose equation (objective) calls definitions,
    defined only where the conditions of their bodies that the expanded equation no
    longer shows hold at the value: with "r(z)" = "sqrt(z)", solve(r(t)^2 = -1, t)
    expands to t = -1, but r(-1) has no value."""
    *args, var = node.args
    expanded = [_substitute_and_evaluate(a, bodies, domains, seconds, steps) for a in args]
    value = _derived_or_implicit(node.func(*expanded, var), domains, seconds, steps)
    visible = set(shown(expanded))
    hidden = [c for a in args for c in _call_conditions(a, bodies.theory) if var in free_symbols(c)]
    ex = lambda t: _substitute_and_evaluate(t, bodies, domains, seconds, steps)  # noqa: E731
    lost = [c for c in dict.fromkeys(c.map_exprs(ex) for c in hidden) if c not in visible]
    at = [c for c in (c.map_exprs(lambda t: t.xreplace({var: value})) for c in lost) if not holds_plainly(c)]
    return guarded(value, at) if at else value


def _rebound(node: Rebind, bodies: "_Bodies", domains: Domains, seconds: float,
             steps: list[Step] | None) -> sympy.Expr:
    """A definition's call with file symbols re-bound. Where the expansion is plain
    algebra, or each binder ranges over its symbol's declared domain, the expanded
    body is renamed; otherwise derived values and calculus are computed afresh over
    the binders' own domains (a closed form derived for R > 1 may not hold for R in
    [0, 2])."""
    call, olds, news = node.args
    sub = dict(zip(olds.args, news.args))
    same_domains = all(domain_of(n, domains) == domains.get(o) for o, n in sub.items())
    raw = None if same_domains else _macro(call, bodies.theory)
    if raw is None or not raw.has(Derived, *CALCULUS):
        return _substitute_and_evaluate(call, bodies, domains, seconds, steps).xreplace(sub)
    return _substitute_and_evaluate(raw.xreplace(sub), bodies, domains, seconds, steps)


def _whole_arguments(call: sympy.Expr, theory: Theory) -> None:
    """Raise ClaimInputError where a definition's parameter is one of the file's integer
    symbols and the call's argument is not known to be a whole number: SymPy built the
    body for integers (sin(pi*n) as 0, floor(n) as n), which it is not at 1/2."""
    d = theory.definitions[call.func.__name__]
    for p, a in zip(d.params, call.args):
        if p.is_integer and a.is_integer is not True:
            raise ClaimInputError(f"{sympy.sstr(call)}: the parameter {p} of '{d.name}' is the file's integer "
                                  f"symbol {p}, and its body was built for whole numbers, but the argument "
                                  f"{sympy.sstr(a)} is not known to be one",
                                  fix=f"rename the parameter {p} of '{d.name}' (a name that is not an integer "
                                      "symbol of the file), or pass a whole number")


def _within_parameters(call: sympy.Expr, theory: Theory, domains: Domains) -> bool:
    """Whether the body of the called definition, computed with its parameters in
    their declared domains, is taken at the call's arguments: it has no integral, limit
    or sum (plain algebra holds everywhere; derivatives and derived values keep their
    closed forms, see docs/claim-language-extensions.md), or each argument lies in its
    parameter's domain by SymPy's sign rules on the domains."""
    d = theory.definitions[call.func.__name__]
    raw = _macro(d.body, theory)
    if raw.has(sympy.Derivative, Derived) or not raw.has(*CALCULUS):
        return True
    for p, a in zip(d.params, call.args):
        domain = theory.domain_of(p)
        if domain is not None and not all(_settled(Atom(">" if op == "<" else ">=", hi, lo), domains)
                                          for op, lo, hi in domain.constraints(a)):
            return False
    return True


def _macro(expr: sympy.Expr, theory: Theory) -> sympy.Expr:
    """`expr` with every definition call replaced by the definition's body as parsed,
    recursively (definitions are acyclic), nothing evaluated."""
    def body(e: sympy.Expr) -> sympy.Expr:
        _whole_arguments(e, theory)
        d = theory.definitions[e.func.__name__]
        return d.body.xreplace(dict(zip(d.params, e.args)))

    while True:
        out = expr.replace(lambda e: isinstance(e, sympy.core.function.AppliedUndef)
                           and e.func.__name__ in theory.definitions, body)
        if out == expr:
            return out
        expr = out


#: Terms where a derivative may not exist although the term is defined (a kink of abs
#: at 0, of min and max where their arguments meet).
_NON_SMOOTH = (sympy.Abs, sympy.Min, sympy.Max, sympy.sign, sympy.Heaviside, sympy.Piecewise,
               sympy.floor, sympy.ceiling)
#: The most terms a sum without a closed form is added up for (concrete bounds only):
#: a count, so that the same claim is decided the same way on any machine.
MAX_SUM_TERMS = 200


class DivergentIntegral(sympy.Integral):
    """An integral whose value is infinite, kept unevaluated (it is no real number, and
    not settled as undefined either). SymPy never evaluates it numerically: its
    quadrature of a divergent integral does not end, and any sign question SymPy asks
    while building a term with it (Abs, factor_terms) would start one."""

    #: oo or -oo where SymPy's value is exactly that, which a whole side of a
    #: comparison compares as (docs/semantics.md, "Infinity"); None otherwise
    infinity: sympy.Expr | None = None

    def _eval_evalf(self, prec: int) -> None:
        return None


class IntegralToInfinity(DivergentIntegral):
    """An improper integral SymPy evaluates to exactly oo."""

    infinity = sympy.oo


class IntegralToMinusInfinity(DivergentIntegral):
    """An improper integral SymPy evaluates to exactly -oo."""

    infinity = -sympy.oo


class InfiniteLimit(Limit):
    """A limit SymPy evaluates to exactly oo or -oo on every side approached, where the
    function is defined near the point whatever the other symbols are: kept
    unevaluated inside a term, compared as that infinity as a whole side of a
    comparison (docs/semantics.md, "Infinity")."""

    infinity: sympy.Expr


class LimitToInfinity(InfiniteLimit):
    """A limit that is exactly oo."""

    infinity = sympy.oo


class LimitToMinusInfinity(InfiniteLimit):
    """A limit that is exactly -oo."""

    infinity = -sympy.oo


_DIVERGENT = {sympy.oo: IntegralToInfinity, -sympy.oo: IntegralToMinusInfinity}
_INFINITE_LIMIT = {sympy.oo: LimitToInfinity, -sympy.oo: LimitToMinusInfinity}
_INFINITIES = (sympy.oo, -sympy.oo)


def whole_side(e: sympy.Expr) -> sympy.Expr:
    """A whole side of a comparison: oo or -oo for a limit or integral SymPy evaluates
    to exactly that infinity (with its definedness settled), else `e` itself."""
    if isinstance(e, (DivergentIntegral, InfiniteLimit)) and e.infinity is not None:
        return e.infinity
    return e


def _evaluate_calculus(expr: sympy.Expr, domains: Domains, seconds: float) -> sympy.Expr:
    """Evaluate derivatives, integrals, limits and sums, innermost first, with the
    semantics of docs/calculus-semantics.md and docs/claim-language-extensions.md. A node SymPy cannot evaluate, or whose value these
    semantics do not settle, stays unevaluated (later layers treat it as outside their
    fragment); a limit that does not exist becomes `nan`, an undefined term."""
    def one(node: sympy.Expr) -> sympy.Expr:
        try:
            with time_limit(seconds, "SymPy calculus"):
                if isinstance(node, sympy.Limit):
                    return _limit(node, domains)
                if isinstance(node, sympy.Sum):
                    value = _sum(node, domains)
                    # an I is a term's root of a negative number (sum(sqrt(k - 2), k, 1, 3)):
                    # undefined, which the sum's definedness conjunct decides
                    # an infinity is a term's divergent integral that SymPy's Sum evaluated
                    # inside it: like one inside any larger term, left unevaluated
                    return node if _undefined(value) or _case_split(value) or value.has(sympy.I, *_INFINITIES) \
                        else value
                if isinstance(node, sympy.Derivative) and node.expr.has(*_NON_SMOOTH):
                    return node
                renamed, back = _assumed(node, domains)
                value = renamed.doit(deep=True).xreplace(back)
        except (BackendTimeout, NotImplementedError, ValueError, TypeError):
            return node
        if value.has(sympy.oo, -sympy.oo):
            # a divergent integral is no real value, and not settled as undefined
            # either (like an infinite limit): left as it is, min(oo, 1) cannot become 1
            return _DIVERGENT.get(value, DivergentIntegral)(*node.args) if type(node) is sympy.Integral else node
        if isinstance(node, sympy.Integral) and not _holds_throughout(node, value, domains):
            return node
        return node if _undefined(value) or _case_split(value) else value

    return expr.replace(lambda e: isinstance(e, CALCULUS), one)


def _holds_throughout(node: sympy.Integral | sympy.Sum, value: sympy.Expr, domains: Domains) -> bool:
    """Whether SymPy's value of an integral or a sum with parameters is its value for
    every one of them. SymPy integrates and sums for generic parameters:
    integrate(a/(t^2 + a^2), t, 0, 1) is atan(1/a), undefined at a = 0, where the
    integral is 0; sum(1/(k (k + a)), k, 1, 2) comes out with lerchphi terms over a,
    undefined at a = 0, where the sum is 5/4. Taken only where the value is defined on
    the whole domains and has no jump or kink (whose place could move with the
    parameters); a value that is, is continuous in them, as the integral (or the finite
    sum, where its terms are defined) is."""
    if not node.free_symbols:
        return True
    if value.has(*_NOT_SMOOTH):
        return False
    return all(_settled(c, domains) for c in shown([value]))


def _sum(node: sympy.Sum, domains: Domains) -> sympy.Expr:
    """`sum(e, k, lo, hi)`: SymPy's closed form in symbolic bounds, with the bounds put
    in, where it holds for every value of the other symbols (`_holds_throughout`);
    without one, the terms added up when the bounds are numbers at most MAX_SUM_TERMS
    apart; else the node itself (undecided). The closed form is sought with the bounds
    as symbols even when they are numbers, so that SymPy never adds up a long range
    term by term."""
    if len(node.limits) > 1:
        # SymPy merges a sum of a sum into one node with the inner limits first: the
        # inner sum is evaluated first, as any inner calculus is (an unevaluated double
        # sum was no value min/max could order: fuzz run seed 40007)
        inner = _sum(sympy.Sum(node.function, node.limits[0]), domains)
        return node if inner.has(sympy.Sum) else _sum(sympy.Sum(inner, *node.limits[1:]), domains)
    (bound, lo, hi), = node.limits
    # the summation variable and the bounds as plain integer symbols: the signs the
    # domains give go to the other symbols only
    k, a, b = (sympy.Dummy(name, integer=True) for name in ("k", "a", "b"))
    renamed, back = _assumed(sympy.Tuple(node.function.xreplace({bound: k}), lo, hi), domains)
    body, lo_r, hi_r = renamed.args
    closed = sympy.Sum(body, (k, a, b)).doit()
    if not closed.has(sympy.Sum):
        value = closed.xreplace({a: lo_r, b: hi_r}).xreplace(back)
        if _holds_throughout(node, value, domains):
            return value
    if lo.is_Integer and hi.is_Integer and hi - lo < MAX_SUM_TERMS:
        return sympy.Add(*(body.xreplace({k: sympy.Integer(i)}) for i in range(int(lo), int(hi) + 1))).xreplace(back)
    return node


def _case_split(value: sympy.Expr) -> bool:
    """Whether SymPy's value splits into cases (`Piecewise((1/log(E) - ..., Ne(E, 1)),
    (t, True))` for the integral of E^(-s)). Definedness is read off every node of a
    term, so the conditions of a branch not taken (log(E) != 0) would make the term
    undefined where another branch gives it a value: such a value is not used. A guard
    (a value or undefined) is not a case split."""
    return any(isinstance(n, sympy.Piecewise) and unguarded(n) is None for n in sympy.preorder_traversal(value))


def _limit(node: sympy.Limit, domains: Domains) -> sympy.Expr:
    """`limit(e, x, c)` within x's domain: two-sided inside it, one-sided at an end. The
    value is SymPy's, taken only where e is defined near c on every side approached:
    `nan` (undefined) when e is undefined there or the sides disagree; a condition on
    the other symbols that decides it is kept as a guard, `Piecewise((value, guard),
    (nan, True))`, which `normalize` turns into a conjunct of the atom. An infinite
    limit is no real value: it stays unevaluated, as an InfiniteLimit when it is
    exactly oo or -oo with no guard (a whole side of a comparison compares as that)."""
    found = _limit_value(node, domains)
    if not isinstance(found, tuple):
        return found
    value, guards = found
    if value.has(*_INFINITIES):
        return _INFINITE_LIMIT[value](*node.args) if value in _INFINITIES and not guards else node
    return guarded(value, guards) if guards else value


def _limit_value(node: sympy.Limit, domains: Domains) -> tuple[sympy.Expr, list[Atom]] | sympy.Expr:
    """SymPy's value of the limit (possibly infinite) and the guards it needs, or what
    the limit is when it has no value: `nan` (undefined) or the node (undecided)."""
    body, x, point, _ = node.args
    if body.has(*NO_SYMPY_LIMIT):
        return node
    domain = domain_of(x, domains) or Domain(-sympy.oo, sympy.oo, True, True)
    direction = limit_direction(domain, point)
    if direction is None:
        return node
    # Over an integer variable the limit is a sequence's, and SymPy's limit is the real
    # function's: where that exists the sequence has the same limit, but a real function
    # without one (sin(pi*2^x)) or undefined between the integers may still give a
    # convergent sequence (sin(pi*2^n) = 0), so "undefined" is never concluded there.
    sequence = domain.integer
    if sequence and point not in (sympy.oo, -sympy.oo):
        return node
    body, conditions = unguarded(body) or (body, [])
    uniform = _uniform(body, x, point, domains)
    if uniform is None:
        return node
    conditions = conditions + shown([body])
    # x approaches c within its domain, so the signs the domain gives x hold too
    pair, back = _assumed(sympy.Tuple(body, point), domains)
    (renamed, point_renamed), x_renamed = pair.args, {v: k for k, v in back.items()}.get(x, x)
    sides = ("+", "-") if direction == "+-" else (direction,)
    guards: list[Atom] = list(uniform)
    for side in sides:
        for c in dict.fromkeys(conditions):
            near = _near(c, x, point, side, domains)
            if near is None or (sequence and near is not True):
                return node
            if near is False:
                return sympy.nan
            if near is not True:
                guards += [g for g in near if g not in guards]
    # with parameters, "no limit" is SymPy's generic answer too: (v - a)/v at 0 has none
    # for a != 0, but 1 at a = 0
    none = node if sequence or _parametric(body, x, point) else sympy.nan
    try:
        values = [sympy.limit(renamed, x_renamed, point_renamed, side) for side in sides]
    except ValueError:  # SymPy: the one-sided limits differ
        return none
    if any(v.has(sympy.Limit) for v in values) or any(v.has(sympy.nan, sympy.zoo) for v in values):
        return node
    if any(v.has(sympy.AccumBounds) for v in values):
        # SymPy's accumulation bounds enclose the values near the point, loosely: they
        # are no proof that the limit fails to exist (sin(T)^2 + cos(T)^2 at oo gives
        # AccumBounds(0, 2), T*(2 + sin(T)) gives oo*sign(AccumBounds(1, 3)))
        return node
    if len(set(values)) > 1:
        return none  # the sides disagree
    return values[0].xreplace(back), guards


#: Jumps and kinks: where one sits may depend on the parameters (floor(v) at v = a jumps
#: for an integer a, min(v, a)/v at 0 has one limit for a > 0 and none for a = 0).
_NOT_SMOOTH = (sympy.floor, sympy.ceiling, sympy.sign, sympy.Heaviside, sympy.Piecewise, sympy.frac,
               sympy.Abs, sympy.Min, sympy.Max)
#: Derivatives of a denominator tried for the order of its zero at the limit point.
_ZERO_ORDERS = 4


def _parametric(body: sympy.Expr, x: sympy.Symbol, point: sympy.Expr) -> bool:
    """Whether a limit has parameters: symbols besides its variable."""
    return bool((body.free_symbols | point.free_symbols) - {x})


def _uniform(body: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, domains: Domains) -> list[Atom] | None:
    """Whether SymPy's limit of `body` at `point` may be taken for every value of the
    other symbols. SymPy treats them as generic: limit((v - a)/(v^2 - 1), v, a) is 0,
    but 1/2 at a = 1, and limit(floor(v), v, a) is floor(a), but has no value at an
    integer a. With parameters, no jump or kink may be in the body, and every power b^e
    with parameters, of a term b in x and e not a positive integer (a denominator, a
    real power), must behave alike for all of them: b's limit is nonzero on the
    domains (positive when e is not an integer number), or it is 0 under a negative
    integer power with a zero of one order for all of them, or 0 under an exponent
    positive on the domains (then with no such zero of a denominator). At oo only a rational
    function of x is checked, by its denominator's leading coefficient (other terms:
    SymPy's value). Returns the conditions on the parameters under which the value
    holds, exactly (the limit has no value where they fail), or None: not uniform."""
    if not _parametric(body, x, point):
        return []
    if body.has(*_NOT_SMOOTH):
        return None
    zero = sympy.Integer(0)
    if not point.is_finite:
        if not body.is_rational_function(x):
            return []
        # a leading coefficient of the denominator that vanishes for some of them changes
        # its degree there (v/((a - 1) v^2 + v) tends to 0, but to 1 at a = 1); where the
        # numerator's degree is the same and its leading coefficient nonzero, the limit
        # is infinite there, no value (n/((1 - p) n + p) at p = 1)
        top, bottom = (sympy.Poly(p, x) for p in sympy.fraction(sympy.cancel(sympy.together(body))))
        nonzero = Atom("!=", bottom.LC(), zero)
        if top.degree() > bottom.degree() or _settled(nonzero, domains):
            return None if top.degree() > bottom.degree() else []
        same = top.degree() == bottom.degree() and _settled(Atom("!=", top.LC(), zero), domains)
        return [nonzero] if same else None
    vanishing = dividing = False
    for node in sympy.preorder_traversal(body):
        if not (isinstance(node, sympy.Pow) and x in node.base.free_symbols) or \
                (node.exp.is_Integer and node.exp > 0) or not _parametric(node, x, point):
            continue
        base, ex = node.args
        at = sympy.simplify(sympy.limit(base, x, point))
        if at.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan, sympy.Limit, sympy.AccumBounds):
            return None
        if _settled(Atom("!=" if ex.is_integer and ex.is_number else ">", at, zero), domains):
            continue
        if at == 0 and _settled(Atom(">", ex, zero), domains):
            vanishing = True  # u^a -> 0 for every a > 0, but at an order that depends on a
        elif at == 0 and ex.is_Integer and _one_order(base, x, point, domains):
            dividing = True
        else:
            return None
    # an order that depends on the parameters against a denominator's zero: sin(w)^b/w
    # tends to 0 for b > 1 but to 1 at b = 1
    return None if vanishing and dividing else []


def _one_order(b: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, domains: Domains) -> bool:
    """Whether `b`, 0 at `point`, has a zero there of the same order for every value of
    the other symbols: its first derivative there that is not identically 0 is nonzero."""
    for k in range(1, _ZERO_ORDERS + 1):
        at = sympy.simplify(sympy.diff(b, x, k).subs(x, point))
        if at != 0:
            return _settled(Atom("!=", at, sympy.Integer(0)), domains)
    return False


def limit_well_posed(node: sympy.Limit, domains: Domains) -> bool:
    """Whether SymPy's value of `node` is the limit for every value of its parameters,
    as far as the conditions `_limit` asks can be settled without guards: the point is
    approached within the variable's domain from the node's sides, the body is defined
    near it on each of them, and SymPy's generic answer is uniform in the parameters
    (`_uniform`). For the reductions, which put a value in without a guard."""
    body, x, point, direction = node.args
    side = limit_direction(domain_of(x, domains) or Domain(-sympy.oo, sympy.oo, True, True), point)
    if side is None or side != str(direction):
        return False
    body, conditions = unguarded(body) or (body, [])
    if _uniform(body, x, point, domains) != []:
        return False
    sides = ("+", "-") if side == "+-" else (side,)
    return all(_near(c, x, point, s, domains) is True
               for s in sides for c in dict.fromkeys(conditions + shown([body])))


def _positive_core(g: sympy.Expr) -> sympy.Expr:
    """A term positive exactly where `g` is, for `g > 0`: a real power `b^e` (e not an
    integer) is positive exactly where `b` is, `exp(u)` wherever it is defined."""
    if isinstance(g, sympy.Pow) and not g.exp.is_integer:
        return _positive_core(g.base)
    if isinstance(g, sympy.exp):
        return sympy.Integer(1)
    return g


def _near(c: Atom, x: sympy.Symbol, point: sympy.Expr, side: str, domains: Domains) -> bool | list[Atom] | None:
    """Whether the condition `c` holds on a punctured one-sided neighbourhood of `point`:
    True, False, a list of conditions on the other symbols that are equivalent to it
    (exact, so they may decide the claim either way), or None when SymPy cannot tell."""
    if c.op in ("<", "<="):  # a function symbol's domain (`t <= 1`) is written this way round
        c = Atom({"<": ">", "<=": ">="}[c.op], c.rhs, c.lhs)
    if c.op not in (">", ">=", "!="):
        return None
    if c.op == ">" and c.rhs == 0:
        c = Atom(">", _positive_core(c.lhs), c.rhs)
    gap = c.lhs - c.rhs
    if x not in gap.free_symbols:
        if fold(c) in (Truth(True), Truth(False)):
            return fold(c) == Truth(True)
        if _settled(c, domains):
            return True
        return [c]  # a condition on the other symbols only: it holds near c exactly when it holds
    if c.op == "!=":
        numerator = sympy.fraction(sympy.together(gap))[0]
        if numerator.is_polynomial(x):
            # a polynomial in x that is not identically zero has finitely many roots, so it
            # is nonzero near any point: the condition is that some coefficient is not 0
            coefficients = sympy.Poly(numerator, x).all_coeffs()
            if any(k.is_number and k != 0 for k in coefficients):
                return True
            if all(k.is_number for k in coefficients):
                return False
            return [Atom("!=", sympy.Add(*(k**2 for k in coefficients)), sympy.Integer(0))]
    if gap.free_symbols - {x}:
        pair, back = _assumed(sympy.Tuple(gap, point), domains)
        (renamed, point_renamed), x_renamed = pair.args, {v: k for k, v in back.items()}.get(x, x)
        try:
            limit = sympy.limit(renamed, x_renamed, point_renamed, side)
        except (ValueError, NotImplementedError, TypeError):
            return None
        if limit.is_extended_positive:
            return True
        if limit.is_extended_negative:
            return c.op == "!="
        return None
    try:
        sign = sympy.limit(sympy.sign(gap), x, point, side)
    except (ValueError, NotImplementedError, TypeError):
        return None
    if sign not in (-1, 0, 1):
        return None
    return {"!=": sign != 0, ">": sign == 1, ">=": sign in (0, 1)}[c.op]


#: Derived values already computed: (node, domains of its symbols) -> (value, how).
_DERIVED_CACHE: dict[tuple, tuple[sympy.Expr, str]] = {}


class DerivationStore(Protocol):
    """Where derived values are kept between runs, under a text that says everything
    the value depends on (the pipeline hands one down: lawproof.cache)."""

    def get(self, text: str) -> tuple[sympy.Expr, str] | None:
        """The value kept under `text`, or None."""

    def put(self, text: str, value: tuple[sympy.Expr, str]) -> None:
        """Keep `value` under `text`."""


#: The stores of the runs in progress (innermost last); empty: derived values are kept
#: in this process only.
_STORES: list[DerivationStore] = []


@contextlib.contextmanager
def keeping_derivations(store: DerivationStore | None) -> Iterator[None]:
    """Within the block, derived values are also looked up in and kept in `store`."""
    if store is None:
        yield
        return
    _STORES.append(store)
    try:
        yield
    finally:
        _STORES.remove(store)


def _stored_text(node: Derived, domains: Domains) -> str | None:
    """What a derived value depends on, as text for a store: the node (symbols with
    their assumptions) and the domain of each of its symbols. None when two symbols
    share a name (a bound variable and a free symbol), which the text cannot tell apart."""
    symbols = sorted(node.atoms(sympy.Symbol), key=lambda s: s.name)
    if len({s.name for s in symbols}) < len(symbols):
        return None
    lines = [f"derived {sympy.srepr(node)}"]
    for s in symbols:
        d = domain_of(s, domains)
        lines.append(f"{s.name} in " + ("none" if d is None else
                                        f"{sympy.srepr(sympy.Tuple(d.lo, d.hi))} {d.lo_open} {d.hi_open} {d.integer}"))
    return "\n".join(lines)


def _computed(node: Derived, domains: Domains, seconds: float) -> tuple[sympy.Expr, str]:
    """`_derive` under its safety net, through the run's store when there is one. A
    value that mentions a bound variable is kept in this process only: a binding's
    identity does not carry over to another process."""
    text = _stored_text(node, domains) if _STORES else None
    if text is not None:
        kept = _STORES[-1].get(text)
        if kept is not None:
            return kept
    with time_limit(seconds, f"deriving {sympy.sstr(node)}"):
        value = _derive(node, domains)
    if text is not None and not value[0].atoms(Bound):
        _STORES[-1].put(text, value)
    return value


def _derived_value(node: Derived, domains: Domains, seconds: float,
                   steps: list[Step] | None) -> sympy.Expr:
    """The closed form a derived built-in stands for; ClaimInputError if it has none."""
    key = (node, tuple(sorted(((s.name, domain_of(s, domains)) for s in node.atoms(sympy.Symbol)),
                              key=lambda kv: kv[0])))
    if key not in _DERIVED_CACHE:
        try:
            _DERIVED_CACHE[key] = _computed(node, domains, seconds)
        except (NotImplementedError, sympy.PolynomialError) as e:
            raise ClaimInputError(f"SymPy cannot compute {sympy.sstr(node)} ({e})",
                                  fix="rewrite the equation, or state the closed form and check it") from None
    value, how = _DERIVED_CACHE[key]
    if steps is not None:
        steps.append((f"{sympy.sstr(node)} [{how}]", value))
    return value


def _no_closed_form(e: ClaimInputError) -> bool:
    """SymPy found no closed form for an optimizer (rather than proving there is no
    stationary point, or that the only one is of the wrong kind)."""
    return "SymPy cannot compute" in e.message or "SymPy cannot tell which" in e.message or \
        ("no stationary point" in e.message and "may be incomplete" in e.message) or \
        "SymPy's solve may miss real roots" in e.message or _NOT_WHOLE in e.message or _FLAT in e.message


#: What an optimizer over an integer variable says when its stationary point may be no
#: whole number (the optimum over whole numbers has no closed form then).
_NOT_WHOLE = "the stationary point is not known to be a whole number"
#: What an optimizer says when the second derivative vanishes at its stationary point (no
#: extremum is shown there; the first-order method may still show one).
_FLAT = "the second derivative vanishes at the only stationary point"


def _derived_or_implicit(node: Derived, domains: Domains, seconds: float, steps: list[Step] | None) -> sympy.Expr:
    """The closed form of a derived built-in; an optimizer without one is kept as an
    `Optimal` node, for the engine's implicit-function method."""
    try:
        return _derived_value(node, domains, seconds, steps)
    except ClaimInputError as e:
        if not isinstance(node, _Optimizer) or not _no_closed_form(e):
            raise
    f, x = node.args
    return Optimal(f, x, sympy.Integer(1 if isinstance(node, ArgMin) else -1))


def _derive(node: Derived, domains: Domains) -> tuple[sympy.Expr, str]:
    renamed, back = _assumed(sympy.Tuple(*node.args), domains)
    # SymPy's solve gives up on some equations in Dummy symbols that it solves in
    # ordinary ones, so the assumed signs are carried by fresh Symbols instead
    plain = {d: sympy.Symbol(d.name, **d.assumptions0) for d in back}
    renamed, back = renamed.xreplace(plain), {plain[d]: s for d, s in back.items()}
    *args, x = [a.doit(deep=True) if a.has(*CALCULUS) else a for a in renamed.args]
    rename = {v: k for k, v in back.items()}
    domain = domain_of(node.variable, domains)
    equation = args[0] - args[1] if isinstance(node, Solve) else sympy.diff(args[0], x)
    roots, how = _roots(equation, x)
    if any(functions.of(n) is not None for n in sympy.preorder_traversal(equation)):
        roots, how = _checked_roots(node, equation, x, roots, how)
    if not how.startswith("SymPy solveset"):
        if not _monotone_in(equation, x, back, domains):
            what = "solution" if isinstance(node, Solve) else "stationary point"
            raise ClaimInputError(f"{sympy.sstr(node)}: SymPy's solve may miss real roots (solveset gave no "
                                  f"finite answer), and the equation is not shown monotone in {node.variable}, "
                                  f"so no {what} is shown to be the only one",
                                  fix=f"narrow the domain of {node.variable}, or state the {what} and check it")
        how += (f"; the equation, or it over one of its terms that is nonzero, is strictly monotone in "
                f"{node.variable}, so that root is the only one")
    # an integer variable's domain holds whole numbers only: solve(k^2 = 2, k) has no solution
    # there; an optimum over whole numbers is another matter (below)
    kept = [r for r in roots if domain is None or (_may_lie_in(
        r, [(op, lo.xreplace(rename), hi.xreplace(rename)) for op, lo, hi in domain.constraints(r)])
        and not (domain.integer and isinstance(node, Solve) and r.is_integer is False))]
    where = f"the domain {domain} of {node.variable}" if domain is not None else "the reals"
    what = "solution" if isinstance(node, Solve) else "stationary point"
    if not kept:
        raise ClaimInputError(f"{sympy.sstr(node)}: no {what} in {where} ({how})",
                              fix=f"check the equation and the domain of {node.variable}")
    if len(kept) > 1:
        listed = "; ".join(sympy.sstr(r.xreplace(back)) for r in kept)
        raise ClaimInputError(f"{sympy.sstr(node)}: {len(kept)} {what}s may lie in {where} and "
                              f"SymPy cannot tell which: {listed}",
                              fix=f"narrow the domain of {node.variable} under [symbols] so that exactly one remains")
    root = kept[0]
    if not isinstance(node, Solve) and domain is not None and domain.integer and root.is_integer is not True:
        # the stationary point is the optimum over whole numbers only where it is one; else
        # that optimum is a whole number beside it (argmin((k - 1/3)^2, k) = 0), which no
        # guard can give: the node is left to the method of optimizers without closed form
        raise ClaimInputError(f"{sympy.sstr(node)}: {_NOT_WHOLE} ({sympy.sstr(root.xreplace(back))}), and "
                              f"the optimum over the whole numbers of {node.variable} lies beside it",
                              fix="state the optimum's point with minimized_at or maximized_at and check it")
    curvature: list[Atom] = []
    if not isinstance(node, Solve):
        said, curvature = _second_order(node, args[0], x, root)
        how += "; " + said
    # where SymPy cannot settle that the root lies in the domain (1 <= T for t in [0, T]),
    # the value exists only where it does: a guard, which makes an atom using it false
    # elsewhere (docs/semantics.md), never a value taken outside the domain
    value = root.xreplace(back)
    guards = [] if domain is None else [
        Atom(op, lo, hi) for (op, lo, hi), (_, a, b) in zip(domain.constraints(value), domain.constraints(root))
        if _relation(op, a.xreplace(rename), b.xreplace(rename)) is not sympy.true]
    if domain is not None:  # m/2 is a whole number only for even m
        guards += [Atom(*c) for c in domain.whole(value) if root.is_integer is not True]
    if guards:
        how += "; kept only where it lies in " + where
    guards += [c.map_exprs(lambda e: e.xreplace(back)) for c in curvature]
    degenerate = _degenerate(equation, x, back, domains)
    if degenerate:
        guards += degenerate
        how += (f"; kept only where {' and '.join(sympy.sstr(a.lhs) + ' != 0' for a in degenerate)}, without "
                f"which no {what} is the only one")
    return (guarded(value, guards) if guards else value), how


def _monotone_in(equation: sympy.Expr, x: sympy.Symbol, back: dict, domains: Domains) -> bool:
    """Whether the equation has at most one root in `x` on its domain wherever the
    factors of its derivative free of x are nonzero (`_degenerate` guards those): it, or
    it divided by one of its terms that is nonzero there (the same roots: a power law's
    first-order condition -a A N^(-a-1) + b B N^(b-1) over N^(b-1)), is strictly
    monotone in x, every factor of its derivative that depends on x being nonzero by
    SymPy's sign rules, so the derivative keeps one sign."""
    def monotone(e: sympy.Expr) -> bool:
        factors = [f for f in sympy.Mul.make_args(sympy.factor_terms(sympy.diff(e, x))) if x in f.free_symbols]
        # a real power b^e is positive wherever it is defined (b > 0), which for a base
        # monotone in x is one interval; there every power of b is positive too
        positive = {f.base for f in factors if isinstance(f, sympy.Pow) and f.exp.is_integer is not True
                    and x not in f.exp.free_symbols and monotone(f.base)}
        return all(_settled(Atom("!=", f.xreplace(back), sympy.Integer(0)), domains)
                   or (isinstance(f, sympy.Pow) and f.base in positive and x not in f.exp.free_symbols)
                   for f in factors)

    nonzero = lambda t: _settled(Atom("!=", t.xreplace(back), sympy.Integer(0)), domains)  # noqa: E731
    return any(monotone(g) for g, _ in _over_its_terms(equation, x, nonzero))


def _degenerate(equation: sympy.Expr, x: sympy.Symbol, back: dict, domains: Domains) -> list[Atom]:
    """Conditions on the other symbols without which no root of `equation` is the only
    one, for those SymPy's sign rules do not settle on the domains. SymPy solves for
    generic values of them and divides out a factor free of x that may vanish: where a
    factor of the equation does, every x solves it (a*t = a at a = 0: argmin(a*s^2 - a*s,
    s) at a = 0); where a factor of its derivative in x does, it does not depend on x, so
    none or every x solves it (exp(a*t) = 1 at a = 0)."""
    out: list[Atom] = []
    for e in (equation, sympy.diff(equation, x)):
        for factor in sympy.Mul.make_args(sympy.factor_terms(sympy.numer(sympy.together(e)))):
            if factor.free_symbols and x not in factor.free_symbols:
                atom = Atom("!=", factor.xreplace(back), sympy.Integer(0))
                if atom not in out and not _settled(atom, domains):
                    out.append(atom)
    return out


def _roots(equation: sympy.Expr, x: sympy.Symbol) -> tuple[list[sympy.Expr], str]:
    """Real roots of `equation` in `x`, and how they were found. solveset's finite
    answers are complete; when it cannot give one, SymPy's solve is asked, whose
    list may miss roots (said so in the evidence)."""
    found = sympy.solveset(equation, x, domain=sympy.S.Reals)
    if found is sympy.S.EmptySet:
        return [], "SymPy solveset: no real root"
    if isinstance(found, sympy.FiniteSet):
        return list(found.args), "SymPy solveset: all real roots"
    return list(sympy.solve(equation, x)), "SymPy solve (solveset gave no finite answer; roots may be incomplete)"


def _checked_roots(node: Derived, equation: sympy.Expr, x: sympy.Symbol, roots: list[sympy.Expr],
                   how: str) -> tuple[list[sympy.Expr], str]:
    """The candidates of an equation with a function of `lawproof.language.functions`
    that are roots (substituted back, the equation simplifies to 0). SymPy inverts such
    functions without their ranges (solveset(asin(y) - 2, y) is {sin(2)}, though
    asin <= pi/2), and its `solve` fallback lists one root of a periodic function among
    infinitely many, so that fallback is refused; ClaimInputError when a candidate is
    neither confirmed nor ruled out."""
    if not how.startswith("SymPy solveset"):
        raise ClaimInputError(f"{sympy.sstr(node)}: SymPy cannot list every real solution of an equation "
                              "with trigonometric or hyperbolic functions (a periodic one has infinitely many)",
                              fix="narrow the equation, or state the solution and check it")
    kept = []
    for r in roots:
        gap = sympy.simplify(equation.xreplace({x: r}))
        if gap == 0:
            kept.append(r)
        elif gap.is_zero is not False:
            raise ClaimInputError(f"{sympy.sstr(node)}: SymPy cannot confirm that its candidate "
                                  f"{sympy.sstr(r)} solves the equation",
                                  fix="state the solution and check it")
    return kept, how + (", each substituted back" if roots else "")


def _may_lie_in(root: sympy.Expr, inside: list[tuple[str, sympy.Expr, sympy.Expr]]) -> bool:
    """False when SymPy proves `root` is not real or breaks one of the domain's
    relations `inside` (such as `0 < root`)."""
    if root.is_real is False:
        return False
    return all(_relation(op, lo, hi) is not sympy.false for op, lo, hi in inside)


def _relation(op: str, lo: sympy.Expr, hi: sympy.Expr) -> sympy.Basic:
    """SymPy's reading of `lo op hi` (op `<` or `<=`): true, false, or a relation it
    cannot settle; false for a non-real side, which SymPy refuses to order."""
    try:
        return sympy.Lt(lo, hi) if op == "<" else sympy.Le(lo, hi)
    except TypeError:
        return sympy.false


def _second_order(node: Derived, f: sympy.Expr, x: sympy.Symbol, root: sympy.Expr) -> tuple[str, list[Atom]]:
    """Reject a stationary point of the wrong kind; say what shows its kind, and the
    condition it must meet where neither the second derivative's sign nor the first
    derivative's direction (`_turn`) is known."""
    curvature = sympy.diff(f, x, 2).subs(x, root)
    sign = _sign(curvature)
    how = "second derivative there has the right sign"
    if not sign:
        if curvature.is_zero:
            # a flat point may be no extremum at all: (x - 3)^3 has its only stationary point
            # at 3, where it is neither least nor greatest on [0, 10]
            raise ClaimInputError(f"{sympy.sstr(node)}: {_FLAT}", fix="state the optimum's point with "
                                  "minimized_at or maximized_at and check it")
        sign = _turn(f, x)
        how = ("the first derivative increases through it (from negative to positive)" if sign > 0 else
               "the first derivative decreases through it (from positive to negative)")
    wanted = 1 if isinstance(node, ArgMin) else -1
    if sign == -wanted:
        kind = "maximum" if isinstance(node, ArgMin) else "minimum"
        raise ClaimInputError(f"{sympy.sstr(node)}: the only stationary point is a strict local {kind}",
                              fix="use the other of argmin/argmax, or check the objective's sign")
    if sign == wanted:
        return how, []
    # the only stationary point of an interval is its optimum where it is a strict local one
    # of the right kind (c*(x - 3)^2 at c < 0 has its maximum there): kept only there
    return ("sign of the second derivative there not decided by SymPy; kept only where it is "
            + ("positive" if wanted > 0 else "negative"), [Atom(">" if wanted > 0 else "<", curvature, sympy.Integer(0))])


def _sign(e: sympy.Expr) -> int:
    """+1 / -1 when SymPy's sign rules show `e` positive / negative, else 0."""
    return 1 if e.is_positive else -1 if e.is_negative else 0


def _turn(f: sympy.Expr, x: sympy.Symbol) -> int:
    """+1 when SymPy's sign rules show f' increasing in `x` on the whole domain (so that at
    its only root f' goes from negative to positive: a minimum), -1 when decreasing, else 0.
    f' itself, or f' over one of its terms of known sign (a power law's first-order
    condition over N^(b-1) has a derivative of one sign where f' has none) is tried."""
    for g, t in _over_its_terms(sympy.diff(f, x), x, _sign):
        rising = _sign(sympy.factor_terms(sympy.diff(g, x)))
        if rising:
            return rising * _sign(t)
    return 0


def _over_its_terms(equation: sympy.Expr, x: sympy.Symbol,
                    keep: Callable[[sympy.Expr], object]) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """`(equation, 1)`, and `(equation / t, t)` for each term `t` of it in `x` that `keep`
    accepts (nonzero, or of known sign): the same roots wherever `t` is nonzero."""
    return [(equation, sympy.Integer(1))] + [(sympy.expand(equation / t), t) for t in sympy.Add.make_args(equation)
                                             if x in t.free_symbols and keep(t)]


def derived_steps(claim: Claim, theory: Theory, *, seconds: float = 5.0) -> list[Step]:
    """The derived built-ins a claim relies on (through its definitions, transitively,
    and in its own formula), each with the closed form SymPy computed and how."""
    cache = _expanded_bodies(theory, seconds)
    steps: list[Step] = []
    for name in _used_definitions(claim, theory):
        steps.extend(cache.steps(name))
    for e in _claim_exprs(claim):
        for node in sympy.preorder_traversal(e):
            if isinstance(node, Derived):
                _substitute_and_evaluate(node, cache, _domains(theory), seconds, steps)
    return steps


def _claim_exprs(claim: Claim) -> list[sympy.Expr]:
    parts = [f for f in (claim.formula, claim.assume) if f is not None]
    return [e for f in parts for node in f.walk() for e in node.exprs()]


def _used_definitions(claim: Claim, theory: Theory) -> list[str]:
    """Names of the definitions a claim uses, directly or through other definitions, in file order."""
    def calls(e: sympy.Expr) -> set[str]:
        return {a.func.__name__ for a in e.atoms(sympy.core.function.AppliedUndef)} & set(theory.definitions)

    todo = set().union(*(calls(e) for e in _claim_exprs(claim)))
    used: set[str] = set()
    while todo:
        name = todo.pop()
        used.add(name)
        todo |= calls(theory.definitions[name].body) - used
    return [n for n in theory.definitions if n in used]


def desugar(f: Formula) -> Formula:
    """Spell out Optimum and Approx nodes as plain formulas.

    `minimized_at(f, x, v, C)` becomes "v is feasible, and every feasible x has
    f(x) >= f(v)"; the feasibility of v is part of the claim, so a claimed optimum
    outside the domain makes the claim false rather than vacuous.
    """
    if isinstance(f, Optimum):
        sub = {b.symbol: p for b, p in zip(f.binders, f.point)}
        feasible = [Atom(op, lhs.xreplace(sub), rhs.xreplace(sub))
                    for b, p in zip(f.binders, f.point) for op, lhs, rhs in b.domain.constraints(b.symbol)]
        # an integer variable's point must be a whole number too
        feasible += [Atom(*c) for b, p in zip(f.binders, f.point) for c in b.domain.whole(p)]
        constraint = desugar(f.constraint) if f.constraint is not None else None
        if constraint is not None:
            feasible.append(constraint.map_exprs(lambda e: e.xreplace(sub)))
        at_point = f.objective.xreplace(sub)
        better = Atom(">=" if f.kind == "min" else "<=", f.objective, at_point)
        body = Implies(constraint, better) if constraint is not None else better
        # the constraint may be any formula (`x >= 0 and x <= 1`), not an atom
        return conj([_fold_all(a) for a in feasible] + [Quantified("forall", f.binders, body)])
    if isinstance(f, Approx):
        gap = sympy.Abs(f.expr - f.target)
        parts: list[Formula] = []
        if f.rel is not None:
            parts.append(Atom("<=", gap, f.rel * sympy.Abs(f.target)))
        if f.abs is not None:
            parts.append(Atom("<=", gap, f.abs))
        # both sides must be defined, also where their difference cancels (sqrt(x) - sqrt(x))
        visible = set(shown([gap]))
        kept = [c for c in shown([f.expr, f.target]) if c not in visible]
        return conj(kept + [parts[0] if len(parts) == 1 else Or(tuple(parts))])
    if not f.children():
        return f
    return _rebuild(f, [desugar(c) for c in f.children()])


def _rebuild(f: Formula, kids: list[Formula]) -> Formula:
    from lawproof.language import formula as F
    if isinstance(f, F.Not):
        return F.Not(kids[0])
    if isinstance(f, F.And):
        return F.And(tuple(kids))
    if isinstance(f, F.Or):
        return F.Or(tuple(kids))
    if isinstance(f, F.Implies):
        return F.Implies(kids[0], kids[1])
    if isinstance(f, F.Iff):
        return F.Iff(kids[0], kids[1])
    if isinstance(f, Quantified):
        return Quantified(f.kind, f.binders, kids[0])
    raise TypeError(type(f).__name__)


def _undefined(e: sympy.Expr) -> bool:
    """Whether `e` is certainly not a real number: it has a value that is not one (a
    limit that does not exist), outside unevaluated limits and guard defaults."""
    if isinstance(e, sympy.Limit):
        return False
    if e in (sympy.nan, sympy.zoo) or isinstance(e, sympy.AccumBounds):
        return True
    if (parts := unguarded(e)) is not None:
        return _undefined(parts[0])
    return any(_undefined(a) for a in e.args)


def fold(a: Atom) -> Formula:
    """An atom between two exact rational numbers becomes true or false; an atom with
    a side that is not a real number (a limit that does not exist) is false; an atom
    with a side oo or -oo follows the extended real order (`_fold_infinite`)."""
    if _undefined(a.lhs) or _undefined(a.rhs):
        return Truth(False)
    if a.lhs in _INFINITIES or a.rhs in _INFINITIES:
        return _fold_infinite(a)
    if not (a.lhs.is_Rational and a.rhs.is_Rational):
        return a
    d = a.lhs - a.rhs
    # bool(): SymPy's comparisons give its own true/false, which `is True` tests miss
    return Truth(bool({"=": d == 0, "!=": d != 0, "<": d < 0, "<=": d <= 0,
                       ">": d > 0, ">=": d >= 0}[a.op]))


def _fold_infinite(a: Atom) -> Formula:
    """An atom with a side oo or -oo, in the extended real order (docs/semantics.md,
    "Infinity"): a real number t lies strictly between -oo and oo, so `t < oo` holds
    exactly where t is defined and `t = oo` nowhere. The result carries t's
    definedness conditions as conjuncts (its other conditions already are). A t that
    may itself be infinite or that no later layer can read (an unevaluated limit or
    integral) leaves the atom as it is: every backend refuses it, so it stays undecided."""
    finite = [side for side in (a.lhs, a.rhs) if side not in _INFINITIES]
    if finite and finite[0].is_number and finite[0].is_extended_real is False:
        return Truth(False)  # sqrt(-1) written where SymPy made it I: no real number
    if finite and not all(_stated_in_full(n) for n in sympy.preorder_traversal(finite[0])):
        return a
    # -oo, a real number, oo in order: -1, 0, 1
    rank = [0 if side not in _INFINITIES else (1 if side == sympy.oo else -1) for side in (a.lhs, a.rhs)]
    d = rank[0] - rank[1]
    holds = {"=": d == 0, "!=": d != 0, "<": d < 0, "<=": d <= 0, ">": d > 0, ">=": d >= 0}[a.op]
    return conj([*shown(finite), Truth(holds)])


#: Nodes that are a real number wherever `shown` says they are defined (with the
#: arguments' conditions): what `_fold_infinite` may put below oo.
_ARITHMETIC = (sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, sympy.Abs, sympy.Min, sympy.Max,
               sympy.floor, sympy.ceiling)


def _stated_in_full(node: sympy.Basic) -> bool:
    """Whether `shown` states every condition for `node` to be a real number: plain
    arithmetic, the functions of lawproof.language.functions, a function symbol (its
    domain is a conjunct from the parser). Not calculus, a derived value, nor a special
    function of a closed form SymPy computed (LambertW, gamma, erf), whose definedness
    no rule here states."""
    return (node.is_Symbol or node.is_Rational or node in (sympy.pi, sympy.E) or isinstance(node, _ARITHMETIC)
            or functions.of(node) is not None
            or isinstance(node, sympy.core.function.AppliedUndef))


def normalize(claim: Claim, theory: Theory, *, seconds: float = 5.0) -> Formula:
    """The claim as one formula over expanded terms: `assume -> formula`, desugared,
    with the symbols a table row fixes (`claim.at`) replaced by their values."""
    if claim.formula is None:
        raise ValueError(f"claim '{claim.id}' has no formula")
    body = claim.formula if claim.assume is None else Implies(claim.assume, claim.formula)
    expanded = expand_formula(body, theory, seconds)
    if claim.at:
        # a table row: the claim is about one point, fixed after definitions are
        # expanded; its atoms are kept unfolded so the evidence shows the row's values
        return _fold_all(_lift_guards(desugar(expanded.map_exprs(lambda e: e.xreplace(claim.at)))), numbers=False)
    return _fold_all(_lift_guards(desugar(expanded)), domains=_domains(theory))


def expand_formula(f: Formula, theory: Theory, seconds: float = 5.0) -> Formula:
    """`f` with every term expanded; a comparison keeps, as conjuncts, the conditions of
    the definitions it calls that the expanded comparison no longer shows (with
    `"f(x)" = "sqrt(x)"`, `f(x)^2 = x` expands to `x = x`: `x >= 0` must stay)."""
    def ex(e: sympy.Expr) -> sympy.Expr:
        return expand(e, theory, seconds=seconds)

    if isinstance(f, Atom):
        atom = Atom(f.op, whole_side(ex(f.lhs)), whole_side(ex(f.rhs)))
        return conj(_hidden([f.lhs, f.rhs], [atom.lhs, atom.rhs], theory, ex) + [atom])
    if isinstance(f, Approx):
        # all of them: approx subtracts its sides, where any condition may cancel
        return conj(_hidden([f.expr, f.target], [], theory, ex) + [f.map_exprs(ex)])
    if isinstance(f, Quantified):
        return Quantified(f.kind, tuple(b.map_exprs(ex) for b in f.binders),
                          expand_formula(f.body, theory, seconds))
    if isinstance(f, Optimum):
        return _expand_optimum(f, theory, ex)
    if not f.children():
        return f.map_exprs(ex)
    return _rebuild(f, [expand_formula(c, theory, seconds) for c in f.children()])


def _expand_optimum(f: Optimum, theory: Theory, ex) -> Formula:
    """The optimum with its terms expanded; the objective must be defined on the whole
    feasible set and the point, also where a definition's expansion hides a condition
    (`f(x)^2 + 2` with f = sqrt is x + 2 once expanded)."""
    opt = f.map_exprs(ex)
    lost = _hidden([f.objective], [opt.objective], theory, ex)
    at_point = _hidden(list(f.point), list(opt.point), theory, ex)
    if not lost and not at_point:
        return opt
    defined = conj(lost)
    at = {b.symbol: p for b, p in zip(opt.binders, opt.point)}
    everywhere = Quantified("forall", opt.binders,
                            Implies(opt.constraint, defined) if opt.constraint is not None else defined)
    return conj(at_point + ([everywhere, defined.map_exprs(lambda e: e.xreplace(at))] if lost else []) + [opt])


def _hidden(written: list[sympy.Expr], expanded: list[sympy.Expr], theory: Theory, ex) -> list[Atom]:
    """The conditions of the definitions the `written` terms call that their `expanded`
    forms no longer show, once each, expanded by `ex`."""
    visible = set(shown(expanded))
    needed = (c.map_exprs(ex) for t in written for c in _call_conditions(t, theory))
    return [c for c in dict.fromkeys(needed) if c not in visible]


def _call_conditions(e: sympy.Expr, theory: Theory) -> list[Atom]:
    """Definedness conditions of the definition bodies `e` calls (transitively), in
    terms of the call's arguments; not of calls under a binder (calculus, solve)."""
    out: list[Atom] = []
    if isinstance(e, (Derived, *CALCULUS)):
        return out
    if isinstance(e, Rebind):
        call, olds, news = e.args
        sub = dict(zip(olds.args, news.args))
        return [c.map_exprs(lambda t: t.xreplace(sub)) for c in _call_conditions(call, theory)]
    if isinstance(e, sympy.core.function.AppliedUndef) and e.func.__name__ in theory.definitions:
        d = theory.definitions[e.func.__name__]
        sub = dict(zip(d.params, e.args))
        inner = shown([d.body]) + _call_conditions(d.body, theory)
        out += [c.map_exprs(lambda t: t.xreplace(sub)) for c in inner]
    for a in e.args:
        out += _call_conditions(a, theory)
    return out


def _guarded(e: sympy.Expr) -> list[sympy.Piecewise]:
    """The guarded values `Piecewise((value, guard), (nan, True))` of `e` outside any
    unevaluated limit."""
    if isinstance(e, sympy.Limit):
        return []
    if unguarded(e) is not None:
        return [e]
    return [g for a in e.args for g in _guarded(a)]


def _lift_guards(f: Formula) -> Formula:
    """An atom with a guarded value holds exactly when the guard does and the atom does
    with the value in its place (where the guard fails the term is undefined)."""
    if isinstance(f, Atom):
        found = list(dict.fromkeys(_guarded(f.lhs) + _guarded(f.rhs)))
        if not found:
            return f
        parts = {g: unguarded(g) for g in found}
        sub = {g: value for g, (value, _) in parts.items()}
        guards = [c for _, conditions in parts.values() for c in conditions]
        return conj(guards + [Atom(f.op, f.lhs.xreplace(sub), f.rhs.xreplace(sub))])
    if not f.children():
        return f
    return _rebuild(f, [_lift_guards(c) for c in f.children()])


def _fold_all(f: Formula, numbers: bool = True, domains: Domains | None = None) -> Formula:
    """`fold` every atom; with `numbers` False only the undefined ones. With `domains`,
    a sign condition (`g > 0`, `g >= 0`, `g != 0`: what definedness asks) that SymPy's
    sign rules prove on the domains of its symbols (each binding's own) is true."""
    if isinstance(f, Atom):
        # the term's own conditions must be settled too: SymPy's sign rules read x^alpha
        # as nonnegative on x >= 0 (0^alpha = 0), where it needs x > 0 to be defined
        if domains is not None and f.rhs == 0 and f.op in (">", ">=", "!=") and f.lhs.free_symbols \
                and _settled(f, domains) and all(_settled(c, domains) for c in shown([f.lhs])):
            return Truth(True)
        if f.lhs in _INFINITIES or f.rhs in _INFINITIES:
            # also in a table row: no later layer gives oo a value; t's conditions fold in turn
            decided = fold(f)
            return decided if decided == f else _fold_all(decided, numbers, domains)
        return fold(f) if numbers or _undefined(f.lhs) or _undefined(f.rhs) else f
    if not f.children():
        return f
    kids = [_fold_all(c, numbers, domains) for c in f.children()]
    if domains is not None and isinstance(f, (And, Or)):
        return conj(kids) if isinstance(f, And) else disj(kids)
    if isinstance(f, Quantified) and kids[0] == Truth(f.kind == "forall"):
        return kids[0]  # forall of true is true, exists of false is false, on any domain
    return _rebuild(f, kids)


def definedness(expr: sympy.Expr, domains: Domains | None = None) -> list[Atom]:
    """Conditions under which `expr` is a defined real number (lawproof.language.definedness.of_node):
    denominators and bases of integer powers that may be negative nonzero, fractional
    and real powers of nonnegative or positive bases, logarithms of positive numbers.

    With `domains`, a condition that SymPy's sign rules already prove from the
    symbols' domains (`N^(-alpha)` has a positive base when `N > 0`) is left out.
    Raises OutsideFragment for an unevaluated integral or limit, whose definedness
    this function cannot state.
    """
    out: list[Atom] = []
    # an integer exponent that the domains keep nonnegative needs no nonzero base
    nonnegative = (lambda ex: _assumed(ex, domains)[0].is_nonnegative is True) if domains else None
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, CALCULUS):
            raise OutsideFragment(f"unevaluated {type(node).__name__}")
        out.extend(of_node(node, nonnegative))
    unique: list[Atom] = []
    for a in out:
        if a not in unique and fold(a) != Truth(True) and not (domains and _settled(a, domains)):
            unique.append(a)
    return unique


def _settled(a: Atom, domains: Domains) -> bool:
    """Whether SymPy's sign rules prove the definedness condition `a` on the domains."""
    gap, _ = _assumed(a.lhs - a.rhs, domains)
    known = {"!=": gap.is_nonzero, ">": gap.is_positive, ">=": gap.is_nonnegative}.get(a.op)
    return known is True

