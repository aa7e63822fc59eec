"""Model variants R -> R(a): verdicts per family, exact witnesses re-checked here with
plain Fractions, shrinking, the general non-increasing lemma, effective thresholds."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

import lawproof
from lawproof.explore import counterexample as ce
from lawproof.explore import threshold as thr
from lawproof.explore import variants
from lawproof.cli import main
from lawproof.language.errors import ClaimInputError

PAPER = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"
CLAIM = "collapse-sufficient"


@pytest.fixture(scope="module")
def outcomes() -> tuple:
    """The lemma and every library family on the Amdahl collapse claim (computed once)."""
    lemma, outs = ce.counterexamples(PAPER, CLAIM, "R", timeout=2.0)
    return lemma, {o.family: o for o in outs}


# -- independent exact re-checks: the model written out again with Fractions ----------

def _amdahl(S: Fraction, a: Fraction, r_of_a: Fraction) -> Fraction:
    return S / (1 - a) + (1 - S) / (1 + a * (r_of_a - 1))


def _exp_bounds(x: Fraction, terms: int = 40) -> tuple[Fraction, Fraction]:
    """Rational bounds lo <= exp(-x) <= hi for x >= 0, from the Taylor series of
    exp(x) with Lagrange remainder: S_N <= e^x <= S_N / (1 - x^(N+1)/(N+1)!)."""
    partial, term = Fraction(0), Fraction(1)
    for n in range(terms + 1):
        partial += term
        term = term * x / (n + 1)
    assert term < 1
    return (1 - term) / partial, 1 / partial


def _fails(family: str, w: dict[str, Fraction]) -> bool:
    """Does the witness violate 'S >= 1 - 1/R0 -> T(a) >= T(0) = 1' for R = R(a)?
    Written from the family definitions, without lawproof."""
    S, a, R0 = w["S"], w["a_w"], w["R0"]
    inside = 0 <= S <= 1 and 0 <= a < 1 and R0 > 1 and S >= 1 - 1 / R0
    if family == "linear":
        inside &= w["g"] > 0
        r = R0 * (1 + w["g"] * a)
    elif family == "power":
        k = w["k"]
        assert k.denominator == 1, "this re-check needs an integer exponent"
        inside &= k > 0
        r = R0 * (1 + a) ** int(k)
    elif family == "scale":
        inside &= w["k"] > 0
        r = R0 + w["k"] * a * a
    elif family == "piecewise":
        inside &= w["g"] > 0 and 0 < w["c"] < 1
        r = R0 * (1 + w["g"] * min(a, w["c"]))
    elif family == "saturating":
        inside &= w["Rmax"] > R0 and w["k"] > 0
        _, upper = _exp_bounds(w["k"] * a)
        # T falls as R(a) grows, and R(a) grows as exp(-k a) falls: the smallest R(a)
        # (largest exp) gives the largest T, so T < 1 there proves T < 1.
        r = R0 + (w["Rmax"] - R0) * (1 - upper)
    else:
        raise AssertionError(family)
    return inside and _amdahl(S, a, r) < 1


FAILING = ["linear", "power", "saturating", "scale", "piecewise"]


@pytest.mark.parametrize("family", FAILING)
def test_growing_families_fail_with_an_exact_witness(outcomes, family):
    o = outcomes[1][family]
    assert o.verdict == "refuted"
    assert set(o.witness.values) >= {"S", "R0", "a_w"}
    assert _fails(family, o.witness.values)
    found = o.witness.found_as
    if found and (family != "power" or found["k"].denominator == 1):
        assert _fails(family, found)  # the unshrunk witness was one too
    # the 50-digit numbers show the failure: objective at the witness below its value at 0
    name, point, at_w, at_p, gap = o.witness.objective
    assert (name, point) == ("a_w", "0") and mpmath.mpf(gap) < 0 and mpmath.mpf(at_w) < mpmath.mpf(at_p)


def test_z3_and_search_both_serve(outcomes):
    methods = {f: o.method for f, o in outcomes[1].items()}
    assert methods["linear"].startswith("SMT")
    assert methods["saturating"].startswith("guided search")  # exp: outside z3's fragment


def test_decreasing_family_keeps_the_threshold(outcomes):
    o = outcomes[1]["decreasing"]
    assert o.verdict == "proved" and o.witness is None


def test_general_non_increasing_lemma_is_proved(outcomes):
    lemma, _ = outcomes
    assert lemma.verdict == "proved"
    # also when R(a) may drop below 1, down to 0
    wide = variants.lemma(PAPER, CLAIM, "R", lower="0", timeout=2.0)
    assert wide.theory.symbols["Ra"].domain.lo == 0
    assert lawproof.check_claim(wide.claim, wide.theory).verdict == "proved"


def test_the_lemma_premise_of_a_family_is_proved_or_refuted():
    # R0/(1 + g a) stays at or below R0, but may fall below 1: inside (0, R0] for
    # every a, not inside (1, R0]
    v = variants.apply(PAPER, CLAIM, "R", "decreasing")
    assert ce._lemma_premise(v, 2.0, sympy.Integer(0), True).startswith("proved by SMT")
    assert ce._lemma_premise(v, 2.0, sympy.Integer(1), True).startswith("refuted by SMT")


def test_lemma_is_refused_where_it_would_be_unsound():
    # the 'only if' side of the equivalence quantifies a existentially
    with pytest.raises(ClaimInputError, match="cannot be stated"):
        variants.lemma(PAPER, "collapse-threshold", "R")


def test_a_false_lemma_is_refuted_not_proved(tmp_path):
    # x*R >= 0 holds for constant R >= 0, but not for every R(x) <= R(0): R(x) may
    # fall below 0 within R's domain. The lemma machinery must say so.
    path = tmp_path / "l.claims.toml"
    path.write_text('[paper]\nid = "l"\n[symbols]\nR = "(-1, 1)"\nx = "[0, 1)"\n'
                    '[[claim]]\nid = "c"\nformula = "R >= 0 -> minimized_at(x*R, x, 0)"\n')
    claim, theory = variants.load_claim(path, "c")
    assert lawproof.check_claim(claim, theory).verdict == "proved"
    lem = variants.lemma(path, "c", "R")
    assert lawproof.check_claim(lem.claim, lem.theory).verdict == "refuted"


def test_variant_claim_is_a_plain_claim():
    v = variants.apply(PAPER, CLAIM, "R", "linear")
    assert v.added == ()  # R0 and g already exist in the file with the same domains
    assert "R" not in {s.name for s in v.claim.formula.walk() for e in s.exprs() for s in e.free_symbols}
    v2 = variants.apply(PAPER, CLAIM, "R", "saturating")
    assert set(v2.added) == {"Rmax", "k"}
    assert v2.theory.symbols["Rmax"].domain.lo == v2.theory.symbols["R0"].symbol


def test_user_expression_and_its_errors():
    v = variants.apply(PAPER, CLAIM, "R", expr="R0 + h*a", symbols={"h": "(0, oo)"})
    assert v.added == ("h",)
    assert lawproof.check_claim(v.claim, v.theory).verdict == "refuted"
    with pytest.raises(ClaimInputError, match="unknown name 'q'"):
        variants.apply(PAPER, CLAIM, "R", expr="R0*(1 + q*a)")
    with pytest.raises(ClaimInputError, match="refers to R itself"):
        variants.apply(PAPER, CLAIM, "R", expr="R0 + S_c")
    with pytest.raises(ClaimInputError, match="does not occur"):
        variants.apply(PAPER, "objective-baseline", "g", "linear", var="a")
    with pytest.raises(ClaimInputError, match="which variable"):
        variants.apply(PAPER, "objective-baseline", "R", "linear")


# -- shrinking ----------------------------------------------------------------------

_TARGET = ce.negated_target(*(lambda v: (v.claim, v.theory))(variants.apply(PAPER, CLAIM, "R", "linear")))
_BY_NAME = {s.name: s for s in _TARGET.symbols}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(r0=st.fractions(Fraction(11, 10), 4, max_denominator=40),
       g=st.fractions(Fraction(1, 2), 30, max_denominator=40),
       a=st.fractions(Fraction(1, 50), Fraction(9, 10), max_denominator=60),
       lift=st.fractions(0, Fraction(1, 20), max_denominator=200))
def test_shrinking_never_returns_a_non_witness(r0, g, a, lift):
    point = {"R0": r0, "g": g, "a_w": a, "S": min(Fraction(1), 1 - 1 / r0 + lift)}
    exact = {_BY_NAME[k]: v for k, v in point.items()}
    if _fails("linear", point):
        small = ce.shrink(_TARGET, exact)
        assert _fails("linear", {s.name: v for s, v in small.items()})
        assert all(v.denominator <= exact[s].denominator for s, v in small.items())
    else:
        with pytest.raises(ValueError):
            ce.shrink(_TARGET, exact)


# -- effective thresholds -------------------------------------------------------------

def test_linear_effective_threshold_matches_the_hand_derivation(outcomes):
    t = outcomes[1]["linear"].threshold
    with mpmath.mp.workdps(60):
        r0, g = (mpmath.mpf(Fraction(t.values[k]).numerator) / Fraction(t.values[k]).denominator
                 for k in ("R0", "g"))
        # phi(a) = (1 - a)(1 - 1/(R0 (1 + g a))) is largest where (1 + g a)^2 = (1 + g)/R0
        peak = (mpmath.sqrt((1 + g) / r0) - 1) / g
        value = (1 - peak) * (1 - 1 / (r0 * (1 + g * peak)))
        assert abs(t.value - value) < mpmath.mpf(10) ** -45
        assert abs(t.argmax - peak) < mpmath.mpf(10) ** -30
        assert t.transition == "jump" and abs(t.corner - (1 - 1 / r0)) < mpmath.mpf(10) ** -45
    assert t.exact is not None and t.agreement < mpmath.mpf(10) ** -40


def test_closed_form_of_the_linear_threshold_is_proved():
    v = variants.apply(PAPER, CLAIM, "R", "linear", timeout=5.0)
    tf = thr.threshold_function(v.claim, v.theory)
    closed = thr.symbolic_threshold(tf)
    assert len(closed.candidates) == 1  # the negative root is dropped by the signs
    assert ce.prove_closed_form(v, tf, closed).verdict == "proved"


def test_non_increasing_family_has_a_kink_at_the_paper_threshold():
    v = variants.apply(PAPER, CLAIM, "R", "decreasing")
    tf = thr.threshold_function(v.claim, v.theory)
    t = thr.effective_threshold(tf, {"R0": Fraction(3), "g": Fraction(2)})
    with mpmath.mp.workdps(60):
        assert t.transition == "kink" and abs(t.value - mpmath.mpf(2) / 3) < mpmath.mpf(10) ** -45


def test_astar_curve_of_the_base_model_matches_the_closed_form():
    claim, theory = variants.load_claim(PAPER, CLAIM)
    tf = thr.threshold_function(claim, theory)
    S, R = theory.symbols["S"].symbol, theory.symbols["R"].symbol
    a_opt = lawproof.symbolic.expand(theory.definitions["a_opt"].body, theory)
    curve = thr.astar_curve(tf, {"R": Fraction(4)}, [Fraction(1, 10), Fraction(1, 2), Fraction(3, 4),
                                                     Fraction(4, 5)])
    for p in curve:
        if p.s < Fraction(3, 4):  # S_c = 1 - 1/4
            expected = lawproof.numeric.mp_value(a_opt, {S: p.s, R: Fraction(4)})
            with mpmath.mp.workdps(60):
                assert not p.corner and abs(p.argmin - expected) < mpmath.mpf(10) ** -40
        else:
            assert p.corner and p.argmin == 0


# -- the command line -------------------------------------------------------------------

def test_cli_counterexample_json_and_text(capsys):
    assert main(["counterexample", str(PAPER), CLAIM, "--family", "scale", "--json", "--lemma"]) == 0
    data = json.loads(capsys.readouterr().out)
    fam = data["families"][0]
    assert data["lemma"]["verdict"] == "proved" and fam["verdict"] == "refuted"
    values = {k: Fraction(v) for k, v in fam["witness"]["values"].items()}
    assert _fails("scale", values)
    assert fam["effective_threshold"]["transition"] == "jump"
    assert main(["counterexample", str(PAPER), CLAIM, "--family", "piecewise", "--curve", "4"]) == 0
    out = capsys.readouterr().out
    assert "general lemma" not in out and "difference:" in out
    assert any(line.startswith("piecewise    refuted") for line in out.splitlines())
    curve = [line.split() for line in out.splitlines() if line.strip().startswith("S = ")]
    # a* stays interior up to just below S_c_eff, then jumps to the corner
    assert [row[-1] for row in curve[-2:]] == ["interior", "corner"] and float(curve[-2][5]) > 0.05


def test_variant_tables_in_a_claim_file(tmp_path, capsys):
    text = PAPER.read_text() + '''
[[variant]]
id     = "cubic"
param  = "R"
expr   = "R0*(1 + h*a^3)"
symbols = { h = "(0, oo)" }

[[variant]]
id     = "broken"
param  = "R"
family = "quadratic"
'''
    path = tmp_path / "v.claims.toml"
    path.write_text(text)
    cf = lawproof.load(path)
    assert any("no variant family 'quadratic'" in str(e) and e.line is not None for e in cf.errors)
    assert set(variants.file_variants(path)) == {"cubic"}
    assert main(["counterexample", str(path), CLAIM, "--variant", "cubic"]) == 0
    out = capsys.readouterr().out
    assert "R0*(a**3*h + 1)" in out and "refuted" in out
