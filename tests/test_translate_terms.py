"""The translation builds z3 terms through z3's C API where z3's operators only add
checks (proofs/translate.py: _compare, _sum, _product): the terms, the numbers z3 gives
them, and so the printed SMT-LIB2 artifacts must be exactly those of the operators."""
from __future__ import annotations

import z3

from lawproof.proofs.translate import _compare, _product, _sum

OPS = ("=", "!=", "<", "<=", ">", ">=")


def _by_operators(ctx: z3.Context) -> tuple[list[z3.BoolRef], list[int]]:
    x, y, n = z3.Real("x", ctx), z3.Real("y", ctx), z3.Int("n", ctx)
    out = []
    for op in OPS:
        t = z3.Sum([z3.Product([x, y, z3.RealVal(2, ctx)]), z3.Product([n, n]), z3.RealVal("1/3", ctx)])
        out.append({"=": t == 0, "!=": t != 0, "<": t < 0, "<=": t <= 0, ">": t > 0, ">=": t >= 0}[op])
        m = z3.Sum([n, z3.IntVal(3, ctx)])
        out.append({"=": m == 0, "!=": m != 0, "<": m < 0, "<=": m <= 0, ">": m > 0, ">=": m >= 0}[op])
    return out, [b.get_id() for b in out]


def _by_helpers(ctx: z3.Context) -> tuple[list[z3.BoolRef], list[int]]:
    x, y, n = z3.Real("x", ctx), z3.Real("y", ctx), z3.Int("n", ctx)
    out = []
    for op in OPS:
        # real=True where every argument is real (no sort asked of z3), else the sorts decide
        t = _sum([_product([x, y, z3.RealVal(2, ctx)], real=True), _product([n, n], real=False),
                  z3.RealVal("1/3", ctx)], real=False)
        out.append(_compare(op, t))
        out.append(_compare(op, _sum([n, z3.IntVal(3, ctx)], real=False)))
    return out, [b.get_id() for b in out]


def test_helpers_build_the_operators_terms_with_the_same_numbers():
    ops, ops_ids = _by_operators(z3.Context())
    helpers, helpers_ids = _by_helpers(z3.Context())
    assert [b.sexpr() for b in helpers] == [b.sexpr() for b in ops]
    assert helpers_ids == ops_ids
    s1, s2 = z3.Solver(ctx=ops[0].ctx), z3.Solver(ctx=helpers[0].ctx)
    s1.add(*ops)
    s2.add(*helpers)
    assert s1.to_smt2() == s2.to_smt2()


def test_mixed_sorts_are_converted_as_z3_does():
    ctx = z3.Context()
    x, n = z3.Real("x", ctx), z3.Int("n", ctx)
    assert _sum([x, n], real=False).sexpr() == z3.Sum([x, n]).sexpr() == "(+ x (to_real n))"
    assert _product([n, x], real=False).sexpr() == z3.Product([n, x]).sexpr()
    assert _compare("<=", n).sexpr() == (n <= 0).sexpr()
