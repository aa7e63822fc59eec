"""Small rationals for counterexamples: try simple denominators first."""
from __future__ import annotations

from fractions import Fraction


def candidates(value: Fraction, limit: int = 16) -> list[Fraction]:
    """Rationals near `value`, simplest first: integers, then small denominators,
    then the continued-fraction convergents of `value` itself."""
    out: set[Fraction] = set()
    for q in range(1, 13):
        k = round(value * q)
        out.update(Fraction(k + d, q) for d in (-1, 0, 1))
    out.update(_convergents(value))
    out.add(value)
    ranked = sorted(out, key=lambda c: (c.denominator, abs(c - value), c))
    return ranked[:limit]


def _convergents(value: Fraction, count: int = 12) -> list[Fraction]:
    out = []
    h0, h1, k0, k1 = 0, 1, 1, 0
    x = value
    for _ in range(count):
        a = x.numerator // x.denominator
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        out.append(Fraction(h1, k1))
        frac = x - a
        if frac == 0:
            break
        x = 1 / frac
    return out
