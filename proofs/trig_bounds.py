"""Certified bounds for the trigonometric, inverse trigonometric and hyperbolic functions,
and the constant pi, for the certified-bounds prover (proofs/bounds.py).

The alternating partial sums A_m(v) = sum_{j <= m} (-1)^j v^p / d(p) (p = 2j+1 for an
odd function, 2j for cos; d(p) = p! for sin and cos, p for arctan) satisfy, with their
Lagrange (sin, cos) or integral (arctan) remainder, `f(v) - A_m(v)` has the sign
(-1)^(m+1) for every v >= 0 (for every v when f = cos is even):
- sin: x - x^3/6 <= sin x <= x on x >= 0, and so on (integrate cos <= 1 repeatedly);
- cos: 1 - x^2/2 <= cos x <= 1 for all x, 1 - x^2/2 + x^4/24 above it, ...;
- arctan: with t = v^2, 1/(1+t) - sum_{j<m+1} (-t)^j = (-t)^(m+1)/(1+t), integrated
  from 0 to v >= 0.
An odd function mirrors them for v <= 0 (the inequalities swap). These polynomial bounds
hold on the whole line (so no argument is restricted) and are tight near 0; away from 0:
- sin, cos: |f| <= 1, and range reduction by the exact identities sin 2w = 2 sin w cos w,
  cos 2w = 2 cos^2 w - 1 from w = u/M (M = 2^r);
- tan = sin/cos: y cos(u) = sin(u), defined where cos(u) != 0, whose enclosure must
  exclude 0 for a proof: a box around a pole of tan is never proved;
- arctan: |arctan| < pi/2; for u > 0, arctan u = pi/2 - arctan(1/u) with the series
  bounds at 1/u (mirrored for u < 0); and range reduction by the exact identity
  arctan u = 2 arctan(u / (1 + sqrt(1 + u^2)));
- arcsin u = 2 arctan(u / (1 + sqrt(1 - u^2))) on [-1, 1] (its exact definedness), arccos
  u = pi/2 - arcsin u;
- sinh, cosh, tanh: exact rational functions of e = exp(u), whose bounds are exp's;
- pi: Machin's formula pi = 16 arctan(1/5) - 4 arctan(1/239) with the series bounds,
  exact in rationals, rounded outward.
The real cube root needs none: proofs/translate.py makes it exact (c^3 = x).
"""
from __future__ import annotations

from math import factorial

import sympy

from lawproof.language.formula import Atom, Formula, Or

from .exp_log_bounds import Level, Rule, add_note, constant_between, exp_of, rounded
from .translate import Translator, _defined

_ZERO, _ONE = sympy.Integer(0), sympy.Integer(1)
_REVERSED = {"<=": ">=", ">=": "<="}


def alternating(v: sympy.Expr, m: int, odd: bool, factorials: bool) -> sympy.Expr:
    """A_m(v) = sum_{j <= m} (-1)^j v^p / d(p), p = 2j+1 (`odd`) or 2j, d(p) = p! when
    `factorials` (sin, cos) else p (arctan)."""
    terms = []
    for j in range(m + 1):
        p = 2 * j + (1 if odd else 0)
        terms.append((-1) ** j * v ** p / (factorial(p) if factorials else p))
    return sympy.Add(*terms)


def alternating_bounds(y: sympy.Expr, v: sympy.Expr, orders: tuple[int, ...], odd: bool,
                       factorials: bool) -> list[Formula]:
    """Bounds on y = f(v) by the partial sums A_m, m in `orders` (module docstring):
    A_m above f for even m, below for odd m, on v >= 0 (everywhere for an even f); an
    odd f has them swapped on v <= 0."""
    out: list[Formula] = []
    for m in orders:
        a = alternating(v, m, odd, factorials)
        op = "<=" if m % 2 == 0 else ">="
        if odd:
            out.append(Or((Atom("<", v, _ZERO), Atom(op, y, a))))
            out.append(Or((Atom(">", v, _ZERO), Atom(_REVERSED[op], y, a))))
        else:
            out.append(Atom(op, y, a))
    return out


def orders(level: Level) -> tuple[int, int, int, int]:
    """The partial sums used at `level`: the two lowest (tangency at 0 is common in
    claims) and the pair 2k, 2k+1 (k = level.degree), tighter away from 0."""
    return (0, 1, 2 * level.degree, 2 * level.degree + 1)


def _unit(y: sympy.Expr) -> list[Formula]:
    return [Atom("<=", y, _ONE), Atom(">=", y, -_ONE)]


def sin_bounds(y: sympy.Expr, v: sympy.Expr, level: Level) -> list[Formula]:
    """Bounds on y = sin(v), valid for every real v."""
    return alternating_bounds(y, v, orders(level), True, True) + _unit(y)


def cos_bounds(y: sympy.Expr, v: sympy.Expr, level: Level) -> list[Formula]:
    """Bounds on y = cos(v), valid for every real v."""
    return alternating_bounds(y, v, orders(level), False, True) + _unit(y)


def atan_bounds(y: sympy.Expr, v: sympy.Expr, level: Level, pi_lo: sympy.Rational,
                pi_hi: sympy.Rational) -> list[Formula]:
    """Bounds on y = arctan(v), valid for every real v, given pi_lo <= pi <= pi_hi."""
    # arctan v = pi/2 - arctan(1/v) for v > 0, with 1/v - 1/(3v^3) <= arctan(1/v) <= 1/v:
    # pi/2 - 1/v <= y <= pi/2 - 1/v + 1/(3v^3); for v < 0 (oddness) -pi/2 - 1/v + 1/(3v^3)
    # <= y <= -pi/2 - 1/v; each multiplied by v or 3v^3 (whose sign flips the relation)
    reflected = [
        Or((Atom("<=", v, _ZERO), Atom(">=", v * y, v * pi_lo / 2 - 1))),
        Or((Atom("<=", v, _ZERO), Atom("<=", 3 * v ** 3 * y, 3 * v ** 3 * pi_hi / 2 - 3 * v ** 2 + 1))),
        Or((Atom(">=", v, _ZERO), Atom(">=", v * y, -v * pi_lo / 2 - 1))),
        Or((Atom(">=", v, _ZERO), Atom("<=", 3 * v ** 3 * y, -3 * v ** 3 * pi_hi / 2 - 3 * v ** 2 + 1)))]
    return alternating_bounds(y, v, orders(level), True, False) + [
        Atom("<", 2 * y, pi_hi), Atom(">", 2 * y, -pi_hi)] + reflected


def pi_enclosure(m: int) -> tuple[sympy.Rational, sympy.Rational]:
    """Rational bounds on pi by Machin's formula 16 arctan(1/5) - 4 arctan(1/239), each
    arctan between its partial sums A_m and A_(m+1) (alternating_bounds)."""
    def atan(q: sympy.Rational) -> tuple[sympy.Rational, sympy.Rational]:
        a, b = alternating(q, m, True, False), alternating(q, m + 1, True, False)
        return min(a, b), max(a, b)
    (a_lo, a_hi), (b_lo, b_hi) = atan(sympy.Rational(1, 5)), atan(sympy.Rational(1, 239))
    return 16 * a_lo - 4 * b_hi, 16 * a_hi - 4 * b_lo


def _pi_bits(level: Level) -> int:
    return 16 + 8 * level.degree


def pi_bounds(level: Level) -> tuple[sympy.Rational, sympy.Rational]:
    """pi's enclosure at `level`, rounded outward to short rationals."""
    lo, hi = pi_enclosure(12)
    bits = _pi_bits(level)
    return rounded(lo, bits, True), rounded(hi, bits, False)


def pi_of(tr: Translator, auxes: dict, level: Level, notes: list[str]) -> sympy.Symbol:
    """The variable for pi, between the rationals of `pi_bounds`."""
    lo, hi = pi_bounds(level)
    add_note(notes, f"{lo} <= pi <= {hi} (Machin's formula, arctan series with 13 and 14 terms, "
             f"rounded outward to multiples of 2^-{_pi_bits(level)})")
    return constant_between(tr, ("pi",), auxes, lo, hi, _pi_bits(level))


def _pi_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    return pi_of(tr, auxes, level, notes)


def _series_note(name: str, level: Level) -> str:
    ms = ", ".join(f"A_{m}" for m in orders(level))
    return (f"{name}(v) between its partial sums {ms} (A_m above for even m, below for odd m, on v >= 0; "
            "mirrored for v <= 0 when odd; remainder of the alternating series, valid for every v)")


def sin_cos_of(tr: Translator, u: sympy.Expr, auxes: dict, level: Level, notes: list[str],
               which: str) -> sympy.Symbol:
    """The variable for sin(u) (`which` = "sin") or cos(u): bounded at w = u/M, then
    doubled r times by the exact identities (module docstring)."""
    exists = _defined([u])
    k, m = level.degree, level.scale
    make = {"sin": sin_bounds, "cos": cos_bounds}
    if m == 1:
        add_note(notes, _series_note(which, level) + "; |" + which + "| <= 1")
        return tr.aux((which, u, k), auxes, lambda y: make[which](y, u, level), exists)
    w = u / m
    s = tr.aux(("sin", w, k), auxes, lambda y: sin_bounds(y, w, level), exists)
    c = tr.aux(("cos", w, k), auxes, lambda y: cos_bounds(y, w, level), exists)
    add_note(notes, _series_note("sin", level) + "; " + _series_note("cos", level) + "; |sin|, |cos| <= 1")
    add_note(notes, f"range reduction from u/{m}: sin 2w = 2 sin w cos w, cos 2w = 2 cos^2 w - 1")
    for i in range(level.reduction):
        before_s, before_c = s, c
        s = tr.aux(("sin2", w, k, i), auxes, lambda y: [Atom("=", y, 2 * before_s * before_c)], exists)
        c = tr.aux(("cos2", w, k, i), auxes, lambda y: [Atom("=", y, 2 * before_c ** 2 - 1)], exists)
    return s if which == "sin" else c


def _sin_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    return sin_cos_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes, "sin")


def _cos_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    return sin_cos_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes, "cos")


def _tan_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    u = tr.purify(e.args[0], auxes)
    s = sin_cos_of(tr, u, auxes, level, notes, "sin")
    c = sin_cos_of(tr, u, auxes, level, notes, "cos")
    add_note(notes, "tan(u) cos(u) = sin(u), defined where cos(u) != 0")
    # defined exactly where cos(u) != 0: c stands for cos(u) and its constraints come
    # first, so the negated atom keeps the branch "c = 0" wherever the bounds allow it
    return tr.aux(("tan", u, level.degree, level.scale), auxes, lambda y: [Atom("=", y * c, s)],
                  _defined([u]) + [Atom("!=", c, _ZERO)])


def atan_of(tr: Translator, u: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    """arctan(u) as M arctan(w), w from u by r halvings (module docstring)."""
    exists = _defined([u])
    w = u
    for i in range(level.reduction):
        before = w
        root = tr.aux(("atan-root", before), auxes,
                      lambda r: [Atom(">=", r, _ONE), Atom("=", r ** 2, 1 + before ** 2)], exists)
        w = tr.aux(("atan-half", before), auxes,
                   lambda h: [Atom("=", h * (1 + root), before), Atom("<", h, _ONE), Atom(">", h, -_ONE)],
                   exists)
    lo, hi = pi_bounds(level)
    add_note(notes, _series_note("arctan", level) + f"; |arctan| < pi/2, pi/2 - arctan(1/v) for v > 0 "
             f"(mirrored), {lo} <= pi <= {hi}")
    if level.reduction:
        add_note(notes, f"range reduction arctan u = 2 arctan(u/(1 + sqrt(1 + u^2))), {level.reduction} times")
    inner = tr.aux(("atan", w, level.degree), auxes, lambda y: atan_bounds(y, w, level, lo, hi), exists)
    return level.scale * inner


def _atan_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    return atan_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes)


def asin_of(tr: Translator, u: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    """arcsin(u) = 2 arctan(u/(1 + sqrt(1 - u^2))), defined exactly for -1 <= u <= 1."""
    root = tr.aux(("asin-root", u), auxes, lambda r: [Atom(">=", r, _ZERO), Atom("=", r ** 2, 1 - u ** 2)],
                  _defined([u]) + [Atom(">=", 1 - u ** 2, _ZERO)])
    half = tr.aux(("asin-half", u), auxes, lambda h: [Atom("=", h * (1 + root), u)])
    add_note(notes, "arcsin(u) = 2 arctan(u/(1 + sqrt(1 - u^2))) for -1 <= u <= 1 (where it is defined)")
    return 2 * atan_of(tr, half, auxes, level, notes)


def _asin_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    return asin_of(tr, tr.purify(e.args[0], auxes), auxes, level, notes)


def _acos_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    u = tr.purify(e.args[0], auxes)
    add_note(notes, "arccos(u) = pi/2 - arcsin(u)")
    return pi_of(tr, auxes, level, notes) / 2 - asin_of(tr, u, auxes, level, notes)


#: y = f(u) as a relation with e = exp(u) > 0: exact (y, e) -> (lhs, rhs) of lhs = rhs.
_HYPERBOLIC = {
    sympy.sinh: ("2 sinh(u) exp(u) = exp(u)^2 - 1", lambda y, e: (2 * y * e, e ** 2 - 1)),
    sympy.cosh: ("2 cosh(u) exp(u) = exp(u)^2 + 1", lambda y, e: (2 * y * e, e ** 2 + 1)),
    sympy.tanh: ("tanh(u) (exp(u)^2 + 1) = exp(u)^2 - 1", lambda y, e: (y * (e ** 2 + 1), e ** 2 - 1)),
}


def _hyperbolic_rule(tr: Translator, e: sympy.Expr, auxes: dict, level: Level, notes: list[str]) -> sympy.Expr:
    u = tr.purify(e.args[0], auxes)
    text, relation = _HYPERBOLIC[type(e)]
    ex = exp_of(tr, u, auxes, level, notes)
    add_note(notes, text + " (exact)")
    return tr.aux((type(e).__name__, u, level.degree, level.scale), auxes,
                  lambda y: [Atom("=", *relation(y, ex))], _defined([u]))


#: The rules of this module by SymPy class.
RULES: dict[type, Rule] = {type(sympy.pi): _pi_rule, sympy.sin: _sin_rule, sympy.cos: _cos_rule,
                           sympy.tan: _tan_rule, sympy.atan: _atan_rule, sympy.asin: _asin_rule,
                           sympy.acos: _acos_rule, **dict.fromkeys(_HYPERBOLIC, _hyperbolic_rule)}
