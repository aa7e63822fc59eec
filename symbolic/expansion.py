"""Expanding polynomials fast: the expression `sympy.expand` gives, computed in a
polynomial ring.

`sympy.expand` multiplies out sums term by term through SymPy's constructors and its
expansion hints; on the polynomials a translation to z3 expands (numerators of
comparisons, denominators, factors) that was a tenth of a check of the Amdahl pack.
Sparse polynomials over QQ (`sympy.polys.rings`, with python-flint's rationals) do
the arithmetic several times faster, and the result is assembled directly in SymPy's
canonical form of an expanded polynomial: a sum whose numeric term comes first and
whose other terms are sorted by `Basic.compare`, each a product whose coefficient
comes first and whose powers are sorted the same way. That is the very object
`sympy.expand` returns (equal, with the same arguments in the same order), so what is
built from it, z3 terms and their printout, does not change.
"""
from __future__ import annotations

import functools

import sympy
from sympy.polys.rings import PolyElement, PolyRing

#: SymPy's order of the arguments of a sum or a product (Add and Mul sort by it).
_ORDER = functools.cmp_to_key(sympy.Basic.compare)


class _NotPolynomial(Exception):
    """A term other than a symbol, a rational, a sum, a product or a power with a
    nonnegative integer exponent."""


def expand_polynomial(e: sympy.Expr) -> sympy.Expr:
    """`sympy.expand(e)`, computed faster when `e` is a polynomial with rational
    coefficients (otherwise by `sympy.expand` itself)."""
    symbols = sorted(e.free_symbols, key=lambda s: s.name)
    if not symbols:
        return sympy.expand(e)
    ring = PolyRing(symbols, sympy.QQ)
    try:
        p = _in_ring(e, dict(zip(symbols, ring.gens)), ring)
    except _NotPolynomial:
        return sympy.expand(e)
    return _canonical(p, symbols)


def _in_ring(e: sympy.Expr, gens: dict[sympy.Symbol, PolyElement], ring: PolyRing) -> PolyElement:
    if e.is_Symbol:
        return gens[e]
    if e.is_Rational:
        return ring(sympy.QQ(int(e.p), int(e.q)))
    if e.is_Add:
        out = ring.zero
        for a in e.args:
            out += _in_ring(a, gens, ring)
        return out
    if e.is_Mul:
        out = ring.one
        for a in e.args:
            out *= _in_ring(a, gens, ring)
        return out
    if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
        return _in_ring(e.base, gens, ring) ** int(e.exp)
    raise _NotPolynomial


def _canonical(p: PolyElement, symbols: list[sympy.Symbol]) -> sympy.Expr:
    """The expanded polynomial `p` as SymPy's constructors would build it (Add.flatten,
    Mul.flatten), without running them."""
    constant = None
    terms = []
    for monomial, coeff in p.terms():
        c = p.ring.domain.to_sympy(coeff)
        powers = [s if k == 1 else sympy.Pow(s, k) for s, k in zip(symbols, monomial) if k]
        if not powers:
            constant = c
            continue
        powers.sort(key=_ORDER)
        if c == 1:
            terms.append(powers[0] if len(powers) == 1 else sympy.Mul._from_args(powers))
        else:
            terms.append(sympy.Mul._from_args([c, *powers]))
    terms.sort(key=_ORDER)
    if constant is not None:
        terms.insert(0, constant)
    if not terms:
        return sympy.Integer(0)
    return terms[0] if len(terms) == 1 else sympy.Add._from_args(terms)


__all__ = ["expand_polynomial"]
