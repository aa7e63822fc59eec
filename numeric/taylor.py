"""Forward-mode automatic differentiation on arb balls: the Taylor coefficients of a
term in one variable, enclosed over a box of the others (python-flint's `arb_series`,
truncated power series whose coefficients are arb balls, rounded outward).

`compile_series(expr, index)` turns a SymPy term into a function of one truncated
series per variable. Feeding the variable `x_i` as the series `X + t` (X a ball, t the
series variable) and every other one as a constant ball gives, in coefficient k, a
ball containing `d^k/dx_i^k expr / k!` at every point of the box: arb's inclusion
property, applied operation after operation (the chain rule is the composition of
series). No SymPy derivative is taken, so every function of
`lawproof.language.functions` is differentiated the same way.

A term is differentiated only where it is smooth on the whole closed box: a logarithm,
square root or real power needs a base certainly positive, tan a cosine certainly
nonzero, arcsin/arccos an argument certainly inside (-1, 1), the cube root and a
negative power an argument certainly nonzero, abs/min/max an argument whose sign (or
order) is certain on the box. Anywhere else the function raises NotSmooth and the
caller uses no derivative on that box; a ball arb cannot enclose (an infinite or NaN
coefficient) does the same.
"""
from __future__ import annotations

import functools
import operator
from typing import Callable

import sympy
from flint import arb, arb_series, fmpq

from lawproof.language import functions


class NotSmooth(Exception):
    """The term may fail to be smooth (or defined) somewhere on the box."""


class Unsupported(Exception):
    """The term has a node the series evaluator does not know."""


Series = arb_series
SeriesTerm = Callable[[list[Series]], Series]


def _value(s: Series) -> arb:
    """The constant coefficient: an enclosure of the term itself over the box."""
    return s.coeffs()[0] if s.coeffs() else arb(0)


def _positive(s: Series) -> bool:
    return _value(s) > 0


def _nonzero(s: Series) -> bool:
    v = _value(s)
    return v > 0 or v < 0


def _constant_like(s: Series, value: arb) -> Series:
    return arb_series([value], prec=s.prec)


def _log(s: Series) -> Series:
    if not _positive(s):
        raise NotSmooth("a logarithm's argument may be nonpositive")
    return s.log()


def _real_power(base: Series, ex: Series) -> Series:
    # base^ex = exp(ex log base), smooth where base > 0 (docs/semantics.md)
    if not _positive(base):
        raise NotSmooth("a real power of a base that may be nonpositive")
    return (ex * base.log()).exp()


def _integer_power(base: Series, k: int) -> Series:
    if k < 0:
        if not _nonzero(base):
            raise NotSmooth("a negative power of a term that may vanish")
        return base.inv() ** (-k) if k != -1 else base.inv()
    if k == 0:
        return _constant_like(base, arb(1))
    return base ** k


# exp(-s) directly, not 1/exp(s): the series of an inverse over a wide ball loses
# orders of magnitude in its high coefficients
def _sinh(s: Series) -> Series:
    return (s.exp() - (-s).exp()) / 2


def _cosh(s: Series) -> Series:
    return (s.exp() + (-s).exp()) / 2


def _tanh(s: Series) -> Series:
    # 1 - 2/(exp(2s) + 1): the denominator is > 1, no cancellation of two large terms
    return 1 - 2 * ((2 * s).exp() + 1).inv()


def _tan(s: Series) -> Series:
    if not _nonzero(s.cos()):
        raise NotSmooth("a pole of tan may lie in the box")
    return s.tan()


def _inside_unit(s: Series, name: str) -> None:
    v = _value(s)
    if not (v > -1 and v < 1):
        raise NotSmooth(f"an argument of {name} may reach -1 or 1, where it is not differentiable")


def _asin(s: Series) -> Series:
    _inside_unit(s, "arcsin")
    return s.asin()


def _acos(s: Series) -> Series:
    _inside_unit(s, "arccos")
    return s.acos()


def _cbrt(s: Series) -> Series:
    v = _value(s)
    if v > 0:
        return (s.log() / 3).exp()
    if v < 0:
        return -(((-s).log() / 3).exp())
    raise NotSmooth("a cube root of a term that may vanish")


def _lambertw(s: Series) -> Series:
    if not _value(s) > -arb(-1).exp():
        raise NotSmooth("a LambertW argument may reach -1/e")
    return s.lambertw()


def _absolute(s: Series) -> Series:
    v = _value(s)
    if v > 0:
        return s
    if v < 0:
        return -s
    raise NotSmooth("abs of a term that may vanish")


def _extreme(args: list[Series], smallest: bool) -> Series:
    """min (or max) where one argument is certainly below (above) every other on the box."""
    values = [_value(a) for a in args]
    for i, v in enumerate(values):
        if all((v < w) if smallest else (v > w) for j, w in enumerate(values) if j != i):
            return args[i]
    raise NotSmooth("no argument of min/max is certainly the extreme one on the box")


#: The smooth functions, by their SymPy node or table name.
_UNARY: dict[object, Callable[[Series], Series]] = {
    sympy.exp: lambda s: s.exp(),
    sympy.log: _log,
    sympy.Abs: _absolute,
    sympy.LambertW: _lambertw,
}
_ELEMENTARY: dict[str, Callable[[Series], Series]] = {
    "sin": lambda s: s.sin(), "cos": lambda s: s.cos(), "tan": _tan,
    "arcsin": _asin, "arccos": _acos, "arctan": lambda s: s.atan(),
    "sinh": _sinh, "cosh": _cosh, "tanh": _tanh, "cbrt": _cbrt,
}


def _constant(expr: sympy.Expr) -> arb:
    if expr.is_Rational:
        return arb(fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.pi:
        return arb.pi()
    if expr is sympy.E:
        return arb.const_e()
    raise Unsupported(f"the constant {sympy.sstr(expr)}")


def compile_series(expr: sympy.Expr, index: dict[sympy.Symbol, int]) -> SeriesTerm:
    """`expr` as a function from one series per variable (positions in `index`) to the
    series of `expr`. The function raises NotSmooth; compiling raises Unsupported for a
    node it does not know (floor and ceiling jump, so they have no derivative)."""
    if expr.is_Symbol:
        if expr not in index:
            raise Unsupported(f"the symbol {expr} has no range")
        i = index[expr]
        return lambda env: env[i]
    if expr.is_Atom:
        value = _constant(expr)
        return lambda env: _constant_like(env[0], value) if env else arb_series([value])
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        parts = [compile_series(a, index) for a in expr.args]
        op = operator.add if isinstance(expr, sympy.Add) else operator.mul
        return lambda env: functools.reduce(op, (p(env) for p in parts))
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        base, k = compile_series(expr.base, index), int(expr.exp)
        return lambda env: _integer_power(base(env), k)
    if isinstance(expr, sympy.Pow):
        base, ex = compile_series(expr.base, index), compile_series(expr.exp, index)
        return lambda env: _real_power(base(env), ex(env))
    if type(expr) in _UNARY and len(expr.args) == 1:
        fn, arg = _UNARY[type(expr)], compile_series(expr.args[0], index)
        return lambda env: fn(arg(env))
    f = functions.of(expr)
    if f is not None and f.name in _ELEMENTARY:
        fn, arg = _ELEMENTARY[f.name], compile_series(expr.args[0], index)
        return lambda env: fn(arg(env))
    if isinstance(expr, (sympy.Min, sympy.Max)):
        args = [compile_series(a, index) for a in expr.args]
        smallest = isinstance(expr, sympy.Min)
        return lambda env: _extreme([a(env) for a in args], smallest)
    raise Unsupported(f"{type(expr).__name__} (in {sympy.sstr(expr)})")


def coefficients(term: SeriesTerm, balls: list[arb], i: int, at: arb, order: int) -> list[arb]:
    """Balls enclosing `d^k/dx_i^k term / k!` for k = 0..order, with x_i ranging over the
    ball `at` and every other variable j over `balls[j]`. Raises NotSmooth where the
    term may not be smooth there (or arb cannot enclose a coefficient)."""
    n = order + 1
    env = [arb_series([b], prec=n) for b in balls]
    env[i] = arb_series([at, arb(1)], prec=n)
    coeffs = list(term(env).coeffs())
    coeffs += [arb(0)] * (n - len(coeffs))  # arb drops trailing zero coefficients
    if not all(c.is_finite() for c in coeffs[:n]):
        raise NotSmooth("a Taylor coefficient could not be enclosed")
    return coeffs[:n]


__all__ = ["NotSmooth", "Unsupported", "compile_series", "coefficients"]
