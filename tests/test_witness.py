"""Existential claims proved by certified witnesses (exact points, or a certified sign
change with continuity), and 50-digit "violations" that vanish at more digits."""
from __future__ import annotations

from fractions import Fraction

import sympy

import lawproof

from lawproof.language.domain import Domain
from lawproof.language.formula import Atom, Binder, Quantified
from lawproof.numeric import search
from lawproof.numeric.interval import continuous_between
from lawproof.numeric.witness import find_witness

x = sympy.Symbol("x", real=True)
I = sympy.Integer


def exists(lo: int, hi: int, body) -> Quantified:
    return Quantified("exists", (Binder(x, Domain(I(lo), I(hi))),), body)


def test_an_exact_witness_proves_an_existential_inequality():
    w = find_witness(exists(0, 1, Atom(">=", sympy.exp(x), 2 + x / 2)))
    assert w is not None and w.segment is None
    (value,) = w.point.values()
    # re-checked here independently: exp(v) >= 2 + v/2 with v rational
    assert sympy.exp(sympy.Rational(value.numerator, value.denominator)) - 2 - sympy.Rational(value) / 2 > 0


def test_an_irrational_root_is_certified_by_a_sign_change():
    w = find_witness(exists(0, 2, Atom("=", sympy.exp(x), I(3))))
    assert w is not None and w.segment is not None
    a, b = w.segment
    assert sympy.exp(sympy.Rational(a)) < 3 < sympy.exp(sympy.Rational(b))  # ln 3 lies in [a, b]
    assert 0 <= a < b <= 2


def test_no_witness_for_a_false_existential():
    assert find_witness(exists(0, 1, Atom("=", sympy.exp(x), I(3)))) is None
    assert find_witness(exists(0, 1, Atom(">", sympy.exp(x), I(3)))) is None


def test_a_sign_change_across_a_pole_is_no_root():
    # 1/x changes sign across 0 but has no root: the segment is not certified defined
    assert find_witness(exists(-1, 1, Atom("=", 1 / x, I(0)))) is None
    assert not continuous_between(1 / x, x, Fraction(-1), Fraction(1))
    assert continuous_between(1 / x, x, Fraction(1, 2), Fraction(1))


def test_no_sign_change_root_over_the_integers():
    # 2^n - 48 changes sign between n = 5 and n = 6, but log2(48) = 5.58... is no integer
    n = sympy.Symbol("n", integer=True)
    claim = Quantified("exists", (Binder(n, Domain(I(1), I(10), integer=True)),), Atom("=", 2 ** n, I(48)))
    assert find_witness(claim) is None
    # a whole witness still proves an integer existential
    w = find_witness(Quantified("exists", claim.binders, Atom("=", 2 ** n, I(64))))
    assert w is not None and w.segment is None and w.point == {n: 6}


def test_a_fifty_digit_artefact_is_not_a_violation():
    # sqrt(x^2 + 10^-90) - x is about 10^-90 / (2x): equal at 50 digits, larger at 200
    claim = Atom(">", sympy.sqrt(x ** 2 + sympy.Rational(1, 10 ** 90)), x)
    report = search(claim, {x: Domain(I(1), I(2))}, 8)
    assert report.violation is None and report.artefacts
    # a real violation stays one
    wrong = Atom(">", sympy.sqrt(x ** 2 - sympy.Rational(1, 10 ** 90)), x)
    assert search(wrong, {x: Domain(I(1), I(2))}, 8).violation is not None


CLOSED = '''
[paper]
id = "closed"
title = "Closed universal claims"

[symbols]
x = "(-oo, oo)"

[[claim]]
id = "log-negative-up-to-one"
formula = "forall x in (0, 1]: log(x) < 0"
expect = "fails"

[[claim]]
id = "log-negative-below-one"
formula = "forall x in (0, 1): log(x) < 0"

[[claim]]
id = "log-nonpositive-up-to-one"
formula = "forall x in (0, 1]: log(x) <= 0"
'''


def test_a_closed_universal_claim_is_refuted_at_an_exact_end_of_its_domain():
    results = {r.claim: r for r in lawproof.check_file(lawproof.loads(CLOSED, "closed.claims.toml")).results}
    wrong = results["log-negative-up-to-one"]
    # log(1) = 0 is not < 0: the tie at the closed end, which interval boxes only straddle
    assert wrong.verdict == "refuted"
    assert wrong.method == "certified counterexample (witness of the negation), re-checked exactly"
    assert wrong.evidence.counterexample == {"x": "1"} and wrong.evidence.witnesses == ["x"]
    # the same claims without the end, or with the tie allowed, are not refuted
    assert results["log-negative-below-one"].verdict != "refuted"
    assert results["log-nonpositive-up-to-one"].verdict != "refuted"


def test_a_sign_change_across_a_jump_of_floor_is_no_root():
    # max(floor(2x), x) - 1/2 is -1/64 at x = 31/64 and 1/2 at x = 1/2, defined between,
    # but floor(2x) jumps at 1/2: no x has max(floor(2x), x) = 1/2
    gap = sympy.Max(sympy.floor(2 * x), x) - sympy.Rational(1, 2)
    assert not continuous_between(gap, x, Fraction(31, 64), Fraction(1, 2))
    assert not continuous_between(sympy.ceiling(x) + x, x, Fraction(0), Fraction(1, 2))
    assert find_witness(exists(0, 1, Atom("=", sympy.Max(sympy.floor(2 * x), x), sympy.Rational(1, 2)))) is None
