"""Reproducible exact sample points of a domain box, truth at 50 digits (whose
quantifiers are read on such points), and a search for violations.

Points are exact rationals (Fractions), so a point found here can be re-checked
exactly. They come from a few edge points (closed endpoints, midpoints) followed by
a Halton low-discrepancy sequence mapped exactly into each domain. Domain bounds may
depend on other symbols (`S in [S_star, 1]`); they are evaluated at the values
already chosen.
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterator

import mpmath
import sympy

from lawproof.language.domain import Domain
from lawproof.language.formula import And, Atom, Formula, Iff, Implies, Not, Or, Quantified, Truth, claim_symbols
from lawproof.language.timeout import cpu

from .evaluate import _DECIDE, Env, Undecided, Undefined, enclosure, exact_value, integer_points, mp_value

Point = dict[sympy.Symbol, Fraction]
Domains = dict[sympy.Symbol, Domain]

#: Relative width of the window in which an irrational bound is replaced by the
#: simplest rational strictly inside the domain.
_BOUND_SLACK = Fraction(1, 10**12)
#: Halton indices tried per requested point before giving up (points repeat in
#: integer domains, and dependent domains can be empty).
_TRIES_PER_POINT = 4


@dataclass(frozen=True)
class _Span:
    """A domain at a point: exact rational ends (None = unbounded), inside the true
    domain (irrational ends are replaced by rationals strictly inside)."""

    lo: Fraction | None
    hi: Fraction | None
    lo_open: bool
    hi_open: bool
    integer: bool

    def at(self, u: Fraction) -> Fraction:
        """The image of `u` in (0, 1); open ends are never reached."""
        if self.lo is not None and self.hi is not None:
            v = self.lo + u * (self.hi - self.lo)
        elif self.lo is not None:
            v = self.lo + u / (1 - u)
        elif self.hi is not None:
            v = self.hi - u / (1 - u)
        else:
            v = (2 * u - 1) / (2 * u * (1 - u))
        return self._integral(v) if self.integer else v

    def edge(self, label: str) -> Fraction | None:
        """The closed lower end, the closed upper end or the midpoint, if it exists;
        in an integer domain the ends are the smallest and largest integers inside."""
        if label == "mid":
            return self.at(Fraction(1, 2))
        end, is_open = (self.lo, self.lo_open) if label == "lo" else (self.hi, self.hi_open)
        if end is None:
            return None
        if self.integer:
            return self._integral(end)
        return None if is_open else end

    def _integral(self, v: Fraction) -> Fraction:
        """The integer nearest to `v` inside the span (which must contain one)."""
        k = math.floor(v + Fraction(1, 2))
        first, last = self._integer_ends()
        if first is not None:
            k = max(k, first)
        if last is not None:
            k = min(k, last)
        return Fraction(k)

    def _integer_ends(self) -> tuple[int | None, int | None]:
        first = last = None
        if self.lo is not None:
            first = math.floor(self.lo) + 1 if self.lo_open else math.ceil(self.lo)
        if self.hi is not None:
            last = math.ceil(self.hi) - 1 if self.hi_open else math.floor(self.hi)
        return first, last

    def empty(self) -> bool:
        if self.integer:
            first, last = self._integer_ends()
            return first is not None and last is not None and first > last
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))


def _simplest_between(a: Fraction, b: Fraction) -> Fraction:
    """The rational with the smallest denominator strictly between a < b."""
    n = math.floor(a)
    if n + 1 < b:
        return Fraction(n + 1)
    if a == n:
        return n + Fraction(1, math.floor(1 / (b - n)) + 1)
    return n + 1 / _simplest_between(1 / (b - n), 1 / (a - n))


@lru_cache(maxsize=4096)
def _rational_inside(value: sympy.Expr, lower: bool) -> Fraction:
    """A simple rational strictly inside the domain near the irrational bound `value`:
    above it for a lower bound, below it for an upper bound."""
    lo, hi = enclosure(value)
    if lo == hi:
        return lo
    slack = max(hi - lo, abs(hi if lower else lo) * _BOUND_SLACK)
    return _simplest_between(hi, hi + slack) if lower else _simplest_between(lo - slack, lo)


def _bound(expr: sympy.Expr, values: Point, lower: bool) -> Fraction | None:
    """The bound at `values` as an exact rational, None if infinite; an irrational
    bound is replaced by a rational strictly inside. Raises Undefined / Undecided."""
    if expr in (sympy.oo, -sympy.oo):
        return None
    value = exact_value(expr, values)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return _rational_inside(value, lower)


def _span(domain: Domain, values: Point) -> _Span | None:
    """The domain at `values`, or None when it is empty there or a bound is undefined
    (the domain's constraints are atoms, false where undefined: an empty set).

    An irrational end moved inside keeps its open/closed flag, so a closed one still
    offers an edge point: the simple rational just inside it.
    """
    try:
        lo = _bound(domain.lo, values, lower=True)
        hi = _bound(domain.hi, values, lower=False)
    except (Undefined, Undecided):
        return None
    span = _Span(lo, hi, domain.lo_open, domain.hi_open, domain.integer)
    return None if span.empty() else span


def _dependency_order(symbols: list[sympy.Symbol], domains: Domains, outer: Point) -> list[sympy.Symbol]:
    """`symbols` ordered so that every symbol comes after those its bounds mention."""
    missing = [s.name for s in symbols if s not in domains]
    if missing:
        raise ValueError(f"no domain for {', '.join(missing)}")
    chosen = set(symbols)
    needs: dict[sympy.Symbol, set[sympy.Symbol]] = {}
    for s in symbols:
        mentioned = domains[s].free_symbols
        unknown = [t.name for t in mentioned if t not in chosen and t not in outer]
        if unknown or s in mentioned:
            raise ValueError(f"the domain of {s} mentions {', '.join(unknown) or s.name}, "
                             "which has no value to evaluate it with")
        needs[s] = mentioned & chosen
    order: list[sympy.Symbol] = []
    while len(order) < len(symbols):
        ready = [s for s in symbols if s not in order and needs[s] <= set(order)]
        if not ready:
            cycle = sorted(s.name for s in symbols if s not in order)
            raise ValueError(f"the domains of {', '.join(cycle)} depend on each other")
        order.extend(ready)
    return order


def _primes(count: int) -> list[int]:
    return [int(sympy.prime(k)) for k in range(1, count + 1)]


def _radical_inverse(i: int, base: int) -> Fraction:
    """The i-th Halton coordinate in `base`: i's digits mirrored behind the point."""
    num, den = 0, 1
    while i:
        i, digit = divmod(i, base)
        num, den = num * base + digit, den * base
    return Fraction(num, den)


def _build(order: list[sympy.Symbol], domains: Domains, outer: Point,
           pick: Callable[[int, _Span], Fraction]) -> Point | None:
    """One point, choosing each symbol's value with `pick(index, span)` in dependency
    order; None if some domain is empty at the values chosen so far."""
    values = dict(outer)
    point: Point = {}
    for j, s in enumerate(order):
        span = _span(domains[s], values)
        if span is None:
            return None
        values[s] = point[s] = pick(j, span)
    return point


def _edge_points(order: list[sympy.Symbol], domains: Domains,
                 outer: Point) -> Iterator[Point | None]:
    """Corners and midpoints: all-lower, all-upper, all-middle first, then mixtures.
    A symbol whose requested end is open or infinite takes its midpoint instead."""
    labels = ("lo", "hi", "mid")
    combos = itertools.chain(((lab,) * len(order) for lab in labels),
                             itertools.product(labels, repeat=len(order)))
    for combo in combos:
        def pick(j: int, span: _Span, combo=combo) -> Fraction:
            v = span.edge(combo[j])
            return span.edge("mid") if v is None else v
        yield _build(order, domains, outer, pick)


def _halton_points(order: list[sympy.Symbol], domains: Domains, outer: Point, start: int,
                   count: int) -> Iterator[Point | None]:
    primes = _primes(len(order))
    for i in range(start, start + count):
        yield _build(order, domains, outer,
                     lambda j, span, i=i: span.at(_radical_inverse(i, primes[j])))


def points(symbols: list[sympy.Symbol], domains: Domains, n: int, *,
           seed: int = 0, env: Point | None = None) -> list[Point]:
    """Up to `n` distinct exact sample points of `symbols` in their `domains`.

    First at most n // 4 edge points (closed ends and midpoints, in combinations),
    then the Halton sequence (one prime base per symbol) from index 1 + seed * n, so
    seeds 0, 1, 2, ... draw disjoint blocks of one sequence. Bounded [lo, hi] maps u
    to lo + u (hi - lo); [lo, oo) to lo + u/(1-u); (-oo, hi] to hi - u/(1-u);
    (-oo, oo) to (2u-1)/(2u(1-u)); u is never 0 or 1, so open ends are never hit.
    Integer domains round to the nearest integer inside. Bounds may mention other
    symbols of `symbols` or of `env` (values of outer variables); points where a
    domain is empty are skipped, so fewer than `n` points can come back.
    Deterministic: the same arguments give the same points.
    """
    if seed < 0:
        # the Halton index 1 + seed * n would be 0 (the point u = 0, an end) or negative,
        # whose digits never run out (_radical_inverse did not end on --seed -5)
        raise ValueError(f"the seed of the sample points must be 0 or more, not {seed}")
    outer = dict(env or {})
    order = _dependency_order(list(symbols), domains, outer)
    if n <= 0:
        return []
    if not order:
        return [{}]
    out: list[Point] = []
    seen: set[tuple[Fraction, ...]] = set()

    def take(candidates: Iterator[Point | None], limit: int, tries: int) -> None:
        if len(out) >= limit:
            return
        for p in itertools.islice(candidates, tries):
            key = None if p is None else tuple(p[s] for s in order)
            if key is not None and key not in seen:
                seen.add(key)
                out.append(p)
                if len(out) >= limit:
                    return

    take(_edge_points(order, domains, outer), n // 4, _TRIES_PER_POINT * (n // 4) + 3)
    take(_halton_points(order, domains, outer, 1 + seed * n, _TRIES_PER_POINT * n), n,
         _TRIES_PER_POINT * n)
    return out


#: Values of the sides of atoms at the points sampled (or why a side is undefined there),
#: keyed by the term, the digits and the values of the term's own free symbols: a side
#: without an inner quantifier's variable (f(v) in `forall x: f(x) >= f(v)`) is the same
#: at each of that quantifier's points, and was most of sampling's work. Bounded.
_SIDES: dict[tuple, mpmath.mpf | str] = {}
_SIDES_SIZE = 20000
_FREE: dict[sympy.Expr, tuple[sympy.Symbol, ...]] = {}


def _side_value(e: sympy.Expr, env: Env, dps: int) -> mpmath.mpf:
    """mp_value(e, env, dps), computed once for each value of e's free symbols."""
    symbols = _FREE.get(e)
    if symbols is None:
        if len(_FREE) >= _SIDES_SIZE:
            _FREE.clear()
        symbols = _FREE[e] = tuple(e.free_symbols)
    if any(s not in env for s in symbols):
        return mp_value(e, env, dps)  # says which symbol has no value
    key = (e, dps, tuple(env[s] for s in symbols))
    out = _SIDES.get(key)
    if out is None:
        try:
            out = mp_value(e, env, dps)
        except Undefined as why:
            out = str(why)
        if len(_SIDES) >= _SIDES_SIZE:
            _SIDES.clear()
        _SIDES[key] = out
    if isinstance(out, str):
        raise Undefined(out)
    return out


def _atom_mp_truth(a: Atom, env: Env, dps: int) -> bool:
    try:
        lhs, rhs = _side_value(a.lhs, env, dps), _side_value(a.rhs, env, dps)
    except Undefined:
        return False
    with mpmath.mp.workdps(dps):
        band = mpmath.mpf(10) ** (10 - dps) * max(1, abs(lhs), abs(rhs))
        diff = lhs - rhs
        s = 0 if abs(diff) <= band else (1 if diff > 0 else -1)
    return _DECIDE[a.op](s)


#: Sample points of quantifiers whose domains have numeric bounds: the same at every
#: outer point (a quarter of sampling's time went to building them again). Bounded.
_INNER: dict[tuple, list[Point]] = {}


def _inner_points(symbols: list[sympy.Symbol], domains: Domains, n: int, env: Env) -> list[Point]:
    """points(symbols, domains, n, env=env), kept when no bound names a symbol (so that
    `env` cannot change them). Callers do not change the points."""
    if any(domains[s].free_symbols for s in symbols):
        return points(symbols, domains, n, env=env)
    key = (tuple(symbols), tuple(domains[s] for s in symbols), n)
    out = _INNER.get(key)
    if out is None:
        if len(_INNER) >= _SIDES_SIZE:
            _INNER.clear()
        out = _INNER[key] = points(symbols, domains, n, env=env)
    return out


def mp_truth(f: Formula, env: Env, dps: int = 50, inner: int = 16) -> bool:
    """Truth of `f` at `env` from `dps`-digit values; an approximation, never a proof.

    Two sides within 10^-(dps-10) * max(1, |lhs|, |rhs|) of each other count as
    equal for every relation: `=`, `<=`, `>=` hold and `<`, `>`, `!=` fail. So an
    identity that holds exactly (x^2 >= x*x) is not flipped by rounding noise, and a
    strict inequality that is tight at the point reads as false, which is what the
    exact re-check will then confirm or reject.

    Quantifiers are approximated by `inner` sample points of the binders' domains
    (closed endpoints included, see points): forall = all, exists = any; a quantifier
    over a few integers (evaluate.integer_points) takes every one of them. A
    domain that is empty at the point (or has an undefined bound) has no samples.
    """
    if isinstance(f, Truth):
        return f.value
    if isinstance(f, Atom):
        return _atom_mp_truth(f, env, dps)
    if isinstance(f, Not):
        return not mp_truth(f.arg, env, dps, inner)
    if isinstance(f, And):
        return all(mp_truth(a, env, dps, inner) for a in f.args)
    if isinstance(f, Or):
        return any(mp_truth(a, env, dps, inner) for a in f.args)
    if isinstance(f, Implies):
        return not mp_truth(f.lhs, env, dps, inner) or mp_truth(f.rhs, env, dps, inner)
    if isinstance(f, Iff):
        return mp_truth(f.lhs, env, dps, inner) == mp_truth(f.rhs, env, dps, inner)
    if isinstance(f, Quantified):
        symbols = [b.symbol for b in f.binders]
        domains = {b.symbol: b.domain for b in f.binders}
        samples = integer_points(f.binders, env)
        if samples is None:
            samples = _inner_points(symbols, domains, inner, env)
        verdicts = (mp_truth(f.body, {**env, **p}, dps, inner) for p in samples)
        return all(verdicts) if f.kind == "forall" else any(verdicts)
    raise TypeError(f"mp_truth: desugar {type(f).__name__} first")


@dataclass
class SampleReport:
    """The outcome of a sampling search.

    `violation` is a point where the formula is false at `dps` digits: a candidate
    only, to be re-checked exactly. `count` is the number of points evaluated.
    """

    count: int
    dps: int
    sampler: str
    violation: Point | None
    seconds: float
    #: points false at `dps` digits but true at RECHECK_DIGITS: rounding artefacts
    #: (two sides within 10^-40 read as equal), not counted as violations
    artefacts: list[Point] = field(default_factory=list)


#: Digits at which a 50-digit violation is evaluated again before it counts.
RECHECK_DIGITS = 200


def search(f: Formula, domains: Domains, n: int = 128, *, seed: int = 0,
           dps: int = 50, inner: int = 16, deadline: float | None = None) -> SampleReport:
    """Look for a point of the domain box where `f` (its free symbols universally
    quantified over `domains`) is false at `dps` digits; stop at the first, or when
    the CPU clock (`timeout.cpu()`) passes `deadline`. Inner quantifiers are approximated with
    `inner` points each (see mp_truth). A point false at `dps` digits but true at
    RECHECK_DIGITS is a rounding artefact: noted in `artefacts`, and the search goes on.
    """
    start = time.perf_counter()
    free = sorted(claim_symbols(f, domains), key=lambda s: s.name)
    count = 0
    violation = None
    artefacts: list[Point] = []
    for p in points(free, domains, n, seed=seed):
        if deadline is not None and cpu() > deadline:
            break
        count += 1
        if not mp_truth(f, p, dps, inner):
            if dps < RECHECK_DIGITS and mp_truth(f, p, RECHECK_DIGITS, inner):
                artefacts.append(p)
                continue
            violation = p
            break
    return SampleReport(count=count, dps=dps, sampler=f"halton+edges, seed {seed}",
                        violation=violation, seconds=time.perf_counter() - start, artefacts=artefacts)


__all__ = ["points", "mp_truth", "search", "SampleReport"]
