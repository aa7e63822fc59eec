"""Closed forms behind optimality claims: the slope at a boundary, the threshold
where that slope changes sign, and the stationary points."""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from lawproof.language.errors import BackendTimeout
from lawproof.language.formula import Binder
from lawproof.language.timeout import time_limit, watching


@dataclass
class Derivation:
    """Named steps `(what, expression)`, each computed, none typed in."""

    steps: list[tuple[str, sympy.Expr]] = field(default_factory=list)

    def add(self, what: str, expr: sympy.Expr) -> None:
        self.steps.append((what, expr))

    def as_text(self) -> list[tuple[str, str]]:
        return [(w, sympy.sstr(e)) for w, e in self.steps]


#: Derivations already made: claims of one paper often share an objective and a point.
_DERIVED: dict[tuple, Derivation] = {}


def derive_optimum(objective: sympy.Expr, binder: Binder, point: sympy.Expr,
                   *, seconds: float = 3.0) -> Derivation:
    """For a one-variable optimum claim: derivative, slope at the claimed point,
    the parameter threshold where that slope vanishes, and the stationary points."""
    key = (objective, binder, point, seconds)
    derived = _DERIVED.get(key)
    if derived is None:
        with watching() as fired:
            derived = _derived(objective, binder, point, seconds)
        if not fired:  # a derivation its limit stopped is this claim's only: alone, another may finish
            _DERIVED[key] = derived
    return Derivation(list(derived.steps))


def _derived(objective: sympy.Expr, binder: Binder, point: sympy.Expr, seconds: float) -> Derivation:
    x = binder.symbol
    out = Derivation()
    try:
        with time_limit(seconds, "derivation"):
            d1 = sympy.factor(sympy.together(sympy.diff(objective, x)))
            out.add(f"d/d{x}", d1)
            slope = sympy.factor(sympy.together(d1.subs(x, point)))
            out.add(f"slope at {x} = {sympy.sstr(point)}", slope)
            numerator = sympy.numer(sympy.together(slope))
            for p in sorted(numerator.free_symbols - {x}, key=lambda s: s.name):
                roots = sympy.solve(numerator, p)
                if len(roots) == 1:
                    out.add(f"threshold: slope = 0 at {p}", sympy.simplify(roots[0]))
            numer_d1 = sympy.numer(sympy.together(d1))
            degree = sympy.Poly(numer_d1, x).degree() if numer_d1.has(x) else 0
            if 0 < degree <= 2:
                for i, r in enumerate(sympy.solve(numer_d1, x)):
                    out.add(f"stationary point {i + 1}: {x}", r)
            elif degree > 2:
                # cubic and quartic formulas are exact but unreadable as evidence
                out.add(f"stationary points: roots of a degree-{degree} polynomial in {x}", numer_d1)
    except (BackendTimeout, NotImplementedError, sympy.PolynomialError) as e:
        out.add(f"stopped ({type(e).__name__})", sympy.Integer(0))
    return out
