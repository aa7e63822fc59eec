"""Certified polynomial bounds (the method of MetiTarski): a second sound prover for
claims with exp, logarithms and real powers.

Each transcendental term t = f(u) of a claim becomes an auxiliary variable y held by
certified bounds, polynomial (or rational, multiplied out) in the purified argument u,
each valid where it is stated, with a case split where a bound is valid only on part
of the line:

- exp, Taylor polynomials T_n(v) = sum_{j <= n} v^j / j! with Lagrange remainder
  e^xi v^(n+1) / (n+1)!:
  `y >= T_{2k+1}(v)` for every v (an even power in the remainder);
  `y <= T_{2k}(v)` for v <= 0 (an odd power of a nonpositive number);
  `y T_{2k+1}(-v) <= 1` where `T_{2k+1}(-v) > 0` (exp(-v) >= T_{2k+1}(-v) > 0);
  and range reduction `exp(u) = exp(u/M)^M` (M = 2^r, an exact identity), so that
  v = u/M is small;
- log, for u > 0 (exactly its definedness): `y <= u - 1`, `u y >= u - 1` (the tangents
  at 1), and, with s = (r - 1)/(r + 1) in (-1, 1), r = u^(1/M) (an exact root, M = 2^r),
  log u = 2 M atanh(s), atanh(s) = S_n(s) + R where S_n(s) = sum_{j <= n} s^(2j+1)/(2j+1)
  and the tail R has the sign of s and |R| <= |s|^(2n+3) / ((2n+3)(1 - s^2)): on s >= 0
  `2M S_n(s) <= y` and `(1 - s^2)(y - 2M S_n(s)) <= 2M s^(2n+3)/(2n+3)`, mirrored on s <= 0;
- b^e with an exponent that is not a rational number (b > 0, exactly its definedness):
  exp(e log b); the constant E: exp(1).

Both sides of every enclosure are kept, whatever direction the claim needs (its
polarity): each atom's translation then holds wherever the atom, or its negation, does
(proofs/translate.py, `_Aux`), so that an unsatisfiable negation proves the claim
whatever the signs of the coefficients, divisions and negations around the term, and z3
(nlsat) uses the side it needs. A model of the negation is no counterexample: only
`proved` comes out of here. On failure the bounds are refined (higher degree, more range
reduction), each level under its own share of the claim's z3 budget (rlimit).

More functions (trigonometric, hyperbolic) plug in through `register`.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from math import factorial

import sympy

from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import And, Atom, Formula, Or
from lawproof.language.timeout import watching

from .smt import decide
from .translate import Translator, _defined

_ZERO = sympy.Integer(0)


@dataclass(frozen=True)
class Level:
    """How tight the bounds are: `degree` k (Taylor degrees 2k and 2k+1, k+1 terms of
    the atanh series) and `reduction` r (arguments scaled by M = 2^r)."""

    degree: int
    reduction: int

    @property
    def scale(self) -> int:
        return 2 ** self.reduction


#: Refinement schedule: each level is tried when the one before could not prove.
LEVELS = (Level(1, 0), Level(2, 1), Level(3, 1), Level(3, 2))

#: A bounding rule: (translator, the term, the atom's auxiliary variables, the level,
#: the notes to extend) -> the variable standing for the term.
Rule = Callable[[Translator, sympy.Expr, dict, Level, list[str]], sympy.Symbol]

#: The rules by SymPy function class (`register` adds more).
RULES: dict[type, Rule] = {}


def register(function: type, rule: Rule) -> None:
    """Enclose the terms of SymPy class `function` by `rule` (which must state only
    bounds valid at the term's value, and the term's exact definedness)."""
    RULES[function] = rule


def taylor_exp(v: sympy.Expr, n: int) -> sympy.Expr:
    """T_n(v) = sum_{j <= n} v^j / j!, the Taylor polynomial of exp at 0."""
    return sympy.Add(*[v ** j / factorial(j) for j in range(n + 1)])


def atanh_partial(s: sympy.Expr, n: int) -> sympy.Expr:
    """S_n(s) = sum_{j <= n} s^(2j+1) / (2j+1), a partial sum of atanh's series."""
    return sympy.Add(*[s ** (2 * j + 1) / (2 * j + 1) for j in range(n + 1)])


def exp_bounds(y: sympy.Expr, v: sympy.Expr, k: int) -> list[Formula]:
    """Bounds on y = exp(v), each valid where stated (module docstring)."""
    odd, even = taylor_exp(v, 2 * k + 1), taylor_exp(v, 2 * k)
    mirrored = taylor_exp(-v, 2 * k + 1)
    return [Atom(">", y, _ZERO), Atom(">=", y, odd),
            Or((Atom(">", v, _ZERO), Atom("<=", y, even))),
            Or((Atom("<=", mirrored, _ZERO), Atom("<=", y * mirrored, sympy.Integer(1))))]


def log_bounds(y: sympy.Expr, u: sympy.Expr, s: sympy.Expr, scale: int, n: int) -> list[Formula]:
    """Bounds on y = log u = 2 `scale` atanh(s), for u > 0 and s = (r-1)/(r+1) with
    r = u^(1/scale) (module docstring)."""
    part = 2 * scale * atanh_partial(s, n)
    tail = 2 * scale * s ** (2 * n + 3) / (2 * n + 3)
    gap = (1 - s ** 2) * (y - part)
    return [Atom("<=", y, u - 1), Atom(">=", u * y, u - 1),
            Or((Atom("<", s, _ZERO), And((Atom(">=", y, part), Atom("<=", gap, tail))))),
            Or((Atom(">", s, _ZERO), And((Atom("<=", y, part), Atom(">=", gap, tail)))))]


def _constant(tr: Translator, key: tuple, auxes: dict, lo: sympy.Rational, hi: sympy.Rational,
              bits: int) -> sympy.Symbol:
    """The variable for a constant (exp or log of a rational number) between `lo` and
    `hi`, rounded outward to multiples of 2^-bits: two linear constraints with short
    numbers instead of the bounds' polynomials (nlsat's root isolation slows down on
    long coefficients, and does not count that work in its rlimit)."""
    down, up = _rounded(lo, bits, True), _rounded(hi, bits, False)
    return tr.aux(key, auxes, lambda y: [Atom(">=", y, down), Atom("<=", y, up)])


def exp_enclosure(q: sympy.Rational, k: int) -> tuple[sympy.Rational, sympy.Rational]:
    """Rational bounds on exp(q): the bounds of `exp_bounds` at v = q/M, to the power M,
    with M = 2^j the least making |q|/M <= 1/2."""
    m = 1
    while abs(q) > sympy.Rational(m, 2):
        m *= 2
    v = q / m
    lo = taylor_exp(v, 2 * k + 1)
    hi = taylor_exp(v, 2 * k) if v <= 0 else 1 / taylor_exp(-v, 2 * k + 1)  # T(-v) >= 1/2 here
    return lo ** m, hi ** m


def log_enclosure(q: sympy.Rational, n: int) -> tuple[sympy.Rational, sympy.Rational]:
    """Rational bounds on log(q), q > 0: 2 atanh(s), s = (q-1)/(q+1), between the partial
    sum S_n(s) and that sum plus the tail bound (module docstring)."""
    s = (q - 1) / (q + 1)
    part = 2 * atanh_partial(s, n)
    other = part + 2 * s ** (2 * n + 3) / ((2 * n + 3) * (1 - s ** 2))
    return min(part, other), max(part, other)


def _exp_of(tr: Translator, u: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    """The variable for exp(u), u purified: exp(u/M) bounded, raised to the power M."""
    k, m = level.degree, level.scale
    if u.is_Rational:
        lo, hi = exp_enclosure(u, 2 * k + 2)
        _note(notes, f"exp({u}) between {lo.evalf(12)} and {hi.evalf(12)} (Taylor bounds of degree "
              f"{4 * k + 4}, {4 * k + 5}, exact in rationals, rounded outward to multiples of 2^-{8 + 8 * k})")
        return _constant(tr, ("exp", u), auxes, lo, hi, 8 + 8 * k)
    exists = _defined([u])
    inner = tr.aux(("exp", u / m, k), auxes, lambda y: exp_bounds(y, u / m, k), exists)
    _note(notes, f"exp(v) >= T_{2 * k + 1}(v) for all v; exp(v) <= T_{2 * k}(v) for v <= 0; "
          f"exp(v) <= 1/T_{2 * k + 1}(-v) where T_{2 * k + 1}(-v) > 0 (T_n: Taylor polynomial of "
          "exp of degree n, Lagrange remainder)")
    if m == 1:
        return inner
    _note(notes, f"range reduction exp(u) = exp(u/{m})^{m}")
    return tr.aux(("exp", u, k, m), auxes, lambda y: [Atom("=", y, inner ** m)], exists)


def _exp_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    return _exp_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes)


def _log_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    if len(e.args) != 1:
        raise OutsideFragment(f"a logarithm with {len(e.args)} arguments")
    u = tr.purify(e.args[0], auxes)
    exists = [Atom(">", u, _ZERO)]
    n, m = level.degree, level.scale
    if u.is_Rational and u > 0:
        lo, hi = log_enclosure(u, 4 * n + 4)
        _note(notes, f"log({u}) between {lo.evalf(12)} and {hi.evalf(12)} (the atanh series, "
              f"{4 * n + 5} terms and its tail bound, exact in rationals, rounded outward to multiples "
              f"of 2^-{8 + 8 * n})")
        return _constant(tr, ("log", u), auxes, lo, hi, 8 + 8 * n)
    root = u if m == 1 else tr.aux(("root", u, m), auxes,
                                   lambda r: [Atom(">", r, _ZERO), Atom("=", r ** m, u)], exists)
    s = tr.aux(("atanh", root), auxes,
               lambda s: [Atom("=", s * (root + 1), root - 1), Atom("<", s, sympy.Integer(1)),
                          Atom(">", s, sympy.Integer(-1))], exists)
    _note(notes, "log(u) <= u - 1 and log(u) >= 1 - 1/u for u > 0; log(u) = 2 M atanh(s), "
          f"s = (u^(1/M) - 1)/(u^(1/M) + 1), atanh(s) between S_{n}(s) and S_{n}(s) + s^{2 * n + 3}/"
          f"({2 * n + 3}(1 - s^2)) (S_n: the first n+1 terms of atanh's series)"
          + (f"; range reduction M = {m}" if m > 1 else ""))
    return tr.aux(("log", u, n, m), auxes, lambda y: log_bounds(y, u, s, m, n), exists)


def _power_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol | None:
    base, ex = e.args
    if ex.is_Rational or (ex.is_number and not ex.is_negative):
        # rational exponents are exact roots (translate.py); 0^pi = 0 would need b >= 0
        return None
    # b^e with e not a number (or a negative irrational number) is defined exactly for
    # b > 0, where it is exp(e log b): log's definedness is the same condition
    if not (base.is_Rational and base > 0):
        return _exp_of(tr, tr.purify(ex * sympy.log(base, evaluate=False), auxes), auxes, level, notes)
    # a rational base: log b lies in [lo, hi], so b^w lies between exp(w lo) and
    # exp(w hi) (in that order for w >= 0, the other for w <= 0); their bounds are
    # polynomials in w alone, where exp(w log b) would give nlsat products of w with a
    # constant's variable, on which it can stall
    n = level.degree
    lo, hi = (_rounded(q, 8 + 8 * n, down) for q, down in zip(log_enclosure(base, 4 * n + 4), (True, False)))
    w = tr.purify(ex, auxes)
    low, high = _exp_of(tr, w * lo, auxes, level, notes), _exp_of(tr, w * hi, auxes, level, notes)
    _note(notes, f"{base}^w between exp(w {lo}) and exp(w {hi}) ({lo} <= log({base}) <= {hi}, the atanh "
          f"series with {4 * n + 5} terms and its tail bound)")
    return tr.aux(("pow", base, w, n), auxes, lambda y: [
        Or((Atom("<", w, _ZERO), And((Atom(">=", y, low), Atom("<=", y, high))))),
        Or((Atom(">", w, _ZERO), And((Atom(">=", y, high), Atom("<=", y, low)))))], _defined([w]))


def _rounded(q: sympy.Rational, bits: int, down: bool) -> sympy.Rational:
    """The simplest rational (smallest denominator) at most 2^-bits below `q` (above
    it when not `down`): short coefficients keep nlsat's root isolation cheap."""
    slack = sympy.Rational(1, 2 ** bits)
    return _simplest(q - slack, q) if down else _simplest(q, q + slack)


def _simplest(a: sympy.Rational, b: sympy.Rational) -> sympy.Rational:
    """The rational with the smallest denominator in [a, b] (a <= b), by continued
    fractions (the Stern-Brocot descent)."""
    fl = sympy.floor(a)
    if fl == a or fl + 1 <= b:
        return a if fl == a else fl + 1
    # a and b share the integer part fl: recurse on the reciprocals of the fractional parts
    return fl + 1 / _simplest(1 / (b - fl), 1 / (a - fl))


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


register(sympy.exp, _exp_rule)
register(sympy.log, _log_rule)
register(sympy.Pow, _power_rule)


@dataclass
class Enclosure:
    """The hook proofs.translate calls for a term outside rational arithmetic."""

    level: Level
    notes: list[str] = field(default_factory=list)

    def __call__(self, tr: Translator, e: sympy.Expr, auxes: dict) -> sympy.Expr | None:
        if e is sympy.E:
            return _exp_of(tr, sympy.Integer(1), auxes, self.level, self.notes)
        rule = RULES.get(type(e))
        return None if rule is None else rule(tr, e, auxes, self.level, self.notes)


@dataclass
class BoundsOutcome:
    """What the certified-bounds prover found: "proved" or "unknown"."""

    status: str
    detail: str
    bounds: list[str] = field(default_factory=list)
    smt2: str = ""
    seconds: float = 0.0

    def artifact(self) -> str:
        """The bounds used, as SMT-LIB2 comments, then the replayable query."""
        return "".join(f"; certified bound: {b}\n" for b in self.bounds) + self.smt2


def prove(f: Formula, domains: dict[sympy.Symbol, Domain], *, timeout: float = 5.0) -> BoundsOutcome:
    """Prove `f` (free symbols universal over `domains`) by certified bounds, refining
    them level by level (LEVELS); each level's z3 query has an equal share of the z3
    budget of `timeout` (and of its CPU safety net). Raises OutsideFragment when a term has no rule (or the claim
    has no transcendental term: plain SMT decides it)."""
    start = time.perf_counter()
    share = timeout / len(LEVELS)  # its z3 budget (rlimit) and its safety net
    tried: list[str] = []
    for level in LEVELS:
        hook = Enclosure(level)
        with watching() as fired:
            out = decide(f, domains, timeout=share, shrink=False, bounds=hook)
        if fired:
            # z3 stalled where its rlimit does not count (nlsat's root isolation): finer
            # bounds, of higher degree, would only stall longer
            tried.append(f"degree {level.degree}, reduction {level.scale}: {out.detail}; not refined further")
            break
        if not hook.notes:
            raise OutsideFragment("no transcendental term to enclose")
        if out.status == "proved":
            return BoundsOutcome("proved", f"z3: the negation is unsatisfiable with the bounds of degree "
                                 f"{level.degree}, range reduction {level.scale}", hook.notes, out.smt2,
                                 time.perf_counter() - start)
        tried.append(f"degree {level.degree}, reduction {level.scale}: "
                     + ("the bounds are too loose" if out.status == "refuted" else out.detail))
    return BoundsOutcome("unknown", "; ".join(tried), seconds=time.perf_counter() - start)
