"""From a parsed claim to its normalized form: definitions expanded, derivatives,
integrals and limits evaluated, `minimized_at` and `approx` spelled out as plain
quantified formulas, the claim's `assume` made a premise."""
from __future__ import annotations

import sympy

from lawproof.claims import Claim, Theory
from lawproof.errors import BackendTimeout, OutsideFragment
from lawproof.formula import (Approx, Atom, Binder, Formula, Implies, Optimum, Or, Quantified,
                              Truth, conj)
from lawproof.timeout import time_limit

_CALCULUS = (sympy.Derivative, sympy.Integral, sympy.Limit)


def expand(expr: sympy.Expr, theory: Theory, *, seconds: float = 5.0) -> sympy.Expr:
    """Replace every call of a definition by its body and evaluate diff/integrate/limit.

    An integral or limit SymPy cannot evaluate stays in the expression unevaluated;
    later layers treat it as outside their fragment.
    """
    bodies = _expanded_bodies(theory, seconds)
    return _substitute_and_evaluate(expr, bodies, seconds)


def _expanded_bodies(theory: Theory, seconds: float) -> dict[str, sympy.Lambda]:
    key = id(theory)
    cached = _BODY_CACHE.get(key)
    if cached is not None and cached[0] is theory:
        return cached[1]
    bodies: dict[str, sympy.Lambda] = {}
    for name, d in theory.definitions.items():  # in file order: bodies use earlier ones only
        body = _substitute_and_evaluate(d.body, bodies, seconds)
        bodies[name] = sympy.Lambda(d.params, body) if d.params else body
    _BODY_CACHE[key] = (theory, bodies)
    return bodies


_BODY_CACHE: dict[int, tuple[Theory, dict]] = {}


def _substitute_and_evaluate(expr: sympy.Expr, bodies: dict, seconds: float) -> sympy.Expr:
    def call(e: sympy.Expr) -> sympy.Expr:
        body = bodies[e.func.__name__]
        return body(*e.args) if isinstance(body, sympy.Lambda) else body

    out = expr.replace(lambda e: isinstance(e, sympy.core.function.AppliedUndef)
                       and e.func.__name__ in bodies, call)
    if out.has(*_CALCULUS):
        out = _evaluate_calculus(out, seconds)
    return out


def _evaluate_calculus(expr: sympy.Expr, seconds: float) -> sympy.Expr:
    try:
        with time_limit(seconds, "SymPy calculus"):
            return expr.doit(deep=True)
    except BackendTimeout:
        return expr


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
        constraint = desugar(f.constraint) if f.constraint is not None else None
        if constraint is not None:
            feasible.append(constraint.map_exprs(lambda e: e.xreplace(sub)))
        at_point = f.objective.xreplace(sub)
        better = Atom(">=" if f.kind == "min" else "<=", f.objective, at_point)
        body = Implies(constraint, better) if constraint is not None else better
        return conj([fold(a) for a in feasible] + [Quantified("forall", f.binders, body)])
    if isinstance(f, Approx):
        gap = sympy.Abs(f.expr - f.target)
        parts: list[Formula] = []
        if f.rel is not None:
            parts.append(Atom("<=", gap, f.rel * sympy.Abs(f.target)))
        if f.abs is not None:
            parts.append(Atom("<=", gap, f.abs))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))
    if not f.children():
        return f
    return _rebuild(f, [desugar(c) for c in f.children()])


def _rebuild(f: Formula, kids: list[Formula]) -> Formula:
    from lawproof import formula as F
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


def fold(a: Atom) -> Formula:
    """An atom between two exact rational numbers becomes true or false."""
    if not (a.lhs.is_Rational and a.rhs.is_Rational):
        return a
    d = a.lhs - a.rhs
    return Truth({"=": d == 0, "!=": d != 0, "<": d < 0, "<=": d <= 0,
                  ">": d > 0, ">=": d >= 0}[a.op])


def normalize(claim: Claim, theory: Theory, *, seconds: float = 5.0) -> Formula:
    """The claim as one formula over expanded terms: `assume -> formula`, desugared."""
    if claim.formula is None:
        raise ValueError(f"claim '{claim.id}' has no formula")
    body = claim.formula if claim.assume is None else Implies(claim.assume, claim.formula)
    expanded = body.map_exprs(lambda e: expand(e, theory, seconds=seconds))
    return _fold_all(desugar(expanded))


def _fold_all(f: Formula) -> Formula:
    if isinstance(f, Atom):
        return fold(f)
    if not f.children():
        return f
    return _rebuild(f, [_fold_all(c) for c in f.children()])


def definedness(expr: sympy.Expr) -> list[Atom]:
    """Conditions under which `expr` is a defined real number: denominators nonzero,
    even roots and real powers of nonnegative bases, logarithms of positive numbers.

    Raises OutsideFragment for an unevaluated integral or limit, whose definedness
    this function cannot state.
    """
    out: list[Atom] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Integral, sympy.Limit, sympy.Derivative)):
            raise OutsideFragment(f"unevaluated {type(node).__name__}")
        if isinstance(node, sympy.Pow):
            base, ex = node.args
            if ex.is_number and ex.is_negative:
                out.append(Atom("!=", base, sympy.Integer(0)))
            if not (ex.is_Integer):
                if ex.is_Rational or not ex.is_number:
                    out.append(Atom(">=" if (ex.is_number and ex.is_positive) else ">", base, sympy.Integer(0)))
        elif isinstance(node, sympy.log):
            out.append(Atom(">", node.args[0], sympy.Integer(0)))
    unique: list[Atom] = []
    for a in out:
        if a not in unique and fold(a) != Truth(True):
            unique.append(a)
    return unique

