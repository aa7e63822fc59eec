"""How large an exact number may grow: the one bound on exact integers (docs/budgets.md).

SymPy builds powers of exact numbers digit by digit (`2^(10^9)` is a billion-bit
integer, `sqrt(2)^(10^9)` is `2^500000000`) and expands powers of sums term by term,
with no limit on memory. So a literal power that would build more than `MAX_BITS`
bits is an input error at load time, and exact evaluation at a point (re-checking a
counterexample, deciding a sign) refuses such a power and leaves the value undecided.
"""
from __future__ import annotations

import math

import sympy

#: The largest exact power built, in bits (about 30,000 decimal digits).
MAX_BITS = 100_000


def exact_bits(value: sympy.Expr) -> int:
    """Roughly how many bits SymPy holds for the exact number `value` once its powers
    of rationals are evaluated (0 for what stays symbolic: sums, exp, log, ...)."""
    if value.is_Rational:
        return max(int(value.p).bit_length(), int(value.q).bit_length())
    if isinstance(value, sympy.Pow) and value.base.is_Rational and value.exp.is_Rational:
        # sqrt(2): (sqrt(2))^k becomes 2^(k/2), which SymPy builds exactly
        return exact_bits(value.base) * max(1, abs(int(value.exp.p)) // int(value.exp.q))
    if isinstance(value, sympy.Mul):
        return sum(exact_bits(a) for a in value.args)
    return 0


def power_bits(base: sympy.Expr, exp: sympy.Rational) -> int:
    """Roughly how many bits SymPy needs for `base^exp` built exactly, or expanded when
    `base` is a sum (terms of the expansion times the bits of their coefficients).

    For exp = p/q SymPy builds the whole power b^(|p|//q) and reduces the root
    b^(r/q), r = |p| mod q, by collecting the prime powers of b: its radicand may hold
    up to b^r (2^(3/4) * 3^(1/4) is (2^3 * 3)^(1/4)), so r counts like a whole power.
    `x^x` at x = k/2^72 is such a root, with r near 2^70."""
    whole, rest = divmod(abs(int(exp.p)), int(exp.q))
    if base.is_Add:
        n = len(base.args)
        return math.comb(whole + n - 1, n - 1) * whole
    if base.is_Rational and abs(base) == 1:
        return 0
    return (whole + rest) * exact_bits(base)


def too_large(base: sympy.Expr, exp: sympy.Expr) -> bool:
    """Would SymPy build more than MAX_BITS bits for `base^exp`?"""
    return bool(exp.is_Rational) and power_bits(base, exp) > MAX_BITS


def substitute(expr: sympy.Expr, mapping: dict) -> sympy.Expr:
    """`expr.xreplace(mapping)`, rebuilt bottom-up as xreplace does, but refusing (with
    ValueError) to build a power of more than MAX_BITS bits: `f(f(10))` with
    f(y) = y^y would build (10^10)^(10^10)."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = tuple(substitute(a, mapping) for a in expr.args)
    if args == expr.args:
        return expr
    if isinstance(expr, sympy.Pow) and too_large(*args):
        raise ValueError(f"{sympy.sstr(sympy.Pow(*args, evaluate=False))} is too large to build exactly "
                         f"(more than {MAX_BITS} bits)")
    return expr.func(*args)
