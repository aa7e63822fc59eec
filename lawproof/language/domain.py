"""Domains of symbols: intervals whose bounds are exact SymPy expressions."""
from __future__ import annotations

from dataclasses import dataclass

import sympy


@dataclass(frozen=True)
class Domain:
    """An interval `[lo, hi]`, `(lo, hi)` or half-open, possibly restricted to integers.

    Bounds are SymPy expressions; `sympy.oo` / `-sympy.oo` mark unbounded ends and
    are always open.
    """

    lo: sympy.Expr
    hi: sympy.Expr
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False

    @property
    def lo_bounded(self) -> bool:
        return self.lo != -sympy.oo

    @property
    def hi_bounded(self) -> bool:
        return self.hi != sympy.oo

    def constraints(self, x: sympy.Expr) -> list[tuple[str, sympy.Expr, sympy.Expr]]:
        """The relations `(op, lhs, rhs)` that say `x` lies in this domain."""
        out: list[tuple[str, sympy.Expr, sympy.Expr]] = []
        if self.lo_bounded:
            out.append(("<" if self.lo_open else "<=", self.lo, x))
        if self.hi_bounded:
            out.append(("<" if self.hi_open else "<=", x, self.hi))
        return out

    def whole(self, x: sympy.Expr) -> list[tuple[str, sympy.Expr, sympy.Expr]]:
        """The relation `floor(x) = x` when the domain holds whole numbers only and `x`
        is not known to be one (a point, an instance or a solution placed in it)."""
        return [("=", sympy.floor(x), x)] if self.integer and x.is_integer is not True else []

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        return set(self.lo.free_symbols) | set(self.hi.free_symbols)

    def __str__(self) -> str:
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        text = f"{left}{sympy.sstr(self.lo)}, {sympy.sstr(self.hi)}{right}"
        return text + (" (integer)" if self.integer else "")


def whole_ends(lo: sympy.Expr, hi: sympy.Expr, lo_open: bool,
               hi_open: bool) -> tuple[sympy.Expr, sympy.Expr, bool, bool]:
    """The whole numbers of the interval with numeric ends, as the closed interval from
    the least to the greatest (an infinite end stays as it is): `[1/3, 2/3]` holds none,
    which shows as `[1, 0]`."""
    if lo.is_finite:
        lo, lo_open = (sympy.floor(lo) + 1 if lo_open else sympy.ceiling(lo)), False
    if hi.is_finite:
        hi, hi_open = (sympy.ceiling(hi) - 1 if hi_open else sympy.floor(hi)), False
    return lo, hi, lo_open, hi_open
