"""Soundness oracle, part 2: differential checking against an independent truth.

Hypothesis generates closed claims over one variable (and some over two)

    forall x in [a, b]: p(x) >= 0        forall x in [a, b]: p(x) > 0
    exists x in [a, b]: p(x) = 0         exists x in [a, b]: p(x) < 0

with p a polynomial or a quotient of polynomials with small integer coefficients. The
test decides each claim itself, without lawproof: exact sign analysis of the
polynomials (SymPy's certified real-root counting and square-free factorization on exact
integer polynomials, an independent path from lawproof's z3/interval methods), checked
against exact `Fraction` evaluation on a dense grid. `proved` must mean true and `refuted`
false; an undecided verdict is fine.

Definedness follows the claim language: p/q is undefined where q = 0 and a comparison
with an undefined term is false.

Set LAWPROOF_ORACLE_EXAMPLES to run many more examples locally (e.g. 500).
"""
from __future__ import annotations

import os
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, note, settings, strategies as st

import lawproof

EXAMPLES = int(os.environ.get("LAWPROOF_ORACLE_EXAMPLES", "0")) or None
TIMEOUT = 2
X, Y = sympy.symbols("X Y")
GRID = 64

HEAD = '[paper]\nid = "oracle"\ntitle = "oracle"\n[symbols]\nx = "[-10, 10]"\ny = "[-10, 10]"\n'
SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CHECKED: list[tuple[str, str, bool]] = []


# --------------------------------------------------------------------------- the independent truth
def poly(coeffs, var=X) -> sympy.Poly:
    return sympy.Poly(list(coeffs), var, domain="QQ")


def frac(v) -> Fraction:
    v = sympy.Rational(v)
    return Fraction(int(v.p), int(v.q))


def ev(p: sympy.Poly, x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in p.all_coeffs():
        out = out * x + frac(c)
    return out


def roots_in(p: sympy.Poly, a: Fraction, b: Fraction, br: str = "[]") -> int:
    """Distinct real roots of p in [a, b], or in the interval with brackets `br`
    (certified: SymPy counts real roots of an exact polynomial by Sturm sequences)."""
    if p.is_zero:
        raise ValueError("zero polynomial")
    if p.degree() <= 0:
        return 0
    n = int(p.sqf_part().count_roots(sympy.Rational(a.numerator, a.denominator),
                                     sympy.Rational(b.numerator, b.denominator)))
    return n - (br[0] == "(" and ev(p, a) == 0) - (br[1] == ")" and ev(p, b) == 0)


def nonneg_on(p: sympy.Poly, a: Fraction, b: Fraction) -> bool:
    """p(x) >= 0 for every x in [a, b] (a < b), decided exactly."""
    if p.is_zero:
        return True
    # p changes sign inside (a, b) iff a factor of odd multiplicity has a root there
    _, factors = p.sqf_list()
    for f, m in factors:
        if m % 2 and f.degree() > 0:
            inside = roots_in(f, a, b) - (ev(f, a) == 0) - (ev(f, b) == 0)
            if inside > 0:
                return False
    # no sign change: p has one sign on [a, b] away from its finitely many roots
    for k in range(1, 4 * (p.degree() + 2)):
        v = ev(p, a + (b - a) * Fraction(k, 4 * (p.degree() + 2)))
        if v != 0:
            return v > 0
    raise AssertionError("a nonzero polynomial vanished on too many points")


def truth(kind: str, num: sympy.Poly, den: sympy.Poly, a: Fraction, b: Fraction,
          br: str = "[]") -> bool:
    """The truth of `Q x in [a, b]: num/den REL 0` for the four claim shapes (`br`: the
    interval's brackets; the sign of a polynomial on the open interval decides it on the
    closure too, by continuity, so only roots care about the ends)."""
    den_vanishes = roots_in(den, a, b, br) > 0
    if kind == ">=":    # forall: defined everywhere and num*den >= 0
        return not den_vanishes and nonneg_on(num * den, a, b)
    if kind == ">":     # forall: defined everywhere, num never 0, num*den >= 0
        return not den_vanishes and (not num.is_zero and roots_in(num, a, b, br) == 0) \
            and nonneg_on(num * den, a, b)
    if kind == "=0":    # exists a root of num where den != 0
        if num.is_zero:     # 0/den = 0 wherever den != 0: almost everywhere
            return True
        n, d = num.sqf_part(), den.sqf_part()
        g = n.gcd(d)
        only_num = n.exquo(g)
        return only_num.degree() > 0 and roots_in(only_num, a, b, br) > 0
    if kind == "<0":    # exists: num*den < 0 somewhere (an open set, so den != 0 there)
        return not nonneg_on(num * den, a, b)
    raise AssertionError(kind)


def grid_truth(kind, num, den, a, b, br="[]"):
    """What a dense exact grid says: a witness proves an exists / refutes a forall."""
    for k in range(br[0] == "(", GRID + (br[1] == "]")):
        x = a + (b - a) * Fraction(k, GRID)
        d = ev(den, x)
        v = None if d == 0 else ev(num, x) / d
        if kind == ">=" and (v is None or v < 0):
            return False
        if kind == ">" and (v is None or v <= 0):
            return False
        if kind == "=0" and v == 0:
            return True
        if kind == "<0" and v is not None and v < 0:
            return True
    return None    # the grid alone cannot tell


# --------------------------------------------------------------------------- printing claims
def ptext(p: sympy.Poly, var: str) -> str:
    terms = []
    for (k,), c in zip(p.monoms(), p.coeffs()):
        c = frac(c)
        mon = "" if k == 0 else (var if k == 1 else f"{var}^{k}")
        cs = f"({c})" if c.denominator != 1 or c < 0 else str(c)
        terms.append(cs if not mon else f"{cs}*{mon}")
    return " + ".join(terms) if terms else "0"


def interval_text(a: Fraction, b: Fraction, br: str = "[]") -> str:
    def n(v):
        return f"({v})" if v < 0 or v.denominator != 1 else str(v)
    return f"{br[0]}{n(a)}, {n(b)}{br[1]}"


def written(p: sympy.Poly, factored: bool) -> str:
    """p expanded, or (when it was built so and `factored`) as the product it was built from."""
    return FACTORED.get(key(p), ptext(p, "x")) if factored else ptext(p, "x")


def claim_text(kind, num, den, a, b, br="[]", factored=False) -> str:
    var = "x"
    body = written(num, factored) if den.degree() == 0 and frac(den.LC()) == 1 \
        else f"({written(num, factored)})/({written(den, factored)})"
    q, rel = {">=": ("forall", ">= 0"), ">": ("forall", "> 0"),
              "=0": ("exists", "= 0"), "<0": ("exists", "< 0")}[kind]
    return f"{q} {var} in {interval_text(a, b, br)}: {body} {rel}"


def lawproof_verdict(formula: str) -> str:
    body = f'[[claim]]\nid = "c"\ntimeout = {TIMEOUT}\nformula = """{formula}"""\n'
    cf = lawproof.loads(HEAD + body, "oracle.claims.toml")
    assert not cf.errors and cf.claims[0].error is None, (formula, cf.claims[0].error)
    r = lawproof.check_file(cf).results[0]
    if r.verdict == "error":
        m = (r.message or "").lower()
        assert " vs " not in r.method and "disagree" not in m and "bug" not in m, (formula, r.method, m)
    return r.verdict


def compare(formula: str, true: bool) -> None:
    v = lawproof_verdict(formula)
    CHECKED.append((formula, v, true))
    note(f"{formula}: lawproof {v}, truth {true}")
    if v == "proved":
        assert true, f"proved a false claim: {formula}"
    if v == "refuted":
        assert not true, f"refuted a true claim: {formula}"


# --------------------------------------------------------------------------- strategies
coeff = st.integers(-4, 4)
ends = st.sampled_from([Fraction(v, 2) for v in range(-6, 7)])
widths = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3), Fraction(4)])
KINDS = st.sampled_from([">=", ">", "=0", "<0"])


#: a product form of each polynomial built from factors, to write it as such sometimes
FACTORED: dict[tuple, str] = {}


def key(p: sympy.Poly) -> tuple:
    return tuple(frac(c) for c in p.all_coeffs())


@st.composite
def polys(draw, max_degree=4):
    """Polynomials with small integer coefficients; often products of small linear and
    quadratic factors, so that roots (double roots, rational roots at the interval's
    ends) land where they are hard to get right."""
    if draw(st.booleans()):
        cs = draw(st.lists(coeff, min_size=1, max_size=max_degree + 1))
        p = poly(cs or [1])
    else:
        lead = draw(st.integers(1, 3)) * draw(st.sampled_from([1, -1]))
        p, texts = poly([lead]), [f"({lead})"]
        for _ in range(draw(st.integers(1, 3))):
            r = draw(st.sampled_from([Fraction(v, 2) for v in range(-6, 7)]))
            if draw(st.integers(0, 3)) == 0:     # a quadratic x^2 - c (c < 0: no real root)
                c = draw(st.integers(-1, 5))
                f, t = poly([1, 0, -c]), f"(x^2 - ({c}))"
            else:
                f, t = poly([r.denominator, -r.numerator]), f"({r.denominator}*x - ({r.numerator}))"
            if draw(st.integers(0, 3)) == 0:     # a square, written as one
                f, t = f * f, f"{t}^2"
            p, texts = p * f, texts + [t]
        if not p.is_zero:
            FACTORED[key(p)] = "*".join(texts)
    return p if not p.is_zero else poly([draw(st.integers(1, 3))])


@st.composite
def univariate(draw):
    num = draw(polys())
    den = poly([1]) if draw(st.integers(0, 2)) else draw(polys(max_degree=2))
    a = draw(ends)
    br = draw(st.sampled_from(["[]", "[]", "()", "[)", "(]"]))
    return draw(KINDS), num, den, a, a + draw(widths), br, draw(st.booleans())


def check_univariate(kind, num, den, a, b, br, factored=False):
    true = truth(kind, num, den, a, b, br)
    grid = grid_truth(kind, num, den, a, b, br)
    assert grid is None or grid == true, "the oracle contradicts its own grid"
    compare(claim_text(kind, num, den, a, b, br, factored), true)


@given(univariate())
@settings(max_examples=EXAMPLES or 150, **SETTINGS)
def test_one_variable_claims_agree_with_exact_sign_analysis(case):
    check_univariate(*case)


# Two variables: p(x, y) = A(x) + B(x)*y is linear in y, so over y in [c, d] its extremes
# are at y = c and y = d and every claim reduces exactly to one-variable questions:
#   forall x, y: p >= 0  <=>  A + B c >= 0 and A + B d >= 0 on [a, b]     (also > 0)
#   exists x, y: p = 0   <=>  exists x: (A + B c)(A + B d) <= 0           (IVT in y)
#   exists x, y: p < 0   <=>  not forall x, y: p >= 0
#   forall x: exists y: p = 0  <=>  forall x: (A + B c)(A + B d) <= 0
@st.composite
def bivariate(draw):
    A, B = draw(polys(max_degree=3)), draw(polys(max_degree=2))
    a, c = draw(ends), draw(ends)
    return (draw(st.sampled_from([">=", ">", "=0", "<0", "AE"])), A, B,
            a, a + draw(widths), c, c + draw(widths))


def bivariate_truth(kind, A, B, a, b, c, d):
    one = poly([1])
    lo, hi = A + B * poly([c]), A + B * poly([d])
    if kind == ">=":
        return nonneg_on(lo, a, b) and nonneg_on(hi, a, b)
    if kind == ">":
        return truth(">", lo, one, a, b) and truth(">", hi, one, a, b)
    if kind == "<0":
        return not (nonneg_on(lo, a, b) and nonneg_on(hi, a, b))
    if kind == "=0":
        return not truth(">", lo * hi, one, a, b)
    if kind == "AE":
        return nonneg_on(-(lo * hi), a, b)
    raise AssertionError(kind)


def bivariate_text(kind, A, B, a, b, c, d):
    p = f"{ptext(A, 'x')} + ({ptext(B, 'x')})*y"
    dom = f"x in {interval_text(a, b)}, y in {interval_text(c, d)}"
    if kind == "AE":
        return f"forall x in {interval_text(a, b)}: exists y in {interval_text(c, d)}: {p} = 0"
    q, rel = {">=": ("forall", ">= 0"), ">": ("forall", "> 0"),
              "=0": ("exists", "= 0"), "<0": ("exists", "< 0")}[kind]
    return f"{q} {dom}: {p} {rel}"


@given(bivariate())
@settings(max_examples=EXAMPLES or 60, **SETTINGS)
def test_two_variable_claims_agree_with_exact_sign_analysis(case):
    compare(bivariate_text(*case), bivariate_truth(*case))


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    from collections import Counter
    tally = Counter((v, t) for _, v, t in CHECKED)
    print(f"\noracle (differential): {len(CHECKED)} claims, verdict/truth: {dict(tally)}")


# --------------------------------------------------------------------------- the oracle's own sanity
@pytest.mark.parametrize("kind, num, den, a, b, expected", [
    (">=", [1, 0, 0], [1], -1, 1, True),            # x^2 >= 0
    (">", [1, 0, 0], [1], -1, 1, False),            # x^2 > 0 fails at 0
    (">", [1, 0, 0], [1], 0, 1, False),             # ... at the closed end too
    (">=", [1, -1], [1, 0], -1, 1, False),          # (x - 1)/x undefined at 0
    (">=", [1, -1], [1, 1], 1, 2, True),            # (x - 1)/(x + 1) on [1, 2]
    ("=0", [1, -1], [1, -1], 0, 2, False),          # (x - 1)/(x - 1) = 0 never: undefined at 1
    ("=0", [3, 0, -1], [1], 0, 1, True),            # irrational root 1/sqrt(3)
    ("<0", [1, -2, 1], [1], -3, 3, False),          # (x - 1)^2 < 0 never
    ("<0", [1, 0, -2], [1], 1, 3, True),            # x^2 - 2 < 0 near 1
    (">=", [-1, 0, 2], [1], -1, 1, True),           # 2 - x^2 on [-1, 1]
    (">", [1, 0, 0], [1], "(0", "1]", True),         # x^2 > 0 on (0, 1]
    (">=", [1], [1, 0], "(0", "1]", True),           # 1/x on (0, 1]
    ("=0", [1, -1], [1], 0, "1)", False),            # x - 1 = 0 on [0, 1)
    ("=0", [1, -1], [1], 0, "1]", True),             # ... on [0, 1]
])
def test_the_oracle_itself(kind, num, den, a, b, expected):
    def end(v):
        return (Fraction(v.strip("()[]")), v) if isinstance(v, str) else (Fraction(v), "")
    (a, sa), (b, sb) = end(a), end(b)
    br = (sa[:1] or "[") + (sb[-1:] or "]")
    assert truth(kind, poly(num), poly(den), a, b, br) is expected
