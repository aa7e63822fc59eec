"""The memos the SMT translation shares between translators and claims (issue 12):
sign facts are keyed by everything a sign proof reads, so a changed domain or a
changed definition of an auxiliary variable is never served another query's fact;
SymPy's normal forms are keyed by the expression, assumptions included."""
from __future__ import annotations

import sympy

from lawproof.language.domain import Domain
from lawproof.language.formula import Atom
from lawproof.proofs import decide
from lawproof.proofs import translate
from lawproof.proofs.translate import Translator, _expanded

x = sympy.Symbol("x", real=True)
REAL = Domain(-sympy.oo, sympy.oo, True, True)


def _sign(expr: sympy.Expr, domains: dict[sympy.Symbol, Domain]) -> int:
    return Translator(dict(domains)).sign(expr, dict(domains), {})


def test_a_sign_fact_is_not_shared_between_domains():
    translate._SIGN_FACTS.clear()
    assert _sign(x - 2, {x: Domain(sympy.Integer(0), sympy.Integer(1))}) == -1
    assert translate._SIGN_FACTS  # kept for later translators
    assert _sign(x - 2, {x: Domain(sympy.Integer(3), sympy.Integer(5))}) == 1
    assert _sign(x - 2, {x: Domain(sympy.Integer(0), sympy.Integer(5))}) == 0
    assert _sign(x - 2, {x: Domain(sympy.Integer(0), sympy.Integer(1))}) == -1


def test_a_sign_fact_follows_the_domains_of_the_bounds():
    # x in [a, 1]: the sign of x depends on a's domain, which the factor does not mention
    translate._SIGN_FACTS.clear()
    a = sympy.Symbol("a", real=True)
    inside = Domain(a, sympy.Integer(1))
    assert _sign(x, {x: inside, a: Domain(sympy.Rational(1, 2), sympy.Integer(1))}) == 1
    assert _sign(x, {x: inside, a: Domain(sympy.Integer(-1), sympy.Integer(1))}) == 0


def test_auxiliary_variables_of_the_same_name_do_not_share_facts():
    # aux!0 stands for sqrt(x) in one translator and for sqrt(x + 27) in the other
    translate._SIGN_FACTS.clear()
    domains = {x: Domain(sympy.Integer(9), sympy.Integer(16))}
    signs = []
    for radicand in (x, x + 27):
        tr, auxes = Translator(dict(domains)), {}
        y = tr.purify(sympy.sqrt(radicand), auxes)
        assert y.name == "aux!0"
        scope = {**domains, y: REAL}
        signs.append(tr.sign(y - 5, scope, auxes))
    assert signs == [-1, 1]


def test_a_denominator_sign_is_reproved_under_other_domains():
    # 1/(x - 2) <= 1/(x - 2) + 1 holds wherever defined; the sign of x - 2 decides how the
    # denominator is cleared, and must come from each claim's own domain
    translate._SIGN_FACTS.clear()
    claim = Atom("<", 1 / (x - 2), 1 / (x - 2) + 1)
    for lo, hi in ((0, 1), (3, 5), (0, 1)):
        out = decide(claim, {x: Domain(sympy.Integer(lo), sympy.Integer(hi))})
        assert out.status == "proved"
    below = Atom("<", 1 / (x - 2), sympy.Integer(0))
    assert decide(below, {x: Domain(sympy.Integer(0), sympy.Integer(1))}).status == "proved"
    assert decide(below, {x: Domain(sympy.Integer(3), sympy.Integer(5))}).status == "refuted"


def test_normal_forms_are_keyed_with_assumptions():
    p, q, z = sympy.symbols("p q z", positive=True)
    u, v, w = sympy.symbols("p q z")
    assert _expanded((p * q) ** z) == p ** z * q ** z
    assert _expanded((u * v) ** w) == (u * v) ** w  # not the positive symbols' form
    assert _expanded((p * q) ** z) == sympy.expand((p * q) ** z)


def test_signed_dummies_follow_each_call_s_domains():
    # the dummy of a symbol is shared between calls, its sign is not: each call reads
    # the sign from the domains it is given
    from lawproof.symbolic.identity import _assumed
    t = sympy.Symbol("t", real=True)
    positive, nonnegative = Domain(sympy.Integer(0), sympy.oo, True, True), Domain(sympy.Integer(0), sympy.oo, False, True)
    root = sympy.sqrt(t ** 2)
    for domain, simplified, sign in ((positive, t, True), (REAL, sympy.Abs(t), None), (nonnegative, t, None),
                                     (positive, t, True), (Domain(sympy.Integer(-1), sympy.Integer(1)), sympy.Abs(t), None)):
        renamed, back = _assumed(root, {t: domain})
        assert sympy.simplify(renamed).xreplace(back) == simplified
        assert _assumed(t, {t: domain})[0].is_positive is sign
    first, _ = _assumed(t, {t: positive})
    assert _assumed(t, {t: positive})[0] is first  # the same object: SymPy's cache serves it
    assert _assumed(t, {t: nonnegative})[0] is not first


def test_identities_are_decided_on_each_claim_s_own_domains():
    from lawproof.symbolic import decide_identity
    t = sympy.Symbol("t", real=True)
    claim = Atom("=", sympy.sqrt(t ** 2), t)
    assert decide_identity(claim, {t: Domain(sympy.Integer(0), sympy.oo, False, True)}).decided
    assert not decide_identity(claim, {t: REAL}).decided
    assert decide_identity(claim, {t: Domain(sympy.Integer(1), sympy.Integer(2))}).decided
    assert not decide_identity(claim, {t: Domain(sympy.Integer(-2), sympy.Integer(2))}).decided


def test_a_full_table_of_signed_dummies_is_emptied(monkeypatch):
    from lawproof.symbolic import identity
    monkeypatch.setattr(identity, "_SIGNED_SIZE", 2)
    # a table of its own: earlier tests may have made the dummies of u, v and w already,
    # and a table is emptied only when a new dummy does not fit
    monkeypatch.setattr(identity, "_SIGNED", {(sympy.Symbol("t0"), "positive"): sympy.Dummy("t0")})
    symbols = sympy.symbols("u v w", real=True)
    positive = Domain(sympy.Integer(0), sympy.oo, True, True)
    renamed, back = identity._assumed(sum(symbols), {s: positive for s in symbols})
    assert len(identity._SIGNED) <= 2
    assert all(d.is_positive for d in renamed.free_symbols) and len(renamed.free_symbols) == 3
    assert renamed.xreplace(back) == sum(symbols)
