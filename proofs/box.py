"""Exact rational arithmetic on polynomials and rational functions, at a point and over
a box of intervals: cheap first tests that settle what a z3 query would only confirm.

`value` evaluates a rational function at a rational point in exact rational arithmetic
(python-flint's), far faster than SymPy's substitution. `box_sign` decides the sign of
a polynomial over a box of symbol domains with rational (or infinite) ends when
interval arithmetic shows it (every value strictly positive, or strictly negative),
and also when two points of the box give values of both signs (then no strict sign
can hold). Both are exact: a sign they give is the sign z3 would prove on the same
domains, and "no sign" is what z3 answers too, since a point of each sign is a model
of each of its two queries.
Open ends are kept track of, so `1 - a` is positive for `a` in [0, 1).
`box_holds` shows `f > 0`, `f >= 0`, ... of a rational function on the whole box by
the same interval arithmetic (a reciprocal only of a part that keeps one strict sign,
so the function is defined on the whole box).
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction

import sympy
from flint import fmpq

from lawproof.language.domain import Domain

#: The most symbols whose ends, middle and zero `box_sign` tries (up to 4 values each).
MAX_POINT_SYMBOLS = 4
#: The largest exponent evaluated: beyond it a term is left to z3 (as translate.MAX_DEGREE).
MAX_EXPONENT = 200


class Unsupported(Exception):
    """A term outside rational functions with rational coefficients."""


def value(e: sympy.Expr, point: dict[sympy.Symbol, Fraction]) -> Fraction | None:
    """`e` at `point` (a Fraction for each free symbol) in exact arithmetic; None where
    a denominator vanishes. Raises Unsupported for terms other than symbols, rational
    numbers, sums, products and integer powers (or a symbol without a value)."""
    # in python-flint's rationals: the same exact values, at a fraction of the cost of
    # Python's Fractions (a sixth of the check of a claim with a large Hessian minor)
    try:
        out = _value(e, {s: fmpq(v.numerator, v.denominator) for s, v in point.items()})
    except ZeroDivisionError:
        return None
    return Fraction(int(out.p), int(out.q))


def _value(e: sympy.Expr, point: dict[sympy.Symbol, fmpq]) -> fmpq:
    if e.is_Symbol:
        if e not in point:
            raise Unsupported(f"no value for {e}")
        return point[e]
    if e.is_Rational:
        return fmpq(int(e.p), int(e.q))
    if isinstance(e, sympy.Add):
        return sum((_value(a, point) for a in e.args), fmpq(0))
    if isinstance(e, sympy.Mul):
        out = fmpq(1)
        for a in e.args:
            out *= _value(a, point)
        return out
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and abs(e.exp) <= MAX_EXPONENT:
        return _value(e.base, point) ** int(e.exp)
    raise Unsupported(type(e).__name__)


@dataclass(frozen=True)
class _End:
    """One end of an interval: a rational or an infinity (`inf` = +1 or -1), and whether
    the interval reaches it."""

    at: Fraction
    inf: int = 0
    open: bool = False

    def key(self) -> tuple:
        return (self.inf, self.at)


_POS_INF, _NEG_INF = _End(Fraction(0), 1, True), _End(Fraction(0), -1, True)


@dataclass(frozen=True)
class _Interval:
    lo: _End
    hi: _End


def _plus(x: _End, y: _End) -> _End:
    if x.inf or y.inf:
        return _End(Fraction(0), x.inf or y.inf, True)  # ends of the same side: never oo - oo
    return _End(x.at + y.at, 0, x.open or y.open)


def _times(x: _End, y: _End) -> _End:
    """The product of two ends: the value xy takes near the corner (x, y) of a box, and
    whether the box attains it there: when both ends are attained, or one of them is an
    attained 0 (then every value of the other side gives the product 0)."""
    zero_x, zero_y = not x.inf and x.at == 0, not y.inf and y.at == 0
    if zero_x or zero_y:
        return _End(Fraction(0), 0, not ((zero_x and not x.open) or (zero_y and not y.open)
                                          or (not x.open and not y.open)))
    if x.inf or y.inf:
        sx = x.inf or (1 if x.at > 0 else -1)
        sy = y.inf or (1 if y.at > 0 else -1)
        return _End(Fraction(0), sx * sy, True)
    return _End(x.at * y.at, 0, x.open or y.open)


def _extreme(ends: list[_End], lowest: bool) -> _End:
    """The least (or greatest) of candidate ends, attained when any candidate of that
    value is."""
    best = min(ends, key=_End.key) if lowest else max(ends, key=_End.key)
    same = [e for e in ends if e.key() == best.key()]
    return _End(best.at, best.inf, all(e.open for e in same))


def _add(x: _Interval, y: _Interval) -> _Interval:
    return _Interval(_plus(x.lo, y.lo), _plus(x.hi, y.hi))


def _mul(x: _Interval, y: _Interval) -> _Interval:
    # a product xy is bilinear: its extremes over a box lie at the corners; inside an
    # edge only where the edge's fixed coordinate is 0, which `_times` accounts for
    corners = [_times(a, b) for a in (x.lo, x.hi) for b in (y.lo, y.hi)]
    return _Interval(_extreme(corners, True), _extreme(corners, False))


def _power(x: _Interval, n: int) -> _Interval:
    out = x
    for _ in range(n - 1):
        out = _mul(out, x)
    if n % 2 == 0 and _below(x.lo, 0) and _above(x.hi, 0):
        # the products above treat the factors as independent; an even power of an
        # interval around 0 has least value 0, at 0 itself
        out = _Interval(_End(Fraction(0)), out.hi)
    return out


def _below(e: _End, c: int) -> bool:
    return e.inf < 0 or (not e.inf and e.at < c)


def _above(e: _End, c: int) -> bool:
    return e.inf > 0 or (not e.inf and e.at > c)


def _interval(e: sympy.Expr, box: dict[sympy.Symbol, _Interval]) -> _Interval:
    if e.is_Symbol:
        if e not in box:
            raise Unsupported(f"no domain for {e}")
        return box[e]
    if e.is_Rational:
        c = _End(Fraction(int(e.p), int(e.q)))
        return _Interval(c, c)
    if isinstance(e, (sympy.Add, sympy.Mul)):
        return functools.reduce(_add if isinstance(e, sympy.Add) else _mul, [_interval(a, box) for a in e.args])
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and 0 < abs(e.exp) <= MAX_EXPONENT:
        power = _power(_interval(e.base, box), abs(int(e.exp)))
        return power if e.exp > 0 else _reciprocal(power)
    raise Unsupported(type(e).__name__)


def _strict_sign(x: _Interval) -> int:
    """+1 / -1 when every value of `x` is positive / negative, else 0."""
    if _above(x.lo, 0) or (not x.lo.inf and x.lo.at == 0 and x.lo.open):
        return 1
    if _below(x.hi, 0) or (not x.hi.inf and x.hi.at == 0 and x.hi.open):
        return -1
    return 0


def _reciprocal(x: _Interval) -> _Interval:
    """1/x for an interval of one strict sign; Unsupported when it holds 0 or comes
    arbitrarily close to it from both sides (then 1/x is undefined or unbounded both ways)."""
    side = _strict_sign(x)
    if side == 0:
        raise Unsupported("a reciprocal of an interval around 0")

    def flip(e: _End) -> _End:
        if e.inf:
            return _End(Fraction(0), 0, True)
        if e.at == 0:  # an open end at 0: 1/x grows without bound on that side
            return _End(Fraction(0), side, True)
        return _End(1 / e.at, 0, e.open)

    return _Interval(flip(x.hi), flip(x.lo))


def _end(v: sympy.Expr, is_open: bool, side: int) -> _End | None:
    if v.is_Rational:
        return _End(Fraction(int(v.p), int(v.q)), 0, is_open)
    if v == side * sympy.oo:
        return _End(Fraction(0), side, True)
    return None


def _box(domains: dict[sympy.Symbol, Domain]) -> dict[sympy.Symbol, _Interval] | None:
    """The domains as intervals; None when an end is not a rational number or an
    infinity on its side, or a domain is empty."""
    box = {}
    for s, d in domains.items():
        lo, hi = _end(d.lo, d.lo_open, -1), _end(d.hi, d.hi_open, 1)
        if lo is None or hi is None:
            return None
        if not lo.inf and not hi.inf and (lo.at > hi.at or (lo.at == hi.at and (lo.open or hi.open))):
            return None
        box[s] = _Interval(lo, hi)
    return box


def _points(d: Domain) -> list[Fraction]:
    """Up to four rationals inside a real domain with rational or infinite ends: its
    closed ends, a point between, and 0 when it lies inside (where many factors vanish)."""
    lo = None if d.lo == -sympy.oo else Fraction(int(d.lo.p), int(d.lo.q))
    hi = None if d.hi == sympy.oo else Fraction(int(d.hi.p), int(d.hi.q))
    if lo is not None and hi is not None:
        out = ([] if d.lo_open else [lo]) + [(lo + hi) / 2] + ([] if d.hi_open else [hi])
    elif lo is not None:
        out = ([] if d.lo_open else [lo]) + [lo + 1, lo + 10]
    elif hi is not None:
        out = ([] if d.hi_open else [hi]) + [hi - 1, hi - 10]
    else:
        out = [Fraction(-1), Fraction(1)]
    if (lo is None or lo < 0) and (hi is None or hi > 0) and 0 not in out:
        out.append(Fraction(0))
    return out


def box_sign(f: sympy.Expr, domains: dict[sympy.Symbol, Domain]) -> int | None:
    """+1 / -1 when the polynomial `f` is positive / negative at every point of the box
    `domains` (one for each free symbol of `f`), 0 when it is provably neither (it is
    <= 0 at one point of the box and >= 0 at another), None when this test cannot tell
    (ends that are not rational, a term outside polynomials, interval arithmetic too
    coarse). Integer domains are taken as real intervals for the strict signs (a sign
    on the reals holds on the integers) and give no points."""
    box = _box(domains)
    if box is None:
        return None
    try:
        strict = _strict_sign(_interval(f, box))
    except Unsupported:
        return None
    if strict:
        return strict
    symbols = sorted(domains, key=lambda s: s.name)
    if len(symbols) > MAX_POINT_SYMBOLS or any(domains[s].integer for s in symbols):
        return None
    low = high = False
    for p in itertools.product(*[_points(domains[s]) for s in symbols]):
        v = value(f, dict(zip(symbols, p)))
        if v is None:
            return None
        low, high = low or v <= 0, high or v >= 0
        if low and high:
            return 0
    return None


def box_holds(op: str, f: sympy.Expr, domains: dict[sympy.Symbol, Domain]) -> bool:
    """True when interval arithmetic shows `f op 0` (op one of >, >=, <, <=, !=) at
    every point of the box `domains` (one for each free symbol of `f`), `f` a rational
    function defined on the whole box; False when it cannot tell (which says nothing)."""
    box = _box(domains)
    if box is None or op not in (">", ">=", "<", "<=", "!="):
        return False
    try:
        rng = _interval(f, box)
    except Unsupported:
        return False
    strict = _strict_sign(rng)
    if op == ">=":
        return strict == 1 or (not rng.lo.inf and rng.lo.at >= 0)
    if op == "<=":
        return strict == -1 or (not rng.hi.inf and rng.hi.at <= 0)
    if op == "!=":
        return strict != 0
    return strict == (1 if op == ">" else -1)


__all__ = ["Unsupported", "value", "box_sign", "box_holds", "MAX_POINT_SYMBOLS", "MAX_EXPONENT"]
