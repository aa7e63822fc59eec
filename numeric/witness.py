"""Certified witnesses for existential claims `exists x in I: body`.

A fixed list of exact rational points of the binders' box (the edges and Halton
points of numeric.sample) is tried: a point where the domain constraints and the body
are true by exact evaluation (rational arithmetic, signs certified by interval
arithmetic) is a witness and proves the claim. For one binder and an equation
`lhs = rhs`, two neighbouring points where lhs - rhs has certified opposite signs, with
lhs - rhs defined and continuous on the whole segment between them (every function the
interval evaluator knows is continuous where defined, except floor and ceil, whose
terms are never certified so), prove a root there by the
intermediate value theorem, when no rational root is among the points and the binder
is real (over an integer domain the root may lie between two integers).
The number of points is the budget: the same claim gives the same answer anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy

from lawproof.language.formula import Atom, Formula, Quantified, conj, free_symbols

from .evaluate import Undecided, Undefined, exact_sign, exact_truth, exact_value
from .interval import continuous_between
from .sample import points

#: Points tried per claim.
WITNESS_POINTS = 64


@dataclass
class Witness:
    """How an existential claim was proved: a point, or a segment with a root."""

    point: dict[sympy.Symbol, Fraction]
    segment: tuple[Fraction, Fraction] | None = None

    def text(self) -> str:
        if self.segment is None:
            return "witness " + ", ".join(f"{s.name} = {v}" for s, v in self.point.items()) + \
                " (the body holds there exactly)"
        (s,) = self.point
        a, b = self.segment
        return (f"lhs - rhs has certified opposite signs at {s.name} = {a} and {s.name} = {b} and is defined "
                f"(so continuous) on [{a}, {b}]: a root lies between (intermediate value theorem)")


def find_witness(f: Formula, n: int = WITNESS_POINTS) -> Witness | None:
    """A certified witness of the closed claim `f = exists ...: body`, or None."""
    if not isinstance(f, Quantified) or f.kind != "exists" or free_symbols(f):
        return None
    binders = list(f.binders)
    if any(b.domain.free_symbols for b in binders):
        return None  # bounds naming other binders: the box points do not apply
    order = [b.symbol for b in binders]
    domains = {b.symbol: b.domain for b in binders}
    inside = conj([Atom(op, lo, hi) for b in binders for op, lo, hi in b.domain.constraints(b.symbol)])
    candidates = list(points(order, domains, n))
    for point in candidates:
        if exact_truth(conj([inside, f.body]), point) is True:
            return Witness(point)
    # a root between two integers is no integer: the theorem speaks of real variables
    if len(order) == 1 and not binders[0].domain.integer and isinstance(f.body, Atom) and f.body.op == "=":
        return _sign_change(order[0], f.body.lhs - f.body.rhs, sorted(p[order[0]] for p in candidates))
    return None


def _sign_change(x: sympy.Symbol, gap: sympy.Expr, xs: list[Fraction]) -> Witness | None:
    signs = []
    for v in xs:
        try:
            signs.append(exact_sign(exact_value(gap, {x: v})))
        except (Undefined, Undecided):
            signs.append(None)
    for (a, sa), (b, sb) in zip(zip(xs, signs), zip(xs[1:], signs[1:])):
        if sa is not None and sb is not None and sa * sb < 0 and continuous_between(gap, x, a, b):
            return Witness({x: a}, (a, b))
    return None


__all__ = ["Witness", "find_witness", "WITNESS_POINTS"]
