"""Certified bounds for exp, logarithms and real powers, the rules of the certified-bounds
prover (proofs/bounds.py) for those terms, each valid where it is stated:

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
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import factorial

import sympy

from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import And, Atom, Formula, Or

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


#: A bounding rule: (translator, the term, the atom's auxiliary variables, the level,
#: the notes to extend) -> the expression standing for the term (None: not enclosed).
Rule = Callable[[Translator, sympy.Expr, dict, Level, list[str]], sympy.Expr | None]


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


def constant_between(tr: Translator, key: tuple, auxes: dict, lo: sympy.Rational, hi: sympy.Rational,
              bits: int) -> sympy.Symbol:
    """The variable for a constant (exp or log of a rational number) between `lo` and
    `hi`, rounded outward to multiples of 2^-bits: two linear constraints with short
    numbers instead of the bounds' polynomials (nlsat's root isolation slows down on
    long coefficients, and does not count that work in its rlimit)."""
    down, up = rounded(lo, bits, True), rounded(hi, bits, False)
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


def exp_of(tr: Translator, u: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    """The variable for exp(u), u purified: exp(u/M) bounded, raised to the power M."""
    k, m = level.degree, level.scale
    if u.is_Rational:
        lo, hi = exp_enclosure(u, 2 * k + 2)
        add_note(notes, f"exp({u}) between {lo.evalf(12)} and {hi.evalf(12)} (Taylor bounds of degree "
              f"{4 * k + 4}, {4 * k + 5}, exact in rationals, rounded outward to multiples of 2^-{8 + 8 * k})")
        return constant_between(tr, ("exp", u), auxes, lo, hi, 8 + 8 * k)
    exists = _defined([u])
    inner = tr.aux(("exp", u / m, k), auxes, lambda y: exp_bounds(y, u / m, k), exists)
    add_note(notes, f"exp(v) >= T_{2 * k + 1}(v) for all v; exp(v) <= T_{2 * k}(v) for v <= 0; "
          f"exp(v) <= 1/T_{2 * k + 1}(-v) where T_{2 * k + 1}(-v) > 0 (T_n: Taylor polynomial of "
          "exp of degree n, Lagrange remainder)")
    if m == 1:
        return inner
    add_note(notes, f"range reduction exp(u) = exp(u/{m})^{m}")
    return tr.aux(("exp", u, k, m), auxes, lambda y: [Atom("=", y, inner ** m)], exists)


def _exp_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    return exp_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes)


def _log_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    if len(e.args) != 1:
        raise OutsideFragment(f"a logarithm with {len(e.args)} arguments")
    u = tr.purify(e.args[0], auxes)
    exists = [Atom(">", u, _ZERO)]
    n, m = level.degree, level.scale
    if u.is_Rational and u > 0:
        lo, hi = log_enclosure(u, 4 * n + 4)
        add_note(notes, f"log({u}) between {lo.evalf(12)} and {hi.evalf(12)} (the atanh series, "
              f"{4 * n + 5} terms and its tail bound, exact in rationals, rounded outward to multiples "
              f"of 2^-{8 + 8 * n})")
        return constant_between(tr, ("log", u), auxes, lo, hi, 8 + 8 * n)
    root = u if m == 1 else tr.aux(("root", u, m), auxes,
                                   lambda r: [Atom(">", r, _ZERO), Atom("=", r ** m, u)], exists)
    s = tr.aux(("atanh", root), auxes,
               lambda s: [Atom("=", s * (root + 1), root - 1), Atom("<", s, sympy.Integer(1)),
                          Atom(">", s, sympy.Integer(-1))], exists)
    add_note(notes, "log(u) <= u - 1 and log(u) >= 1 - 1/u for u > 0; log(u) = 2 M atanh(s), "
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
    # b > 0, where it is exp(e log b): log's definedness is the same condition. An
    # integer-valued e (n, 2n) is defined at b <= 0 too (docs/semantics.md), where
    # exp(e log b) would be undefined and so make a negated atom true: enclosed only
    # where the base is provably positive
    if ex.is_integer and not (base.is_Rational and base > 0):
        b = tr.purify(base, auxes)
        if tr.sign(b, tr.domains, auxes) <= 0:
            return None
    if not (base.is_Rational and base > 0):
        return exp_of(tr, tr.purify(ex * sympy.log(base, evaluate=False), auxes), auxes, level, notes)
    # a rational base: log b lies in [lo, hi], so b^w lies between exp(w lo) and
    # exp(w hi) (in that order for w >= 0, the other for w <= 0); their bounds are
    # polynomials in w alone, where exp(w log b) would give nlsat products of w with a
    # constant's variable, on which it can stall
    n = level.degree
    lo, hi = (rounded(q, 8 + 8 * n, down) for q, down in zip(log_enclosure(base, 4 * n + 4), (True, False)))
    w = tr.purify(ex, auxes)
    low, high = exp_of(tr, w * lo, auxes, level, notes), exp_of(tr, w * hi, auxes, level, notes)
    add_note(notes, f"{base}^w between exp(w {lo}) and exp(w {hi}) ({lo} <= log({base}) <= {hi}, the atanh "
          f"series with {4 * n + 5} terms and its tail bound)")
    return tr.aux(("pow", base, w, n), auxes, lambda y: [
        Or((Atom("<", w, _ZERO), And((Atom(">=", y, low), Atom("<=", y, high))))),
        Or((Atom(">", w, _ZERO), And((Atom(">=", y, high), Atom("<=", y, low)))))], _defined([w]))


def rounded(q: sympy.Rational, bits: int, down: bool) -> sympy.Rational:
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


def add_note(notes: list[str], text: str) -> None:
    """Append `text` to the evidence notes once."""
    if text not in notes:
        notes.append(text)


#: The rules of this module by SymPy class.
RULES: dict[type, Rule] = {sympy.exp: _exp_rule, sympy.log: _log_rule, sympy.Pow: _power_rule}
