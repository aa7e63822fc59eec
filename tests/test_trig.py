"""Trigonometric, inverse trigonometric and hyperbolic functions and the real cube root
(lawproof/functions.py): definedness, exact / 50-digit / interval values, floats, LaTeX,
reports, and verdicts that are computed, never typed in."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

import lawproof
from lawproof.language import functions
from lawproof.language.functions import ELEMENTARY, Cbrt
from lawproof.language.latex import latex_to_ascii
from lawproof.numeric import Undefined, enclosure, exact_value, mp_value
from lawproof.numeric.interval import Interval, _Unclear, _Undefined, elementary, power
from lawproof.report.notation import LATEX, MATHML
from lawproof.numeric.vectorize import evaluate

x = sympy.Symbol("x", real=True)
R = sympy.Rational


def _results(text: str) -> list:
    return lawproof.check_file(lawproof.loads(text, "t.claims.toml")).results


def _check(tmp_path, formula: str, symbols: str = 'x = "[-10, 10]"'):
    (result,) = _results(f'[paper]\nid = "t"\ntitle = "t"\nsource = "t"\n\n[symbols]\n{symbols}\n\n'
                         f'[[claim]]\nid = "c"\nformula = "{formula}"\n')
    return result


# --- verdicts ---------------------------------------------------------------------------

@pytest.mark.parametrize("formula", [
    "sin(pi/6) = 1/2",
    "cbrt(-8) = -2",
    "cbrt(-2)^3 = -2",
    "atan(1) = pi/4 and asin(1) = pi/2 and acos(0) = pi/2",
    "forall x in [0, 1]: sin(x) <= x",
    "forall x in [0, 5]: tanh(x) <= x",
    "forall x in [0, 1]: tan(x) >= x",
    "forall x: cosh(x)^2 - sinh(x)^2 = 1",
    "sin(x)^2 + cos(x)^2 = 1",
    "forall x: cbrt(x)^3 = x",
    "forall x in [-8, 8]: cbrt(x) <= 2",
    "forall x in [-1, 1]: arccos(x) <= 4 and arcsin(x) >= -2",
])
def test_true_claims_are_proved(tmp_path, formula):
    assert _check(tmp_path, formula).verdict == "proved"


@pytest.mark.parametrize("formula", [
    "limit(cbrt(x)^3/x, x, 0) = 0",   # SymPy said 0; the limit is 1
    "limit(x/cbrt(x)^3, x, 0) = 18",  # SymPy said 18; the limit is 1
    "limit(cbrt(x)^2/x, x, 0) = 0",   # SymPy said 0; the sides are +oo and -oo
    "limit(cbrt(x)^3/x, x, 0) = 1",   # true, but SymPy's value is no evidence
])
def test_limits_over_the_cube_root_are_left_to_no_sympy_limit(tmp_path, formula):
    # SymPy's limit reads Cbrt as an unknown function (functions.NO_SYMPY_LIMIT)
    assert _check(tmp_path, formula, 'x = "(-oo, oo)"').verdict == "unknown"


def test_sympy_limit_is_refused_the_cube_root():
    from lawproof import numeric
    from lawproof.symbolic.reductions import limit_value
    value, why = limit_value(sympy.Limit(Cbrt(x) ** 3 / x, x, 0), {}, numbers=numeric)
    assert value is None and "cube root" in why


@pytest.mark.parametrize("formula, symbols, why", [
    # solveset's {sin(2)} is no root: arcsin(sin(2)) = pi - 2
    ("solve(arcsin(x) = 2, x) = sin(2)", 'x = "[0, 1]"', "no solution"),
    # pi/4 + k*pi for every integer k: solve's pi/4 is one of infinitely many
    ("solve(tan(x) = 1, x) = pi/4", 'x = "(-oo, oo)"', "cannot list every real solution"),
])
def test_solve_with_trig_keeps_only_confirmed_complete_roots(tmp_path, formula, symbols, why):
    result = _check(tmp_path, formula, symbols)
    assert result.verdict == "error" and why in result.message


def test_solve_with_an_inverse_function_keeps_a_confirmed_root(tmp_path):
    # arctan(tan(1)) = 1 (1 < pi/2): the candidate substituted back solves the equation
    assert _check(tmp_path, "solve(arctan(x) = 1, x) = tan(1)", 'x = "(-oo, oo)"').verdict == "proved"


def test_a_tangency_at_zero_is_at_least_consistent(tmp_path):
    assert _check(tmp_path, "forall x in [-1, 1]: cos(x) >= 1 - x^2/2").verdict in ("proved", "consistent")


@pytest.mark.parametrize("formula, bound", [
    ("forall x in [0, 4]: sin(x) >= 0", True),
    ("forall x in [0, 2]: tan(x) >= 0", True),
    ("forall x in [-1, 1]: arccos(x) <= 3", True),   # arccos(-1) = pi
    ("forall x in [-2, 2]: arcsin(x) <= 2", True),   # undefined beyond 1
    ("arcsin(2) = arcsin(2)", False),                # undefined: the atom is false
    ("tan(pi/2) = tan(pi/2)", False),
    ("forall x in [-1, 1]: x^(1/3) >= -1", True),    # a real power of a negative base
])
def test_false_claims_are_refuted_at_an_exact_point(tmp_path, formula, bound):
    result = _check(tmp_path, formula)
    assert result.verdict == "refuted", result.evidence.tried
    if bound:
        # the bound x, lifted: one value, which really violates the claim (checked here with
        # mpmath at 60 digits, independently of lawproof's re-check)
        (value,) = (Fraction(v) for v in result.evidence.counterexample.values())
        lhs, op, rhs = formula.split(": ", 1)[1].split(" ")
        assert _violates(lhs, op, rhs, value)


def _violates(lhs: str, op: str, rhs: str, v: Fraction) -> bool:
    with mpmath.workdps(60):
        env = {"x": mpmath.mpf(v.numerator) / v.denominator, "pi": mpmath.pi}
        names = {"sin": mpmath.sin, "tan": mpmath.tan, "arccos": mpmath.acos, "arcsin": mpmath.asin, **env}
        try:
            a = _tiny_eval(lhs, names)
            b = _tiny_eval(rhs, names)
        except ValueError:
            return True  # undefined there
        return not {"<=": a <= b, ">=": a >= b}[op]


def _tiny_eval(text: str, names: dict):
    """The few shapes used above: f(x), x^(1/3), a number."""
    if text == "x^(1/3)":
        value = names["x"]
        if value < 0:
            raise ValueError("a real power of a negative base")
        return mpmath.cbrt(value)
    if "(" in text:
        head, arg = text.rstrip(")").split("(")
        value = names[head](names[arg])
        if isinstance(value, mpmath.mpc):
            raise ValueError("not real")
        return value
    return mpmath.mpf(text)


def test_a_pole_or_zero_at_an_irrational_point_is_never_proved(tmp_path):
    # both are false only at pi/2, which no rational counterexample reaches
    for formula in ("forall x in [1, 2]: cos(x) != 0", "forall x in [1, 2]: tan(x) > -10^9"):
        assert _check(tmp_path, formula).verdict != "proved"


def test_new_names_do_not_shadow_a_files_own_symbol_or_definition(tmp_path):
    # files written before the functions existed keep their meaning
    assert _check(tmp_path, "sin + 1 > sin", 'sin = "[0, 1]"').verdict == "proved"
    results = _results('[paper]\nid = "t"\ntitle = "t"\nsource = "t"\n\n[symbols]\nx = "[0, 1]"\n\n'
                    '[define]\n"cos(x)" = "x + 1"\n\n[[claim]]\nid = "c"\nformula = "cos(0) = 1"\n'
                    '[[claim]]\nid = "d"\nformula = "cos(1) = 2"\n')
    assert [r.verdict for r in results] == ["proved", "proved"]


def test_wrong_arity_is_an_input_error(tmp_path):
    result = _check(tmp_path, "sin(x, x) = 0")
    assert result.verdict == "error" and "takes 1 argument" in result.message


# --- definedness and exact values -------------------------------------------------------

def test_conditions_of_each_function():
    assert functions.conditions(sympy.tan(x)) == [lawproof.language.formula.Atom("!=", sympy.cos(x), 0)]
    assert len(functions.conditions(sympy.asin(x))) == 2
    assert functions.conditions(Cbrt(x)) == [] and functions.conditions(sympy.sinh(x)) == []


@pytest.mark.parametrize("expr, value", [
    (Cbrt(x), Fraction(-8)), (Cbrt(x), Fraction(-1, 8)), (sympy.asin(x), Fraction(1)),
    (sympy.acos(x), Fraction(-1)), (sympy.tan(x), Fraction(1, 2)),
])
def test_exact_values_are_real(expr, value):
    v = exact_value(expr, {x: value})
    assert v.is_extended_real
    lo, hi = enclosure(v)
    with mpmath.workdps(60):
        m = mp_value(expr, {x: value}, 60)
        assert lo <= Fraction(str(m)) + Fraction(1, 10**40) and Fraction(str(m)) - Fraction(1, 10**40) <= hi


def test_cube_root_of_a_negative_number_is_real_and_a_real_power_of_one_is_not():
    assert exact_value(Cbrt(x), {x: Fraction(-8)}) == -2
    assert mp_value(Cbrt(x), {x: Fraction(-27)}) == -3
    with pytest.raises(Undefined):
        exact_value(x ** R(1, 3), {x: Fraction(-8)})
    with pytest.raises(Undefined):
        mp_value(x ** R(1, 3), {x: Fraction(-8)})


@pytest.mark.parametrize("expr, value", [
    (sympy.asin(x), Fraction(2)), (sympy.acos(x), Fraction(-3, 2)), (sympy.tan(x), sympy.pi / 2),
])
def test_outside_the_domain_is_undefined(expr, value):
    env = {} if not isinstance(value, Fraction) else {x: value}
    term = expr.subs(x, value) if not isinstance(value, Fraction) else expr
    with pytest.raises(Undefined):
        exact_value(term, env)
    if isinstance(value, Fraction):
        with pytest.raises(Undefined):
            mp_value(term, env)


# --- enclosures against mpmath (property tests) -----------------------------------------

def _mp(f, v):
    if f.node is Cbrt:
        return mpmath.cbrt(v) if v >= 0 else -mpmath.cbrt(-v)
    return getattr(mpmath, f.mpmath)(v)


def _arb(q: Fraction) -> arb:
    return arb(fmpq(q.numerator, q.denominator))


rationals = st.fractions(min_value=-20, max_value=20, max_denominator=1000)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ELEMENTARY), rationals, rationals, st.floats(0, 1))
def test_interval_enclosures_contain_the_function_at_every_point(f, a, b, where):
    lo, hi = min(a, b), max(a, b)
    if f.domain is not None:  # squeeze into [-1, 1]
        lo, hi = lo / 20, hi / 20
    try:
        box = elementary(f, Interval(_arb(lo).lower(), _arb(hi).upper()))
    except _Unclear:
        assert f.node is sympy.tan  # only a pole may stop it inside the domain
        return
    point = lo + (hi - lo) * Fraction(where)
    with mpmath.workdps(60):
        v = _mp(f, mpmath.mpf(point.numerator) / point.denominator)
        slack = mpmath.mpf(10) ** -45 * (1 + abs(v))
        assert box.lo is None or mpmath.mpf(box.lo.mid().str(60, radius=False)) <= v + slack
        assert box.hi is None or mpmath.mpf(box.hi.mid().str(60, radius=False)) >= v - slack


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([f for f in ELEMENTARY if f.domain is None and f.node is not sympy.tan]), rationals)
def test_enclosures_with_an_infinite_end_contain_the_values_up_to_it(f, end):
    below = elementary(f, Interval(None, _arb(end)))
    above = elementary(f, Interval(_arb(end), None))
    with mpmath.workdps(60):
        for v in (end - 100, end - 1, end):
            value = _mp(f, mpmath.mpf(v.numerator) / v.denominator)
            assert below.lo is None or mpmath.mpf(below.lo.mid().str(60, radius=False)) <= value + 1e-40
        for v in (end, end + 1, end + 100):
            value = _mp(f, mpmath.mpf(v.numerator) / v.denominator)
            assert above.hi is None or mpmath.mpf(above.hi.mid().str(60, radius=False)) >= value - 1e-40


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ELEMENTARY), rationals)
def test_exact_50_digit_and_float_values_agree(f, q):
    if f.domain is not None:
        q = q / 20
    term = functions.apply(f, x) if f.node is not Cbrt else Cbrt(x)
    exact = exact_value(term, {x: q})
    lo, hi = enclosure(exact)
    with mpmath.workdps(60):
        m = mp_value(term, {x: q}, 60)
        assert mpmath.mpf(lo.numerator) / lo.denominator - 1e-40 <= m <= mpmath.mpf(hi.numerator) / hi.denominator + 1e-40
        expected = _mp(f, mpmath.mpf(q.numerator) / q.denominator)
        assert abs(m - expected) <= 1e-40 * (1 + abs(expected))
    floats = evaluate(term, {x: np.array([float(q)])})
    assert abs(floats[0] - float(m)) <= 1e-9 * (1 + abs(float(m)))


def test_undefined_boxes_and_unclear_boxes():
    asin = functions.BY_NAME["arcsin"]
    with pytest.raises(_Undefined):
        elementary(asin, Interval(arb(2), arb(3)))
    with pytest.raises(_Unclear):
        elementary(asin, Interval(arb(0), arb(2)))
    with pytest.raises(_Unclear):  # pi/2 is inside
        elementary(functions.BY_NAME["tan"], Interval(arb(1), arb(2)))


def test_floats_are_real_valued():
    out = evaluate(sympy.asin(x) + Cbrt(x), {x: np.array([-8.0, 0.5, 2.0])})
    assert np.isnan(out[0]) and np.isnan(out[2]) and not np.isnan(out[1])
    assert evaluate(Cbrt(x), {x: np.array([-8.0])})[0] == -2.0
    assert np.isnan(evaluate(x ** R(1, 3), {x: np.array([-8.0])})[0])  # a real power: undefined


def test_no_layer_reads_a_real_power_of_a_negative_base_as_the_cube_root():
    negative = Interval(arb(-8), arb(-8))
    root = elementary(functions.BY_NAME["cbrt"], negative)
    assert root.lo <= -2 <= root.hi and root.hi < -1
    with pytest.raises(_Undefined):
        power(negative, Interval.of(arb(1) / 3))


# --- notation ---------------------------------------------------------------------------

def test_latex_input_and_report_notation():
    text = latex_to_ascii(r"\sin x + \arctan(x) + \sqrt[3]{x} + \sqrt[5]{x}", functions=set(), symbols={"x"})
    assert text.replace(" ", "") == "sin(x)+arctan(x)+cbrt((x))+(((x))^(1/(5)))"
    assert LATEX.term(sympy.asin(x)) == r"\arcsin{\left(x \right)}"
    # a braced index is typeset as the bare one: \sqrt[{3}] is the cube root too; a sum is not 3
    braced = latex_to_ascii(r"\sqrt[{3}]{x} + \sqrt[{{3}}]{x} + \sqrt[(1)+(2)]{x}", functions=set(), symbols={"x"})
    assert braced.replace(" ", "") == "cbrt((x))+cbrt((x))+(((x))^(1/((1)+(2))))"
    # named, not a root sign: SymPy writes the real power x^(1/3) (undefined below 0) as one
    assert LATEX.term(Cbrt(x)) == r"\operatorname{cbrt}{\left(x \right)}"
    assert LATEX.term(x ** R(1, 3)) == r"\sqrt[3]{x}"
    assert "<mi>cbrt</mi>" in MATHML.term(Cbrt(x)) and "<mroot>" not in MATHML.term(Cbrt(x))
    assert sympy.sstr(Cbrt(x)) == "cbrt(x)"


@pytest.mark.parametrize("formula", [
    "limit(cbrt(s)/s, s, oo) = 0",          # SymPy leaves it unevaluated: undecided, not a crash
    "integrate(cbrt(t), t, -1, 1) = 0",
    "min(arcsin(x), 1) <= 1",
])
def test_what_sympy_cannot_evaluate_stays_undecided_without_internal_errors(tmp_path, formula):
    result = _check(tmp_path, formula, 'x = "[-1, 1]"\ns = "(0, oo)"')
    assert result.verdict in ("proved", "consistent", "unknown"), result.message
