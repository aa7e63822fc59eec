"""Small rationals for counterexamples: try simple denominators first."""
from __future__ import annotations

from fractions import Fraction


def candidates(value: Fraction, limit: int = 16) -> list[Fraction]:
    """Rationals near `value`, simplest first: the `limit` simplest of the integers,
    small denominators and continued-fraction convergents of `value`, then the
    remaining convergents and `value` itself (a violation confined to a tiny interval
    around a simple rational is found only by a convergent with a larger denominator)."""
    key = lambda c: (c.denominator, abs(c - value), c)  # noqa: E731
    near: set[Fraction] = set()
    for q in range(1, 13):
        k = round(value * q)
        near.update(Fraction(k + d, q) for d in (-1, 0, 1))
    best = set(_convergents(value)) | {value}
    ranked = sorted(near | best, key=key)[:limit]
    return ranked + sorted(best - set(ranked), key=key)


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
