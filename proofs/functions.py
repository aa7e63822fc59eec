"""Function symbols: claims that must hold for every function of a declared shape.

A claim about `R` declared under `[functions.R]` is reduced to a claim about plain
reals: every application `R(t)` the claim uses (and every derivative `R'(t)`) becomes
a fresh variable, and the shape hypotheses are instantiated at those terms
(monotonicity at each pair, convexity at each triple, tangent lines at derivative
points, bounds at each term). Every instance is true of every admissible function,
so a proof of "instances -> claim" proves the claim (`abstract`).

The converse does not hold: a model of the negation only gives values at finitely
many points. `concrete_function` turns those values into a concrete function (a
polynomial of degree <= 2, or linear between the points and beyond them) and checks
every hypothesis on the whole domain exactly; the caller re-checks the claim with
that function.
Only then is the claim refuted.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import sympy
from sympy.core.function import AppliedUndef

from ..language.claims import MONOTONE, FunctionSymbol
from ..language.domain import Domain, whole_ends
from ..language.errors import ClaimInputError, OutsideFragment
from ..language.formula import And, Atom, Binder, Bound, Formula, Iff, Implies, Not, Or, Quantified, conj, disj, nnf
from ..symbolic import definedness, desugar

Functions = dict[str, FunctionSymbol]
_REALS = Domain(-sympy.oo, sympy.oo, True, True)


@dataclass(frozen=True)
class Application:
    """One term `f(args)` (slope None) or `d f / d arg_slope (args)` of the claim,
    with the variable that stands for its value."""

    fn: FunctionSymbol
    args: tuple[sympy.Expr, ...]
    slope: int | None
    var: sympy.Symbol

    def text(self) -> str:
        call = f"{self.fn.name}({', '.join(sympy.sstr(a) for a in self.args)})"
        if self.slope is None:
            return call
        return f"diff({self.fn.name}, {self.fn.params[self.slope].name.split('.', 1)[1]}) at " \
               f"({', '.join(sympy.sstr(a) for a in self.args)})"


@dataclass
class Abstraction:
    """The claim over plain reals: `formula` is "hypotheses -> matrix", universally
    closed over `domains` (the claim's symbols, the lifted binders, and one
    unbounded variable per application)."""

    formula: Formula
    matrix: Formula
    hypotheses: list[Formula]
    domains: dict[sympy.Symbol, Domain]
    applications: list[Application] = field(default_factory=list)
    #: False when existentials were replaced by instances (a stronger claim)
    exact: bool = True


def uses_functions(f: Formula, functions: Functions) -> bool:
    """Does the formula apply a declared function symbol?"""
    return any(isinstance(t, AppliedUndef) and t.func.__name__ in functions
               for node in f.walk() for e in node.exprs() for t in sympy.preorder_traversal(e))


def abstract(normalized: Formula, functions: Functions, domains: dict[sympy.Symbol, Domain]) -> Abstraction:
    """The claim with its applications abstracted and the hypotheses instantiated.

    An existential quantifier over a function's argument (a negated optimality
    hypothesis such as `minimized_at(C(N) + N*D1, N, N1)` on the left of `->`) is
    replaced by its instances at the claim's other arguments of that function: a
    stronger claim, so its proof proves the claim, but its counterexample is none
    (`exact` is then False). Raises OutsideFragment when a function is still applied
    to a quantified variable: instances at such a term are not finitely many facts."""
    guarded = nnf(_guard(desugar(normalized), functions))
    lifted: list[Binder] = []
    matrix = _lift(guarded, lifted, top=True)
    instantiated = _instantiate(matrix, functions)
    exact = instantiated == matrix
    matrix = instantiated
    scope = dict(domains)
    scope.update({b.symbol: b.domain for b in lifted})
    inner = {b.symbol for node in matrix.walk() if isinstance(node, Quantified) for b in node.binders}
    apps: dict[tuple, Application] = {}

    def replace(e: sympy.Expr) -> sympy.Expr:
        if isinstance(e, sympy.Derivative) and isinstance(e.expr, AppliedUndef) and e.expr.func.__name__ in functions:
            return _application(e.expr, _slope_index(e), apps, functions, replace).var
        if isinstance(e, sympy.Subs) and isinstance(e.expr, sympy.Derivative):
            d = e.expr
            if isinstance(d.expr, AppliedUndef) and d.expr.func.__name__ in functions:
                point = dict(zip(e.variables, e.point))
                call = d.expr.func(*(a.xreplace(point) for a in d.expr.args))
                return _application(call, _slope_index(d), apps, functions, replace).var
        if isinstance(e, AppliedUndef) and e.func.__name__ in functions:
            return _application(e, None, apps, functions, replace).var
        if not e.args:
            return e
        return e.func(*(replace(a) for a in e.args))

    body = matrix.map_exprs(replace)
    for app in list(apps.values()):
        if any(s in inner for a in app.args for s in a.free_symbols):
            raise OutsideFragment(f"{app.text()} depends on a variable bound under an existential quantifier")
        if app.slope is not None:  # tangent lines need the value at the derivative's point
            _get(app.fn, app.args, None, apps)
    applications = list(apps.values())
    scope.update({a.var: _REALS for a in applications})
    hyps = _hypotheses(applications)
    return Abstraction(Implies(conj(hyps), body) if hyps else body, body, hyps, scope, applications, exact)


def _bound_inside(f: Formula) -> set[sympy.Symbol]:
    return {b.symbol for node in f.walk() if isinstance(node, Quantified) for b in node.binders}


def _calls(f: Formula, functions: Functions) -> list[AppliedUndef]:
    return [t for node in f.walk() for e in node.exprs() for t in sympy.preorder_traversal(e)
            if isinstance(t, AppliedUndef) and t.func.__name__ in functions]


def _instantiate(f: Formula, functions: Functions) -> Formula:
    """Each `exists` whose variables are arguments of function calls, replaced by the
    disjunction of its instances at the ground arguments the formula gives that
    function at the same position (see `abstract`)."""
    inner = _bound_inside(f)
    ground: dict[tuple[str, int], list[sympy.Expr]] = {}
    for call in _calls(f, functions):
        for k, arg in enumerate(call.args):
            if not arg.free_symbols & inner:
                ground.setdefault((call.func.__name__, k), [])
                if arg not in ground[(call.func.__name__, k)]:
                    ground[(call.func.__name__, k)].append(arg)
    return _instances(f, functions, ground)


def _instances(f: Formula, functions: Functions, ground: dict) -> Formula:
    if isinstance(f, (And, Or)):
        return (conj if isinstance(f, And) else disj)([_instances(c, functions, ground) for c in f.args])
    if not isinstance(f, Quantified):
        return f
    body = _instances(f.body, functions, ground)
    if f.kind != "exists":
        return Quantified(f.kind, f.binders, body)
    choices = []
    for b in f.binders:
        places = {(c.func.__name__, k) for c in _calls(body, functions) for k, a in enumerate(c.args)
                  if a == b.symbol}
        found = [t for p in sorted(places) for t in ground.get(p, [])]
        if not found or any(b.symbol in a.free_symbols and a != b.symbol
                            for c in _calls(body, functions) for a in c.args):
            return Quantified(f.kind, f.binders, body)
        choices.append(list(dict.fromkeys(found)))
    out = []
    for combo in itertools.product(*choices):
        sub = dict(zip((b.symbol for b in f.binders), combo))
        # an integer variable's instance must be a whole number too: else the disjunct does
        # not imply the existential, and the claim so obtained is no longer stronger
        inside = [Atom(op, lo.xreplace(sub), hi.xreplace(sub)) for b, t in zip(f.binders, combo)
                  for op, lo, hi in b.domain.constraints(t) + b.domain.whole(t)]
        # a derivative in the variable becomes one at the instance (Subs), which `abstract` reads
        out.append(conj([*inside, body.map_exprs(lambda e: e.subs(sub) if e.has(sympy.Derivative)
                                                 else e.xreplace(sub))]))
    return disj(out)


def with_functions(normalized: Formula, functions: Functions,
                   built: dict[str, "PiecewiseLinear | Quadratic"]) -> Formula:
    """The claim with each function symbol replaced by a concrete function (calls
    outside the declared domain still make their comparisons false)."""
    guarded = _guard(desugar(normalized), functions)
    return guarded.map_exprs(lambda e: e.replace(
        lambda t: isinstance(t, AppliedUndef) and t.func.__name__ in built,
        lambda t: built[t.func.__name__].expr(t.args[0])))


def _slope_index(d: sympy.Derivative) -> int:
    call = d.expr
    counts = list(d.variable_count)
    if len(counts) != 1 or counts[0][1] != 1 or counts[0][0] not in call.args or \
            list(call.args).count(counts[0][0]) != 1:
        raise OutsideFragment(f"{sympy.sstr(d)}: only first derivatives in one argument of a function symbol")
    return list(call.args).index(counts[0][0])


def _application(call: AppliedUndef, slope: int | None, apps: dict, functions: Functions,
                 replace: Callable[[sympy.Expr], sympy.Expr]) -> Application:
    fn = functions[call.func.__name__]
    if slope is not None and not fn.differentiable:
        raise ClaimInputError(f"the claim differentiates {fn.name}, which is not declared differentiable",
                              fix=f"add differentiable = true under [functions.{fn.name}]")
    args = tuple(replace(a) for a in call.args)
    return _get(fn, args, slope, apps)


def _get(fn: FunctionSymbol, args: tuple, slope: int | None, apps: dict) -> Application:
    key = (fn.name, args, slope)
    if key not in apps:
        tag = "" if slope is None else f"d{slope + 1}"
        # a Bound equals only itself: a file symbol of the same name cannot capture it
        apps[key] = Application(fn, args, slope, Bound(f"{fn.name}{tag}_{len(apps) + 1}", _REALS))
    return apps[key]


def _guard(f: Formula, functions: Functions) -> Formula:
    """Each atom with an application also says the arguments lie in the function's
    domain: a comparison with an undefined term is false."""
    if isinstance(f, Atom):
        conditions = [c for e in f.exprs() for c in _defined(e, functions)]
        return conj([f, *dict.fromkeys(conditions)]) if conditions else f
    if isinstance(f, Not):
        return Not(_guard(f.arg, functions))
    if isinstance(f, (And, Or)):
        return type(f)(tuple(_guard(c, functions) for c in f.args))
    if isinstance(f, (Implies, Iff)):
        return type(f)(_guard(f.lhs, functions), _guard(f.rhs, functions))
    if isinstance(f, Quantified):
        return Quantified(f.kind, f.binders, _guard(f.body, functions))
    return f


def _defined(e: sympy.Expr, functions: Functions) -> list[Atom]:
    """The arguments of every application in `e` lie in the function's domain (a
    derivative `Subs(Derivative(f(t), t), t, p)` is an application at p)."""
    if isinstance(e, sympy.Subs):
        point = dict(zip(e.variables, e.point))
        inner = e.expr.xreplace(point) if not isinstance(e.expr, sympy.Derivative) else \
            e.expr.expr.xreplace(point)
        return _defined(inner, functions) + [c for p in e.point for c in _defined(p, functions)]
    out = []
    if isinstance(e, AppliedUndef) and e.func.__name__ in functions:
        fn = functions[e.func.__name__]
        out += [Atom(op, lo, hi) for arg, d in zip(e.args, fn.domains) for op, lo, hi in d.constraints(arg)]
    for a in e.args:
        out += _defined(a, functions)
    return out


def _lift(f: Formula, lifted: list[Binder], top: bool) -> Formula:
    """Move universal quantifiers not under an existential one to the top (their
    binders, each its own symbol, are collected in `lifted`). Through `and`/`or` only
    a binder whose domain is certainly non-empty moves: `(forall y in {}: B) and A`
    is A, but `forall y in {}: (A and B)` is true."""
    if isinstance(f, Quantified) and f.kind == "forall" and (top or all(_nonempty(b.domain) for b in f.binders)):
        lifted.extend(f.binders)
        return _lift(f.body, lifted, top)
    if isinstance(f, (And, Or)):
        return (conj if isinstance(f, And) else disj)([_lift(c, lifted, False) for c in f.args])
    return f


def _nonempty(d: Domain) -> bool:
    if not (d.lo.is_number or d.lo == -sympy.oo) or not (d.hi.is_number or d.hi == sympy.oo):
        return False
    # an integer variable's [1/3, 2/3] holds no whole number
    lo, hi, lo_open, hi_open = whole_ends(d.lo, d.hi, d.lo_open, d.hi_open) if d.integer else \
        (d.lo, d.hi, d.lo_open, d.hi_open)
    less = sympy.Lt(lo, hi) if lo_open or hi_open else sympy.Le(lo, hi)
    return less is sympy.true


def _in_domain(fn: FunctionSymbol, args: tuple) -> list[Formula]:
    return [Atom(op, lo, hi) for a, d in zip(args, fn.domains) for op, lo, hi in d.constraints(a)]


def _bound(fn: FunctionSymbol, args: tuple, value: sympy.Expr) -> list[Formula]:
    """The declared bounds on the value at `args`, each where the bound itself is defined:
    `values = "(1, 1 + 1/a)"` says nothing at a = 0, where a comparison with the undefined
    bound would be false and so make every claim vacuously true (Rp(0) < 0 was proved)."""
    sub = dict(zip(fn.params, args))
    out: list[Formula] = []
    for bound, strict, below in ((fn.lower, fn.lower_strict, True), (fn.upper, fn.upper_strict, False)):
        if bound is None:
            continue
        at = bound.xreplace(sub)
        atom = Atom("<" if strict else "<=", *((at, value) if below else (value, at)))
        try:
            defined = [c.map_exprs(lambda e: e.xreplace(sub)) for c in definedness(bound)]
        except OutsideFragment:
            continue  # a bound whose definedness cannot be stated: no hypothesis
        out.append(Implies(conj(defined), atom) if defined else atom)
    return out


def _hypotheses(apps: list[Application]) -> list[Formula]:
    """The shape hypotheses instantiated at the applications (each guarded by the
    arguments lying in the domain)."""
    out: list[Formula] = []

    def given(conditions: list[Formula], then: Formula) -> None:
        out.append(Implies(conj(conditions), then) if conditions else then)

    values = [a for a in apps if a.slope is None]
    slopes = [a for a in apps if a.slope is not None]
    for a in values:
        for b in _bound(a.fn, a.args, a.var):
            given(_in_domain(a.fn, a.args), b)
    for a, b in itertools.permutations(values, 2):
        if a.fn is not b.fn:
            continue
        inside = _in_domain(a.fn, a.args) + _in_domain(b.fn, b.args)
        same = [Atom("=", s, t) for s, t in zip(a.args, b.args)]
        if a.var.name < b.var.name:  # a function: equal arguments, equal values
            given(inside + same, Atom("=", a.var, b.var))
        if len(a.args) > 1 and all(a.fn.monotone):
            # monotone in every argument: moving each argument in its own direction
            # moves the value (through the corner points, which lie in the box domain)
            up = [Atom("<=" if MONOTONE[w] in ("<", "<=") else ">=", s, t)
                  for w, s, t in zip(a.fn.monotone, a.args, b.args)]
            given(inside + up, Atom("<=", a.var, b.var))
            for k, word in enumerate(a.fn.monotone):
                if MONOTONE[word] in ("<", ">"):
                    given(inside + up + [Atom("!=", a.args[k], b.args[k])], Atom("<", a.var, b.var))
            continue
        for k, word in enumerate(a.fn.monotone):
            if word is None:
                continue
            others = [c for i, c in enumerate(same) if i != k]
            given(inside + others + [Atom("<", a.args[k], b.args[k])], Atom(MONOTONE[word], a.var, b.var))
    for a, b, c in itertools.permutations(values, 3):
        if not (a.fn is b.fn is c.fn) or a.fn.curvature is None:
            continue
        r, s, t = a.args[0], b.args[0], c.args[0]
        inside = _in_domain(a.fn, a.args) + _in_domain(b.fn, b.args) + _in_domain(c.fn, c.args)
        order = [Atom("<", r, s), Atom("<", s, t)]
        # f(s) (t - r) <= f(r) (t - s) + f(t) (s - r): the chord lies above (convex)
        op = "<=" if a.fn.curvature == "convex" else ">="
        given(inside + order, Atom(op, b.var * (t - r), a.var * (t - s) + c.var * (s - r)))
    for d in slopes:
        fn, k = d.fn, d.slope
        inside = _in_domain(fn, d.args)
        word = fn.monotone[k]
        if word is not None:
            given(inside, Atom(">=" if MONOTONE[word] in ("<", "<=") else "<=", d.var, sympy.Integer(0)))
        if fn.curvature is None:
            continue
        op = ">=" if fn.curvature == "convex" else "<="
        at = next(v for v in values if v.fn is fn and v.args == d.args)
        for v in values:  # the tangent line at the derivative's point
            if v.fn is fn and v is not at:
                given(inside + _in_domain(fn, v.args),
                      Atom(op, v.var, at.var + d.var * (v.args[0] - d.args[0])))
        for e in slopes:  # the derivative of a convex function is non-decreasing
            if e is not d and e.fn is fn:
                given(inside + _in_domain(fn, e.args) + [Atom("<", d.args[0], e.args[0])],
                      Atom("<=" if fn.curvature == "convex" else ">=", d.var, e.var))
    return out


# -- counterexamples: a concrete function through the model's values ----------------

@dataclass(frozen=True)
class PiecewiseLinear:
    """A continuous function of one argument, linear between `knots` (x, y) and
    linear beyond the first and last knot with slopes `left` and `right`."""

    knots: tuple[tuple[Fraction, Fraction], ...]
    left: Fraction
    right: Fraction

    def slopes(self) -> list[Fraction]:
        """Slopes of the pieces, left to right (the tails included)."""
        inner = [(y2 - y1) / (x2 - x1) for (x1, y1), (x2, y2) in zip(self.knots, self.knots[1:])]
        return [self.left, *inner, self.right]

    def __call__(self, x: Fraction) -> Fraction:
        pieces = self.slopes()
        xs = [k[0] for k in self.knots]
        i = sum(1 for k in xs if k <= x)  # the piece x lies on: 0 the left tail
        x0, y0 = self.knots[max(i - 1, 0)]
        return y0 + pieces[i] * (x - x0)

    def slope_at(self, x: Fraction) -> Fraction | None:
        """The derivative at x, None at a kink (where the two pieces' slopes differ)."""
        pieces = self.slopes()
        xs = [k[0] for k in self.knots]
        i = sum(1 for k in xs if k <= x)
        if x in xs and pieces[i - 1] != pieces[i]:
            return None
        return pieces[i]

    def expr(self, t: sympy.Expr) -> sympy.Expr:
        """The function at the term t: the left tail's line plus a max(0, t - x) term
        for each change of slope."""
        (x0, y0), slopes = self.knots[0], self.slopes()
        out = _rational(y0) + _rational(slopes[0]) * (t - _rational(x0))
        for (x, _), before, after in zip(self.knots, slopes, slopes[1:]):
            if after != before:
                out += _rational(after - before) * sympy.Max(0, t - _rational(x))
        return out

    def text(self) -> str:
        """The function in claim-language syntax, in the argument t."""
        return sympy.sstr(self.expr(_T)).replace("Max(", "max(")


@dataclass(frozen=True)
class Quadratic:
    """The polynomial a t^2 + b t + c (smooth: the candidate where a differentiable
    function is needed)."""

    a: Fraction
    b: Fraction
    c: Fraction

    def __call__(self, x: Fraction) -> Fraction:
        return (self.a * x + self.b) * x + self.c

    def slope_at(self, x: Fraction) -> Fraction:
        """The derivative at x."""
        return 2 * self.a * x + self.b

    def expr(self, t: sympy.Expr) -> sympy.Expr:
        """The polynomial at the term t."""
        return _rational(self.a) * t ** 2 + _rational(self.b) * t + _rational(self.c)

    def text(self) -> str:
        """The function in claim-language syntax."""
        return sympy.sstr(self.expr(_T))


_T = sympy.Symbol("t")


def _rational(v: Fraction) -> sympy.Rational:
    return sympy.Rational(v.numerator, v.denominator)


def concrete_functions(fn: FunctionSymbol, points: dict[Fraction, Fraction], slopes: dict[Fraction, Fraction],
                       env: dict[sympy.Symbol, Fraction]) -> list[PiecewiseLinear | Quadratic] | str:
    """The functions with the model's `points` (argument -> value) meeting every
    hypothesis of `fn` on its whole domain (the file's symbols at `env`), best first,
    or why none of the candidates does. Candidates, in order: the polynomial of degree <= 2 through
    the points with the model's `slopes` (argument -> derivative) where these
    determine one; the affine functions through a single point; linear interpolation
    with tails continuing the nearest piece (not for a differentiable function)."""
    if len(fn.params) != 1:
        return f"{fn.name} has several arguments: no counterexample function is built"
    d = fn.domains[0]
    try:
        lo, hi = _number(d.lo, env), _number(d.hi, env)
    except ValueError as e:
        return str(e)
    if not points:  # only derivatives are used: any value will do
        points = {min(slopes): Fraction(0)}
    xs = sorted(points)
    knots = tuple((x, points[x]) for x in xs)
    candidates: list[PiecewiseLinear | Quadratic] = []
    fitted = _fit(points, slopes)
    if fitted is not None:
        candidates.append(fitted)
    # gentle slopes keep a line inside bounds that a steep one leaves
    gentle = [Fraction(sign, 10 ** k) for k in (0, 1, 3, 6) for sign in (1, -1)]
    # steep walls beyond the points: the points become the function's minima (an
    # optimum stated at them holds beyond them); the re-check decides whether they do
    walls = [(Fraction(-10 ** k), Fraction(10 ** k)) for k in (1, 3, 6)] if not fn.differentiable else []
    if len(xs) == 1:
        candidates += [PiecewiseLinear(knots, s, s) for s in (*slopes.values(), Fraction(0), *gentle)]
        candidates += [PiecewiseLinear(knots, left, right) for left, right in walls]
    elif not fn.differentiable:
        inner = PiecewiseLinear(knots, Fraction(0), Fraction(0)).slopes()[1:-1]
        # tails: continuing the nearest piece, flat, or gently in its direction
        lefts = [inner[0], Fraction(0), *(g for g in gentle if g * inner[0] > 0 and abs(g) < abs(inner[0]))]
        rights = [inner[-1], Fraction(0), *(g for g in gentle if g * inner[-1] > 0 and abs(g) < abs(inner[-1]))]
        candidates += [PiecewiseLinear(knots, left, right) for left in lefts for right in rights]
        candidates += [PiecewiseLinear(knots, left, right) for left, right in walls]
    good, reasons = [], []
    for g in dict.fromkeys(candidates):
        why = _quadratic_violation(fn, g, lo, hi, d, env, xs) if isinstance(g, Quadratic) else \
            _violation(fn, g, lo, hi, d, env)
        (reasons if why else good).append(why or g)
    if good:
        return good
    return reasons[0] if reasons else "the model's values determine no function of degree <= 2"


def _fit(points: dict[Fraction, Fraction], slopes: dict[Fraction, Fraction]) -> Quadratic | None:
    """The polynomial of least degree (at most 2) with these values and derivatives,
    if they determine one exactly (checked at every condition)."""
    rows = [([x * x, x, Fraction(1)], y) for x, y in points.items()] + \
           [([2 * x, Fraction(1), Fraction(0)], s) for x, s in slopes.items()]
    for degree in (0, 1, 2):
        cols = [2 - degree + k for k in range(degree + 1)]  # which of (a, b, c) are free
        solution = _solve([[r[0][c] for c in cols] for r in rows], [r[1] for r in rows])
        if solution is not None:
            coeffs = [Fraction(0)] * 3
            for c, v in zip(cols, solution):
                coeffs[c] = v
            return Quadratic(*coeffs)
    return None


def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The exact solution of the (possibly over-determined) linear system, if it has
    exactly one."""
    n = len(rows[0])
    m = [list(r) + [v] for r, v in zip(rows, rhs)]
    pivots = []
    row = 0
    for col in range(n):
        pick = next((i for i in range(row, len(m)) if m[i][col] != 0), None)
        if pick is None:
            return None
        m[row], m[pick] = m[pick], m[row]
        m[row] = [v / m[row][col] for v in m[row]]
        for i in range(len(m)):
            if i != row and m[i][col] != 0:
                m[i] = [a - m[i][col] * b for a, b in zip(m[i], m[row])]
        pivots.append(col)
        row += 1
    if any(all(v == 0 for v in r[:n]) and r[n] != 0 for r in m):
        return None
    return [m[i][n] for i in range(n)]


def _quadratic_violation(fn: FunctionSymbol, q: Quadratic, lo: Fraction | None, hi: Fraction | None,
                         d: Domain, env: dict, inside: list[Fraction]) -> str:
    """Why the polynomial fails a hypothesis of `fn` on the domain ('' if it meets all)."""
    word = fn.monotone[0]
    if word is not None:
        sign = 1 if MONOTONE[word] in ("<", "<=") else -1
        # the derivative 2a t + b, times the wanted sign, stays > 0 (>= 0) on the domain
        if not _positive(Fraction(0), sign * 2 * q.a, sign * q.b, lo, hi, d, word in ("increasing", "decreasing"),
                         inside):
            return f"the polynomial {q.text()} is not {word} on the domain"
    if (fn.curvature == "convex" and q.a < 0) or (fn.curvature == "concave" and q.a > 0):
        return f"the polynomial {q.text()} is not {fn.curvature}"
    for bound, strict, sign in ((fn.lower, fn.lower_strict, 1), (fn.upper, fn.upper_strict, -1)):
        if bound is None:
            continue
        coeffs = _affine(bound, fn.params[0], env)
        if coeffs is None:
            return f"the bound {sympy.sstr(bound)} is not affine with rational coefficients at the counterexample"
        b0, b1 = coeffs
        if not _positive(sign * q.a, sign * (q.b - b1), sign * (q.c - b0), lo, hi, d, strict, inside):
            return f"the polynomial {q.text()} breaks the bound {sympy.sstr(bound)} on the domain"
    return ""


def _positive(a: Fraction, b: Fraction, c: Fraction, lo: Fraction | None, hi: Fraction | None, d: Domain,
              strict: bool, inside: list[Fraction]) -> bool:
    """Is a t^2 + b t + c > 0 (>= 0 unless strict) at every t of the domain? Its
    minimum lies at an end (a value, or a limit at an open or infinite end) or at the
    vertex; a limit 0 at an open end is allowed unless the function is constant."""
    def value(t: Fraction) -> Fraction:
        return (a * t + b) * t + c

    def ok(v: Fraction, included: bool) -> bool:
        return v > 0 if strict and included else v >= 0

    if strict and a == 0 and b == 0:
        return c > 0
    if not all(ok(value(t), True) for t in inside):
        return False
    for end, included, direction in ((lo, not d.lo_open, -1), (hi, not d.hi_open, 1)):
        if end is None:
            if a < 0 or (a == 0 and direction * b < 0):
                return False
        elif not ok(value(end), included):
            return False
    if a > 0:
        vertex = -b / (2 * a)
        if (lo is None or vertex > lo) and (hi is None or vertex < hi) and not ok(value(vertex), True):
            return False
    return True


def _affine(bound: sympy.Expr, x: sympy.Symbol, env: dict) -> tuple[Fraction, Fraction] | None:
    """(b0, b1) with bound = b0 + b1 x at the model's values of the other symbols."""
    b = sympy.expand(bound.xreplace({s: sympy.Rational(env[s].numerator, env[s].denominator)
                                     for s in bound.free_symbols if s in env}))
    if not b.free_symbols <= {x}:
        return None
    try:
        poly = sympy.Poly(b, x)
    except sympy.PolynomialError:  # 1 + 1/x: not a polynomial in the argument
        return None
    if poly.degree() > 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    c1, c0 = ([sympy.Integer(0)] + poly.all_coeffs())[-2:]
    return Fraction(int(c0.p), int(c0.q)), Fraction(int(c1.p), int(c1.q))


def _number(e: sympy.Expr, env: dict) -> Fraction | None:
    """A domain end at the model's values: None for an infinite end."""
    if e in (sympy.oo, -sympy.oo):
        return None
    v = e.xreplace({s: sympy.Rational(env[s].numerator, env[s].denominator) for s in e.free_symbols if s in env})
    if not v.is_Rational:
        raise ValueError(f"the domain end {sympy.sstr(e)} is not rational at the counterexample")
    return Fraction(int(v.p), int(v.q))


def _violation(fn: FunctionSymbol, g: PiecewiseLinear, lo: Fraction | None, hi: Fraction | None,
               d: Domain, env: dict) -> str:
    """Why `g` fails a hypothesis of `fn` somewhere on the domain ('' if it meets all).
    Each piece is affine, so a property holds on it iff it holds at its ends (the
    value, or the limit at an open or infinite end, from the slope)."""
    slopes = g.slopes()
    # the tails count only where the domain reaches past the first or last point
    first, last = g.knots[0][0], g.knots[-1][0]
    pieces = ([slopes[0]] if lo is None or lo < first else []) + slopes[1:-1] + \
        ([slopes[-1]] if hi is None or hi > last else [])
    word = fn.monotone[0]
    if word is not None:
        ok = {"increasing": lambda s: s > 0, "decreasing": lambda s: s < 0,
              "nondecreasing": lambda s: s >= 0, "nonincreasing": lambda s: s <= 0}[word]
        if not all(ok(s) for s in pieces):
            return f"the linear interpolation of the model's values is not {word}"
    if fn.curvature is not None:
        pairs = list(zip(pieces, pieces[1:]))
        if not all((a <= b) if fn.curvature == "convex" else (a >= b) for a, b in pairs):
            return f"the linear interpolation of the model's values is not {fn.curvature}"
    if fn.differentiable and len(set(pieces)) > 1:
        return "the model's values are not collinear, and a piecewise-linear function is not differentiable"
    for bound, strict, sign in ((fn.lower, fn.lower_strict, 1), (fn.upper, fn.upper_strict, -1)):
        if bound is None:
            continue
        why = _above(g, bound, strict, sign, fn.params[0], lo, hi, d, env)
        if why:
            return why
    return ""


def _above(g: PiecewiseLinear, bound: sympy.Expr, strict: bool, sign: int, x: sympy.Symbol,
           lo: Fraction | None, hi: Fraction | None, d: Domain, env: dict) -> str:
    """Does sign*(g - bound) stay > 0 (>= 0) on the domain? Only affine bounds are checked."""
    coeffs = _affine(bound, x, env)
    if coeffs is None:
        return f"the bound {sympy.sstr(bound)} is not affine with rational coefficients at the counterexample"
    b0, b1 = coeffs

    def gap(t: Fraction) -> Fraction:
        return sign * (g(t) - (b0 + b1 * t))

    def ok(v: Fraction, included: bool) -> bool:
        return v > 0 if (strict and included) else v >= 0

    # the gap is affine on each piece: check the knots and the domain's ends
    for t, _ in g.knots:
        if not ok(gap(t), True):
            return f"the function breaks the bound {sympy.sstr(bound)} at {t}"
    slopes = g.slopes()
    # how the gap grows going outwards from the first point (left) and the last (right)
    for end, included, towards in ((lo, not d.lo_open, -sign * (slopes[0] - b1)),
                                   (hi, not d.hi_open, sign * (slopes[-1] - b1))):
        if end is None:
            if towards < 0:
                return f"the function crosses the bound {sympy.sstr(bound)} on an unbounded end"
        elif not ok(gap(end), included):
            return f"the function breaks the bound {sympy.sstr(bound)} at the domain's end {end}"
    return ""


__all__ = ["Application", "Abstraction", "PiecewiseLinear", "Quadratic", "abstract", "concrete_functions", "with_functions", "uses_functions"]
