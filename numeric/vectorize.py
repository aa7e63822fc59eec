"""Float evaluation of SymPy terms and quantifier-free formulas over numpy arrays.

Sweeps, effective-threshold scans and counterexample searches evaluate one term at
thousands of points; walking the SymPy tree once per point (as `numeric.evaluate`
does at 50 digits) is too slow for that. Here a term is compiled once into nested
closures over numpy ufuncs and then evaluated on whole arrays. Nothing is ever
parsed from text: the closures are built from the SymPy tree.

These values are floats: they guide searches and draw maps, never prove anything.
Every point that matters is re-evaluated exactly (`numeric.recheck`) or at 50 digits.
Undefined values (division by zero, even roots or logs of negatives) become NaN, and
an atom with a NaN side is false, as in `lawproof.language.formula`'s semantics.
"""
from __future__ import annotations

import operator
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import sympy

from lawproof.language import functions
from lawproof.language.formula import And, Atom, Formula, Iff, Implies, Not, Or, Truth

from .evaluate import folded

Arrays = dict[sympy.Symbol, np.ndarray]
Compiled = Callable[[Arrays], np.ndarray]

_UFUNCS = {sympy.exp: np.exp, sympy.log: np.log, sympy.Abs: np.abs}
_COMPARE = {"=": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
            ">": np.greater, ">=": np.greater_equal}


def _ufunc(expr: sympy.Expr) -> np.ufunc | None:
    """The numpy function of a one-argument node: exp, log, Abs or a `lawproof.language.functions` one."""
    for cls, ufunc in _UFUNCS.items():
        if isinstance(expr, cls):
            return ufunc
    f = functions.of(expr)
    return None if f is None else getattr(np, f.numpy)


@lru_cache(maxsize=4096)
def compile_expr(expr: sympy.Expr) -> Compiled:
    """A function of `{symbol: array}` that evaluates `expr` elementwise as floats.

    Supports what `numeric.evaluate` supports: symbols, rationals, pi, E, +, *,
    powers, exp, log, Abs, Min, Max and the functions of `lawproof.language.functions` (numpy's
    are real-valued: `arcsin(2)` is NaN, `cbrt(-8)` is -2). Raises ValueError for
    anything else.
    """
    if expr.is_Symbol:
        return lambda env: np.asarray(env[expr], dtype=float)
    if expr.is_number and expr.is_real and expr.is_finite:
        value = float(expr)
        return lambda env: np.float64(value)
    args = [compile_expr(a) for a in expr.args]
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        return folded(args, operator.add if isinstance(expr, sympy.Add) else operator.mul)
    if isinstance(expr, sympy.Pow):
        base, ex = args
        exponent = expr.exp
        if exponent.is_Integer:
            k = int(exponent)
            return lambda env: np.power(base(env), float(k)) if k >= 0 else 1.0 / np.power(base(env), float(-k))
        # a non-integer power of a negative base is undefined (NaN), as in the claim language
        def power(env: Arrays) -> np.ndarray:
            b = base(env)
            return np.power(np.where(b >= 0, b, np.nan), ex(env))
        return power
    if isinstance(expr, sympy.log):
        (arg,) = args
        def log(env: Arrays) -> np.ndarray:
            v = arg(env)
            return np.log(np.where(v > 0, v, np.nan))
        return log
    ufunc = _ufunc(expr)
    if ufunc is not None:
        (arg,) = args
        return lambda env: ufunc(arg(env))
    if isinstance(expr, (sympy.Min, sympy.Max)):
        pick = np.fmin if isinstance(expr, sympy.Min) else np.fmax

        def extreme(env: Arrays) -> np.ndarray:
            values = [f(env) for f in args]
            out = values[0]
            nan = np.isnan(out)
            for v in values[1:]:
                nan = nan | np.isnan(v)
                out = pick(out, v)
            return np.where(nan, np.nan, out)
        return extreme
    raise ValueError(f"float evaluation does not support {type(expr).__name__} (in {sympy.sstr(expr)})")


def evaluate(expr: sympy.Expr, env: Arrays) -> np.ndarray:
    """`expr` at every point of `env` (arrays broadcast together); NaN where undefined."""
    with np.errstate(all="ignore"):
        out = np.asarray(compile_expr(expr)(env), dtype=float)
    return np.where(np.isfinite(out), out, np.nan)


def truth(f: Formula, env: Arrays, shape: Sequence[int] = ()) -> np.ndarray:
    """Boolean array: `f` (quantifier-free, desugared) at every point of `env`.

    An atom with an undefined side is false; `not` is classical over that.
    """
    if isinstance(f, Truth):
        return np.full(tuple(shape), f.value)
    if isinstance(f, Atom):
        lhs, rhs = evaluate(f.lhs, env), evaluate(f.rhs, env)
        with np.errstate(invalid="ignore"):
            held = _COMPARE[f.op](lhs, rhs)
        return np.broadcast_to(held & ~np.isnan(lhs) & ~np.isnan(rhs), tuple(shape) or held.shape)
    if isinstance(f, Not):
        return ~truth(f.arg, env, shape)
    if isinstance(f, (And, Or)):
        parts = [truth(c, env, shape) for c in f.args]
        return (np.logical_and if isinstance(f, And) else np.logical_or).reduce(parts)
    if isinstance(f, (Implies, Iff)):
        lhs, rhs = truth(f.lhs, env, shape), truth(f.rhs, env, shape)
        return (~lhs | rhs) if isinstance(f, Implies) else lhs == rhs
    raise ValueError(f"float evaluation needs a quantifier-free formula, not {type(f).__name__}")


__all__ = ["compile_expr", "evaluate", "truth"]
