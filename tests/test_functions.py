"""Function symbols (`[functions.NAME]`): claims about every function of a shape.

Proofs come from the hypotheses instantiated at the claim's terms; refutations name a
concrete function, which these tests check again on their own: the function's text is
read back, its shape checked exactly at a grid that contains every kink, and the claim
evaluated with it in plain Fractions."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import lawproof
from lawproof.language.claims import FunctionSymbol
from lawproof.language.domain import Domain
from lawproof.language.parser import Namespace, parse_term
from lawproof.proofs.functions import PiecewiseLinear, Quadratic, concrete_functions

HEAD = """
[paper]
id = "toy-functions"

[symbols]
x = "[0, 1]"
y = "[0, 1]"
u = "[-1, 1]"

[functions.f]
args   = ["t"]
domain = "[0, 1]"
shape  = ["increasing"]

[functions.g]
args   = ["t"]
domain = "[-1, 1]"
shape  = ["convex"]

[functions.p]
args   = ["t"]
domain = "[0, 1]"
shape  = ["nonincreasing", "concave"]
values = "[0, 2]"

[functions.s]
args           = ["t"]
domain         = "[-1, 1]"
shape          = ["convex", "nondecreasing"]
differentiable = true

[define]
"ds(t)" = "diff(s(t), t)"
"""

T = sympy.Symbol("t", real=True)


def check(formula: str, **extra: str) -> lawproof.Result:
    keys = "".join(f'{k} = "{v}"\n' for k, v in extra.items())
    cf = lawproof.loads(HEAD + f'\n[[claim]]\nid = "c"\nformula = "{formula}"\n{keys}', "toy.claims.toml")
    assert not cf.errors, cf.errors
    return lawproof.check_claim(cf.claims[0], cf.theory)


def function_of(result: lawproof.Result, name: str):
    """The counterexample's function, read back from its claim-language text."""
    text = result.evidence.functions[f"{name}(t)"]
    body = parse_term(text, Namespace(symbols={"t": (T, Domain(-sympy.oo, sympy.oo, True, True))}))
    return lambda v: Fraction(str(body.xreplace({T: sympy.Rational(v.numerator, v.denominator)})))


def grid(lo: Fraction, hi: Fraction, extra: list[Fraction] = ()) -> list[Fraction]:
    """Points of [lo, hi] every 1/64, plus `extra`."""
    pts = {lo + (hi - lo) * Fraction(k, 64) for k in range(65)} | {e for e in extra if lo <= e <= hi}
    return sorted(pts)


def point(result: lawproof.Result, name: str) -> Fraction:
    return Fraction(result.evidence.counterexample[name])


# -- proved: every function of the shape ------------------------------------------------

@pytest.mark.parametrize("formula", [
    "x < y -> f(x) < f(y)",
    "x <= y -> f(x) <= f(y)",
    "f(x) < f(y) -> x < y",
    "g((u + 1)/2) <= (g(u) + g(1))/2",
    "g(-1) = 1 and g(1) = 1 and g(0) = 0 -> g(1/2) <= 1/2",
    "0 <= p(x) <= 2 and p(1) <= p(x)",
    "p(1/2) >= (p(0) + p(1))/2",
    "s(u) >= s(0) + ds(0)*u",
    "ds(u) >= 0",
    "minimized_at(f(x), x, 0)",
    "forall z in [0, 1]: f(z) <= f(1)",
])
def test_true_claims_are_proved(formula: str) -> None:
    r = check(formula)
    assert r.verdict == "proved", (r.verdict, r.message, r.evidence.tried)
    assert "instantiated" in r.method


# -- refuted: a concrete function, checked here on its own ------------------------------

def test_strictness_refuted_with_an_increasing_function() -> None:
    r = check("x <= y -> f(x) < f(y)")
    assert r.verdict == "refuted"
    f, x, y = function_of(r, "f"), point(r, "x"), point(r, "y")
    pts = grid(Fraction(0), Fraction(1))
    assert all(f(a) < f(b) for a, b in zip(pts, pts[1:]))  # increasing (piecewise linear: at the grid)
    assert x <= y and not f(x) < f(y)


def test_reversed_jensen_refuted_with_a_convex_function() -> None:
    r = check("g((u + 1)/2) >= (g(u) + g(1))/2")
    assert r.verdict == "refuted"
    g, u = function_of(r, "g"), point(r, "u")
    pts = grid(Fraction(-1), Fraction(1), [u, (u + 1) / 2])
    # convex: slopes between consecutive grid points never decrease
    slopes = [(g(b) - g(a)) / (b - a) for a, b in zip(pts, pts[1:])]
    assert all(s1 <= s2 for s1, s2 in zip(slopes, slopes[1:]))
    assert not g((u + 1) / 2) >= (g(u) + g(1)) / 2


def test_concave_bounded_refuted_within_its_bounds() -> None:
    r = check("p(0) - p(1) <= 1")
    assert r.verdict == "refuted"
    p = function_of(r, "p")
    pts = grid(Fraction(0), Fraction(1))
    assert all(0 <= p(a) <= 2 for a in pts)
    assert all(p(a) >= p(b) for a, b in zip(pts, pts[1:]))
    slopes = [(p(b) - p(a)) / (b - a) for a, b in zip(pts, pts[1:])]
    assert all(s1 >= s2 for s1, s2 in zip(slopes, slopes[1:]))
    assert not p(0) - p(1) <= 1


def test_differentiable_counterexample_is_smooth() -> None:
    r = check("s(u) <= s(0) + ds(0)*u")
    assert r.verdict == "refuted"
    text = r.evidence.functions["s(t)"]
    assert "max" not in text  # a polynomial, not a kinked interpolation
    s, u = function_of(r, "s"), point(r, "u")
    body = parse_term(text, Namespace(symbols={"t": (T, Domain(-sympy.oo, sympy.oo, True, True))}))
    slope = sympy.diff(body, T)
    assert all(slope.subs(T, sympy.Rational(a.numerator, a.denominator)) >= 0 for a in grid(Fraction(-1), Fraction(1)))
    assert sympy.diff(body, T, 2) >= 0
    assert not s(u) <= s(Fraction(0)) + Fraction(str(slope.subs(T, 0))) * u


def test_outside_the_domain_a_comparison_is_false() -> None:
    assert check("f(2) >= f(0)").verdict == "refuted"
    assert check("not (f(2) < f(0))").verdict == "proved"


def test_no_piecewise_linear_function_no_refutation() -> None:
    """Positive and decreasing on (0, oo): 1/t^3 refutes the claim, but no function the
    engine builds has that shape, so the instances' model is not a counterexample."""
    head = HEAD + '\n[functions.q]\nargs = ["t"]\ndomain = "(0, oo)"\nshape = ["convex", "decreasing", "positive"]\n'
    cf = lawproof.loads(head + '\n[[claim]]\nid = "c"\nformula = "q(1) - q(2) <= q(2)"\n', "toy.claims.toml")
    r = lawproof.check_claim(cf.claims[0], cf.theory)
    assert r.verdict == "unknown"
    assert "bound 0" in r.message


# -- input errors -------------------------------------------------------------------------

@pytest.mark.parametrize(("table", "message"), [
    ('args = ["t"]\ndomain = "[0, 1]"\nshape = ["wiggly"]', "unknown shape 'wiggly'"),
    ('args = ["a", "b"]\ndomain = ["[0, 1]", "[0, 1]"]\nshape = ["convex"]', "one argument only"),
    ('args = ["a", "b"]\ndomain = ["[0, 1]", "[0, 1]"]\nshape = ["increasing"]', "in which argument"),
    ('args = ["t"]\nshape = ["increasing"]', "argument 't' has no domain"),
    ('args = ["t"]\ndomain = "[0, 1]"\ncolour = "red"', "unknown key 'colour'"),
])
def test_bad_function_tables_are_located_input_errors(table: str, message: str) -> None:
    cf = lawproof.loads('[paper]\nid = "bad"\n\n[functions.k]\n' + table + "\n", "bad.claims.toml")
    assert len(cf.errors) == 1 and message in str(cf.errors[0]), cf.errors
    assert str(cf.errors[0]).startswith("bad.claims.toml:4: in [functions.k]")  # the table's header line


def test_derivative_of_a_function_not_declared_differentiable_is_an_input_error() -> None:
    r = check("diff(g(u), u) >= 0")
    assert r.verdict == "error" and "not declared differentiable" in r.message


# -- the construction of counterexample functions -------------------------------------------

FN = FunctionSymbol("k", (sympy.Symbol("k.t", real=True),), (Domain(sympy.Integer(0), sympy.Integer(10)),),
                    ("increasing",), "convex", sympy.Integer(0), None, True, False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(-5, 5)), min_size=1, max_size=5, unique_by=lambda p: p[0]))
def test_concrete_function_meets_the_hypotheses_or_says_why(raw: list[tuple[int, int]]) -> None:
    points = {Fraction(x): Fraction(y) for x, y in raw}
    found = concrete_functions(FN, points, {}, {})
    if isinstance(found, str):
        return
    for g in found:  # every candidate offered meets every hypothesis
        assert isinstance(g, (PiecewiseLinear, Quadratic))
        assert all(g(x) == y for x, y in points.items())
        pts = grid(Fraction(0), Fraction(10), list(points))
        values = [g(a) for a in pts]
        assert all(v > 0 for v in values)
        assert all(a < b for a, b in zip(values, values[1:]))
        slopes = [(g(b) - g(a)) / (b - a) for a, b in zip(pts, pts[1:])]
        assert all(s1 <= s2 for s1, s2 in zip(slopes, slopes[1:]))


def test_concrete_function_for_points_that_allow_one() -> None:
    found = concrete_functions(FN, {Fraction(1): Fraction(1), Fraction(2): Fraction(3), Fraction(4): Fraction(8)},
                               {}, {})
    assert not isinstance(found, str), found
    assert all([g(Fraction(v)) for v in (1, 2, 4)] == [1, 3, 8] for g in found)


def test_no_function_when_the_points_break_the_shape() -> None:
    assert isinstance(concrete_functions(FN, {Fraction(1): Fraction(3), Fraction(2): Fraction(1)}, {}, {}), str)


def test_optimum_moves_the_wrong_way_refuted_with_a_function() -> None:
    """Comparative statics for any cost: the optimum does not grow with the price of N.
    The strict version fails: a cost with a kink keeps both optima at the same point."""
    body = ('[paper]\nid = "statics"\n[symbols]\nN = "(0, oo)"\nN1 = "(0, oo)"\nN2 = "(0, oo)"\n'
            'p1 = "(0, oo)"\np2 = "(0, oo)"\n[functions.C]\nargs = ["t"]\ndomain = "(0, oo)"\n'
            'shape = ["positive"]\n')
    premise = "p1 < p2 and minimized_at(C(N) + N*p1, N, N1) and minimized_at(C(N) + N*p2, N, N2)"
    cf = lawproof.loads(body + f'[[claim]]\nid = "weak"\nformula = "{premise} -> N2 <= N1"\n'
                               f'[[claim]]\nid = "strict"\nformula = "{premise} -> N2 < N1"\n', "s.claims.toml")
    weak, strict = (lawproof.check_claim(c, cf.theory) for c in cf.claims)
    assert weak.verdict == "proved"
    assert strict.verdict == "refuted"
    ce = strict.evidence.counterexample
    c = function_of(strict, "C")
    n1, n2, p1, p2 = (Fraction(ce[k]) for k in ("N1", "N2", "p1", "p2"))
    assert p1 < p2 and not n2 < n1
    # both optima hold for the concrete C: it is piecewise linear, so the objective's
    # minimum over (0, oo) is at a kink or is approached at 0 (checked on a fine grid
    # that contains the kinks, and the slope beyond the last one)
    pts = grid(Fraction(1, 1000), Fraction(20), [n1, n2])
    for n_opt, p in ((n1, p1), (n2, p2)):
        assert all(c(n) + n * p >= c(n_opt) + n_opt * p for n in pts)
        assert c(Fraction(21)) - c(Fraction(20)) + p > 0
    assert all(c(n) > 0 for n in pts)


# -- optimizers without closed form: the implicit function theorem ---------------------------

STATICS = """
[paper]
id = "ift"

[symbols]
x  = "(-oo, oo)"
th = "(-oo, oo)"
q  = "[0, 1]"

[define]
"f(x)" = "x^6/6 + x^2/2 - th*x"
xstar  = "argmin(f(x), x)"

[[claim]]
id = "slope-positive"
formula = "diff(xstar, th) > 0"

[[claim]]
id = "slope-below-half"
formula = "diff(xstar, th) < 1/2"

[[claim]]
id = "not-strictly-convex"
formula = "diff(argmin(x^4/4 - th*x^2/2, x), th) > 0"
"""


def test_optimizer_without_closed_form_is_decided_by_the_implicit_function_theorem() -> None:
    cf = lawproof.loads(STATICS, "ift.claims.toml")
    r = {c.id: lawproof.check_claim(c, cf.theory) for c in cf.claims}
    assert r["slope-positive"].verdict == "proved"
    assert "implicit function theorem" in r["slope-positive"].method
    proved = [step for what, step in r["slope-positive"].evidence.derivation if what == "condition proved"]
    assert any("strictly convex" in p for p in proved) and any("has a solution" in p for p in proved)
    wrong = r["slope-below-half"]
    assert wrong.verdict == "refuted"
    th, star = Fraction(wrong.evidence.counterexample["th"]), Fraction(wrong.evidence.counterexample["x_opt"])
    # independently: x* solves f_x = x^5 + x - th = 0 (f_xx = 5x^4 + 1 > 0: it is the minimum),
    # and dx*/dth = 1/(5 x*^4 + 1) is not below 1/2
    assert star ** 5 + star - th == 0
    assert not 1 / (5 * star ** 4 + 1) < Fraction(1, 2)
    # without strict convexity there is no certified first-order form
    assert r["not-strictly-convex"].verdict == "unknown"
    assert "strictly convex" in r["not-strictly-convex"].message

