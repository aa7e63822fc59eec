"""The first-order (KKT) form of optimality claims: it agrees with the quantified
encoding, is never used without a convexity certificate, and decides the
multi-class Amdahl claims that the quantified encoding cannot."""
from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

import lawproof
from lawproof.language.domain import Domain
from lawproof.language.errors import EncodingDisagreement
from lawproof.language.formula import Atom, Binder, Bound, Optimum, Truth
from lawproof.proofs import decide, kkt
from lawproof.proofs.functions import uses_functions
from lawproof.proofs.kkt import KktReport, Reduction, decide_reduced, kkt_normalize
from lawproof.symbolic import normalize
from lawproof.symbolic.convexity import UNKNOWN, Certificate

from conftest import claim_file

PACK = [p for p in lawproof.bundled_papers() if p.name == "amdahl_modernized.claims.toml"][0]
MULTI_CLASS = ["two-class-collapse", "two-class-naive-threshold", "two-class-naive-sufficient",
               "two-class-convex", "three-class-collapse", "three-class-naive-threshold",
               "three-class-convex"]
KKT_DCP = "via KKT (convexity certified: DCP)"


@pytest.fixture
def reduction_only(monkeypatch):
    """Claims whose optima are over one variable go through the reduction too: z3 no
    longer decides their quantified form first (kkt.AS_WRITTEN_RLIMIT)."""
    monkeypatch.setattr(kkt, "_decided_as_written", lambda *args: None)


def domains_of(theory: lawproof.Theory) -> dict:
    return {s.symbol: s.domain for s in theory.symbols.values()}


def both_encodings(claim: lawproof.Claim, theory: lawproof.Theory) -> tuple[str, str, bool]:
    """SMT status of the quantified and of the first-order encoding, and whether the
    claim was reduced at all."""
    doms = domains_of(theory)
    quantified = decide(normalize(claim, theory, seconds=claim.timeout), doms, timeout=claim.timeout)
    reduced, report = kkt_normalize(claim, theory, doms)
    first_order = decide(reduced, doms, timeout=claim.timeout)
    return quantified.status, first_order.status, report.reduced


def one_variable_optimum_claims() -> list[tuple[lawproof.Claim, lawproof.Theory]]:
    out = []
    for path in lawproof.bundled_papers():
        cf = lawproof.load(path)
        for claim in cf.claims:
            optima = [n for n in claim.formula.walk() if isinstance(n, Optimum)] if claim.formula else []
            # claims about function symbols (any R(a)) have no SMT encoding of their own
            if optima and all(len(o.binders) == 1 for o in optima) and claim.error is None and \
                    not uses_functions(normalize(claim, cf.theory), cf.theory.functions):
                out.append((claim, cf.theory))
    return out


def test_reduction_agrees_with_the_quantified_encoding_on_the_packs(reduction_only):
    compared = reduced = 0
    for claim, theory in one_variable_optimum_claims():
        quantified, first_order, was_reduced = both_encodings(claim, theory)
        if quantified == "unknown":
            continue  # nothing to compare with
        assert first_order == quantified, claim.id
        compared += 1
        reduced += was_reduced
    assert compared >= 10 and reduced >= 8


def test_non_convex_objective_is_never_reduced(reduction_only):
    cf = lawproof.load(PACK)
    for claim_id in ("referee-growing-R", "referee-quadratic-R"):
        claim = cf.claim(claim_id)
        _, report = kkt_normalize(claim, cf.theory, domains_of(cf.theory))
        [r] = report.reductions
        assert not report.reduced and r.form is None and r.certificate.curvature == "unknown"
    r = lawproof.check_file(PACK, only=["referee-growing-R"]).results[0]
    assert r.verdict == "refuted" and "KKT" not in r.method
    assert any(t.startswith("KKT reduction: not applied") for t in r.evidence.tried)


def test_one_variable_optima_decided_as_written_agree_with_the_reduction(monkeypatch):
    # z3 decides most one-variable optimum claims as written, before any certificate;
    # the verdicts must be those the first-order forms give (computed here separately)
    as_written = {}
    for claim, theory in one_variable_optimum_claims():
        r = lawproof.check_claim(claim, theory, derivations=False)
        as_written[claim.id] = (r.verdict, any(t.startswith("KKT reduction: not needed") for t in r.evidence.tried))
    monkeypatch.setattr(kkt, "_decided_as_written", lambda *args: None)
    compared = 0
    for claim, theory in one_variable_optimum_claims():
        verdict, first = as_written[claim.id]
        if first:
            assert lawproof.check_claim(claim, theory, derivations=False).verdict == verdict, claim.id
            compared += 1
    assert compared >= 4 and {v for v, first in as_written.values() if first} == {"proved", "refuted"}


@pytest.mark.parametrize("formula", [
    "minimized_at(x^2 + 2*y^2, (x, y), (2/3, 1/3), x + y = 1)",  # several variables
    "maximized_at(ln(z) - z, z, 1)",                              # outside SMT
    "minimized_at((u - p)^2, u, 1/2) <-> p = 1/2",                # a quantifier in the query
    "p > 0 -> minimized_at((u - sqrt(p))^2, u, sqrt(p))",         # a root: a variable of its own
])
def test_optima_the_reduction_decides_better_go_to_it(formula):
    r = toy(formula)
    assert r.verdict == "proved" and KKT_DCP in r.method, (r.verdict, r.method)


def test_a_quantifier_free_one_variable_optimum_is_decided_as_written():
    r = toy("maximized_at(-(u - 2)^2, u, 1)")
    assert r.verdict == "proved" and r.method == "SMT (z3)"
    assert "KKT reduction: not needed (z3 decided the quantified form within 200000 resource units)" \
        in r.evidence.tried


@pytest.fixture(scope="module")
def multi_class() -> dict[str, lawproof.Result]:
    fr = lawproof.check_file(PACK, only=MULTI_CLASS)
    return {r.claim: r for r in fr.results}


def test_multi_class_claims_decided_with_the_certificate(multi_class):
    assert sorted(multi_class) == sorted(MULTI_CLASS)
    for r in multi_class.values():
        assert r.matches_expect is True, (r.claim, r.verdict, r.message)
        assert r.method.startswith("SMT (z3) " + KKT_DCP), r.claim
        steps = dict(r.evidence.derivation)
        assert steps["curvature"] == "convex (DCP)"
        conditions = [w for w, _ in r.evidence.derivation if w.startswith("side condition")]
        how = [steps[w] for w in conditions]
        assert how and all(h.startswith(("proved by z3", "proved by exact interval arithmetic")) for h in how)
        assert any(h.startswith("proved by z3") for h in how)  # a1 + a2 < 1 needs the constraint
        assert "first-order form" in steps


def T(S, f, R, a):
    return S / (1 - sum(a)) + sum(fi / (1 + ai * (Ri - 1)) for fi, Ri, ai in zip(f, R, a))


@pytest.mark.parametrize("claim, n", [("two-class-naive-threshold", 2), ("three-class-naive-threshold", 3)])
def test_naive_threshold_counterexample_rechecks_in_fractions(multi_class, claim, n):
    r = multi_class[claim]
    assert r.verdict == "refuted"
    v = {k: Fraction(x) for k, x in r.evidence.counterexample.items()}
    S, f, R = v["S"], [v[f"f{i}"] for i in range(1, n + 1)], [v[f"R{i}"] for i in range(1, n + 1)]
    assert S + sum(f) == 1 and all(0 <= fi <= 1 for fi in f) and all(Ri > 1 for Ri in R) and 0 <= S <= 1
    assert not all(S >= 1 - 1 / Ri for Ri in R)          # the naive threshold says "specialize" ...
    grid = [Fraction(k, 8) for k in range(8)]
    for a in product(grid, repeat=n):                      # ... yet no allocation on a grid beats zero
        if sum(a) < 1:
            assert T(S, f, R, a) >= T(S, f, R, [0] * n)


def test_v1_instances_keep_their_better_point_witnesses(reduction_only):
    r = lawproof.check_file(PACK, only=["v1-any-efficiency-advantage"]).results[0]
    assert r.verdict == "refuted" and KKT_DCP in r.method and r.evidence.instances
    for inst in r.evidence.instances:
        cx = {k: Fraction(x) for k, x in inst["counterexample"].items()}
        R, S, a = cx["R_w"], cx["S_w"], cx["a_w"]
        assert T(S, [1 - S], [R], [a]) < T(S, [1 - S], [R], [0])


TOY = '''
[paper]
id = "toy-kkt"

[symbols]
x = "[0, oo)"
y = "[0, oo)"
p = "[0, 1]"
z = "(0, oo)"
u = "[0, 1]"
w = "[-3, 2]"
'''


def toy(formula: str, expect: str = "holds") -> lawproof.Result:
    body = f'[[claim]]\nid = "t"\nformula = "{formula}"\nexpect = "{expect}"\n'
    return lawproof.check_file(claim_file(body, head=TOY)).results[0]


@pytest.mark.parametrize("formula, expect", [
    # an active nonstrict linear constraint: a multiplier lambda >= 0
    ("minimized_at((x - p)^2 + (y - p)^2, (x, y), (1/2, 1/2), x + y <= 1) <-> p >= 1/2", "holds"),
    ("minimized_at((x - p)^2 + (y - p)^2, (x, y), (1/2, 1/2), x + y <= 1) <-> p >= 1/3", "fails"),
    # an equation: a multiplier of either sign
    ("minimized_at(x^2 + 2*y^2, (x, y), (2/3, 1/3), x + y = 1)", "holds"),
    ("minimized_at(x^2 + 2*y^2, (x, y), (1/2, 1/2), x + y = 1)", "fails"),
    # a concave objective with ln, outside SMT as a quantified formula
    ("maximized_at(ln(z) - z, z, 1)", "holds"),
    ("maximized_at(ln(z) - z, z, 2)", "fails"),
    # a maximum at a closed upper end
    ("maximized_at(-(u - 2)^2, u, 1)", "holds"),
])
def test_first_order_forms_decide_toy_optima(formula, expect, reduction_only):
    r = toy(formula, expect)
    assert r.matches_expect is True and KKT_DCP in r.method, (r.verdict, r.message)


def test_an_interval_that_may_be_a_single_point_keeps_both_ends_in_the_normal_cone():
    # review8: with y in [0, c], the point 0 is surely the lower end and is the upper end
    # too at c = 0, where every slope is allowed; the first-order form said only "slope
    # >= 0" there, which refuted c = 0 -> minimized_at(-ln(1 + y), y, 0), a true claim
    c, y = sympy.symbols("c y", real=True)
    cone = kkt._normal_cone(sympy.Integer(0), Domain(sympy.Integer(0), c), sympy.Integer(-1))
    assert cone == Atom("=", sympy.Integer(0), c)
    head = TOY + 'c = "[0, 1]"\nv = "[0, c]"\n'
    for formula in ("c = 0 -> minimized_at(-ln(1 + v), v, 0)", "minimized_at(-ln(1 + v), v, 0) <-> c = 0"):
        body = f'[[claim]]\nid = "t"\nformula = "{formula}"\n'
        assert lawproof.check_file(claim_file(body, head=head)).results[0].verdict == "proved"


def test_multiplier_of_an_active_constraint_is_existential():
    r = toy("minimized_at((x - p)^2 + (y - p)^2, (x, y), (1/2, 1/2), x + y <= 1) <-> p >= 1/2")
    form = dict(r.evidence.derivation)["first-order form"]
    assert form.startswith("exists lambda in [0, oo):")


def test_premise_about_an_outer_symbol_is_not_used_for_the_bound_one():
    # x^3 - 3x is not convex on [-3, 2]; the premise "w >= 1/2" is about the outer w,
    # not the w the optimum binds, so it must not make the objective look convex.
    r = toy("w >= 1/2 -> minimized_at(w^3 - 3*w, w, 1)", "fails")
    assert r.verdict == "refuted" and "KKT" not in r.method
    assert Fraction(r.evidence.counterexample["w_w"]) ** 3 - 3 * Fraction(r.evidence.counterexample["w_w"]) < -2


def test_disagreeing_encodings_are_an_error_not_a_verdict():
    s = sympy.Symbol("s", real=True)
    doms = {s: Domain(sympy.Integer(0), sympy.Integer(1))}
    opt = Optimum("min", s, (Binder(s, doms[s]),), (sympy.Integer(0),))
    # a "reduction" that claims s < 0 where the quantified form says s >= 0
    report = KktReport([Reduction(opt, form=Truth(True))], original=Atom(">=", s, sympy.Integer(0)))
    with pytest.raises(EncodingDisagreement):
        decide_reduced(Atom("<", s, sympy.Integer(0)), report, doms)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coeffs=st.tuples(st.integers(-1, 1), st.integers(-3, 3), st.integers(-3, 3)),
       lo=st.integers(-2, 0), width=st.integers(1, 3), at=st.integers(0, 4))
def test_random_cubics_both_encodings_agree(coeffs, lo, width, at):
    c3, c2, c1 = coeffs
    v = Fraction(lo) + Fraction(width * at, 4)
    head = f'[paper]\nid = "cubic"\n\n[symbols]\nt = "[{lo}, {lo + width}]"\n'
    body = f'[[claim]]\nid = "c"\nformula = "minimized_at({c3}*t^3 + {c2}*t^2 + {c1}*t, t, {v})"\n'
    cf = claim_file(body, head=head)
    quantified, first_order, _ = both_encodings(cf.claims[0], cf.theory)
    assert quantified == first_order != "unknown"


# --- side conditions: a large one false at a point of the domains is not sent to z3 ----------

A, S = sympy.symbols("a s", real=True)
#: a in [0, 1) (closed at 0), s in (0, oo)
SIDE_DOMAINS = {A: Domain(sympy.Integer(0), sympy.Integer(1), False, True),
                S: Domain(sympy.Integer(0), sympy.oo, True, True)}
#: (a + s)^4 - s^4 + a > 0: true for a > 0, false at the closed end a = 0 only
FALSE_AT_AN_END = Atom(">", sympy.expand((A + S) ** 4) - S**4 + A, sympy.Integer(0))
TRUE_EVERYWHERE = Atom(">=", sympy.expand((A + S) ** 4) - S**4 + A, sympy.Integer(0))


@pytest.fixture
def small_is_large(monkeypatch):
    """These conditions count as large (z3 settles them fast, so the test is quick)."""
    from lawproof.proofs import kkt
    monkeypatch.setattr(kkt, "LARGE_CONDITION", 10)


def test_a_large_side_condition_false_at_an_end_is_not_proved_and_not_sent_to_z3(monkeypatch, small_is_large):
    from lawproof.proofs import kkt
    assert kkt._false_at_a_point(FALSE_AT_AN_END, SIDE_DOMAINS)
    # no prover may prove it: z3 refutes it too
    assert decide(FALSE_AT_AN_END, SIDE_DOMAINS, shrink=False).status == "refuted"
    monkeypatch.setattr(kkt, "decide", lambda *args, **kw: pytest.fail("z3 was asked"))
    assert kkt.prover(SIDE_DOMAINS, [])(FALSE_AT_AN_END) is None


def test_a_large_true_side_condition_is_still_proved_by_z3(small_is_large):
    from lawproof.proofs import kkt
    assert not kkt._false_at_a_point(TRUE_EVERYWHERE, SIDE_DOMAINS)
    assert kkt.prover(SIDE_DOMAINS, [])(TRUE_EVERYWHERE) is not None


def test_small_or_symbolic_side_conditions_are_not_evaluated(monkeypatch):
    from lawproof.proofs import kkt
    # false at a = 0, but small: z3 settles it at once
    assert not kkt._false_at_a_point(Atom(">", A, sympy.Integer(0)), SIDE_DOMAINS)
    monkeypatch.setattr(kkt, "LARGE_CONDITION", 10)
    assert kkt._false_at_a_point(FALSE_AT_AN_END, SIDE_DOMAINS)
    # a symbolic end (s in [a, 2]), an integer domain: no points are tried
    assert not kkt._false_at_a_point(FALSE_AT_AN_END, {**SIDE_DOMAINS, S: Domain(A, sympy.Integer(2))})
    assert not kkt._false_at_a_point(
        FALSE_AT_AN_END, {**SIDE_DOMAINS, A: Domain(sympy.Integer(0), sympy.Integer(1), integer=True)})


def test_shared_gradient_steps_are_renamed_back_and_keyed_by_assumptions():
    # two claims' bindings of `a`: one computation, each result in its own binding
    kkt._SHARED.clear()
    r = sympy.Symbol("R", real=True)
    first = Bound("a", Domain(sympy.Integer(0), sympy.Integer(1), False, True))
    second = Bound("a", Domain(sympy.Integer(0), sympy.Integer(2)))  # another domain
    whole = Bound("a", Domain(sympy.Integer(0), sympy.Integer(5), integer=True))  # integer: other assumptions
    objective = lambda s: 1 / (1 - s) + 1 / (1 + s * (r - 1))  # noqa: E731
    d1 = kkt._shared(sympy.diff, objective(first), first)
    assert len(kkt._SHARED) == 1
    d2 = kkt._shared(sympy.diff, objective(second), second)
    assert len(kkt._SHARED) == 1  # served from the memo...
    assert d1.free_symbols == {first, r} and d2.free_symbols == {second, r}  # ...in each caller's binding
    assert d2 == sympy.diff(objective(second), second)
    d3 = kkt._shared(sympy.diff, objective(whole), whole)
    assert len(kkt._SHARED) == 2 and d3.free_symbols == {whole, r}
    assert d3 == sympy.diff(objective(whole), whole)
    # another objective is another key, never the first one's result
    assert kkt._shared(sympy.diff, objective(first) + first**2, first) == sympy.diff(objective(first) + first**2, first)


def test_a_certificate_a_safety_net_cut_short_is_not_reused_by_the_next_claim(monkeypatch):
    # Certificates are shared within a process; one cut short by a net depends on the
    # machine's load, and must not decide another claim that alone would certify it.
    from lawproof.language.timeout import record
    from lawproof.proofs import kkt
    real = kkt.certify
    calls = []

    def stalled_once(*args, **kw):
        calls.append(args)
        if len(calls) == 1:
            record("a simulated safety net")
            return Certificate(UNKNOWN, reason="cut short")
        return real(*args, **kw)

    monkeypatch.setattr(kkt, "certify", stalled_once)
    monkeypatch.setattr(kkt, "_CERTIFIED", {})
    first = toy("minimized_at(x^2 + 2*y^2, (x, y), (2/3, 1/3), x + y = 1)")
    again = toy("minimized_at(x^2 + 2*y^2, (x, y), (2/3, 1/3), x + y = 1)")
    assert KKT_DCP not in first.method
    assert len(calls) == 2 and again.verdict == "proved" and KKT_DCP in again.method


def test_a_derivation_its_limit_stopped_is_not_reused(monkeypatch):
    # the same sharing for the evidence's derivation of a one-variable optimum
    from lawproof.language.timeout import record
    from lawproof.symbolic import derive
    x = sympy.Symbol("x", real=True)
    binder = Binder(x, Domain(sympy.Integer(0), sympy.Integer(1)))
    real = derive._derived
    calls = []

    def stopped_once(*args):
        calls.append(args)
        if len(calls) == 1:
            record("a simulated limit")
            return derive.Derivation()
        return real(*args)

    monkeypatch.setattr(derive, "_derived", stopped_once)
    monkeypatch.setattr(derive, "_DERIVED", {})
    assert derive.derive_optimum(x**2 - x, binder, sympy.Rational(1, 2)).steps == []
    steps = dict(derive.derive_optimum(x**2 - x, binder, sympy.Rational(1, 2)).steps)
    assert len(calls) == 2 and steps["d/dx"] == 2 * x - 1


def test_a_wrong_certificate_is_caught_by_sampling_the_claim_as_written(monkeypatch, reduction_only):
    # x^3 - 3x is stationary at 1 but smallest at -3 on [-3, 3] (-18 < -2): not convex, so
    # the first-order form is no proof. With a certificate that wrongly says convex, z3
    # proves the first-order form; the cross-check samples the quantified form instead of
    # that form, re-checks its violation exactly, and the claim is an error, never proved.
    head = '[paper]\nid = "w"\ntitle = "w"\n[symbols]\nx = "[-3, 3]"\n'
    body = '[[claim]]\nid = "c"\nformula = "minimized_at(x^3 - 3*x, x, 1)"\nexpect = "fails"\n'
    honest = lawproof.check_file(claim_file(body, head)).results[0]
    assert honest.verdict == "refuted" and "KKT" not in honest.method
    kkt._CERTIFIED.clear()
    monkeypatch.setattr(kkt, "certify", lambda expr, xs, want, prove, **kw: Certificate(want, "injected"))
    r = lawproof.check_file(claim_file(body, head)).results[0]
    kkt._CERTIFIED.clear()
    assert r.verdict == "error", (r.verdict, r.method, r.message)
    assert "vs sampling of the quantified form" in r.method and "KKT" in r.method
    assert "sampled violation re-checked exactly: confirmed" in r.evidence.tried
