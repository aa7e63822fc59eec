"""The intermediate form of a claim: a small logic over exact SymPy expressions.

Every layer reads and writes this form. Terms are SymPy expressions; the logic
(connectives, quantifiers with domains, optimality and approximation atoms) is
spelled out here because SymPy's own Boolean classes have no quantifiers.

Semantics of an atom `lhs op rhs`: true when both sides are defined real numbers
(no zero denominator, no even root or log of a negative) and the relation holds;
false otherwise. Negation is classical over that, so `not (1/x > 0)` holds at x = 0.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable, Iterator

import sympy
from sympy.core.parameters import global_parameters
from sympy.printing.str import StrPrinter

from .domain import Domain

RELOPS = ("=", "!=", "<", "<=", ">", ">=")

Expr = sympy.Expr
ExprMap = Callable[[Expr], Expr]

#: Terms that bind a variable and that the symbolic layer evaluates (derivatives,
#: integrals, limits, sums); left unevaluated, later layers treat them as outside
#: their fragment.
CALCULUS = (sympy.Derivative, sympy.Integral, sympy.Limit, sympy.Sum)


class Binding(sympy.Function):
    """A term whose last argument is a variable bound inside it (the variable that
    `solve`, `argmin`, `argmax` solve or optimize for): it is not free in the term."""

    @property
    def variable(self) -> sympy.Symbol:
        """The variable solved or optimized for."""
        return self.args[-1]

    @property
    def free_symbols(self) -> set[sympy.Basic]:
        inner: set[sympy.Basic] = set()
        for a in self.args[:-1]:
            inner |= a.free_symbols
        return inner - {self.variable}


class Limit(sympy.Limit):
    """An unevaluated limit, commutative like every term of the language.

    SymPy leaves a Limit's commutativity unknown (its integrals and sums take their
    body's), so arithmetic with one was not distributed (-(R - L) stayed a product)
    and `Abs(R - 3*log(R) - L)` recursed without end: signsimp found a minus sign to
    extract on both sides (fuzz run, seed 40001: an approx with a limit as target, and
    abs() around one, were internal errors).
    """

    is_commutative = True


class _Held:
    """A built-in the parser leaves unevaluated because an argument holds calculus
    (ordered or rounded once that is evaluated, in the symbolic layer), and that stays
    unevaluated when pickled. SymPy rebuilds a pickled term evaluated: a worker
    process's result holding min(integrate(1, s, 0, oo), 1) was ordered by numeric
    quadrature in the parent (35 s, then ValueError and a broken process pool: fuzz
    run seed 40007). Each class is named as SymPy's, whose printers go by the name.

    Only the unevaluated node is of this class: built evaluated (as `func(*args)`
    rebuilds it once its calculus has a value) it is SymPy's own, whose evaluation
    tells min from max by `cls is Max`: a subclass made max(7/3, 0) equal 0."""

    #: SymPy's class, which builds the evaluated term
    evaluated: type

    def __new__(cls, *args: object, **options: object) -> sympy.Expr:
        if options.get("evaluate", global_parameters.evaluate):
            return cls.evaluated(*args, **options)
        return super().__new__(cls, *args, **options)

    def __getnewargs_ex__(self) -> tuple[tuple, dict]:
        return self.args, {"evaluate": False}


class Min(_Held, sympy.Min):
    """min(...) left unevaluated (see _Held)."""

    evaluated = sympy.Min


class Max(_Held, sympy.Max):
    """max(...) left unevaluated (see _Held)."""

    evaluated = sympy.Max


class floor(_Held, sympy.floor):  # noqa: N801 - SymPy's name, which its printers use
    """floor(...) left unevaluated (see _Held)."""

    evaluated = sympy.floor


class ceiling(_Held, sympy.ceiling):  # noqa: N801 - SymPy's name, which its printers use
    """ceil(...) left unevaluated (see _Held)."""

    evaluated = sympy.ceiling


class Bound(sympy.Symbol):
    """The variable of one binding: a quantifier, an optimum, an integral, a limit,
    a derived built-in (`solve`, `argmin`).

    It prints as its name but equals only itself, so a substitution meant for another
    binding of the same name, or for the free symbol of that name, cannot reach it
    (no capture by construction). Its `domain` is the binding's own: SymPy's sign
    assumptions in calculus and rewriting are read from it, never from the name.
    Identity is a process-wide counter: comparisons and sorting use the name, so the
    counter's value never shows in output.
    """

    __slots__ = ("binding", "domain")
    _counter = itertools.count(1)

    def __new__(cls, name: str, domain: Domain, binding: int | None = None, **assumptions: bool) -> "Bound":
        if not assumptions:
            assumptions = {"integer": True} if domain.integer else {"real": True}
        obj = sympy.Symbol.__xnew__(cls, name, **assumptions)
        obj.binding = next(cls._counter) if binding is None else binding
        obj.domain = domain
        return obj

    def __getnewargs_ex__(self):
        return ((self.name, self.domain, self.binding), self._assumptions_orig)

    def _hashable_content(self):
        return sympy.Symbol._hashable_content(self) + (self.binding,)

    def rebound(self, domain: Domain, name: str | None = None) -> "Bound":
        """A new binding like this one, over `domain` (and under `name`)."""
        return Bound(self.name if name is None else name, domain, **self._assumptions_orig)


# SymPy orders a sum's terms by class name first: a bound variable must sort like the
# symbol it stands for, or z3 receives the same claim's terms in another order (nlsat's
# time depends on it: 0.5 s against more than 40 s on a bundled region re-proof).
Bound.__name__ = "Symbol"


def domain_of(s: sympy.Symbol, domains: dict[sympy.Symbol, Domain]) -> Domain | None:
    """The domain of `s`: from `domains` (free symbols, and binders in scope), else
    from its own binding."""
    d = domains.get(s)
    if d is None and isinstance(s, Bound):
        return s.domain
    return d


@dataclass(frozen=True)
class Binder:
    """A bound variable with the domain it ranges over."""

    symbol: sympy.Symbol
    domain: Domain

    def map_exprs(self, fn: ExprMap) -> "Binder":
        d = self.domain
        return Binder(self.symbol, replace(d, lo=fn(d.lo), hi=fn(d.hi)))


class Formula:
    """Base of every formula node. Nodes are immutable and compare by value."""

    def children(self) -> tuple["Formula", ...]:
        return ()

    def map_exprs(self, fn: ExprMap) -> "Formula":
        """Apply `fn` to every term, keeping the logical structure."""
        raise NotImplementedError

    def walk(self) -> Iterator["Formula"]:
        """Every node, pre-order."""
        yield self
        for c in self.children():
            yield from c.walk()

    def exprs(self) -> Iterator[Expr]:
        """Every term that appears directly in this node (not in children)."""
        return iter(())


@dataclass(frozen=True)
class Truth(Formula):
    value: bool

    def map_exprs(self, fn: ExprMap) -> Formula:
        return self


@dataclass(frozen=True)
class Atom(Formula):
    op: str
    lhs: Expr
    rhs: Expr

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Atom(self.op, fn(self.lhs), fn(self.rhs))

    def exprs(self) -> Iterator[Expr]:
        return iter((self.lhs, self.rhs))


@dataclass(frozen=True)
class Not(Formula):
    arg: Formula

    def children(self) -> tuple[Formula, ...]:
        return (self.arg,)

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Not(self.arg.map_exprs(fn))


@dataclass(frozen=True)
class And(Formula):
    args: tuple[Formula, ...]

    def children(self) -> tuple[Formula, ...]:
        return self.args

    def map_exprs(self, fn: ExprMap) -> Formula:
        return And(tuple(a.map_exprs(fn) for a in self.args))


@dataclass(frozen=True)
class Or(Formula):
    args: tuple[Formula, ...]

    def children(self) -> tuple[Formula, ...]:
        return self.args

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Or(tuple(a.map_exprs(fn) for a in self.args))


@dataclass(frozen=True)
class Implies(Formula):
    lhs: Formula
    rhs: Formula

    def children(self) -> tuple[Formula, ...]:
        return (self.lhs, self.rhs)

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Implies(self.lhs.map_exprs(fn), self.rhs.map_exprs(fn))


@dataclass(frozen=True)
class Iff(Formula):
    lhs: Formula
    rhs: Formula

    def children(self) -> tuple[Formula, ...]:
        return (self.lhs, self.rhs)

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Iff(self.lhs.map_exprs(fn), self.rhs.map_exprs(fn))


@dataclass(frozen=True)
class Quantified(Formula):
    kind: str  # "forall" | "exists"
    binders: tuple[Binder, ...]
    body: Formula

    def children(self) -> tuple[Formula, ...]:
        return (self.body,)

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Quantified(self.kind, tuple(b.map_exprs(fn) for b in self.binders),
                          self.body.map_exprs(fn))

    def exprs(self) -> Iterator[Expr]:
        for b in self.binders:
            yield b.domain.lo
            yield b.domain.hi


@dataclass(frozen=True)
class Optimum(Formula):
    """`minimized_at` / `maximized_at`: the objective's global optimum over the
    binders' domains (intersected with `constraint`) is attained at `point`."""

    kind: str  # "min" | "max"
    objective: Expr
    binders: tuple[Binder, ...]
    point: tuple[Expr, ...]
    constraint: Formula | None = None

    def children(self) -> tuple[Formula, ...]:
        return (self.constraint,) if self.constraint is not None else ()

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Optimum(self.kind, fn(self.objective),
                       tuple(b.map_exprs(fn) for b in self.binders),
                       tuple(fn(p) for p in self.point),
                       self.constraint.map_exprs(fn) if self.constraint else None)

    def exprs(self) -> Iterator[Expr]:
        yield self.objective
        yield from self.point
        for b in self.binders:
            yield b.domain.lo
            yield b.domain.hi


@dataclass(frozen=True)
class Approx(Formula):
    """`approx(expr, target, rel=..., abs=...)`: `|expr - target|` within the larger
    of `rel*|target|` and `abs` (a missing tolerance does not count)."""

    expr: Expr
    target: Expr
    rel: Expr | None = None
    abs: Expr | None = None

    def map_exprs(self, fn: ExprMap) -> Formula:
        return Approx(fn(self.expr), fn(self.target), self.rel, self.abs)

    def exprs(self) -> Iterator[Expr]:
        return iter((self.expr, self.target))


def _flatten(parts: list[Formula] | tuple[Formula, ...], node: type, unit: bool) -> Formula:
    """`node` (And or Or) of `parts`, flattened; `unit` is the neutral truth value."""
    flat: list[Formula] = []
    for p in parts:
        if isinstance(p, node):
            flat.extend(a for a in p.args if a not in flat)
        elif p in flat:  # a and a is a: a condition shared by two comparisons, once
            continue
        elif p == Truth(unit):
            continue
        elif p == Truth(not unit):
            return p
        else:
            flat.append(p)
    if not flat:
        return Truth(unit)
    return flat[0] if len(flat) == 1 else node(tuple(flat))


def conj(parts: list[Formula] | tuple[Formula, ...]) -> Formula:
    """And of `parts`, flattening and dropping `true`."""
    return _flatten(parts, And, True)


def disj(parts: list[Formula] | tuple[Formula, ...]) -> Formula:
    """Or of `parts`, flattening and dropping `false`."""
    return _flatten(parts, Or, False)


def free_symbols(f: Formula) -> set[sympy.Symbol]:
    """Symbols of `f` not bound by a quantifier or an optimum inside it."""
    if isinstance(f, (Quantified, Optimum)):
        bound = {b.symbol for b in f.binders}
        inner: set[sympy.Symbol] = set()
        for e in f.exprs():
            inner |= e.free_symbols
        for c in f.children():
            inner |= free_symbols(c)
        if isinstance(f, Quantified):
            inner -= bound
            for b in f.binders:
                inner |= b.domain.free_symbols - bound
        else:
            inner = (inner - bound) | {s for p in f.point for s in p.free_symbols}
        return inner
    out: set[sympy.Symbol] = set()
    for e in f.exprs():
        out |= e.free_symbols
    for c in f.children():
        out |= free_symbols(c)
    return out


def claim_symbols(f: Formula, domains: dict[sympy.Symbol, Domain]) -> set[sympy.Symbol]:
    """The symbols a claim `f` quantifies universally: its free symbols and, transitively,
    those their domains in `domains` mention. With `q` in `[0, p]`, the claim `q <= 1`
    is about every p and every q in [0, p], so p is one of its variables although the
    formula does not mention it (a backend that left p out had no value for q's bound)."""
    out: set[sympy.Symbol] = set()
    todo = list(free_symbols(f))
    while todo:
        s = todo.pop()
        if s not in out:
            out.add(s)
            if s in domains:
                todo.extend(domains[s].free_symbols)
    return out


def renumbering(e: sympy.Basic, seen: dict[Bound, Bound] | None = None) -> dict[Bound, Bound]:
    """Each bound symbol of `e` not yet in `seen`, in order of appearance, mapped to a
    stand-in numbered by that order (added to `seen`, which is returned): two terms equal
    up to the renaming of bindings are equal once renamed by their own renumberings."""
    seen = {} if seen is None else seen
    for s in sympy.preorder_traversal(e):
        if isinstance(s, Bound) and s not in seen:
            seen[s] = Bound(s.name, s.domain, -1 - len(seen), **s._assumptions_orig)
    return seen


def canonical(items: tuple) -> tuple:
    """`items` (formulas, terms, binders, in any nesting of tuples) with every bound
    symbol renumbered by order of appearance: equal exactly when the items are equal
    up to the renaming of bindings. For keys of caches shared between claims."""
    seen: dict[Bound, Bound] = {}

    def visit(e: sympy.Basic) -> None:
        renumbering(e, seen)

    def terms(x: object) -> None:
        if isinstance(x, sympy.Basic):
            visit(x)
        elif isinstance(x, Binder):
            visit(x.symbol)
            visit(sympy.Tuple(x.domain.lo, x.domain.hi))
        elif isinstance(x, Formula):
            for node in x.walk():
                for b in getattr(node, "binders", ()):
                    terms(b)
                for e in node.exprs():
                    visit(e)
        elif isinstance(x, (tuple, list, frozenset)):
            for y in x:
                terms(y)

    terms(items)

    def rename(x: object) -> object:
        if isinstance(x, sympy.Basic):
            return x.xreplace(seen)
        if isinstance(x, Binder):
            return Binder(seen.get(x.symbol, x.symbol), x.domain).map_exprs(lambda e: e.xreplace(seen))
        if isinstance(x, Formula):
            return _rename_bound(x, seen)
        if isinstance(x, (tuple, list)):
            return tuple(rename(y) for y in x)
        if isinstance(x, frozenset):
            return frozenset(rename(y) for y in x)
        return x

    return rename(items)  # type: ignore[return-value]


def _rename_bound(f: Formula, sub: dict) -> Formula:
    """`f` with its terms and its binders' symbols renamed by `sub`."""
    f = f.map_exprs(lambda e: e.xreplace(sub))

    def binders(bs: tuple[Binder, ...]) -> tuple[Binder, ...]:
        return tuple(Binder(sub.get(b.symbol, b.symbol), b.domain) for b in bs)

    if isinstance(f, Quantified):
        return Quantified(f.kind, binders(f.binders), _rename_bound(f.body, sub))
    if isinstance(f, Optimum):
        c = _rename_bound(f.constraint, sub) if f.constraint is not None else None
        return Optimum(f.kind, f.objective, binders(f.binders), f.point, c)
    if isinstance(f, Not):
        return Not(_rename_bound(f.arg, sub))
    if isinstance(f, (And, Or)):
        return type(f)(tuple(_rename_bound(a, sub) for a in f.args))
    if isinstance(f, (Implies, Iff)):
        return type(f)(_rename_bound(f.lhs, sub), _rename_bound(f.rhs, sub))
    return f


def nnf(f: Formula, positive: bool = True) -> Formula:
    """Negation normal form over And/Or/quantifiers; `Not` stays only on atoms.

    `Not(Atom)` is not turned into the complementary relation: under the
    "defined and holds" semantics that would be wrong where a side is undefined.
    Optimum and Approx nodes must have been desugared before.
    """
    if isinstance(f, Truth):
        return f if positive else Truth(not f.value)
    if isinstance(f, Atom):
        return f if positive else Not(f)
    if isinstance(f, Not):
        return nnf(f.arg, not positive)
    if isinstance(f, And):
        parts = [nnf(a, positive) for a in f.args]
        return conj(parts) if positive else disj(parts)
    if isinstance(f, Or):
        parts = [nnf(a, positive) for a in f.args]
        return disj(parts) if positive else conj(parts)
    if isinstance(f, Implies):
        return nnf(Or((Not(f.lhs), f.rhs)), positive)
    if isinstance(f, Iff):
        both = And((f.lhs, f.rhs))
        neither = And((Not(f.lhs), Not(f.rhs)))
        if positive:
            return nnf(Or((both, neither)))
        return nnf(Or((And((f.lhs, Not(f.rhs))), And((Not(f.lhs), f.rhs)))))
    if isinstance(f, Quantified):
        kind = f.kind if positive else ("exists" if f.kind == "forall" else "forall")
        return Quantified(kind, f.binders, nnf(f.body, positive))
    raise TypeError(f"nnf: desugar {type(f).__name__} first")


class _ClaimText(StrPrinter):
    """SymPy's plain printer, with the terms the claim language spells differently
    written its way: `ceil(x)`, `sum(e, k, lo, hi)`."""

    def _print_ceiling(self, e: sympy.ceiling) -> str:
        return f"ceil({self._print(e.args[0])})"

    def _print_Sum(self, e: sympy.Sum) -> str:
        if len(e.limits) != 1:
            return super()._print_Sum(e)
        (k, lo, hi), = e.limits
        return f"sum({', '.join(self._print(a) for a in (e.function, k, lo, hi))})"


_OPS_TEXT = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def to_text(f: Formula) -> str:
    """The formula in claim-language syntax (round-trips through the parser)."""
    s = _ClaimText().doprint
    if isinstance(f, Truth):
        return "true" if f.value else "false"
    if isinstance(f, Atom):
        return f"{s(f.lhs)} {_OPS_TEXT[f.op]} {s(f.rhs)}"
    if isinstance(f, Not):
        return f"not ({to_text(f.arg)})"
    if isinstance(f, And):
        return " and ".join(f"({to_text(a)})" for a in f.args)
    if isinstance(f, Or):
        return " or ".join(f"({to_text(a)})" for a in f.args)
    if isinstance(f, Implies):
        return f"({to_text(f.lhs)}) -> ({to_text(f.rhs)})"
    if isinstance(f, Iff):
        return f"({to_text(f.lhs)}) <-> ({to_text(f.rhs)})"
    if isinstance(f, Quantified):
        bs = ", ".join(f"{b.symbol} in {b.domain}" for b in f.binders)
        return f"{f.kind} {bs}: {to_text(f.body)}"
    if isinstance(f, Optimum):
        name = "minimized_at" if f.kind == "min" else "maximized_at"
        xs = [str(b.symbol) for b in f.binders]
        vs = [s(p) for p in f.point]
        var = xs[0] if len(xs) == 1 else "(" + ", ".join(xs) + ")"
        pt = vs[0] if len(vs) == 1 else "(" + ", ".join(vs) + ")"
        extra = f", {to_text(f.constraint)}" if f.constraint is not None else ""
        return f"{name}({s(f.objective)}, {var}, {pt}{extra})"
    if isinstance(f, Approx):
        tol = ""
        if f.rel is not None:
            tol += f", rel={s(f.rel)}"
        if f.abs is not None:
            tol += f", abs={s(f.abs)}"
        return f"approx({s(f.expr)}, {s(f.target)}{tol})"
    raise TypeError(type(f).__name__)


__all__ = ["CALCULUS", "Binding", "Bound", "domain_of", "canonical", "renumbering", "Formula", "Truth", "Atom", "Not", "And", "Or", "Implies", "Iff",
           "Quantified", "Optimum", "Approx", "Binder", "RELOPS", "conj", "disj",
           "free_symbols", "claim_symbols", "nnf", "to_text"]
