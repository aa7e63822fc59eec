"""Function symbols: claims that must hold for every function of a declared shape.

A claim about `R` declared under `[functions.R]` is reduced to a claim about plain
reals: every application `R(t)` the claim uses (and every derivative `R'(t)`) becomes
a fresh variable, and the shape hypotheses are instantiated at those terms
(monotonicity at each pair, convexity at each triple, tangent lines at derivative
points, bounds at each term). Every instance is true of every admissible function,
so a proof of "instances -> claim" proves the claim (`abstract`).

The converse does not hold: a model of the negation only gives values at finitely
many points. `piecewise_linear` turns those values into a concrete function (linear
between the points, linear beyond them) and checks every hypothesis on the whole
domain exactly, from the slopes; the caller re-checks the claim with that function.
Only then is the claim refuted.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy
from sympy.core.function import AppliedUndef

from ..claims import MONOTONE, FunctionSymbol
from ..domain import Domain
from ..errors import ClaimInputError, OutsideFragment
from ..formula import (And, Atom, Binder, Formula, Iff, Implies, Not, Or, Quantified, Truth, conj, disj,
                       free_symbols, nnf)
from ..symbolic import desugar

Functions = dict[str, FunctionSymbol]


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


def uses_functions(f: Formula, functions: Functions) -> bool:
    """Does the formula apply a declared function symbol?"""
    return any(isinstance(t, AppliedUndef) and t.func.__name__ in functions
               for node in f.walk() for e in node.exprs() for t in sympy.preorder_traversal(e))


def abstract(normalized: Formula, functions: Functions, domains: dict[sympy.Symbol, Domain]) -> Abstraction:
    """The claim with its applications abstracted and the hypotheses instantiated.

    Raises OutsideFragment when a function is applied to a variable of a quantifier
    that cannot be moved to the top (under `exists`): instances at such a term are
    not finitely many ground facts."""
    guarded = nnf(_guard(desugar(normalized), functions))
    lifted: list[Binder] = []
    matrix = _lift(guarded, lifted, top=True)
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
                return _application(call, _slope_index(d), apps, functions, replace, point).var
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
            _value_at(app.fn, app.args, apps)
    applications = list(apps.values())
    scope.update({a.var: Domain(-sympy.oo, sympy.oo, True, True) for a in applications})
    hyps = _hypotheses(applications)
    return Abstraction(Implies(conj(hyps), body) if hyps else body, body, hyps, scope, applications)


def _slope_index(d: sympy.Derivative) -> int:
    call = d.expr
    counts = list(d.variable_count)
    if len(counts) != 1 or counts[0][1] != 1 or counts[0][0] not in call.args or \
            list(call.args).count(counts[0][0]) != 1:
        raise OutsideFragment(f"{sympy.sstr(d)}: only first derivatives in one argument of a function symbol")
    return list(call.args).index(counts[0][0])


def _application(call: AppliedUndef, slope: int | None, apps: dict, functions: Functions,
                 replace, point: dict | None = None) -> Application:
    fn = functions[call.func.__name__]
    if slope is not None and not fn.differentiable:
        raise ClaimInputError(f"the claim differentiates {fn.name}, which is not declared differentiable",
                              fix=f"add differentiable = true under [functions.{fn.name}]")
    args = tuple(replace(a) for a in call.args)
    return _get(fn, args, slope, apps)


def _value_at(fn: FunctionSymbol, args: tuple, apps: dict) -> Application:
    return _get(fn, args, None, apps)


def _get(fn: FunctionSymbol, args: tuple, slope: int | None, apps: dict) -> Application:
    key = (fn.name, args, slope)
    if key not in apps:
        tag = "" if slope is None else f"d{slope + 1}"
        apps[key] = Application(fn, args, slope, sympy.Symbol(f"{fn.name}{tag}_{len(apps) + 1}", real=True))
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
    out = []
    for t in sympy.preorder_traversal(e):
        if isinstance(t, AppliedUndef) and t.func.__name__ in functions:
            fn = functions[t.func.__name__]
            out += [Atom(op, lo, hi) for arg, d in zip(t.args, fn.domains) for op, lo, hi in d.constraints(arg)]
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
    less = sympy.Lt(d.lo, d.hi) if d.lo_open or d.hi_open else sympy.Le(d.lo, d.hi)
    return less is sympy.true


def _in_domain(fn: FunctionSymbol, args: tuple) -> list[Formula]:
    return [Atom(op, lo, hi) for a, d in zip(args, fn.domains) for op, lo, hi in d.constraints(a)]


def _bound(fn: FunctionSymbol, args: tuple, value: sympy.Expr) -> list[Formula]:
    sub = dict(zip(fn.params, args))
    out = []
    if fn.lower is not None:
        out.append(Atom("<" if fn.lower_strict else "<=", fn.lower.xreplace(sub), value))
    if fn.upper is not None:
        out.append(Atom("<" if fn.upper_strict else "<=", value, fn.upper.xreplace(sub)))
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

    def text(self) -> str:
        """The function in words."""
        pts = ", ".join(f"({x}, {y})" for x, y in self.knots)
        return f"linear through {pts}; slope {self.left} before the first point, {self.right} after the last"


def piecewise_linear(fn: FunctionSymbol, points: dict[Fraction, Fraction],
                     env: dict[sympy.Symbol, Fraction]) -> PiecewiseLinear | str:
    """A function through `points` meeting every hypothesis of `fn` on its whole
    domain (the file's symbols at `env`), or why none of the candidates does.
    Candidates: the affine function when the points are collinear (differentiable),
    else linear interpolation, tails continuing the nearest piece."""
    if len(fn.params) != 1:
        return f"{fn.name} has several arguments: no counterexample function is built"
    d = fn.domains[0]
    try:
        lo, hi = _number(d.lo, env), _number(d.hi, env)
    except ValueError as e:
        return str(e)
    xs = sorted(points)
    knots = tuple((x, points[x]) for x in xs)
    candidates: list[PiecewiseLinear] = []
    if len(xs) == 1:
        candidates = [PiecewiseLinear(knots, s, s) for s in (Fraction(0), Fraction(1), Fraction(-1))]
    elif xs:
        inner = PiecewiseLinear(knots, Fraction(0), Fraction(0)).slopes()[1:-1]
        candidates = [PiecewiseLinear(knots, inner[0], inner[-1])]
    else:
        return "no point of the function's domain is used"
    why = ""
    for g in candidates:
        why = _violation(fn, g, lo, hi, d, env)
        if not why:
            return g
    return why


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
    b = bound.xreplace({s: sympy.Rational(env[s].numerator, env[s].denominator)
                        for s in bound.free_symbols if s in env})
    poly = sympy.Poly(b, x) if b.free_symbols <= {x} else None
    if poly is None or poly.degree() > 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return f"the bound {sympy.sstr(bound)} is not affine with rational coefficients at the counterexample"
    coeffs = [Fraction(int(c.p), int(c.q)) for c in poly.all_coeffs()]
    b0, b1 = (coeffs + [Fraction(0)])[:2] if len(coeffs) == 1 else (coeffs[1], coeffs[0])

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


__all__ = ["Application", "Abstraction", "PiecewiseLinear", "abstract", "piecewise_linear", "uses_functions"]
