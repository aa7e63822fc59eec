"""Symbolic reductions of transcendental claims: each is checked against 50-digit
evaluation of the original at random rational points, and the reduced claims are
decided by z3."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import lawproof
import lawproof.numeric as numeric
from lawproof.language.domain import Domain
from lawproof.language.errors import OutsideFragment
from lawproof.language.formula import Atom, Binder, Formula, Implies, Not, Quantified, nnf
from lawproof.numeric import exact_value, mp_truth, mp_value, recheck
from lawproof.proofs import decide
from lawproof.numeric.interval import prove, sign_on
from lawproof.symbolic.reductions import Reduction, limits, monotone, powers, reduce, substitute

x, y, b, t, t1, t2, k, K, E0, C1, C2 = (sympy.Symbol(n, real=True) for n in
                                        ("x", "y", "b", "t", "t1", "t2", "k", "K", "E0", "C1", "C2"))
I, R, oo = sympy.Integer, sympy.Rational, sympy.oo
POS = Domain(I(0), oo, True, True)
NONNEG = Domain(I(0), oo, False, True)
UNIT = Domain(I(0), I(1), True, True)
SETTINGS = settings(max_examples=30, deadline=None)


def X(time: sympy.Expr) -> sympy.Expr:
    """Relative excess loss with efficiency doublings (MATH.md section 2)."""
    return (1 + (2 ** (b * time) - 1) / (b * sympy.log(2))) ** (-k)


def positive(hi: int = 50) -> st.SearchStrategy[Fraction]:
    return st.fractions(min_value=Fraction(1, 64), max_value=hi, max_denominator=64)


def unit() -> st.SearchStrategy[Fraction]:
    return st.fractions(min_value=Fraction(1, 64), max_value=Fraction(63, 64), max_denominator=64)


def the(reductions: list[Reduction], name: str) -> Reduction:
    return next(r for r in reductions if r.name == name)


def same_truth(original: Formula, reduced: Reduction, point: dict) -> None:
    """The reduced claim, with its new variables at the values they stand for, has the
    original's truth value at the point (50 digits)."""
    values = dict(point)
    for s, meaning in reduced.stands_for.items():
        lo, hi = (sympy.Rational(int(q.numerator), int(q.denominator))
                  for q in numeric.enclosure(exact_value(meaning, point)))
        values[s] = Fraction(int(((lo + hi) / 2).p), int(((lo + hi) / 2).q))
        d = reduced.domains[s]
        assert d.lo <= lo and hi <= d.hi  # the new variable's range holds what it stands for
    assert mp_truth(reduced.formula, values) == mp_truth(original, point)


# --- monotone transforms -------------------------------------------------------------------

LOG_MONOTONE = Implies(Atom("<=", x, y), Atom("<=", sympy.log(x), sympy.log(y)))
LOG_WRONG = Implies(Atom("<=", x, y), Atom(">=", sympy.log(x), sympy.log(y)))
POWER_LAW = Implies(Atom("<", C1, C2), Atom(">", E0 + K * C1 ** (-k), E0 + K * C2 ** (-k)))
POWER_DOMAINS = {C1: POS, C2: POS, k: UNIT, K: POS, E0: NONNEG}


@SETTINGS
@given(positive(), positive())
def test_log_transform_agrees_with_50_digits(xv, yv):
    for claim in (LOG_MONOTONE, LOG_WRONG, Atom("<", sympy.log(x), sympy.log(2 * y))):
        red = monotone(claim, {x: POS, y: POS})
        assert red is not None and red.exact
        same_truth(claim, red, {x: xv, y: yv})


@SETTINGS
@given(positive(), positive(), unit(), positive(), positive())
def test_power_law_transform_agrees_with_50_digits(c1, c2, kv, kk, e0):
    red = monotone(POWER_LAW, POWER_DOMAINS)
    assert red.exact
    same_truth(POWER_LAW, red, {C1: c1, C2: c2, k: kv, K: kk, E0: e0})


@SETTINGS
@given(st.fractions(min_value=0, max_value=20, max_denominator=16),
       st.fractions(min_value=-3, max_value=3, max_denominator=16))
def test_roots_and_exponentials_transform_agree_with_50_digits(xv, yv):
    domains = {x: Domain(I(0), I(20)), y: Domain(I(-3), I(3))}
    for claim in (Atom("<=", sympy.sqrt(x), I(3)), Atom(">", x ** R(3, 2), I(8)),
                  Atom("<", sympy.exp(y), sympy.exp(2 * y - 1)), Atom(">=", 2 ** y, I(4)),
                  Not(Atom("<", sympy.exp(y) * (y - 1), I(0)))):  # a positive factor, negated
        red = monotone(claim, domains)
        assert red is not None and red.exact, claim
        same_truth(claim, red, {x: xv, y: yv})


def test_reduced_claims_are_decided_by_smt_and_counterexamples_carry_over():
    assert decide(monotone(LOG_MONOTONE, {x: POS, y: POS}).formula, {x: POS, y: POS}).status == "proved"
    assert decide(monotone(POWER_LAW, POWER_DOMAINS).formula, POWER_DOMAINS).status == "proved"
    wrong = decide(monotone(LOG_WRONG, {x: POS, y: POS}).formula, {x: POS, y: POS})
    assert wrong.status == "refuted"
    assert recheck(nnf(Not(LOG_WRONG)), wrong.values).exact is True


@SETTINGS
@given(st.fractions(min_value=-1, max_value=1, max_denominator=8),
       st.fractions(min_value=-1, max_value=1, max_denominator=8),
       st.fractions(min_value=Fraction(1, 8), max_value=Fraction(15, 8), max_denominator=8))
def test_inexact_transform_is_stronger_and_kept_out_of_negative_positions(xv, yv, kv):
    # k in (0, 2) reaches the integer 1, where x^(-1) is defined for x < 0
    domains = {x: Domain(I(-1), I(1)), y: Domain(I(-1), I(1)), k: Domain(I(0), I(2), True, True)}
    claim = Atom(">=", x ** (-k), y ** (-k))
    red = monotone(claim, domains)
    assert red is not None and not red.exact
    point = {x: xv, y: yv, k: kv}
    if mp_truth(red.formula, point):
        assert mp_truth(claim, point)
    assert monotone(Not(claim), domains) is None
    assert monotone(Implies(claim, Atom(">", x, I(0))), domains) is None


RATE_IN_B = Implies(Atom(">", t, I(0)), Atom("<", sympy.diff(sympy.log(X(t)), b), I(0)))
RATE_IN_B_WRONG = Implies(Atom(">", t, I(0)), Atom(">", sympy.diff(sympy.log(X(t)), b), I(0)))


@SETTINGS
@given(positive(4), st.fractions(min_value=0, max_value=30, max_denominator=16), unit())
def test_factor_of_certified_sign_agrees_with_50_digits(bv, tv, kv):
    for claim in (RATE_IN_B, RATE_IN_B_WRONG):
        red = monotone(claim, X_DOMAINS, sign=sign_on)
        assert red is not None and red.exact
        assert any("is positive on the domains" in step for step in red.steps)
        same_truth(claim, red, {b: bv, t: tv, k: kv})


def test_the_reduced_rate_claim_is_proved_by_intervals_and_the_mutant_refuted():
    red = monotone(RATE_IN_B, X_DOMAINS, sign=sign_on)
    assert prove(red.formula, X_DOMAINS).status == "proved"
    wrong = monotone(RATE_IN_B_WRONG, X_DOMAINS, sign=sign_on)
    found = prove(wrong.formula, X_DOMAINS)
    assert found.status == "violation"
    # the reduced claim no longer mentions k (its factor was positive): any k fails too
    assert recheck(nnf(Not(RATE_IN_B_WRONG)), {**found.point, k: Fraction(1, 2)}).exact is True


# --- substitution u = 2^(beta t) -------------------------------------------------------------

XLE1 = Atom("<=", X(t), I(1))
XMONO = Implies(Atom("<", t1, t2), Atom(">", X(t1), X(t2)))
X_DOMAINS = {b: POS, t: NONNEG, t1: NONNEG, t2: NONNEG, k: UNIT}


@SETTINGS
@given(positive(4), st.fractions(min_value=0, max_value=30, max_denominator=16),
       st.fractions(min_value=0, max_value=30, max_denominator=16), unit())
def test_substitution_agrees_with_50_digits(bv, tv, t2v, kv):
    point = {b: bv, t: tv, t1: tv, t2: t2v, k: kv}
    for claim in (XLE1, XMONO, Atom(">=", X(t), I(1))):
        reductions = reduce(claim, X_DOMAINS, numbers=numeric)
        assert [r.name for r in reductions] == ["monotone transform", "monotone transform + substitution"]
        for red in reductions:
            same_truth(claim, red, point)


def test_substituted_claims_are_proved_by_smt_and_the_variable_ranges_are_stated():
    for claim in (XLE1, XMONO):
        red = the(reduce(claim, X_DOMAINS, numbers=numeric), "monotone transform + substitution")
        assert not red.exact
        assert decide(red.formula, red.domains).status == "proved"
        u = next(s for s, meaning in red.stands_for.items() if meaning.has(b))
        assert red.domains[u] == Domain(I(1), oo, False, True)  # b*t >= 0 gives u >= 1
        assert any("lies in [1, oo)" in step for step in red.steps)


def test_exponentials_of_one_exponent_share_one_variable():
    claim = Atom(">=", 4 ** (b * t) + 2 ** (b * t), I(2))
    red = substitute(claim, X_DOMAINS, numbers=numeric)
    assert len(red.stands_for) == 1 and decide(red.formula, red.domains).status == "proved"


q, delta = sympy.Symbol("q", real=True), sympy.Symbol("delta", real=True)
VOTE_DOMAINS = {k: POS, q: Domain(R(1, 2), I(1), True, False), delta: UNIT}
VOTE = Implies(Atom(">=", k, sympy.log(1 / delta) / (2 * (q - R(1, 2)) ** 2)),
               Atom("<=", sympy.exp(-2 * k * (q - R(1, 2)) ** 2), delta))


@SETTINGS
@given(positive(), st.fractions(min_value=Fraction(33, 64), max_value=1, max_denominator=64), unit())
def test_exp_against_a_positive_term_and_log_substitution_agree_with_50_digits(kv, qv, dv):
    reductions = reduce(VOTE, VOTE_DOMAINS, numbers=numeric, sign=sign_on)
    assert [r.name for r in reductions] == ["monotone transform", "monotone transform + substitution"]
    for red in reductions:
        same_truth(VOTE, red, {k: kv, q: qv, delta: dv})


def test_log_substitution_proves_the_vote_bound():
    red = reduce(VOTE, VOTE_DOMAINS, numbers=numeric, sign=sign_on)[-1]
    (v, meaning), = red.stands_for.items()
    assert meaning == sympy.log(delta) and red.domains[v] == Domain(-oo, I(0), True, True)
    assert decide(red.formula, red.domains).status == "proved"


# --- power substitution y = x^core ------------------------------------------------------------

a, s = sympy.Symbol("a", real=True), sympy.Symbol("s", real=True)
#: The guard of time-to-target (papers/unreasonable_effectiveness): t_hit's root lies in [0, oo).
GUARD = Atom(">=", (k * sympy.log(b * sympy.log(2) + x ** (1 / k) * (1 - b * sympy.log(2))) - sympy.log(x))
             / (b * k * sympy.log(2)), I(0))
GUARD_DOMAINS = {x: UNIT, b: POS, k: POS}
NEGATIVE = Domain(I(-3), R(-1, 3), True, True)
#: y = x^a with a < 0: y >= 1 + log(y); and a definedness condition inside (log of y - 1/2).
ROOT_CLAIMS = (GUARD, Atom(">=", x ** a, 1 + a * sympy.log(x)),
               Atom(">", sympy.log(x ** (1 / k) - R(1, 2)) + sympy.log(x) / 3, x ** (-2 / k) - 4))


def at_root(red: Reduction, point: dict) -> dict:
    """The point of the reduced claim for `point` of the original: each new variable at
    a rational within 10^-60 of the power it stands for."""
    values = {sym: v for sym, v in point.items() if sym in red.domains}
    for sym, meaning in red.stands_for.items():
        lo, hi = numeric.enclosure(exact_value(meaning, point))
        values[sym] = (lo + hi) / 2
    return values


def sides(f: Formula) -> list[sympy.Expr]:
    return [e for node in f.walk() if isinstance(node, Atom) for e in (node.lhs, node.rhs)]


@SETTINGS
@given(unit(), positive(), positive(8), st.fractions(min_value=Fraction(-47, 16), max_value=Fraction(-1, 3),
                                                     max_denominator=16))
def test_power_substitution_keeps_every_value_and_definedness_at_50_digits(xv, bv, kv, av):
    domains = {**GUARD_DOMAINS, a: NEGATIVE}
    point = {x: xv, b: bv, k: kv, a: av}
    for claim in ROOT_CLAIMS:
        red = powers(claim, domains, sign=sign_on)
        assert red is not None and red.exact and not any(e.has(x) for e in sides(red.formula))
        used = {sym: v for sym, v in point.items() if sym in domains and any(e.has(sym) for e in sides(claim))}
        root = at_root(red, used)
        for before, after in zip(sides(claim), sides(red.formula)):
            try:
                want = mp_value(before, used)
            except numeric.Undefined:
                with pytest.raises(numeric.Undefined):  # undefined exactly where it was
                    mp_value(after, root)
                continue
            assert abs(mp_value(after, root) - want) <= mpmath.mpf(10) ** -40 * max(1, abs(want))


def test_power_substitution_maps_the_domain_exactly():
    red = powers(GUARD, GUARD_DOMAINS, sign=sign_on)
    (y0, meaning), = red.stands_for.items()
    assert meaning == x ** (1 / k) and red.domains[y0] == UNIT and x not in red.domains
    assert "x = y**k" in red.steps[0] and "log(x) becomes k*log(y)" in red.steps[0]
    # a negative core swaps the ends: x in (0, 1] gives y = x^a in [1, oo)
    red = powers(Atom(">=", x ** a, I(1)), {x: Domain(I(0), I(1), True, False), a: NEGATIVE}, sign=sign_on)
    assert red.domains[next(iter(red.stands_for))] == Domain(I(1), oo, False, True)
    red = powers(Atom(">=", x ** (2 / k) + x ** (-1 / (3 * k)), I(1)), {x: POS, k: POS}, sign=sign_on)
    y0 = next(iter(red.stands_for))
    assert red.formula == Atom(">=", y0 ** 2 + y0 ** R(-1, 3), I(1))


def test_power_substitution_declines_where_it_would_not_be_an_equivalence():
    def declined(claim: Formula, **changed: Domain) -> bool:
        domains = {x: UNIT, b: POS, k: POS, s: Domain(I(-2), I(2), True, True)}
        domains.update({sympy.Symbol(n, real=True): d for n, d in changed.items()})
        return powers(claim, domains, sign=sign_on) is None

    with_s = GUARD.map_exprs(lambda e: e.xreplace({k: s}))
    assert declined(with_s)  # 1/s has no sign on (-2, 2) (nor a value at 0)
    assert declined(GUARD, x=Domain(I(0), I(1), False, True))  # 0 in x's domain
    assert declined(GUARD, x=Domain(I(-1), I(1), True, True))  # negative values
    assert declined(GUARD, x=Domain(I(0), I(2), True, True))  # 2^k depends on k
    assert declined(Atom(">", x ** (1 / k) + x, I(0)))  # x itself is no power of one core
    assert declined(Atom(">", x ** (1 / k) + x ** b, I(0)))  # two cores, no rational ratio
    assert declined(Quantified("forall", (Binder(k, POS),), GUARD))  # kappa rebound inside
    assert not declined(GUARD)


def test_the_guard_is_proved_through_the_power_substitution_and_its_flips_are_not():
    last = reduce(GUARD, GUARD_DOMAINS, numbers=numeric, sign=sign_on)[-1]
    assert last.name == "power substitution + monotone transform + substitution"
    assert decide(last.formula, last.domains).status == "proved"
    for op in ("<", "<="):
        flipped = Atom(op, GUARD.lhs, GUARD.rhs)
        for red in reduce(flipped, GUARD_DOMAINS, numbers=numeric, sign=sign_on):
            try:
                assert decide(red.formula, red.domains).status != "proved", red.name
            except OutsideFragment:
                pass


# --- limits -------------------------------------------------------------------------------

STATIC = sympy.Limit((2 ** (b * t) - 1) / (b * sympy.log(2)), b, 0)
RATE = sympy.Limit(sympy.diff(sympy.log(X(t)), t), t, oo)


def test_limits_are_replaced_once_the_50_digit_check_agrees():
    red = limits(Atom("=", STATIC, t), {b: POS, t: NONNEG}, numbers=numeric)
    assert red.formula == Atom("=", t, t) and "cross-checked at 50 digits" in red.steps[0]
    rate = limits(Atom("<", RATE, I(0)), X_DOMAINS, numbers=numeric)
    value = rate.formula.lhs
    # the value SymPy found is the long-run slope: compare with d ln X/dt far out, at 50 digits
    env = {b: Fraction(1, 3), k: Fraction(1, 5)}
    slope = mp_value(sympy.diff(sympy.log(X(t)), t), {**env, t: Fraction(10 ** 6)})
    assert abs(mp_value(value, env) - slope) < mpmath.mpf(10) ** -30
    last = reduce(Atom("<", RATE, I(0)), X_DOMAINS, numbers=numeric)[-1]
    assert last.name.startswith("limit + ")  # the sign of -b*k*log(2) is known on the domains
    assert decide(last.formula, last.domains).status == "proved"


def test_a_limit_that_fails_its_numeric_check_is_not_reduced(monkeypatch):
    real_limit = sympy.limit
    monkeypatch.setattr(sympy, "limit", lambda *args: real_limit(*args) + 1)  # a wrong SymPy
    assert limits(Atom("=", STATIC, t), {b: POS, t: NONNEG}, numbers=numeric) is None


# --- through the engine ------------------------------------------------------------------------

DOUBLINGS = '''
[paper]
id = "doublings"
title = "Efficiency doublings"

[symbols]
beta = "(0, oo)"
t = "[0, oo)"
kappa = "(0, 1)"

[define]
"X(t)" = "(1 + (2^(beta*t) - 1)/(beta*ln(2)))^(-kappa)"

[[claim]]
id = "never-worse"
formula = "X(t) <= 1"

[[claim]]
id = "never-better"
formula = "X(t) >= 1"
expect = "fails"
'''


def test_claim_file_transcendental_claims_are_decided_by_reductions():
    checked = lawproof.check_file(lawproof.loads(DOUBLINGS, "doublings.claims.toml"))
    results = {r.claim: r for r in checked.results}
    proved = results["never-worse"]
    assert proved.verdict == "proved" and proved.method.startswith("reduction ("), proved.evidence.tried
    assert "(check-sat)" in proved.evidence.artifact and proved.evidence.artifact.startswith("; ")
    refuted = results["never-better"]
    assert refuted.verdict == "refuted", refuted.evidence.tried
    values = {s: Fraction(v) for s, v in refuted.evidence.counterexample.items()}
    with mpmath.workdps(60):
        beta, tv, kappa = (mpmath.mpf(values[s].numerator) / values[s].denominator
                           for s in ("beta", "t", "kappa"))
        assert (1 + (2 ** (beta * tv) - 1) / (beta * mpmath.log(2))) ** (-kappa) < 1


@pytest.mark.parametrize("claim", [XLE1, XMONO])
def test_reduction_steps_name_the_monotone_functions(claim):
    red = the(reduce(claim, X_DOMAINS, numbers=numeric), "monotone transform")
    assert any("x^(-k) is decreasing" in s for s in red.steps)
    assert any("2^x is increasing" in s for s in red.steps)
