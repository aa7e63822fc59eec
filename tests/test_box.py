"""Exact evaluation and signs over boxes (proofs/box.py), the cheap first test of the
SMT translation's sign proofs: every sign it gives is checked against exact values at
points of the box and against z3's own sign proof."""
from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from lawproof.language.domain import Domain
from lawproof.proofs import translate
from lawproof.proofs.box import box_holds, box_sign, value
from lawproof.proofs.translate import Translator, _prove_sign

x, y, z = (sympy.Symbol(n, real=True) for n in ("x", "y", "z"))
I, R, oo = sympy.Integer, sympy.Rational, sympy.oo


def _domain(lo, hi, lo_open=False, hi_open=False) -> Domain:
    return Domain(sympy.sympify(lo), sympy.sympify(hi), lo_open or lo == -oo, hi_open or hi == oo)


def test_value_is_exact_and_undefined_at_a_pole():
    assert value((x**2 + 1) / (x - 3), {x: Fraction(1, 2)}) == Fraction(-1, 2)
    assert value(x / (x - 3), {x: Fraction(3)}) is None
    assert value(sympy.Pow(1 / x, 0, evaluate=False), {x: Fraction(0)}) is None  # zoo**0 is no value


def test_open_ends_give_strict_signs():
    a, r = sympy.Symbol("a", real=True), sympy.Symbol("R", real=True)
    box = {a: _domain(0, 1, hi_open=True), r: _domain(1, oo, lo_open=True)}
    assert box_sign(1 - a, {a: box[a]}) == 1
    assert box_sign(a - 1, {a: box[a]}) == -1
    assert box_sign(r * a - a + 1, box) == 1          # a (R - 1) + 1 > 0
    assert box_sign(a, {a: box[a]}) == 0               # 0 at a = 0, positive elsewhere
    assert box_sign(a, {a: _domain(0, 1, lo_open=True)}) == 1


def test_a_zero_end_times_any_value_is_attained():
    # x in [0, 1], y in (0, 1): x*y = 0 at x = 0, so x*y is not positive
    box = {x: _domain(0, 1), y: _domain(0, 1, True, True)}
    assert box_sign(x * y, box) == 0
    assert box_sign(x * y + 1, box) == 1


def test_even_powers_around_zero():
    box = {x: _domain(-1, 2)}
    assert box_sign(x**2, box) == 0
    assert box_sign(x**2 + R(1, 10**6), box) == 1
    assert box_sign(-(x**4) - 1, box) == -1


def test_what_it_cannot_tell_is_left_to_z3():
    s = sympy.Symbol("s", real=True)
    assert box_sign(x - s, {x: Domain(s, I(1)), s: _domain(0, 1)}) is None   # a symbolic end
    assert box_sign(sympy.sqrt(x) + 1, {x: _domain(0, 1)}) is None           # not a polynomial
    assert box_sign(x**2 - x + 1, {x: _domain(0, 1)}) is None                 # too coarse (x^2 - x >= -1/4)


def test_an_empty_box_is_left_to_z3():
    assert box_sign(x, {x: _domain(1, 1, True, False)}) is None


ENDS = [-oo, I(-3), I(-1), R(-1, 2), I(0), R(1, 3), I(1), I(2), oo]


@st.composite
def boxes(draw):
    out = {}
    for s in (x, y, z):
        i = draw(st.integers(0, len(ENDS) - 2))
        j = draw(st.integers(max(i, 1), len(ENDS) - 1))
        lo, hi = ENDS[i], ENDS[j]
        closed = lo == hi  # a point: both ends closed
        out[s] = _domain(lo, hi, not closed and draw(st.booleans()), not closed and draw(st.booleans()))
    return out


polynomials = st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 2), st.integers(0, 2), st.integers(0, 1)),
                       min_size=1, max_size=4).map(lambda ts: sympy.Add(*[c * x**i * y**j * z**k for c, i, j, k in ts]))


def _inside(d: Domain) -> list[Fraction]:
    lo = None if d.lo == -oo else Fraction(int(d.lo.p), int(d.lo.q))
    hi = None if d.hi == oo else Fraction(int(d.hi.p), int(d.hi.q))
    if lo is not None and hi is not None:
        inner = [lo + (hi - lo) * Fraction(k, 7) for k in range(1, 7)]
        return ([] if d.lo_open else [lo]) + inner + ([] if d.hi_open else [hi])
    if lo is not None:
        return ([] if d.lo_open else [lo]) + [lo + Fraction(1, 9), lo + 1, lo + 50]
    if hi is not None:
        return ([] if d.hi_open else [hi]) + [hi - Fraction(1, 9), hi - 1, hi - 50]
    return [Fraction(-50), Fraction(-1, 9), Fraction(0), Fraction(2)]


@settings(max_examples=100, deadline=None)
@given(polynomials, boxes())
def test_box_sign_agrees_with_exact_values_and_z3(f, box):
    used = {s: box[s] for s in f.free_symbols}
    sign = box_sign(f, used)
    if sign is None:
        return
    symbols = sorted(used, key=lambda s: s.name)
    grid = [{}]
    for s in symbols:
        grid = [dict(p, **{s.name: v}) for p in grid for v in _inside(used[s])]
    values = [value(f, {s: p[s.name] for s in symbols}) for p in grid]
    if sign == 1:
        assert all(v > 0 for v in values)
    elif sign == -1:
        assert all(v < 0 for v in values)
    proved, fired = _prove_sign(f, set(used), used, {}, {})
    assert not fired
    assert proved == sign  # what z3 proves, or fails to prove both ways


def test_box_holds_keeps_closed_and_open_ends_apart():
    a = sympy.Symbol("a", real=True)
    half_open = {a: _domain(0, 1, hi_open=True)}
    assert box_holds(">=", a, half_open) and not box_holds(">", a, half_open)     # 0 at a = 0
    assert box_holds(">", 1 - a, half_open) and box_holds("!=", 1 - a, half_open)
    assert not box_holds("<", a - 1, {a: _domain(0, 1)})                           # 0 at a = 1
    assert box_holds("<=", a - 1, {a: _domain(0, 1)})
    assert not box_holds("=", a - a, half_open)                                    # only signs


def test_box_holds_takes_reciprocals_only_of_one_signed_parts():
    a = sympy.Symbol("a", real=True)
    assert box_holds(">", 1 / (1 - a), {a: _domain(0, 1, hi_open=True)})          # 1/(1 - a) in [1, oo)
    assert box_holds(">=", 1 / (1 - a) - 1, {a: _domain(0, 1, hi_open=True)})
    assert not box_holds(">", 1 / (1 - a) - 1, {a: _domain(0, 1, hi_open=True)})  # 0 at a = 0
    assert box_holds("<", 1 / x, {x: _domain(-oo, 0, hi_open=True)})
    assert not box_holds(">", 1 / x**2, {x: _domain(-1, 1)})                       # undefined at 0
    assert not box_holds(">", 1 / x, {x: _domain(0, 1)})                           # undefined at 0
    # x - y in [-3, -1]: 1/(x - y) + 1 in [0, 2/3], 0 at x = 1, y = 2; with y > 2 it is in (0, 2/3]
    assert box_holds(">=", 1 / (x - y) + 1, {x: _domain(0, 1), y: _domain(2, 3)})
    assert not box_holds(">", 1 / (x - y) + 1, {x: _domain(0, 1), y: _domain(2, 3)})
    assert box_holds(">", 1 / (x - y) + 1, {x: _domain(0, 1), y: _domain(2, 3, lo_open=True)})


rationals = st.tuples(polynomials, polynomials).map(lambda nd: nd[0] / nd[1])


@settings(max_examples=150, deadline=None)
@given(rationals, boxes(), st.sampled_from([">", ">=", "<", "<=", "!="]))
def test_box_holds_agrees_with_exact_values(f, box, op):
    used = {s: box[s] for s in f.free_symbols}
    if not box_holds(op, f, used):
        return
    symbols = sorted(used, key=lambda s: s.name)
    grid = [{}]
    for s in symbols:
        grid = [dict(p, **{s.name: v}) for p in grid for v in _inside(used[s])]
    holds = {">": lambda v: v > 0, ">=": lambda v: v >= 0, "<": lambda v: v < 0, "<=": lambda v: v <= 0,
             "!=": lambda v: v != 0}[op]
    for p in grid:
        v = value(f, {s: p[s.name] for s in symbols})
        assert v is not None and holds(v), (f, op, p, v)


def test_the_translation_uses_it_and_keeps_the_fact():
    translate._SIGN_FACTS.clear()
    a = sympy.Symbol("a", real=True)
    scope = {a: _domain(0, 1, hi_open=True)}
    assert Translator(dict(scope)).sign(1 - a, dict(scope), {}) == 1
    assert list(translate._SIGN_FACTS.values()) == [-1]  # the fact of its factor a - 1
    other = {a: _domain(2, 3)}  # another domain: another fact, never the first one's
    assert Translator(dict(other)).sign(1 - a, dict(other), {}) == -1
