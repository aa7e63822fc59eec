"""Rigorous proofs of inequalities by branch and bound over boxes, in interval
arithmetic whose every endpoint is rounded outward by arb (python-flint).

A claim `forall x in box: lhs op rhs` (any quantifier-free combination of such atoms,
under universal quantifiers) is proved when a finite cover of the box by sub-boxes
is found on each of which the claim is certainly true. Three enclosures of
`lhs - rhs` over a box are intersected:

- the plain enclosure (each operation on intervals);
- the monotonicity form: where a partial derivative (from SymPy, enclosed over the
  box) has one sign, the variable is replaced by the end of its range that gives
  the bound, so `exp(x) - 1 - x` on [0, 1] is bounded below by its value at 0,
  which arb computes as exactly 0;
- the mean-value form `g(m) + sum_i dg/dx_i(X) (X_i - m_i)`;
- Taylor forms with Lagrange remainder in one variable at a time, centred at the ends
  and the middle of its side, their coefficients from forward-mode AD on arb balls
  (numeric/taylor.py): at a box corner where lhs - rhs and its first derivatives vanish
  exactly (a tangency point of any order up to TAYLOR_ORDER), the first nonzero
  coefficient's enclosure over the box signs the remainder; on a tail [a, oo) of an
  unbounded side, the form at a with its remainder enclosed over the whole tail.

Where none decides, two other forms of lhs - rhs, equal to it wherever it is defined,
are tried on boxes where it is defined: its shorter SymPy expansion, and its
numerator under a denominator of one sign. An irrational bound of a premise (x <=
pi/2, from a domain bound) that cuts through a box is used there: the body is decided
on the part of the box inside it, with a Taylor form centred at the bound.

Boxes are split at the simplest dyadic rational of the middle half of the widest
side, so a point where an inequality touches zero (0, 1, 1/2, ...) becomes a box
corner, where the monotonicity form closes it. An unbounded side `[a, oo)` is
covered through `t = a + u/(1 - u)`, `u` in [0, 1): halving `u` splits
`[t0, oo)` at `a + 2 (t0 - a) + 1`, and the last box keeps its infinite end, which
interval arithmetic handles (nothing is truncated).

Truth on a box is three-valued: True, False or None ("cannot tell"), and "cannot
tell" is never read as either. A box where the claim is certainly false yields a
candidate violation: a rational point of the box, checked at 50 digits here and
exactly by the caller.
"""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Callable

import flint
import sympy
from flint import arb, fmpq

from lawproof.language import functions
from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.timeout import cpu, record
from lawproof.language.formula import (And, Atom, Formula, Iff, Implies, Not, Or, Quantified, Truth, conj,
                              claim_symbols, to_text)

from .elementary import ball
from .evaluate import Undecided, Undefined, _kleene_and, _kleene_not, _kleene_or, exact_value
from .sample import mp_truth
from .taylor import NotSmooth, SeriesTerm, Unsupported as _NoSeries, coefficients, compile_series

#: Working precision (bits) of every arb operation.
PREC = 128
#: Significant digits of the decimal endpoints printed in a certificate.
SHOWN_DIGITS = 12


class _Undefined(Exception):
    """A term is undefined at every point of the box (so its atom is false there)."""


class _Unclear(Exception):
    """A term may be undefined somewhere in the box: the box must be split."""


class _Unsupported(Exception):
    """A term has a node the interval evaluator does not know."""


# --- intervals with arb endpoints ---------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """The real numbers from `lo` to `hi`: exact arb points, None for an infinite
    end. An open end is not attained: every member is strictly inside it."""

    lo: arb | None
    hi: arb | None
    lo_open: bool = False
    hi_open: bool = False

    @staticmethod
    def of(ball: arb) -> "Interval":
        """The closed interval spanned by an arb ball."""
        return Interval(_down(ball), _up(ball))

    @staticmethod
    def point(q: Fraction) -> "Interval":
        """The interval around one rational (a point when q is dyadic)."""
        return Interval.of(arb(fmpq(q.numerator, q.denominator)))

    def bounds(self) -> tuple[Fraction | None, Fraction | None]:
        """The ends as exact rationals (None for an infinite end)."""
        return (None if self.lo is None else _fraction(self.lo),
                None if self.hi is None else _fraction(self.hi))

    def __str__(self) -> str:
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        lo = "-oo" if self.lo is None else _end_text(self.lo, up=False)
        hi = "oo" if self.hi is None else _end_text(self.hi, up=True)
        return f"{left}{lo}, {hi}{right}"


def _down(ball: arb) -> arb | None:
    return ball.lower() if ball.is_finite() else None


def _up(ball: arb) -> arb | None:
    return ball.upper() if ball.is_finite() else None


def _fraction(x: arb) -> Fraction:
    m, e = x.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def _decimal(q: Fraction, up: bool, digits: int = SHOWN_DIGITS) -> str:
    """`q` rounded outward (up or down) to `digits` significant decimal digits.

    Float-free: the decimal exponent comes from the bit lengths of `q`'s numerator
    and denominator, so a number far beyond a float's range (1e-400, 10^5000) is
    printed like any other."""
    if q == 0:
        return "0"
    a = abs(q)
    # log10(a) is within 1 of (bits(num) - bits(den)) * log10(2); corrected below
    exponent = ((a.numerator.bit_length() - a.denominator.bit_length()) * 30103) // 100000
    while a >= Fraction(10) ** (exponent + 1):
        exponent += 1
    while a < Fraction(10) ** exponent:
        exponent -= 1
    scale = Fraction(10) ** (digits - 1 - exponent)
    n = math.ceil(q * scale) if up else math.floor(q * scale)
    return _scientific(n, exponent - digits + 1, exponent)


def _scientific(n: int, shift: int, exponent: int) -> str:
    """The decimal `n * 10^shift` (whose leading digit has place `exponent`), fixed
    point for moderate exponents, else `d.ddde±X`; the text Decimal's `f`/`e` formats
    give, built by hand so that no decimal context limits the exponent."""
    if -6 <= exponent <= 15:
        return format(Decimal(n).scaleb(shift).normalize(), "f")
    sign, text = ("-" if n < 0 else ""), str(abs(n))
    shift += len(text) - 1  # one digit before the point
    text = text.rstrip("0") or "0"
    body = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{sign}{body}e{'+' if shift >= 0 else '-'}{abs(shift)}"


#: Above this many bits in an endpoint's binary exponent, it is printed from an arb
#: enclosure of its scaled value instead of exactly (the exact rational would be huge).
_EXACT_BITS = 20000


def _end_text(x: arb, up: bool, digits: int = SHOWN_DIGITS) -> str:
    """An exact arb endpoint rounded outward to `digits` significant digits."""
    m, e = x.man_exp()
    m, e = int(m), int(e)
    if abs(e) <= _EXACT_BITS:
        return _decimal(_fraction(x), up, digits)
    saved = flint.ctx.prec
    # enough bits that 10^exponent and log10|x| stay accurate to `digits` digits
    flint.ctx.prec = 4 * digits + 64 + e.bit_length()
    try:
        # the decimal exponent, from an enclosure of log10|x|; an estimate off by one
        # (x within rounding of a power of ten) only changes how many digits are shown
        exponent = int((abs(x).log() / arb(10).log()).mid().floor().unique_fmpz())
        scaled = x * arb(10) ** (digits - 1 - exponent)  # a ball around the exact value
        end = scaled.upper().ceil() if up else scaled.lower().floor()  # outward
        if end.is_finite() and abs(end) < arb(10) ** (digits + 2):
            return _scientific(int(end.unique_fmpz()), exponent - digits + 1, exponent)
    finally:
        flint.ctx.prec = saved
    # beyond that: the power of two outside |x| = |m| 2^e, |m| < 2^bits(m)
    outward = up == (m > 0)
    power = e + (abs(m).bit_length() if outward else abs(m).bit_length() - 1)
    return f"{'-' if m < 0 else ''}2^{power}"


ZERO = Interval(arb(0), arb(0))
ONE = Interval(arb(1), arb(1))


def _positive(v: Interval) -> bool:
    return v.lo is not None and (v.lo > 0 or (v.lo == 0 and v.lo_open))


def _negative(v: Interval) -> bool:
    return v.hi is not None and (v.hi < 0 or (v.hi == 0 and v.hi_open))


def _nonneg(v: Interval) -> bool:
    return v.lo is not None and v.lo >= 0


def _nonpos(v: Interval) -> bool:
    return v.hi is not None and v.hi <= 0


def _is_zero(v: Interval) -> bool:
    return v.lo is not None and v.hi is not None and v.lo == 0 and v.hi == 0


def compare(op: str, v: Interval) -> bool | None:
    """Whether every member of `v` stands in relation `op` to 0 (True), none does
    (False), or the interval cannot tell (None)."""
    if op == ">":
        return True if _positive(v) else (False if _nonpos(v) else None)
    if op == ">=":
        return True if _nonneg(v) else (False if _negative(v) else None)
    if op == "<":
        return True if _negative(v) else (False if _nonneg(v) else None)
    if op == "<=":
        return True if _nonpos(v) else (False if _positive(v) else None)
    if op == "=":
        return True if _is_zero(v) else (False if _positive(v) or _negative(v) else None)
    if op == "!=":
        eq = compare("=", v)
        return None if eq is None else not eq
    raise ValueError(f"unknown relation {op!r}")


def neg(a: Interval) -> Interval:
    return Interval(None if a.hi is None else -a.hi, None if a.lo is None else -a.lo,
                    a.hi_open, a.lo_open)


def add(a: Interval, b: Interval) -> Interval:
    lo = None if a.lo is None or b.lo is None else _down(a.lo + b.lo)
    hi = None if a.hi is None or b.hi is None else _up(a.hi + b.hi)
    return Interval(lo, hi, a.lo_open or b.lo_open, a.hi_open or b.hi_open)


def _mul_nonneg(a: Interval, b: Interval) -> Interval:
    """Both intervals >= 0 and neither is {0}; an end is open unless attained."""
    lo = _down(a.lo * b.lo)
    lo_attained = (not a.lo_open and not b.lo_open) or (a.lo == 0 and not a.lo_open) \
        or (b.lo == 0 and not b.lo_open)
    hi = None if a.hi is None or b.hi is None else _up(a.hi * b.hi)
    return Interval(lo, hi, not lo_attained, a.hi_open or b.hi_open)


def _low_product(x: arb | None, y: arb | None) -> arb | None:
    # both factors are nonzero with opposite signs: an infinite one gives -oo
    return None if x is None or y is None else _down(x * y)


def _high_product(x: arb | None, y: arb | None) -> arb | None:
    return None if x is None or y is None else _up(x * y)


def mul(a: Interval, b: Interval) -> Interval:
    if _is_zero(a) or _is_zero(b):
        return ZERO
    if _nonneg(a) and _nonneg(b):
        return _mul_nonneg(a, b)
    if _nonpos(a):
        return neg(mul(neg(a), b))
    if _nonpos(b):
        return neg(mul(a, neg(b)))
    # at least one interval has members of both signs; ends are kept closed
    if _nonneg(b):
        return Interval(_low_product(a.lo, b.hi), _high_product(a.hi, b.hi))
    if _nonneg(a):
        return Interval(_low_product(a.hi, b.lo), _high_product(a.hi, b.hi))
    lows = [_low_product(a.lo, b.hi), _low_product(a.hi, b.lo)]
    highs = [_high_product(a.lo, b.lo), _high_product(a.hi, b.hi)]
    return Interval(None if None in lows else min(lows), None if None in highs else max(highs))


def reciprocal(a: Interval) -> Interval:
    if _is_zero(a):
        raise _Undefined("division by zero")
    if _negative(a):
        return neg(reciprocal(neg(a)))
    if not _positive(a):
        raise _Unclear("a denominator may vanish")
    lo = arb(0) if a.hi is None else _down(1 / a.hi)
    hi = None if a.lo == 0 else _up(1 / a.lo)
    return Interval(lo, hi, a.hi is None or a.hi_open, a.lo_open)


def exp(a: Interval) -> Interval:
    lo = arb(0) if a.lo is None else _down(a.lo.exp())
    hi = None if a.hi is None else _up(a.hi.exp())
    return Interval(lo, hi, a.lo is None or a.lo_open, a.hi_open)


def log(a: Interval) -> Interval:
    if _nonpos(a):
        raise _Undefined("logarithm of a nonpositive number")
    if not _positive(a):
        raise _Unclear("a logarithm's argument may be nonpositive")
    lo = None if a.lo == 0 else _down(a.lo.log())
    hi = None if a.hi is None else _up(a.hi.log())
    return Interval(lo, hi, a.lo_open, a.hi_open)


def lambertw(a: Interval) -> Interval:
    """The principal branch W0 of Lambert's W, increasing on [-1/e, oo), where it is
    defined; an argument that may lie below -1/e makes the box split."""
    low = neg(exp(neg(ONE)))  # an enclosure of -1/e
    if a.hi is not None and a.hi < low.lo:
        raise _Undefined("LambertW of a number below -1/e")
    if a.lo is None or not a.lo > low.hi:
        raise _Unclear("a LambertW argument may lie below -1/e")
    lo = _down(a.lo.lambertw())
    hi = None if a.hi is None else _up(a.hi.lambertw())
    if lo is None or (a.hi is not None and hi is None):
        raise _Unclear("LambertW could not be enclosed")
    return Interval(lo, hi, a.lo_open, a.hi_open)


def _increasing(a: Interval, fn: Callable[[arb], arb],
                limits: tuple[Interval | None, Interval | None] = (None, None)) -> Interval:
    """fn over `a` for a strictly increasing `fn`: ends map to ends, open ends stay open;
    an infinite end maps to the enclosure `limits` gives of fn's limit there (approached,
    never attained), or stays infinite."""
    def image(end: arb | None, at: int) -> arb | None:
        if end is None:
            limit = limits[at]
            return None if limit is None else (limit.lo if at == 0 else limit.hi)
        value = fn(end)
        return _down(value) if at == 0 else _up(value)
    return Interval(image(a.lo, 0), image(a.hi, 1), a.lo_open or a.lo is None, a.hi_open or a.hi is None)


def _limits(f: functions.Elementary, sign: int) -> tuple[Interval | None, Interval | None]:
    """Enclosures of the limits of x -> f(sign * x) at -oo and +oo."""
    ends = f.limits if sign > 0 else (f.limits[1], f.limits[0])
    return tuple(None if e is None else compile_term(e, {})([]) for e in ends)


def _within(a: Interval, lo: arb, hi: arb) -> bool | None:
    """Whether every member of `a` lies in [lo, hi] (True), none does (False), or the
    interval cannot tell (None)."""
    if (a.hi is not None and (a.hi < lo or (a.hi == lo and a.hi_open))) or \
            (a.lo is not None and (a.lo > hi or (a.lo == hi and a.lo_open))):
        return False
    if a.lo is not None and a.hi is not None and a.lo >= lo and a.hi <= hi:
        return True
    return None


def _periodic(f: functions.Elementary, a: Interval) -> Interval:
    """sin or cos over `a`: arb's enclosure over the ball spanning it, within [-1, 1]."""
    unit = Interval(arb(-1), arb(1))
    if a.lo is None or a.hi is None:
        return unit
    return intersect(Interval.of(ball(f, a.lo.union(a.hi))), unit)


def elementary(f: functions.Elementary, a: Interval) -> Interval:
    """A function of `lawproof.language.functions` over `a`. Raises _Undefined when no member of
    `a` is in its domain, _Unclear when some may not be (a pole of tan, an argument of
    arcsin or arccos that may leave [-1, 1])."""
    if f.domain is not None:
        inside = _within(a, *(arb(int(e)) for e in f.domain))
        if inside is False:
            raise _Undefined(f"{f.name} of a number outside [{f.domain[0]}, {f.domain[1]}]")
        if inside is None:
            raise _Unclear(f"an argument of {f.name} may lie outside [{f.domain[0]}, {f.domain[1]}]")
    if f.node in (sympy.sin, sympy.cos):
        return _periodic(f, a)
    if f.node is sympy.tan:
        # no zero of cos on `a` (it is continuous): no pole, and tan increases on it
        if a.lo is None or a.hi is None or compare("!=", _periodic(functions.BY_NAME["cos"], a)) is not True:
            raise _Unclear("a pole of tan may lie in the box")
        return _increasing(a, arb.tan)
    if f.node is sympy.cosh:  # even, increasing from 0 where it is 1
        if _nonneg(a) or _nonpos(a):
            return _increasing(a if _nonneg(a) else neg(a), arb.cosh)
        top = None if a.lo is None or a.hi is None else _up(max(-a.lo, a.hi).cosh())
        return Interval(arb(1), top)
    if f.monotone > 0:
        return _increasing(a, lambda x: ball(f, x), _limits(f, 1))
    if f.monotone < 0:  # f(x) = g(-x) with g(y) = f(-y) increasing
        return _increasing(neg(a), lambda y: ball(f, -y), _limits(f, -1))
    raise _Unsupported(f.name)


def _monotone_power(a: Interval, k: int) -> Interval:
    """a^k for a >= 0, or for odd k; increasing, so ends map to ends."""
    lo = None if a.lo is None else _down(a.lo ** k)
    hi = None if a.hi is None else _up(a.hi ** k)
    return Interval(lo, hi, a.lo_open, a.hi_open)


def integer_power(a: Interval, k: int) -> Interval:
    if k == 0:
        return ONE  # 0^0 = 1, as in exact evaluation
    if k < 0:
        return reciprocal(integer_power(a, -k))
    if k % 2 == 1 or _nonneg(a):
        return _monotone_power(a, k)
    if _nonpos(a):
        return _monotone_power(neg(a), k)
    top = None if a.lo is None or a.hi is None else _up(max(-a.lo, a.hi) ** k)
    return Interval(arb(0), top)


def _contains_integer(v: Interval) -> bool:
    if v.lo is None or v.hi is None:
        return True
    return v.lo.ceil() <= v.hi.floor()


def power(base: Interval, ex: Interval) -> Interval:
    """base^ex with the exponent an interval; an integer exponent takes the integer
    power (defined for negative bases), any other needs base >= 0 (> 0 if ex < 0)."""
    if ex.lo is not None and ex.lo == ex.hi and ex.lo.is_integer():
        return integer_power(base, int(ex.lo.unique_fmpz()))
    if _positive(base):
        return exp(mul(ex, log(base)))
    if _negative(base):
        if _contains_integer(ex):
            raise _Unclear("a negative base with an exponent that may be an integer")
        raise _Undefined("non-integer power of a negative number")
    if _is_zero(base):
        if _positive(ex):
            return ZERO
        if _negative(ex):
            raise _Undefined("zero to a negative power")
        raise _Unclear("zero to an exponent that may be 0")
    if _nonneg(base) and _positive(ex):
        if base.hi is None:
            return Interval(arb(0), None)
        top = exp(mul(ex, log(Interval(base.hi, base.hi))))
        return Interval(arb(0), top.hi, False, top.hi_open)
    raise _Unclear("a real power of a base that may be negative")


def _positive_base(b: Interval) -> Interval:
    """The base of a power with a symbolic exponent, which is defined only where it is
    positive: `b` itself when it certainly is."""
    if _positive(b):
        return b
    if _nonpos(b):
        raise _Undefined("a power with a symbolic exponent of a nonpositive number")
    raise _Unclear("a power with a symbolic exponent of a base that may be 0")


def absolute(a: Interval) -> Interval:
    if _nonneg(a):
        return a
    if _nonpos(a):
        return neg(a)
    top = None if a.lo is None or a.hi is None else max(-a.lo, a.hi)
    return Interval(arb(0), top)


def step(a: Interval, down: bool) -> Interval:
    """floor (`down`) or ceil of every member of `a`: both are nondecreasing, so the
    ends map to the ends (closed: an open end's image may be attained)."""
    def end(x: arb | None) -> arb | None:
        return None if x is None else (x.floor() if down else x.ceil())
    return Interval(end(a.lo), end(a.hi))


def _extreme(values: list[Interval], smallest: bool) -> Interval:
    """Min (or max) of intervals, endpoint-wise; ends kept closed."""
    los, his = [v.lo for v in values], [v.hi for v in values]
    if smallest:
        lo = None if None in los else min(los)
        finite = [h for h in his if h is not None]
        hi = min(finite) if finite else None
    else:
        finite = [x for x in los if x is not None]
        lo = max(finite) if finite else None
        hi = None if None in his else max(his)
    return Interval(lo, hi)


def intersect(a: Interval, b: Interval) -> Interval:
    """The tighter end of two enclosures of the same set."""
    if a.lo is None or (b.lo is not None and (b.lo > a.lo or (b.lo == a.lo and b.lo_open))):
        lo, lo_open = b.lo, b.lo_open
    else:
        lo, lo_open = a.lo, a.lo_open
    if a.hi is None or (b.hi is not None and (b.hi < a.hi or (b.hi == a.hi and b.hi_open))):
        hi, hi_open = b.hi, b.hi_open
    else:
        hi, hi_open = a.hi, a.hi_open
    return Interval(lo, hi, lo_open, hi_open)


# --- terms compiled to interval functions ------------------------------------------

Env = list[Interval]
Term = Callable[[Env], Interval]



def _fold(fs: list[Term], op: Callable[[Interval, Interval], Interval]) -> Term:
    def run(env: Env) -> Interval:
        acc = fs[0](env)
        for f in fs[1:]:
            acc = op(acc, f(env))
        return acc
    return run


def _constant(expr: sympy.Expr) -> Term:
    if expr.is_Rational:
        value = Interval.of(arb(fmpq(int(expr.p), int(expr.q))))
    elif expr is sympy.pi:
        value = Interval.of(arb.pi())
    elif expr is sympy.E:
        value = Interval.of(arb.const_e())
    else:
        raise _Unsupported(f"the constant {sympy.sstr(expr)}")
    return lambda env: value


def compile_term(expr: sympy.Expr, index: dict[sympy.Symbol, int]) -> Term:
    """`expr` as a function from intervals of the symbols (positions in `index`) to
    an enclosure of its range. The function raises _Undefined / _Unclear.
    Raises _Unsupported for a node it does not know."""
    if expr.is_Symbol:
        if expr not in index:
            raise _Unsupported(f"the symbol {expr} has no range")
        i = index[expr]
        return lambda env: env[i]
    if expr in (sympy.oo, -sympy.oo):
        # no value here, not an undefined one: the symbolic layer decides comparisons with oo
        raise _Unsupported(f"the term contains {expr}")
    if expr in (sympy.nan, sympy.zoo):
        def undefined(env: Env) -> Interval:
            raise _Undefined(f"the term contains {expr}")
        return undefined
    if expr.is_Atom:
        return _constant(expr)
    if isinstance(expr, sympy.Add):
        return _fold([compile_term(a, index) for a in expr.args], add)
    if isinstance(expr, sympy.Mul):
        return _fold([compile_term(a, index) for a in expr.args], mul)
    if isinstance(expr, sympy.Pow):
        base = compile_term(expr.base, index)
        if expr.exp.is_Integer:
            k = int(expr.exp)
            return lambda env: integer_power(base(env), k)
        ex = compile_term(expr.exp, index)
        if not expr.exp.is_number and not expr.exp.is_integer:
            # a symbolic exponent needs a positive base (docs/semantics.md), even where
            # its value is a positive number (0^alpha at alpha = 1/2 is still undefined)
            return lambda env: power(_positive_base(base(env)), ex(env))
        return lambda env: power(base(env), ex(env))
    unary = {sympy.exp: exp, sympy.log: log, sympy.Abs: absolute, sympy.LambertW: lambertw}
    if type(expr) in unary and len(expr.args) == 1:
        fn, arg = unary[type(expr)], compile_term(expr.args[0], index)
        return lambda env: fn(arg(env))
    f = functions.of(expr)
    if f is not None:
        arg = compile_term(expr.args[0], index)
        return lambda env: elementary(f, arg(env))
    if isinstance(expr, (sympy.Min, sympy.Max)):
        args = [compile_term(a, index) for a in expr.args]
        smallest = isinstance(expr, sympy.Min)
        return lambda env: _extreme([a(env) for a in args], smallest)
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        arg, down = compile_term(expr.args[0], index), isinstance(expr, sympy.floor)
        return lambda env: step(arg(env), down)
    raise _Unsupported(f"{type(expr).__name__} (in {sympy.sstr(expr)})")


# --- boxes ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """One side of a box: rational ends (None = infinite) and the anchor `a` of the
    change of variables `t = a + u/(1-u)` used to split an unbounded side."""

    lo: Fraction | None
    hi: Fraction | None
    lo_open: bool = False
    hi_open: bool = False
    anchor: Fraction = Fraction(0)

    @property
    def degenerate(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    @property
    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def width(self) -> Fraction | None:
        """None for an infinite side."""
        return None if self.lo is None or self.hi is None else self.hi - self.lo

    def interval(self) -> Interval:
        lo = hi = None
        if self.lo is not None:
            lo = Interval.point(self.lo).lo
        if self.hi is not None:
            hi = Interval.point(self.hi).hi
        return Interval(lo, hi, self.lo_open, self.hi_open)

    def split_point(self) -> Fraction:
        """Where to cut: the simplest dyadic of the middle half of a bounded side; the
        image of u's midpoint for an unbounded one."""
        if self.lo is not None and self.hi is not None:
            return _simplest_dyadic(self.lo + (self.hi - self.lo) / 4, self.hi - (self.hi - self.lo) / 4,
                                    (self.lo + self.hi) / 2)
        if self.lo is not None:
            return self.anchor + 2 * (self.lo - self.anchor) + 1
        if self.hi is not None:
            return self.anchor - 2 * (self.anchor - self.hi) - 1
        return self.anchor

    def halves(self) -> tuple["Side", "Side"]:
        c = self.split_point()
        return replace(self, hi=c, hi_open=False), replace(self, lo=c, lo_open=False)

    def __str__(self) -> str:
        left = "(" if self.lo_open or self.lo is None else "["
        right = ")" if self.hi_open or self.hi is None else "]"
        lo = "-oo" if self.lo is None else str(self.lo)
        hi = "oo" if self.hi is None else str(self.hi)
        return f"{left}{lo}, {hi}{right}"


def _simplest_dyadic(lo: Fraction, hi: Fraction, near: Fraction) -> Fraction:
    """The dyadic rational in [lo, hi] with the coarsest step 2^k, the one nearest
    `near` among those."""
    def fits(k: int) -> bool:
        step = Fraction(2) ** k
        return math.ceil(lo / step) <= math.floor(hi / step)

    # "a multiple of 2^k lies in [lo, hi]" holds for every k up to the coarsest one and
    # for none above it, and holds once 2^k <= hi - lo: a binary search between those
    # finds the coarsest step in a few tests even for a side 2^-1000 wide (a linear
    # scan down from the top would cost one test per binary digit).
    top = math.ceil(max(abs(lo), abs(hi), Fraction(1))).bit_length() + 1
    width = hi - lo
    bottom = width.numerator.bit_length() - width.denominator.bit_length()
    if Fraction(2) ** bottom > width:
        bottom -= 1
    bottom = min(bottom, top)
    if fits(top):
        k = top
    else:
        while top - bottom > 1:  # fits(bottom), not fits(top)
            mid = (top + bottom) // 2
            bottom, top = (mid, top) if fits(mid) else (bottom, mid)
        k = bottom
    step = Fraction(2) ** k
    first, last = math.ceil(lo / step), math.floor(hi / step)
    n = min(max(round(near / step), first), last)
    return n * step


Box = tuple[Side, ...]


#: Nodes SymPy's derivatives bring in that exact evaluation does not know (d/dx |x| is
#: sign(x)): a derivative with one is never checked for an exact zero.
_NOT_EXACT = (sympy.sign, sympy.Heaviside, sympy.DiracDelta, sympy.Derivative, sympy.Subs)

#: Irrational bounds of a premise cutting through a box, by variable: the bound's
#: enclosure, its closed term, and whether it is an upper bound (Prover._guard_clip).
Clip = dict[int, tuple["Interval", sympy.Expr, bool]]

#: The relation of -lhs to -rhs for each relation of lhs to rhs.
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _sign(v: Interval) -> int:
    """+1 or -1 when every member of `v` has that sign, else 0."""
    return 1 if _positive(v) else (-1 if _negative(v) else 0)


def _hull(side: Side) -> arb:
    """The closed side as one arb ball (its ends included, open or not)."""
    v = side.interval()
    return v.lo.union(v.hi)


def _box_text(symbols: list[sympy.Symbol], box: Box) -> str:
    return ", ".join(f"{s} in {side}" for s, side in zip(symbols, box))


# --- the claim as a quantifier-free matrix over a box -----------------------------------

@dataclass
class _Setup:
    symbols: list[sympy.Symbol] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)


def _number(value: sympy.Expr) -> Interval:
    try:
        return compile_term(value, {})([])
    except (_Undefined, _Unclear, _Unsupported) as e:
        raise OutsideFragment(f"the domain bound {sympy.sstr(value)} cannot be enclosed ({e})") from e


def _side(symbol: sympy.Symbol, domain: Domain) -> tuple[Side, list[Atom]]:
    """The box side for a domain, and guards: the domain constraints that stay in the
    formula because a bound is not rational. A bound that mentions other symbols gives
    an infinite side, an irrational one a rational side just outside it."""
    if domain.integer:
        raise OutsideFragment(f"{symbol} ranges over integers; the interval prover covers real boxes")
    ends: list[Fraction | None] = []
    rational: list[bool] = []
    guards: list[Atom] = []
    for bound, lower, is_open in ((domain.lo, True, domain.lo_open), (domain.hi, False, domain.hi_open)):
        rational.append(bound.is_Rational or bound in (sympy.oo, -sympy.oo))
        if bound in (sympy.oo, -sympy.oo):
            ends.append(None)
            continue
        if bound.is_Rational:
            ends.append(Fraction(int(bound.p), int(bound.q)))
            continue
        op = "<" if is_open else "<="
        guards.append(Atom(op, bound, symbol) if lower else Atom(op, symbol, bound))
        if bound.free_symbols:
            ends.append(None)
        else:
            v = _number(bound)
            end = v.lo if lower else v.hi
            ends.append(None if end is None else _fraction(end))
    lo, hi = ends
    anchor = lo if lo is not None else (hi if hi is not None else Fraction(0))
    return Side(lo, hi, domain.lo_open and rational[0], domain.hi_open and rational[1], anchor), guards


def _add_variable(setup: _Setup, symbol: sympy.Symbol, side: Side) -> None:
    setup.symbols.append(symbol)
    setup.sides.append(side)
    setup.taken.add(symbol.name)


def _pull(f: Formula, positive: bool, setup: _Setup) -> Formula:
    """`f` with its quantifiers moved out into the box: universal ones in positive
    position and existential ones in negative position (both mean "for all").
    Sound because every box side is nonempty and bound names are made fresh."""
    if isinstance(f, (Truth, Atom)):
        return f
    if isinstance(f, Not):
        return Not(_pull(f.arg, not positive, setup))
    if isinstance(f, And):
        return And(tuple(_pull(a, positive, setup) for a in f.args))
    if isinstance(f, Or):
        return Or(tuple(_pull(a, positive, setup) for a in f.args))
    if isinstance(f, Implies):
        return Implies(_pull(f.lhs, not positive, setup), _pull(f.rhs, positive, setup))
    if isinstance(f, Iff):
        if any(isinstance(n, Quantified) for n in f.walk()):
            raise OutsideFragment("a quantifier under <-> cannot be moved out; the interval prover "
                                  "needs every quantifier universal")
        return f
    if isinstance(f, Quantified):
        if (f.kind == "forall") != positive:
            raise OutsideFragment("the claim has an existential quantifier; the interval prover "
                                  "proves universally quantified claims only")
        sub: dict[sympy.Symbol, sympy.Symbol] = {}
        for b in f.binders:
            name = b.symbol.name
            while name in setup.taken:
                name += "_"
            if name != b.symbol.name:
                sub[b.symbol] = sympy.Symbol(name, real=True)
        guards: list[Atom] = []
        sides = []
        for b in f.binders:
            side, more = _side(b.symbol, b.map_exprs(lambda e: e.xreplace(sub)).domain)
            if side.empty:
                return Truth(positive)  # a quantifier over an empty set is vacuous
            sides.append(side)
            guards += [g.map_exprs(lambda e: e.xreplace(sub)) for g in more]
        for b, side in zip(f.binders, sides):
            _add_variable(setup, sub.get(b.symbol, b.symbol), side)
        body = _pull(f.body.map_exprs(lambda e: e.xreplace(sub)), positive, setup)
        if not guards:
            return body
        return Implies(conj(guards), body) if positive else conj(guards + [body])
    raise OutsideFragment(f"{type(f).__name__} must be desugared before the interval prover")


def _tighten(side: Side, op: str, c: Fraction, symbol_left: bool) -> Side:
    """The side intersected with `x op c` (or `c op x`)."""
    if not symbol_left:
        op = _FLIPPED[op]
    lo, hi, lo_open, hi_open = side.lo, side.hi, side.lo_open, side.hi_open
    if op in (">", ">=", "=") and (lo is None or c > lo or (c == lo and op == ">")):
        lo, lo_open = c, op == ">"
    if op in ("<", "<=", "=") and (hi is None or c < hi or (c == hi and op == "<")):
        hi, hi_open = c, op == "<"
    return replace(side, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open)


def _restrict_by_premise(matrix: Formula, setup: _Setup) -> None:
    """Shrink the box by premise conjuncts `x op c` with c rational: outside them the
    claim holds vacuously. The premise stays in the matrix."""
    parts: list[Formula] = []
    while isinstance(matrix, Implies):
        parts += matrix.lhs.args if isinstance(matrix.lhs, And) else [matrix.lhs]
        matrix = matrix.rhs
    for p in parts:
        if not isinstance(p, Atom) or p.op == "!=":
            continue
        for var, c, left in ((p.lhs, p.rhs, True), (p.rhs, p.lhs, False)):
            if var in setup.symbols and c.is_Rational:
                i = setup.symbols.index(var)
                setup.sides[i] = _tighten(setup.sides[i], p.op, Fraction(int(c.p), int(c.q)), left)


# --- the prover ------------------------------------------------------------------------

@dataclass
class CoverBox:
    """One box of a proof (a side per variable) and why the claim holds on it:
    `(atom, form, enclosure of lhs - rhs, truth)` for every atom the decision used."""

    sides: Box
    reasons: list[tuple[str, str, str, bool]]


@dataclass
class IntervalResult:
    """What the interval prover found.

    status: "proved" (every box of `cover` satisfies the claim), "violation" (`point`,
    exact rationals for the variables of `matrix`, falsifies `matrix` by interval
    arithmetic and at 50 digits: a candidate for the exact re-check), or "unknown"
    (the box budget ran out, or the CPU-time safety net fired; `detail` says where).
    `matrix` is the claim with its quantifiers moved into the box: false at a point
    of the box exactly when the claim fails there (with witnesses for inner
    universal variables).
    """

    status: str
    detail: str
    formula: Formula
    matrix: Formula
    symbols: list[sympy.Symbol]
    root: Box
    cover: list[CoverBox] = field(default_factory=list)
    point: dict[sympy.Symbol, Fraction] | None = None
    boxes: int = 0
    seconds: float = 0.0
    #: the box budget or the safety net ended the search before it reached an end (a
    #: larger budget could end it otherwise); a search that ended by itself ends the same
    #: way under any larger budget, since the boxes are examined in a fixed order
    stopped: bool = False

    def certificate(self) -> str:
        """The proof as text: the claim, the box, and every box of the cover with the
        enclosures that decide it. Deterministic (no timings)."""
        lines = [
            "lawproof interval certificate",
            f"method: branch and bound, interval arithmetic with arb endpoints rounded outward "
            f"(python-flint {flint.__version__}, {PREC} bits); enclosures: plain, monotone "
            "(derivative sign), mean value, Taylor forms with Lagrange remainder (forward-mode AD on "
            "arb balls; exact zeros at tangency points; remainder over a whole unbounded tail)",
            f"claim: {to_text(self.formula)}",
            f"matrix: {to_text(self.matrix)}",
            f"box: {_box_text(self.symbols, self.root)}",
            "unbounded sides are split through t = a + u/(1-u), u in [0, 1): the last box keeps its "
            "infinite end",
            f"status: {self.status} ({self.detail})",
            f"cover: {len(self.cover)} boxes",
        ]
        for i, c in enumerate(self.cover, 1):
            lines.append(f"box {i}: {_box_text(self.symbols, c.sides)}")
            for atom, form, enc, truth in c.reasons:
                lines.append(f"  {atom}  [{form}] lhs - rhs in {enc}: {'true' if truth else 'false'}")
        return "\n".join(lines) + "\n"


@dataclass
class _CompiledAtom:
    lhs: Term
    rhs: Term
    difference: sympy.Expr
    variables: list[int]
    derivatives: dict[int, Term | None] = field(default_factory=dict)
    #: lhs - rhs as a function of truncated series (numeric/taylor.py); None when it has
    #: a node without derivatives (floor, ceiling)
    series: SeriesTerm | None = None
    #: d^j/dx_i^j (lhs - rhs), by (i, j): exact checks at tangency points, tails
    exact_derivatives: dict[tuple[int, int], sympy.Expr] = field(default_factory=dict)
    #: whether d^j/dx_i^j (lhs - rhs) is exactly 0 at a point, by (i, j, point)
    exact_zeros: dict[tuple, bool] = field(default_factory=dict)
    #: the same divided by j!, as interval functions (None: not compilable)
    higher_terms: dict[tuple[int, int], Term | None] = field(default_factory=dict)
    #: the atom as text, for certificates
    text: str = ""
    #: other forms of lhs - rhs (Prover._variants), compiled when first needed
    variants: list | None = None
    #: d/dx_i of the slope in x_i (for the second-order form of a slope)
    curvatures: dict[int, Term | None] = field(default_factory=dict)
    slopes: dict[int, sympy.Expr] = field(default_factory=dict)


#: Numerators and denominators above this are not tried as exact tangency points: a
#: cost cut, not a guard (exact evaluation refuses powers too large to build, see
#: sizes.power_bits). Tangency points are short rationals (1, 1/2); a deep box end such
#: as k/2^72 is not one, and the prover meets thousands of those on a claim like x^x >= c.
EXACT_ZERO_MAX = 2**20
#: The highest order of the Taylor forms (numeric/taylor.py): a fixed amount of work per
#: box (four series of this length per variable), not a budget that ends a search.
TAYLOR_ORDER = 6
#: A Taylor coefficient at a tangency point is checked for an exact zero only when its
#: ball is this narrow (a wider one comes from a genuinely nonzero value).
EXACT_ZERO_RADIUS = arb(2) ** -64
#: The highest order of the Taylor form on a tail [a, oo) of an unbounded side, whose
#: derivatives are SymPy's (each order one more differentiation, done once per claim).
TAIL_ORDER = 4


def _offset(side: Side, p: Fraction) -> Interval:
    """x - p for x on the side (p one of its points): exact where the side's ends are."""
    lo = None if side.lo is None else Interval.point(side.lo - p).lo
    hi = None if side.hi is None else Interval.point(side.hi - p).hi
    return Interval(lo, hi, side.lo_open, side.hi_open)


def _taylor_forms(point: list[Interval], over: list[Interval], offset: Interval, top: int) -> Interval | None:
    """The intersection over k = 1 .. top of the Taylor forms
    sum_{j<k} point[j] offset^j + over[k] offset^k (None when none can be evaluated)."""
    best: Interval | None = None
    partial = ZERO
    power = ONE  # offset^k
    try:
        for k in range(1, min(top + 1, len(over), len(point) + 1)):
            partial = add(partial, mul(point[k - 1], power))
            power = integer_power(offset, k)
            form = add(partial, mul(over[k], power))
            best = form if best is None else intersect(best, form)
    except (_Undefined, _Unclear):
        pass
    return best


class _Prover:
    def __init__(self, matrix: Formula, symbols: list[sympy.Symbol]) -> None:
        self.matrix = matrix
        self.symbols = symbols
        self.index = {s: i for i, s in enumerate(symbols)}
        self.atoms: dict[Atom, _CompiledAtom] = {}
        for node in matrix.walk():
            if isinstance(node, Atom) and node not in self.atoms:
                try:
                    self.atoms[node] = _CompiledAtom(
                        compile_term(node.lhs, self.index), compile_term(node.rhs, self.index),
                        node.lhs - node.rhs,
                        sorted(self.index[s] for s in (node.lhs.free_symbols | node.rhs.free_symbols)))
                except _Unsupported as e:
                    raise OutsideFragment(f"the interval prover does not support {e}") from e
                try:
                    self.atoms[node].series = compile_series(node.lhs - node.rhs, self.index)
                except _NoSeries:
                    pass

    # three-valued truth on a box
    def truth(self, f: Formula, box: Box, env: Env, why: list, clip: "Clip | None" = None) -> bool | None:
        """Kleene truth of `f` on the box; with `clip`, on the part of the box inside the
        irrational bounds `clip` gives (see `_guard_clip`)."""
        if isinstance(f, Truth):
            return f.value
        if isinstance(f, Atom):
            return self.atom_truth(f, box, env, why, clip)
        if isinstance(f, Not):
            return _kleene_not(self.truth(f.arg, box, env, why, clip))
        if isinstance(f, And):
            return _kleene_and(self.truth(a, box, env, why, clip) for a in f.args)
        if isinstance(f, Or):
            return _kleene_or(self.truth(a, box, env, why, clip) for a in f.args)
        if isinstance(f, Implies):
            inner = self._guard_clip(f.lhs, box, env) if clip is None else None
            if inner and self.truth(f.rhs, box, env, why, inner) is True:
                return True  # the body holds wherever the guard does: the rest is vacuous
            return self.truth(Or((Not(f.lhs), f.rhs)), box, env, why, clip)
        if isinstance(f, Iff):
            a, b = self.truth(f.lhs, box, env, why, clip), self.truth(f.rhs, box, env, why, clip)
            return None if a is None or b is None else a == b
        raise TypeError(type(f).__name__)

    def _guard_clip(self, guard: Formula, box: Box, env: Env) -> "Clip":
        """The irrational bounds (x <= pi/2) among the conjuncts of a premise that cut
        through the box: by variable, the bound, its closed term and whether it is an
        upper one. The box's rational side ends just outside such a bound (`_side`), so a
        claim that touches at the bound (sin(x) >= 2x/pi at pi/2) is decided only on the
        part of the box inside it."""
        clip: Clip = {}
        for g in guard.args if isinstance(guard, And) else (guard,):
            if not isinstance(g, Atom) or g.op not in ("<", "<=") or (g.lhs.free_symbols and g.rhs.free_symbols):
                continue
            upper = g.lhs in self.index
            symbol, bound = (g.lhs, g.rhs) if upper else (g.rhs, g.lhs)
            if symbol not in self.index or bound.free_symbols or bound.is_Rational:
                continue
            i = self.index[symbol]
            try:
                value = compile_term(bound, {})([])
            except (_Undefined, _Unclear, _Unsupported):
                continue
            if compare(">", add(value, neg(env[i]))) is None:  # the bound lies inside the side
                clip[i] = (value, bound, upper)
        return clip

    def _difference(self, c: _CompiledAtom, env: Env) -> Interval:
        return add(c.lhs(env), neg(c.rhs(env)))

    def atom_truth(self, a: Atom, box: Box, env: Env, why: list, clip: "Clip | None" = None) -> bool | None:
        c = self.atoms[a]
        if not c.text:  # printed once: SymPy's printer is slow
            c.text = f"{sympy.sstr(a.lhs)} {a.op} {sympy.sstr(a.rhs)}"
        if clip and any(i in clip for i in c.variables):
            return self._clipped_truth(a, c, box, env, why, clip)
        try:
            g, form, t = self._enclosure(c, a.op, box, env)
        except _Undefined as e:
            why.append((c.text, f"undefined: {e}", "-", False))
            return False
        except _Unclear:
            return None
        # lhs - rhs is defined on the whole box: another form of it that equals it
        # wherever both are defined may decide instead
        for name, other, denominator in ([] if t is not None else self._variants(c)):
            try:
                sign = 1 if denominator is None else _sign(denominator(env))
                if sign == 0:
                    continue
                op = a.op if sign > 0 else _FLIPPED[a.op]
                g, form, t = self._enclosure(other, op, box, env)
            except (_Undefined, _Unclear):
                continue
            if t is not None:
                form = f"{name}: {form}"
                break
        if t is not None:
            why.append((c.text, form, str(g), t))
        return t

    def _clipped_truth(self, a: Atom, c: _CompiledAtom, box: Box, env: Env, why: list, clip: "Clip") -> bool | None:
        """The truth of the atom on the part of the box inside the bounds of `clip`, or None:
        the plain enclosure over the side cut at the bound's ball, then (one variable)
        the Taylor form centred at the bound itself, whose coefficients there are checked
        for exact zeros symbolically (sin(pi/2) - 2 (pi/2)/pi is 0)."""
        cut = list(env)
        for i, (value, _, upper) in clip.items():
            cut[i] = intersect(env[i], Interval(None, value.hi) if upper else Interval(value.lo, None))
        try:
            g = self._difference(c, cut)
        except (_Undefined, _Unclear):
            return None
        t, form = compare(a.op, g), "plain, inside the premise's irrational bound"
        moving = [i for i in c.variables if not box[i].degenerate]
        if t is None and len(moving) == 1 and moving[0] in clip and c.series is not None:
            i = moving[0]
            value, bound, upper = clip[i]
            found = self._taylor_at_bound(c, box, cut, i, value, bound, upper)
            if found is not None:
                g, form = intersect(g, found), f"taylor in {self.symbols[i]} at the bound {sympy.sstr(bound)} " \
                    "of the premise (derivatives by forward-mode AD on arb balls)"
                t = compare(a.op, g)
        if t is not None:
            why.append((c.text, form, str(g), t))
        return t

    def _taylor_at_bound(self, c: _CompiledAtom, box: Box, cut: Env, i: int, value: Interval, bound: sympy.Expr,
                         upper: bool) -> Interval | None:
        """The Taylor forms in x_i centred at the irrational bound, over the side cut there
        (x_i - bound in [lo - bound, 0] for an upper bound)."""
        if cut[i].lo is None or cut[i].hi is None:
            return None
        hull = self._balls(c, box)
        hull[i] = cut[i].lo.union(cut[i].hi)
        centre = value.lo.union(value.hi)
        try:
            over = coefficients(c.series, hull, i, hull[i], TAYLOR_ORDER)
            at = coefficients(c.series, hull, i, centre, TAYLOR_ORDER)
        except NotSmooth:
            return None
        zeros = 0
        point = {self.symbols[j]: sympy.Rational(box[j].lo.numerator, box[j].lo.denominator)
                 for j in c.variables if j != i}
        point[self.symbols[i]] = bound
        for j, ball_j in enumerate(at[:-1]):
            # an exact zero: SymPy's own evaluation of the derivative at the bound
            if not (ball_j.contains(0) and ball_j.rad() < EXACT_ZERO_RADIUS) or \
                    self._derivative_expr(c, i, j).xreplace(point) != 0:
                break
            zeros += 1
        side = cut[i]
        offset = add(side, neg(value))
        offset = Interval(offset.lo, ZERO.hi, side.lo_open) if upper else Interval(ZERO.lo, offset.hi, False, side.hi_open)
        top = min(zeros + 2, TAYLOR_ORDER)
        points = [ZERO if j < zeros else Interval.of(v) for j, v in enumerate(at[:top])]
        return _taylor_forms(points, [Interval.of(v) for v in over[:top + 1]], offset, top)

    def _enclosure(self, c: _CompiledAtom, op: str, box: Box, env: Env) -> tuple[Interval, str, bool | None]:
        """An enclosure of lhs - rhs on the box, the forms that gave it, and what it says
        of `lhs op rhs`: the plain enclosure first, the others only while it cannot tell.
        Raises _Undefined / _Unclear as the plain enclosure does."""
        g = self._difference(c, env)
        t, form = compare(op, g), "plain"
        moving = any(not box[i].degenerate for i in c.variables)
        if t is None and moving:
            g, form = self._refined(c, box, env, g)
            t = compare(op, g)
        if t is None and moving:
            found = self._taylor(c, box)
            if found is not None:
                g, form = intersect(g, found[0]), f"{form}; {found[1]}"
                t = compare(op, g)
        return g, form, t

    def _variants(self, c: _CompiledAtom) -> list[tuple[str, "_CompiledAtom", Term | None]]:
        """Other forms of lhs - rhs, compiled once: SymPy's expansion when it is shorter
        (exp(x + y) - exp(x) exp(y) is 0), and numerator over denominator (sin(x)/x - 1
        is (sin(x) - x)/x, whose numerator is smooth at 0), with the denominator's term:
        where that has one sign on a box, the numerator's sign decides."""
        if c.variants is None:
            c.variants = []
            expanded = sympy.expand(c.difference)
            if expanded != c.difference and sympy.count_ops(expanded) < sympy.count_ops(c.difference):
                self._add_variant(c, "expanded", expanded, None)
            numerator, denominator = sympy.fraction(sympy.together(c.difference))
            if denominator.free_symbols:
                self._add_variant(c, "numerator over a denominator of one sign", numerator, denominator)
        return c.variants

    def _add_variant(self, c: _CompiledAtom, name: str, expr: sympy.Expr, denominator: sympy.Expr | None) -> None:
        try:
            other = _CompiledAtom(compile_term(expr, self.index), lambda env: ZERO, expr,
                                  sorted(self.index[s] for s in expr.free_symbols))
            den = None if denominator is None else compile_term(denominator, self.index)
        except _Unsupported:
            return
        try:
            other.series = compile_series(expr, self.index)
        except _NoSeries:
            pass
        c.variants.append((name, other, den))

    def _derivative(self, c: _CompiledAtom, i: int, env: Env) -> Interval | None:
        if i not in c.derivatives:
            if c.difference.has(sympy.floor, sympy.ceiling):
                # a step function jumps: no slope bounds its change (SymPy's derivative of
                # floor would be read as 0 by the monotone and mean-value forms)
                c.derivatives[i] = None
                return None
            try:
                # common factors pulled out: b*log(2)*(2**(b*t) - 1) has a visible sign,
                # b*log(2)*2**(b*t) - b*log(2) has not
                c.slopes[i] = sympy.factor_terms(sympy.diff(c.difference, self.symbols[i]))
                c.derivatives[i] = compile_term(c.slopes[i], self.index)
            except _Unsupported:
                c.derivatives[i] = None
        d = c.derivatives[i]
        if d is None:
            return None
        try:
            return d(env)
        except (_Undefined, _Unclear):
            return None

    def _slope(self, c: _CompiledAtom, i: int, box: Box, env: Env) -> Interval | None:
        """The enclosure of d/dx_i (lhs - rhs) on the box, tightened by its own
        monotone form where it has no sign: where d2/dx_i^2 has one on the box, the
        slope lies between its values at the two ends of side i (the mean value
        theorem once more). That signs the slope next to a tangency point, where lhs -
        rhs and its slope both vanish (exp(x) <= 1 + x + x^2 at 0)."""
        d = self._derivative(c, i, env)
        side = box[i]
        if d is None or _nonneg(d) or _nonpos(d) or side.width() is None:
            return d
        if i not in c.curvatures:
            try:
                c.curvatures[i] = compile_term(sympy.factor_terms(sympy.diff(c.slopes[i], self.symbols[i])),
                                               self.index)
            except _Unsupported:
                c.curvatures[i] = None
        curve = c.curvatures[i]
        try:
            bend = None if curve is None else curve(env)
            if bend is None or not (_nonneg(bend) or _nonpos(bend)):
                return d
            ends = []
            for end in (side.lo, side.hi):  # the slope is defined, so continuous, up to each end
                at = list(env)
                at[i] = Interval.point(end)
                ends.append(c.derivatives[i](at))
        except (_Undefined, _Unclear):
            return d
        first, last = ends if _nonneg(bend) else ends[::-1]
        return intersect(d, Interval(first.lo, last.hi))

    def _refined(self, c: _CompiledAtom, box: Box, env: Env, g: Interval) -> tuple[Interval, str]:
        """The plain enclosure intersected with the monotone and mean-value forms."""
        moving = [i for i in c.variables if not box[i].degenerate]
        slopes = {i: self._slope(c, i, box, env) for i in moving}
        forms = []
        for lower in (True, False):
            found = self._monotone_bound(c, box, env, slopes, lower)
            if found is not None:
                v, notes = found
                bound = Interval(v.lo, None, v.lo_open) if lower else Interval(None, v.hi, False, v.hi_open)
                g = intersect(g, bound)
                forms.append(f"monotone ({'lower' if lower else 'upper'} bound): " + ", ".join(notes))
        bounded = [i for i in moving if box[i].width() is not None]
        if bounded and all(slopes[i] is not None for i in bounded):
            centre = list(env)
            mids = {}
            for i in bounded:
                mids[i] = (box[i].lo + box[i].hi) / 2
                centre[i] = Interval.point(mids[i])
            try:
                mv = self._difference(c, centre)
                for i in bounded:
                    offset = add(env[i], neg(Interval.point(mids[i])))
                    mv = add(mv, mul(slopes[i], offset))
                g = intersect(g, mv)
                forms.append("mean value")
            except (_Undefined, _Unclear):
                pass
        return g, "; ".join(forms) or "plain"

    def _taylor(self, c: _CompiledAtom, box: Box) -> tuple[Interval, str] | None:
        """Taylor forms with Lagrange remainder in each moving variable x_i, centred at p (an
        end or the middle of side i), the other variables over their sides:

            lhs - rhs = sum_{j<k} c_j(p) (x_i - p)^j + c_k(xi) (x_i - p)^k,

        c_j = d^j/dx_i^j (lhs - rhs) / j!, xi between p and x_i, so c_k(xi) lies in the
        enclosure of c_k over the whole side; every order k up to the highest is used
        and the results intersected. On a bounded box the coefficients come from
        forward-mode AD on arb balls (numeric/taylor.py), up to TAYLOR_ORDER; at an end
        where lhs - rhs and its first derivatives vanish (a tangency point) the
        coefficients whose balls straddle 0 are checked for an exact zero (one variable,
        short rational points), and the first nonzero order decides the sign: a strict
        local extremum certified by its remainder. On a side with one infinite end (the
        tail of an unbounded domain) the form is centred at its finite end, with the
        remainder enclosed over the whole tail by interval arithmetic on SymPy's
        derivatives, up to TAIL_ORDER: where the remainder has a sign on the tail and the
        lower coefficients at the end agree with it, lhs - rhs keeps that sign to
        infinity. None when no form applies (lhs - rhs not smooth on the closed box)."""
        moving = [i for i in c.variables if not box[i].degenerate]
        if any(box[i].lo is None and box[i].hi is None for i in moving):
            return None
        best: Interval | None = None
        names: set[str] = set()
        for i in moving:
            found = self._ad_forms(c, box, moving, i) if all(box[j].width() is not None for j in moving) \
                else self._tail_forms(c, box, i)
            if found is not None:
                best = found[0] if best is None else intersect(best, found[0])
                names.add(found[1])
        if best is None:
            return None
        return best, "; ".join(sorted(names))

    def _ad_forms(self, c: _CompiledAtom, box: Box, moving: list[int], i: int) -> tuple[Interval, str] | None:
        """The Taylor forms in x_i on a bounded box, coefficients by AD (see `_taylor`).
        With one moving variable they are centred at both ends and the middle; with more,
        only at the middle and up to order 2 (no tangency point is exact there, and the
        forms cost three series per variable and box)."""
        if c.series is None:
            return None
        balls = self._balls(c, box)
        side = box[i]
        alone = moving == [i]
        centres = ((side.lo, True), (side.hi, True)) if alone else ()
        try:
            over = coefficients(c.series, balls, i, balls[i], TAYLOR_ORDER if alone else 2)
        except NotSmooth:
            return None
        best: Interval | None = None
        for p, end in centres + (((side.lo + side.hi) / 2, False),):
            try:
                at = coefficients(c.series, balls, i, _hull(Side(p, p)), len(over) - 1)
            except NotSmooth:
                continue
            zeros = self._exact_zeros(c, box, i, p, at) if end else 0
            # orders past the first nonzero coefficient + 1 rarely help and cost the most
            top = min(zeros + 2, len(over) - 1)
            point = [ZERO if j < zeros else Interval.of(v) for j, v in enumerate(at[:top])]
            form = _taylor_forms(point, [Interval.of(v) for v in over[:top + 1]], _offset(side, p), top)
            if form is not None:
                best = form if best is None else intersect(best, form)
        if best is None:
            return None
        return best, f"taylor in {self.symbols[i]} (derivatives by forward-mode AD on arb balls)"

    @staticmethod
    def _balls(c: _CompiledAtom, box: Box) -> list[arb]:
        """The atom's sides as arb balls (its moving sides are bounded); 0 for a variable
        it does not mention, whose side may be unbounded."""
        return [_hull(side) if j in c.variables else arb(0) for j, side in enumerate(box)]

    def _tail_forms(self, c: _CompiledAtom, box: Box, i: int) -> tuple[Interval, str] | None:
        """The Taylor form in x_i centred at the finite end of an unbounded side (see
        `_taylor`); the other sides may be unbounded too (interval arithmetic)."""
        side = box[i]
        p = side.lo if side.lo is not None else side.hi
        env = self.env(box)
        at_end = list(env)
        at_end[i] = Interval.point(p)
        point: list[Interval] = []
        over: list[Interval] = []
        for j in range(TAIL_ORDER + 1):
            term = self._higher(c, i, j)
            if term is None:
                break
            try:
                point.append(term(at_end))
                over.append(term(env))
            except (_Undefined, _Unclear):
                break
        if len(over) < 2:
            return None
        form = _taylor_forms(point, over, _offset(side, p), TAIL_ORDER)
        if form is None:
            return None
        return form, f"taylor in {self.symbols[i]} at the end {p} of its unbounded side, remainder over the whole side"

    def _higher(self, c: _CompiledAtom, i: int, j: int) -> Term | None:
        """d^j/dx_i^j (lhs - rhs) / j! compiled to an interval function (None when it
        cannot be: a step function, an unsupported node)."""
        if (i, j) not in c.higher_terms:
            term = None
            if not c.difference.has(sympy.floor, sympy.ceiling):
                try:
                    term = compile_term(self._derivative_expr(c, i, j) / sympy.factorial(j), self.index)
                except _Unsupported:
                    pass
            c.higher_terms[(i, j)] = term
        return c.higher_terms[(i, j)]

    def _derivative_expr(self, c: _CompiledAtom, i: int, j: int) -> sympy.Expr:
        """d^j/dx_i^j (lhs - rhs), each order from the one before (cached)."""
        if (i, j) not in c.exact_derivatives:
            c.exact_derivatives[(i, j)] = c.difference if j == 0 else \
                sympy.diff(self._derivative_expr(c, i, j - 1), self.symbols[i])
        return c.exact_derivatives[(i, j)]

    def _exact_zeros(self, c: _CompiledAtom, box: Box, i: int, p: Fraction, at: list[arb]) -> int:
        """How many leading Taylor coefficients of lhs - rhs in x_i at the end p are exactly
        0 (the others of the atom's variables are points): a ball that is exactly 0, or
        a narrow ball around 0 whose value exact evaluation of the SymPy derivative
        shows to be 0 (only at short rationals, as in `_exact_zero`)."""
        point = {j: box[j].lo for j in c.variables if j != i}
        point[i] = p
        count = 0
        for j, ball_j in enumerate(at[:-1]):
            if ball_j.is_exact() and ball_j == 0:
                count += 1
                continue
            if not (ball_j.contains(0) and ball_j.rad() < EXACT_ZERO_RADIUS):
                break
            key = (i, j, tuple(sorted(point.items())))
            if key not in c.exact_zeros:
                c.exact_zeros[key] = self._exact_zero(c, point, self._derivative_expr(c, i, j))
            if not c.exact_zeros[key]:
                break
            count += 1
        return count

    def _monotone_bound(self, c: _CompiledAtom, box: Box, env: Env, slopes: dict[int, Interval | None],
                        lower: bool) -> tuple[Interval, list[str]] | None:
        """An enclosure whose lower (or upper) end bounds lhs - rhs on the box: each
        variable whose slope has one sign moves to the end of its side where that bound
        is attained (the mean value theorem, one coordinate after another). Closed ends
        first, then at most one open end: only where the slope's sign is strict, which
        makes the bound strict, and where the slope is defined on the closed side, so
        that lhs - rhs is continuous up to that end."""
        moved = list(env)
        at: dict[int, Fraction] = {}
        notes: list[str] = []
        open_end = None
        for i, d in slopes.items():
            if d is None or not (_nonneg(d) or _nonpos(d)):
                continue
            up = _nonneg(d)
            to_lo = up == lower
            side = box[i]
            end, is_open = (side.lo, side.lo_open) if to_lo else (side.hi, side.hi_open)
            if end is None:
                continue
            how = f"{self.symbols[i]} {'increasing' if up else 'decreasing'}"
            if not is_open:
                moved[i] = Interval.point(end)
                at[i] = end
                notes.append(how)
            elif open_end is None and (_positive(d) if up else _negative(d)) and \
                    self._slope_defined_at_end(c, i, env, to_lo):
                open_end = (i, end, how + f" strictly, up to the open end {end}")
        if open_end is not None:
            i, end, how = open_end
            moved[i] = Interval.point(end)
            at[i] = end
            notes.append(how)
        if not notes:
            return None
        try:
            v = self._difference(c, moved)
        except (_Undefined, _Unclear):
            return None
        at.update({i: box[i].lo for i in c.variables if box[i].degenerate})
        if compare("=", v) is None and all(i in at for i in c.variables) and self._exact_zero(c, at):
            # the bound is attained at one rational point where lhs = rhs exactly (a
            # tangency point with irrational values: x exp(-x) = exp(-1) at x = 1), which
            # the balls of the two sides cannot show
            v, notes = ZERO, notes + ["lhs - rhs = 0 exactly at that end"]
        if open_end is not None:  # the open end is never reached: the bound is strict
            v = replace(v, lo_open=True) if lower else replace(v, hi_open=True)
        return v, notes

    def _exact_zero(self, c: _CompiledAtom, at: dict[int, Fraction], term: sympy.Expr | None = None) -> bool:
        """Whether lhs - rhs is exactly 0 at the rational point `at` (exact evaluation;
        False when it cannot tell). Only at short rationals (EXACT_ZERO_MAX)."""
        if any(max(abs(v.numerator), v.denominator) > EXACT_ZERO_MAX for v in at.values()):
            return False
        if term is not None and term.has(*_NOT_EXACT):
            return False
        try:
            return exact_value(c.difference if term is None else term,
                               {self.symbols[i]: v for i, v in at.items()}) == 0
        except (Undefined, Undecided):
            return False

    def _slope_defined_at_end(self, c: _CompiledAtom, i: int, env: Env, at_lo: bool) -> bool:
        closed = list(env)
        closed[i] = replace(env[i], lo_open=False) if at_lo else replace(env[i], hi_open=False)
        term = c.derivatives.get(i)
        if term is None:
            return False
        try:
            term(closed)
        except (_Undefined, _Unclear):
            return False
        return True

    def sample(self, box: Box) -> dict[sympy.Symbol, Fraction]:
        """A rational point of the box inside the domain (never an open end)."""
        return {s: side.lo if side.degenerate else side.split_point() for s, side in zip(self.symbols, box)}

    def env(self, box: Box) -> Env:
        return [side.interval() for side in box]


def prove(formula: Formula, domains: dict[sympy.Symbol, Domain], *, max_boxes: int = 4000,
          deadline: float | None = None) -> IntervalResult:
    """Prove `formula` (free symbols universal over `domains`; quantifiers inside must
    all be universal) by branch and bound, or find a candidate violation.

    At most `max_boxes` boxes are examined: that budget is what ends a search.
    `deadline`, a `timeout.cpu()` value (CPU seconds), is only a safety net; when
    it fires first the result is unknown and the firing is `record`ed. Raises OutsideFragment for a claim outside the prover's reach (an
    existential quantifier, integer variables, a function it does not know).
    """
    start = time.perf_counter()
    setup = _Setup()
    guards: list[Atom] = []
    for s in sorted(claim_symbols(formula, domains), key=lambda s: s.name):
        if s not in domains:
            raise OutsideFragment(f"no domain for {s}")
        side, more = _side(s, domains[s])
        _add_variable(setup, s, side)
        guards += more
    body = _pull(formula, True, setup)
    matrix = Implies(conj(guards), body) if guards else body
    _restrict_by_premise(matrix, setup)
    root: Box = tuple(setup.sides)
    result = IntervalResult("unknown", "", formula, matrix, setup.symbols, root)
    saved = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        _search(_Prover(matrix, setup.symbols), root, result, max_boxes, deadline)
    finally:
        flint.ctx.prec = saved
    result.seconds = time.perf_counter() - start
    return result


def sign_on(expr: sympy.Expr, domains: dict[sympy.Symbol, Domain]) -> int:
    """+1 (or -1) when `expr` is defined and positive (negative) at every point of the
    domains, certified by one interval evaluation over their box; 0 when that cannot
    tell. A bound that is not rational is widened (a larger box only makes the
    statement stronger)."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    try:
        sides = [_side(s, domains[s])[0] for s in symbols]
        term = compile_term(expr, {s: i for i, s in enumerate(symbols)})
    except (KeyError, OutsideFragment, _Unsupported):
        return 0
    if any(side.empty for side in sides):
        return 0
    saved = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        v = term([side.interval() for side in sides])
    except (_Undefined, _Unclear):
        return 0
    finally:
        flint.ctx.prec = saved
    return _sign(v)


def continuous_between(expr: sympy.Expr, x: sympy.Symbol, a: Fraction, b: Fraction) -> bool:
    """Whether `expr` (in `x` alone) is certainly defined and continuous at every x in
    [a, b], by one interval evaluation (False when that cannot tell). Every function the
    evaluator knows is continuous where defined except floor and ceil, which jump at the
    integers while defined everywhere: a term with one is not certified."""
    if expr.has(sympy.floor, sympy.ceiling):
        return False
    try:
        term = compile_term(expr, {x: 0})
    except _Unsupported:
        return False
    saved = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        lo, hi = Interval.point(a), Interval.point(b)
        term([Interval(lo.lo, hi.hi)])
    except (_Undefined, _Unclear):
        return False
    finally:
        flint.ctx.prec = saved
    return True


#: Precisions (bits) at which a comparison between closed terms is enclosed, coarsest
#: first: a budget of steps, not of seconds.
CLOSED_PRECISIONS = (64, 256, 1024, 4096)


def closed_atom(a: Atom) -> tuple[bool | None, int]:
    """The truth of a comparison between closed terms, certified by arb enclosures of
    lhs - rhs at increasing precision (CLOSED_PRECISIONS), and the precision that
    decided it. (None, last precision) when none does: the sides may be equal, and an
    enclosure never proves equality. An atom with a side certainly undefined is false.
    Raises OutsideFragment for a term the interval evaluator does not know."""
    saved = flint.ctx.prec
    try:
        for bits in CLOSED_PRECISIONS:
            flint.ctx.prec = bits
            try:
                # compiled at each precision: constants (pi, E) are enclosed when compiled
                lhs, rhs = compile_term(a.lhs, {}), compile_term(a.rhs, {})
            except _Unsupported as e:
                raise OutsideFragment(f"the interval evaluator does not support {e}") from e
            try:
                g = add(lhs([]), neg(rhs([])))
            except _Undefined:
                return False, bits
            except _Unclear:
                continue
            t = compare(a.op, g)
            if t is not None:
                return t, bits
    finally:
        flint.ctx.prec = saved
    return None, CLOSED_PRECISIONS[-1]


def closed_truth(f: Formula, fallback: Callable[[Formula], bool]) -> tuple[bool, int]:
    """The truth of a formula without free symbols, each comparison decided by
    `closed_atom`; `fallback` decides a comparison no enclosure decides (a tie) and a
    quantified part. Returns the truth and the highest precision (bits) that decided
    an atom (0 when none did)."""
    used = 0

    def walk(g: Formula) -> bool:
        nonlocal used
        if isinstance(g, Truth):
            return g.value
        if isinstance(g, Atom):
            if g.lhs.free_symbols or g.rhs.free_symbols:
                return fallback(g)
            try:
                t, bits = closed_atom(g)
            except OutsideFragment:
                return fallback(g)
            if t is None:
                return fallback(g)
            used = max(used, bits)
            return t
        if isinstance(g, Not):
            return not walk(g.arg)
        if isinstance(g, And):
            return all([walk(a) for a in g.args])
        if isinstance(g, Or):
            return any([walk(a) for a in g.args])
        if isinstance(g, Implies):
            return not walk(g.lhs) or walk(g.rhs)
        if isinstance(g, Iff):
            return walk(g.lhs) == walk(g.rhs)
        if isinstance(g, Quantified):
            return fallback(g)
        raise TypeError(f"closed_truth: desugar {type(g).__name__} first")

    return walk(f), used


def _search(prover: _Prover, root: Box, result: IntervalResult, max_boxes: int,
            deadline: float | None) -> None:
    if any(side.empty for side in root):
        result.status, result.detail = "proved", "the box is empty: the claim holds vacuously"
        return
    queue = deque([root])  # breadth first: a violation anywhere is met early
    while queue:
        if result.boxes >= max_boxes:
            result.stopped = True
            result.detail = (f"box budget exhausted after {result.boxes} boxes: {len(result.cover)} proved, "
                             f"{len(queue)} undecided")
            return
        if deadline is not None and cpu() > deadline:
            # only a safety net: the box budget is what normally ends a search
            result.stopped = True
            result.detail = (f"the CPU-time safety net (deadline) fired after {result.boxes} boxes: "
                             f"{len(result.cover)} proved, {len(queue)} undecided")
            record("the interval prover's search, before its box budget was spent")
            return
        box = queue.popleft()
        result.boxes += 1
        reasons: list = []
        t = prover.truth(prover.matrix, box, prover.env(box), reasons)
        if t is True:
            result.cover.append(CoverBox(box, reasons))
            continue
        point = prover.sample(box)
        if t is False or prover.truth(prover.matrix, tuple(Side(v, v) for v in point.values()),
                                      [Interval.point(v) for v in point.values()], []) is False:
            if not mp_truth(prover.matrix, point, dps=50):
                result.status, result.point = "violation", point
                result.detail = f"the claim fails at {_point_text(point)} (interval arithmetic and 50 digits)"
                return
        # unbounded sides first, the one split least (its finite end nearest its anchor)
        # first: always splitting the first would push one side's end to 2^k forever
        widths = [(True, -_reach(side)) if side.width() is None else (False, side.width()) for side in box]
        choices = [i for i, side in enumerate(box) if not side.degenerate]
        if not choices:
            result.detail = f"undecided at the point {_point_text(point)}"
            return
        i = max(choices, key=lambda j: widths[j])
        left, right = box[i].halves()
        queue.append(box[:i] + (left,) + box[i + 1:])
        queue.append(box[:i] + (right,) + box[i + 1:])
    result.status = "proved"
    result.detail = f"{len(result.cover)} boxes cover the domain ({result.boxes} examined)"


def _reach(side: Side) -> Fraction:
    """How far an unbounded side's finite end lies from its anchor (0 for no finite end)."""
    end = side.lo if side.lo is not None else side.hi
    return Fraction(0) if end is None else abs(end - side.anchor)


def _point_text(point: dict[sympy.Symbol, Fraction]) -> str:
    return ", ".join(f"{s} = {v}" for s, v in point.items())


__all__ = ["Interval", "IntervalResult", "CoverBox", "Side", "compare", "compile_term", "prove", "sign_on",
           "add", "neg", "mul", "reciprocal", "exp", "log", "lambertw", "power", "integer_power", "absolute",
           "intersect", "PREC", "CLOSED_PRECISIONS", "closed_atom", "closed_truth", "continuous_between"]
