"""Evaluate terms and formulas at a point: exactly (SymPy), at 50 digits (mpmath `mp`)
or as a certified interval (mpmath `iv`).

The 50-digit and interval evaluations are one tree walker, `_walk`, run under two
mpmath contexts; only the handful of places that must ask "is this value negative,
zero, positive?" look at whether a value is a point or an interval.

Definedness follows `lawproof.language.formula`: a term is undefined where a denominator is
zero, a non-integer power has a negative base, a logarithm's argument is not
positive, or a value is infinite. An atom with an undefined side is false. `oo` and
`-oo` written in a term are no values here (Unsupported): the symbolic layer decides
the comparisons with them (docs/semantics.md, "Infinity"), and a layer that read them
as undefined would refute `x < oo`.
"""
from __future__ import annotations

import math
import operator
from contextlib import contextmanager
from fractions import Fraction
from typing import Callable, Iterable, Iterator

import flint
import mpmath
import sympy
from flint import arb, fmpq
from mpmath.libmp import from_man_exp, from_rational, round_nearest, to_rational

from lawproof.language import functions, sizes
from lawproof.language.formula import CALCULUS, And, Atom, Binder, Formula, Iff, Implies, Not, Or, Quantified, Truth

from .elementary import ball

Env = dict[sympy.Symbol, Fraction]
Value = object  # mpmath.mpf under `mp`, mpmath.iv.mpf under `iv`

#: Precisions (decimal digits) at which interval evaluation tries to certify a sign.
SIGN_DPS = (60, 120, 240, 1200)

_NOT_FINITE = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)
_INFINITE = (sympy.oo, -sympy.oo)


def _among(expr: sympy.Expr, group: tuple[sympy.Expr, ...]) -> bool:
    """`expr in group` for a group of atoms, without SymPy's equality test on the
    compound terms that make most nodes (it was a good part of sampling's time)."""
    return expr.is_Atom and expr in group


class Undefined(Exception):
    """A term is not a defined real number at the point (division by zero, even root
    or non-integer power of a negative base, log of a nonpositive number, infinity)."""


class Undecided(Exception):
    """Exact evaluation cannot tell whether a term is defined at the point: a base or
    logarithm argument has a sign that neither interval arithmetic nor an exact
    algebraic test decides (e.g. `log(4) - 2*log(2)`, which is zero)."""


class TooLarge(ValueError):
    """A value beyond 2^(+-MAX_MAGNITUDE_BITS): numeric evaluation does not go on."""


class Unsupported(ValueError):
    """A term numeric evaluation does not know (an unevaluated integral, a relation
    inside a guard): it has no value here, defined or not."""


#: Numeric evaluation refuses values beyond 2^(+-2^20) (about 10^(+-315,000)):
#: reducing exp(y) needs log(2) to as many bits as y has, so exp(exp(exp(exp(10))))
#: would run for ever and fill the memory.
MAX_MAGNITUDE_BITS = 1 << 20


def _bounded_exponent(ctx, v: Value, what: str) -> Value:
    """`v` after checking that 2^v lies within 2^(+-MAX_MAGNITUDE_BITS) (raise TooLarge)."""
    for end in _ends(ctx, v):
        if mpmath.isinf(end) or abs(end) > MAX_MAGNITUDE_BITS:
            raise TooLarge(f"{what} is beyond 2^(+-{MAX_MAGNITUDE_BITS}), too large to evaluate")
    return v


class _Inconclusive(Exception):
    """An interval is too wide to decide a sign needed to evaluate further."""


def _mpf_fraction(value: mpmath.mpf) -> Fraction:
    """An mpf as an exact Fraction of Python ints."""
    p, q = to_rational(value._mpf_)
    return Fraction(int(p), int(q))


def _fraction_value(ctx, q: Fraction | sympy.Rational) -> Value:
    num, den = (q.numerator, q.denominator) if isinstance(q, Fraction) else (int(q.p), int(q.q))
    if ctx is mpmath.mp:
        # rounded once, to nearest (the division of two mpf would round each part first):
        # half of sampling's time went to building these values
        return ctx.make_mpf(from_rational(num, den, ctx.prec, round_nearest))
    return ctx.mpf(num) / ctx.mpf(den)


def _is_interval(ctx) -> bool:
    return ctx is mpmath.iv


def _ends(ctx, v: Value) -> tuple[mpmath.mpf, mpmath.mpf]:
    if _is_interval(ctx):
        # make_mpf keeps the endpoints' full precision; mpmath.mpf() would round them
        # to the global mp precision and lose the enclosure.
        return tuple(mpmath.mp.make_mpf(e) for e in v._mpi_)
    return v, v


@contextmanager
def _iv_digits(dps: int) -> Iterator[None]:
    """mpmath's iv context has no workdps; set and restore its precision."""
    saved = mpmath.iv.prec
    mpmath.iv.dps = dps
    try:
        yield
    finally:
        mpmath.iv.prec = saved


def _sign(ctx, v: Value) -> int | None:
    """Sign of a point value, or of every member of an interval; None if mixed."""
    lo, hi = _ends(ctx, v)
    if lo > 0:
        return 1
    if hi < 0:
        return -1
    if lo == 0 and hi == 0:
        return 0
    return None


def _integer_point(ctx, v: Value) -> int | None:
    """The integer `v` is exactly (a point value or a point interval), else None."""
    lo, hi = _ends(ctx, v)
    if lo == hi and mpmath.isfinite(lo) and mpmath.isint(lo):
        return int(lo)
    return None


def _extreme(ctx, values: list[Value], pick: Callable) -> Value:
    """Min or max (`pick`) of values; for intervals, endpoint-wise, which is exact."""
    ends = [_ends(ctx, v) for v in values]
    lo = pick(e[0] for e in ends)
    hi = pick(e[1] for e in ends)
    return ctx.mpf([lo, hi]) if _is_interval(ctx) else lo


def _power(ctx, b: Value, e: Value) -> Value:
    k = _integer_point(ctx, e)
    sb = _sign(ctx, b)
    if sb != 0 and k is None:
        # mpmath takes b^e as exp(e*log(b)) (see exp above); an integer power is
        # repeated squaring, cheap whatever its size.
        # log2|b^e| = e * log2|b|, with |log2|b|| <= mag(b) + 1 (mag is exact, cheap)
        size = max((abs(mpmath.mag(end)) + 1 for end in _ends(ctx, b) if end != 0 and mpmath.isfinite(end)),
                   default=0)
        _bounded_exponent(ctx, e * size, "a power")
    if k is not None:
        if k < 0 and sb == 0:
            raise Undefined("division by zero")
        if k < 0 and sb is None:
            raise _Inconclusive
        return b ** k
    if sb == -1:
        raise Undefined("non-integer power of a negative number")
    if sb == 1:
        return b ** e
    # The base is zero, or (intervals only) an interval that touches zero.
    se = _sign(ctx, e)
    if se is None:
        raise _Inconclusive
    if se < 0:
        if sb == 0:
            raise Undefined("zero to a negative power")
        raise _Inconclusive
    if sb == 0:
        return ctx.mpf(0)
    # The value is known to be defined (callers of the interval walk certify that),
    # so the base is >= 0 and clipping its interval to [0, hi] is sound.
    return ctx.mpf([0, _ends(ctx, b)[1]]) ** e


def _arb_end(fn: Callable[[arb], arb], end: mpmath.mpf, lower: bool, prec: int) -> mpmath.mpf:
    """A bound on fn(end) for an exact endpoint `end`, from arb's enclosure: below it
    (`lower`) or above it. For a monotone `fn`, the ends of an interval map to the ends
    of its image."""
    if mpmath.isinf(end):
        return end
    q = _mpf_fraction(end)
    saved = flint.ctx.prec
    flint.ctx.prec = prec + 20
    try:
        image = fn(arb(fmpq(q.numerator, q.denominator)))
        if not image.is_finite():
            raise _Inconclusive
        bound = image.lower() if lower else image.upper()
        m, e = bound.man_exp()
    finally:
        flint.ctx.prec = saved
    return mpmath.mp.make_mpf(from_man_exp(int(m), int(e)))


def _lambertw(ctx, v: Value) -> Value:
    """The principal branch W0 of Lambert's W (the inverse of w*exp(w) on w >= -1),
    defined for arguments >= -1/e."""
    s = _sign(ctx, v + ctx.exp(-1))
    if s == -1:
        raise Undefined("LambertW of a number below -1/e")
    if _is_interval(ctx):
        if s is None:
            raise _Inconclusive
        lo, hi = _ends(ctx, v)
        return ctx.mpf([_arb_end(arb.lambertw, lo, True, ctx.prec), _arb_end(arb.lambertw, hi, False, ctx.prec)])
    if s == 0 or v < -ctx.exp(-1):  # -1/e up to rounding
        return ctx.mpf(-1)
    return ctx.lambertw(v).real


_NAMES = ", ".join(functions.BY_NAME)


def _elementary(ctx, f: functions.Elementary, v: Value) -> Value:
    """A function of `lawproof.language.functions` at a point (`mp`) or over an interval (`iv`),
    once its argument is certainly in its domain."""
    lo, hi = _ends(ctx, v)
    if f.domain is not None:
        first, last = (int(e) for e in f.domain)
        if hi < first or lo > last:
            raise Undefined(f"{f.name} of a number outside [{first}, {last}]")
        if lo < first or hi > last:
            raise _Inconclusive
    if f.node is sympy.tan:
        c = ctx.cos(v)
        s = _sign(ctx, c)
        if s == 0:
            raise Undefined("tan at a pole (cos = 0)")
        if s is None:
            raise _Inconclusive
        return ctx.sin(v) / c
    if not _is_interval(ctx):
        if f.node is functions.Cbrt:  # mpmath's cbrt is the principal complex root below 0
            return ctx.cbrt(v) if v >= 0 else -ctx.cbrt(-v)
        return getattr(ctx, f.mpmath)(v)
    if f.node in (sympy.sin, sympy.cos):
        return getattr(ctx, f.mpmath)(v)
    if not (mpmath.isfinite(lo) and mpmath.isfinite(hi)):
        raise _Inconclusive
    if f.node is sympy.cosh:
        # even and increasing from 0: least at the end nearer 0 (1 when 0 is inside), greatest
        # at the farther one; the ends are not negated, since mpf arithmetic rounds
        bottom = min(_arb_end(arb.cosh, end, True, ctx.prec) for end in (lo, hi)) if lo >= 0 or hi <= 0 else 1
        return ctx.mpf([bottom, max(_arb_end(arb.cosh, end, False, ctx.prec) for end in (lo, hi))])
    if f.monotone == 0:
        raise ValueError(f"interval evaluation does not support {f.name}")
    if f.monotone < 0:
        lo, hi = hi, lo
    image = [_arb_end(lambda x: ball(f, x), end, lower, ctx.prec) for end, lower in ((lo, True), (hi, False))]
    return ctx.mpf(image)


def _step(ctx, v: Value, down: bool) -> Value:
    """floor (`down`) or ceil of `v`. An interval maps end by end (both are
    nondecreasing), which is a certified enclosure. A rounded point within rounding
    noise of an integer is read as that integer, as `mp_truth` reads two sides within
    noise as equal: an approximation, which the exact re-check of any violation (and
    the certified evaluation of a claim without free symbols) corrects."""
    if _is_interval(ctx):
        rounding = math.floor if down else math.ceil

        def end(e: mpmath.mpf) -> object:
            # exact integers, which iv's mpf rounds outward if they need more bits
            return e if not mpmath.isfinite(e) else rounding(_mpf_fraction(e))
        lo, hi = _ends(ctx, v)
        return ctx.mpf([end(lo), end(hi)])
    nearest = ctx.nint(v)
    if abs(v - nearest) <= ctx.mpf(2) ** (16 - ctx.prec) * max(1, abs(v)):
        return nearest
    return ctx.floor(v) if down else ctx.ceil(v)


def _walk(expr: sympy.Expr, env: Env, ctx) -> Value:
    """Value of `expr` at `env` in the mpmath context `ctx` (`mpmath.mp` or `mpmath.iv`).

    Raises Undefined when the term is certainly undefined, ValueError for a node it
    does not know; under `iv`, _Inconclusive when an interval is too wide to go on.
    """
    if expr.is_Symbol:
        if expr not in env:
            raise ValueError(f"no value given for the symbol {expr}")
        return _fraction_value(ctx, env[expr])
    if expr.is_Rational:
        return _fraction_value(ctx, expr)
    if expr is sympy.pi:
        return ctx.pi
    if expr is sympy.E:
        return ctx.e
    if _among(expr, _INFINITE):
        raise Unsupported(f"numeric evaluation gives {expr} no value (in a term it is no number)")
    if _among(expr, _NOT_FINITE):
        raise Undefined(f"the term contains {expr}")
    if isinstance(expr, CALCULUS):
        raise Unsupported(f"numeric evaluation does not support an unevaluated {type(expr).__name__} "
                         f"(in {sympy.sstr(expr)})")
    args = [_walk(a, env, ctx) for a in expr.args]
    if isinstance(expr, sympy.Pow):
        if _real_exponent(expr.exp):
            s = _sign(ctx, args[0])
            if s is None:
                raise _Inconclusive
            if s <= 0:
                raise Undefined("a power with a symbolic exponent of a nonpositive number")
        return _power(ctx, *args)
    if isinstance(expr, sympy.log):
        s = _sign(ctx, args[0])
        if s is None:
            raise _Inconclusive
        if s <= 0:
            raise Undefined("logarithm of a nonpositive number")
        return ctx.log(args[0])
    if isinstance(expr, sympy.Add):
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total
    if isinstance(expr, sympy.Mul):
        product = args[0]
        for a in args[1:]:
            product = product * a
        return product
    if isinstance(expr, sympy.exp):
        _bounded_exponent(ctx, args[0] / ctx.ln2, f"exp({sympy.sstr(expr.args[0])})")
        return ctx.exp(args[0])
    if isinstance(expr, sympy.Abs):
        return abs(args[0])
    if isinstance(expr, sympy.Min):
        return _extreme(ctx, args, min)
    if isinstance(expr, sympy.Max):
        return _extreme(ctx, args, max)
    if isinstance(expr, sympy.LambertW) and len(args) == 1:
        return _lambertw(ctx, args[0])
    f = functions.of(expr)
    if f is not None:
        return _elementary(ctx, f, args[0])
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        return _step(ctx, args[0], isinstance(expr, sympy.floor))
    raise Unsupported(f"numeric evaluation does not support {type(expr).__name__} "
                     f"(in {sympy.sstr(expr)}); supported: symbols, rationals, pi, E, "
                     f"+, *, powers, exp, log, Abs, Min, Max, floor, ceiling, LambertW (principal branch), {_NAMES}")


Point = Callable[[Env], Value]


def _compiled(expr: sympy.Expr) -> Point:
    """`_walk(expr, env, mpmath.mp)` as a function of `env`, built once: the same values
    and the same errors, raised in the same order (the arguments left to right before
    their node), without dispatching on every node at every point; sampling evaluates a
    term at hundreds of points. Nodes other than symbols, rationals, sums, products,
    powers, exp, log, Abs, Min and Max are left to `_walk` whole."""
    mp = mpmath.mp
    if expr.is_Symbol:
        def symbol(env: Env) -> Value:
            if expr not in env:
                raise ValueError(f"no value given for the symbol {expr}")
            return _fraction_value(mp, env[expr])
        return symbol
    if expr.is_Rational:
        num, den = int(expr.p), int(expr.q)
        return lambda env: mp.make_mpf(from_rational(num, den, mp.prec, round_nearest))
    kinds = (sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, sympy.Abs, sympy.Min, sympy.Max)
    if expr.is_Atom or isinstance(expr, CALCULUS) or not isinstance(expr, kinds):
        return lambda env: _walk(expr, env, mp)
    parts = [_compiled(a) for a in expr.args]
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        return folded(parts, operator.add if isinstance(expr, sympy.Add) else operator.mul)
    if isinstance(expr, sympy.Pow):
        base, exponent = parts
        real = _real_exponent(expr.exp)

        def power(env: Env) -> Value:
            b, e = base(env), exponent(env)
            if real:
                s = _sign(mp, b)
                if s is None:
                    raise _Inconclusive
                if s <= 0:
                    raise Undefined("a power with a symbolic exponent of a nonpositive number")
            return _power(mp, b, e)
        return power
    (first, *_) = parts
    if isinstance(expr, sympy.log):
        def log(env: Env) -> Value:
            v = first(env)
            s = _sign(mp, v)
            if s is None:
                raise _Inconclusive
            if s <= 0:
                raise Undefined("logarithm of a nonpositive number")
            return mp.log(v)
        return log
    if isinstance(expr, sympy.exp):
        what = f"exp({sympy.sstr(expr.args[0])})"

        def exp(env: Env) -> Value:
            v = first(env)
            _bounded_exponent(mp, v / mp.ln2, what)
            return mp.exp(v)
        return exp
    if isinstance(expr, sympy.Abs):
        return lambda env: abs(first(env))
    pick = min if isinstance(expr, sympy.Min) else max
    return lambda env: _extreme(mp, [part(env) for part in parts], pick)


def folded(parts: list[Callable], op: Callable) -> Callable:
    """The function of `env` that combines the parts' values left to right by `op` (a
    sum or product of compiled terms, as the tree walk computes it)."""
    first, rest = parts[0], parts[1:]

    def fold(env):
        out = first(env)
        for part in rest:
            out = op(out, part(env))
        return out
    return fold


#: Compiled terms (`_compiled`), bounded: emptied when full.
_COMPILED: dict[sympy.Expr, Point] = {}
_COMPILED_SIZE = 4096


def mp_value(expr: sympy.Expr, env: Env, dps: int = 50) -> mpmath.mpf:
    """`expr` at `env` with `dps` significant digits. Raises Undefined.

    Definedness is judged on the rounded values: a base that is zero exactly but
    rounds to 1e-60 is not caught here; the exact re-check catches it.
    """
    value = _COMPILED.get(expr)
    if value is None:
        if len(_COMPILED) >= _COMPILED_SIZE:
            _COMPILED.clear()
        value = _COMPILED[expr] = _compiled(expr)
    with mpmath.mp.workdps(dps):
        v = value(env)
        if not mpmath.isfinite(v):
            raise Undefined(f"{sympy.sstr(expr)} is not finite")
        return v


def _interval(value: sympy.Expr, dps: int) -> mpmath.iv.mpf | None:
    """An interval enclosing the closed real number `value`, or None if too wide."""
    with _iv_digits(dps):
        try:
            v = _walk(value, {}, mpmath.iv)
        except _Inconclusive:
            return None
    lo, hi = _ends(mpmath.iv, v)
    if not (mpmath.isfinite(lo) and mpmath.isfinite(hi)):
        return None
    return v


def _algebraic(value: sympy.Expr) -> bool:
    """Whether `value` is built from rationals by +, * and rational powers only."""
    for node in sympy.preorder_traversal(value):
        if node.is_Rational or isinstance(node, (sympy.Add, sympy.Mul)):
            continue
        if isinstance(node, sympy.Pow) and node.exp.is_Rational:
            continue
        return False
    return True


def _algebraic_zero(value: sympy.Expr) -> bool:
    t = sympy.Dummy("t")
    try:
        return sympy.minimal_polynomial(value, t) == t
    except (NotImplementedError, sympy.polys.polyerrors.NotAlgebraic):
        return False


#: Logarithms of rationals whose numerator or denominator is larger than this are not
#: factored (factoring is the zero test's cost).
LOG_ZERO_TEST_MAX = 10**30


def _log_linear_zero(value: sympy.Expr) -> bool | None:
    """Whether `value`, if it is r + sum c_i log(q_i) with rationals r, c_i and positive
    rationals q_i, is zero; None if it has another form (or numbers too large to factor).

    Exact: sum c_i log(q_i) is the log of the algebraic number prod q_i^c_i, so it is
    either 0 (when that product is 1: every prime's exponent sum c_i v_p(q_i) vanishes)
    or transcendental (Lindemann-Weierstrass), hence never equal to -r when r != 0."""
    r, exponents = sympy.Integer(0), {}
    for term in sympy.Add.make_args(sympy.expand(value)):
        coeff, rest = term.as_coeff_Mul()
        if rest == 1:
            r += coeff
            continue
        if not (coeff.is_Rational and isinstance(rest, sympy.log) and rest.args[0].is_Rational
                and rest.args[0] > 0):
            return None
        q = rest.args[0]
        if max(abs(q.p), q.q) > LOG_ZERO_TEST_MAX:
            return None
        for n, sign in ((q.p, 1), (q.q, -1)):
            for prime, k in sympy.factorint(n).items():
                exponents[prime] = exponents.get(prime, 0) + sign * k * coeff
    return r == 0 and all(e == 0 for e in exponents.values())


def exact_sign(value: sympy.Expr) -> int | None:
    """Sign (-1, 0, +1) of a closed, defined real number, certified; None if undecided.

    Rationals are exact. Otherwise interval evaluation at SIGN_DPS digits gives the
    sign when the interval excludes zero; zero itself is decided only for algebraic
    numbers (minimal polynomial `t`) and for rational combinations of logarithms of
    rationals (`_log_linear_zero`), since no general test exists with exp and log.
    Raises Undefined if `value` is not a defined real number.
    """
    if value.is_Rational:
        return (value.p > 0) - (value.p < 0)
    if value.free_symbols:
        raise ValueError(f"exact_sign needs a closed number, got {sympy.sstr(value)}")
    if _among(value, _NOT_FINITE):
        raise Undefined(f"{value} is not a real number")
    if _log_linear_zero(value):
        return 0
    algebraic = _algebraic(value)
    tested_zero = False
    for dps in SIGN_DPS:
        v = _interval(value, dps)
        if v is not None:
            s = _sign(mpmath.iv, v)
            if s is not None:
                return s
        if algebraic and not tested_zero:
            tested_zero = True
            if _algebraic_zero(value):
                return 0
    return None


def enclosure(value: sympy.Expr) -> tuple[Fraction, Fraction]:
    """Exact rationals `lo <= value <= hi` for a closed, defined real number.

    Raises Undecided when interval evaluation stays too wide at every precision.
    """
    if value.is_Rational:
        q = Fraction(int(value.p), int(value.q))
        return q, q
    for dps in SIGN_DPS:
        try:
            v = _interval(value, dps)
        except Undefined as e:  # not a real number: there is nothing to enclose
            raise Undecided(f"cannot enclose {sympy.sstr(value)}: {e}") from None
        except ValueError as e:  # a node numeric evaluation lacks (an unevaluated integral)
            raise Undecided(f"cannot enclose {sympy.sstr(value)}: {e}") from None
        if v is not None:
            lo, hi = _ends(mpmath.iv, v)
            # mpmath's backend may hand back gmpy2 integers; Fraction needs plain ints
            return _mpf_fraction(lo), _mpf_fraction(hi)
    raise Undecided(f"cannot enclose {sympy.sstr(value)}")


def _sign_or_undecided(value: sympy.Expr) -> int:
    s = exact_sign(value)
    if s is None:
        raise Undecided(f"cannot decide the sign of {sympy.sstr(value)}")
    return s


def _real_exponent(ex: sympy.Expr) -> bool:
    """A symbolic exponent not known to be an integer: its power needs a positive base
    (docs/semantics.md) whatever number the exponent is at the point (0^alpha at
    alpha = 1/2 is undefined, though 0^(1/2) is 0)."""
    return not ex.is_number and not ex.is_integer


def _exact_power(base: sympy.Expr, ex: sympy.Expr) -> sympy.Expr:
    if sizes.too_large(base, ex):
        # n^n^n at n = 10 would build a 33-billion-bit integer
        raise Undecided(f"{sympy.sstr(sympy.Pow(base, ex, evaluate=False))} is too large to compute "
                        f"exactly (more than {sizes.MAX_BITS} bits)")
    if ex.is_Integer:
        if ex < 0 and _sign_or_undecided(base) == 0:
            raise Undefined("division by zero")
        return sympy.Pow(base, ex)
    sb = _sign_or_undecided(base)
    if sb < 0:
        raise Undefined("non-integer power of a negative number")
    if sb == 0 and _sign_or_undecided(ex) < 0:
        raise Undefined("zero to a negative power")
    return sympy.Pow(base, ex)


def _exact_step(value: sympy.Expr, down: bool) -> sympy.Integer:
    """floor (`down`) or ceil of a closed number, exactly: a rational directly, else
    from an enclosure whose ends round to the same integer, or that holds one integer
    m, the certified sign of value - m (exact_sign: zero is decided for algebraic
    numbers and logarithms of rationals). Undecided otherwise, as for a number that is
    an integer without a test that says so."""
    if value.is_Rational:
        return sympy.floor(value) if down else sympy.ceiling(value)
    lo, hi = enclosure(value)
    rounding = math.floor if down else math.ceil
    if rounding(lo) == rounding(hi):
        return sympy.Integer(rounding(lo))
    m = math.floor(hi)
    s = exact_sign(value - m) if math.ceil(lo) == m else None
    if s is None:
        raise Undecided(f"cannot tell the {'floor' if down else 'ceiling'} of {sympy.sstr(value)}")
    # value lies in (m - 1, m + 1): below m its floor is m - 1, above m its ceiling m + 1
    if down:
        return sympy.Integer(m - 1 if s < 0 else m)
    return sympy.Integer(m + 1 if s > 0 else m)


def _extreme_exact(values: list[sympy.Expr], smaller: bool) -> sympy.Expr:
    """Min (or max) of closed numbers by certified signs; SymPy's own Min refuses
    arguments it cannot compare numerically, so leave an unevaluated node then."""
    best = values[0]
    for v in values[1:]:
        s = exact_sign(v - best)
        if s is None:
            cls = sympy.Min if smaller else sympy.Max
            return cls(*values, evaluate=False)
        if (s < 0) if smaller else (s > 0):
            best = v
    return best


def _exact_elementary(f: functions.Elementary, arg: sympy.Expr) -> sympy.Expr:
    """A function of `lawproof.language.functions` at a closed number, its domain certified first."""
    if f.domain is not None:
        first, last = f.domain
        if _sign_or_undecided(arg - first) < 0 or _sign_or_undecided(last - arg) < 0:
            raise Undefined(f"{f.name} of a number outside [{first}, {last}]")
    if f.node is sympy.tan and _sign_or_undecided(sympy.cos(arg)) == 0:
        raise Undefined("tan at a pole (cos = 0)")
    if f.node is functions.Cbrt:
        # the real root, as a real power of a nonnegative number: never SymPy's complex one
        third = sympy.Rational(1, 3)
        return -sympy.Pow(-arg, third) if _sign_or_undecided(arg) < 0 else sympy.Pow(arg, third)
    return f.node(arg)


def _exact(expr: sympy.Expr, env: Env) -> sympy.Expr:
    if expr.is_Symbol:
        if expr not in env:
            raise ValueError(f"no value given for the symbol {expr}")
        q = env[expr]
        return sympy.Rational(q.numerator, q.denominator)
    if expr.is_Rational or expr is sympy.pi or expr is sympy.E:
        return expr
    if _among(expr, _INFINITE):
        raise Unsupported(f"exact evaluation gives {expr} no value (in a term it is no number)")
    if _among(expr, _NOT_FINITE):
        raise Undefined(f"the term contains {expr}")
    if isinstance(expr, CALCULUS):
        # the symbolic layer could not evaluate it: its value is not known exactly
        raise Undecided(f"an unevaluated {type(expr).__name__}: {sympy.sstr(expr)}")
    args = [_exact(a, env) for a in expr.args]
    if isinstance(expr, sympy.Add):
        value = sympy.Add(*args)
    elif isinstance(expr, sympy.Mul):
        value = sympy.Mul(*args)
    elif isinstance(expr, sympy.Pow):
        if _real_exponent(expr.exp) and _sign_or_undecided(args[0]) <= 0:
            raise Undefined("a power with a symbolic exponent of a nonpositive number")
        value = _exact_power(*args)
    elif isinstance(expr, sympy.exp):
        value = sympy.exp(args[0])
    elif isinstance(expr, sympy.log):
        if _sign_or_undecided(args[0]) <= 0:
            raise Undefined("logarithm of a nonpositive number")
        value = sympy.log(args[0])
    elif isinstance(expr, sympy.Abs):
        s = exact_sign(args[0])
        value = sympy.Abs(args[0]) if s is None else (args[0] if s >= 0 else -args[0])
    elif isinstance(expr, (sympy.Min, sympy.Max)):
        value = _extreme_exact(args, isinstance(expr, sympy.Min))
    elif isinstance(expr, sympy.LambertW) and len(args) == 1:
        # the principal branch is real exactly from -1/e on
        if _sign_or_undecided(args[0] + sympy.exp(-1)) < 0:
            raise Undefined("LambertW of a number below -1/e")
        value = sympy.LambertW(args[0])
    elif (f := functions.of(expr)) is not None:
        value = _exact_elementary(f, args[0])
    elif isinstance(expr, (sympy.floor, sympy.ceiling)):
        value = _exact_step(args[0], isinstance(expr, sympy.floor))
    else:
        raise ValueError(f"exact evaluation does not support {type(expr).__name__} "
                         f"(in {sympy.sstr(expr)}); supported: symbols, rationals, pi, E, "
                         f"+, *, powers, exp, log, Abs, Min, Max, floor, ceiling, LambertW (principal branch), {_NAMES}")
    if _among(value, _NOT_FINITE):
        raise Undefined(f"{sympy.sstr(expr)} is {value}")
    return value


def exact_value(expr: sympy.Expr, env: Env) -> sympy.Expr:
    """`expr` at `env` as an exact SymPy number.

    Every sub-term is checked at the point, bottom-up, before SymPy simplifies it
    away: `x*(1/x)` is undefined at 0 even though SymPy would turn `0*zoo` into nan
    and other shapes into harmless-looking numbers. Raises Undefined, or Undecided
    when a needed sign cannot be certified.
    """
    value = _exact(expr, env)
    if value.is_extended_real is False:
        raise Undefined(f"{sympy.sstr(expr)} is not real at the point")
    return value


_DECIDE = {
    "=": lambda s: s == 0, "!=": lambda s: s != 0,
    "<": lambda s: s < 0, "<=": lambda s: s <= 0,
    ">": lambda s: s > 0, ">=": lambda s: s >= 0,
}


def _kleene_and(values: Iterable[bool | None]) -> bool | None:
    """Kleene conjunction; `values` is consumed lazily, stopping at the first False."""
    unknown = False
    for v in values:
        if v is False:
            return False
        unknown = unknown or v is None
    return None if unknown else True


def _kleene_not(v: bool | None) -> bool | None:
    return None if v is None else not v


def _kleene_or(values: Iterable[bool | None]) -> bool | None:
    return _kleene_not(_kleene_and(_kleene_not(v) for v in values))


def exact_truth(f: Formula, env: Env) -> bool | None:
    """Exact truth of `f` at `env` in three-valued (Kleene) logic.

    None where it depends on something undecided here: a quantifier (this module
    only approximates those, see mp_truth), unless it ranges over a few integers
    (integer_points: then each point is evaluated), or a sign no exact test certifies.
    Connectives short-circuit, so an undecided part that cannot matter is skipped.
    """
    if isinstance(f, Truth):
        return f.value
    if isinstance(f, Atom):
        try:
            lhs, rhs = exact_value(f.lhs, env), exact_value(f.rhs, env)
        except Undefined:
            return False
        except (Undecided, ValueError):  # ValueError: a function it cannot evaluate (Si)
            return None
        s = exact_sign(lhs - rhs)
        return None if s is None else _DECIDE[f.op](s)
    if isinstance(f, Not):
        return _kleene_not(exact_truth(f.arg, env))
    if isinstance(f, And):
        return _kleene_and(exact_truth(a, env) for a in f.args)
    if isinstance(f, Or):
        return _kleene_or(exact_truth(a, env) for a in f.args)
    if isinstance(f, Implies):
        premise = exact_truth(f.lhs, env)
        if premise is False:
            return True
        return _kleene_or((_kleene_not(premise), exact_truth(f.rhs, env)))
    if isinstance(f, Iff):
        a, b = exact_truth(f.lhs, env), exact_truth(f.rhs, env)
        return None if a is None or b is None else a == b
    if isinstance(f, Quantified):
        every = integer_points(f.binders, env)
        if every is None:
            return None
        values = (exact_truth(f.body, {**env, **p}) for p in every)
        return _kleene_and(values) if f.kind == "forall" else _kleene_or(values)
    raise TypeError(f"exact_truth: desugar {type(f).__name__} first")


#: A quantifier over integers with at most this many points is decided point by point
#: (the definedness of `sum(1/(k - 2), k, 1, 3)` is "k - 2 != 0 for k = 1, 2, 3").
MAX_INTEGER_POINTS = 200


def integer_points(binders: tuple[Binder, ...], env: Env) -> list[Env] | None:
    """Every point of `binders` when each ranges over the integers between two bounds
    that are rational numbers at `env` (a bound may mention an earlier binder), in
    order; None when a binder is not an integer one, a bound is not a rational number
    there, or there are more than MAX_INTEGER_POINTS points."""
    out: list[Env] = []

    def extend(k: int, point: Env) -> bool:
        if k == len(binders):
            out.append(point)
            return True
        d = binders[k].domain
        if not d.integer:
            return False
        try:
            lo, hi = (exact_value(e, {**env, **point}) for e in (d.lo, d.hi))
        except (Undefined, Undecided, ValueError):
            return False
        if not (lo.is_Rational and hi.is_Rational):
            return False
        first, last = math.ceil(Fraction(int(lo.p), int(lo.q))), math.floor(Fraction(int(hi.p), int(hi.q)))
        first += d.lo_open and first == lo
        last -= d.hi_open and last == hi
        if len(out) + max(0, last - first + 1) > MAX_INTEGER_POINTS:
            return False
        return all(extend(k + 1, {**point, binders[k].symbol: Fraction(i)}) for i in range(first, last + 1))

    return out if extend(0, {}) else None


def _evaluable_atoms(f: Formula, bound: frozenset) -> list[Atom]:
    if isinstance(f, Atom):
        symbols = f.lhs.free_symbols | f.rhs.free_symbols
        return [] if symbols & bound else [f]
    if isinstance(f, Quantified):
        bound = bound | {b.symbol for b in f.binders}
    return [a for c in f.children() for a in _evaluable_atoms(c, bound)]


#: Precisions (digits) for showing a value whose terms cancel far below 50 digits.
SHOWN_DPS = (50, 100, 200, 400, 800, 1600)


def shown_value(expr: sympy.Expr, env: Env, significant: int = 20, dps: int = 50) -> str:
    """`significant` digits of `expr` at `env`, for reports: from `dps` digits, or from
    the first of SHOWN_DPS beyond it whose digits 20 more digits of precision confirm
    (e - 2.718281828459045235360287471352662497757247093699959 cancels every one of 50
    digits). A display, not a certificate. Raises Undefined."""
    shown = ""
    for d in [dps] + [d for d in SHOWN_DPS if d > dps]:
        shown = mpmath.nstr(mp_value(expr, env, d), significant)
        if shown == mpmath.nstr(mp_value(expr, env, d + 20), significant):
            break
    return shown


def _shown(expr: sympy.Expr, env: Env, dps: int) -> str:
    try:
        return shown_value(expr, env, 20, dps)
    except Undefined:
        return "undefined"
    except ValueError:  # a term the evaluator does not know (an unevaluated integral)
        return "not evaluated"


def atom_values(f: Formula, env: Env, dps: int = 50,
                limit: int = 6) -> list[tuple[str, str, str, str, str]]:
    """Up to `limit` distinct atoms of `f` with their side values at `env`, for reports:
    (lhs as text, relation, rhs as text, lhs value, rhs value), values to 20 significant digits or
    "undefined". Atoms that mention a quantified variable have no value and are skipped.
    """
    out: list[tuple[str, str, str, str, str]] = []
    seen: set[Atom] = set()
    for a in _evaluable_atoms(f, frozenset()):
        if a in seen:
            continue
        seen.add(a)
        out.append((sympy.sstr(a.lhs), a.op, sympy.sstr(a.rhs), _shown(a.lhs, env, dps),
                    _shown(a.rhs, env, dps)))
        if len(out) == limit:
            break
    return out


__all__ = ["Undefined", "Undecided", "exact_value", "exact_sign", "enclosure", "mp_value", "shown_value",
           "exact_truth", "atom_values"]
