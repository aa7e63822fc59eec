"""Adversarial soundness corpus: tests/soundness/*.claims.toml.

Every claim there carries a LABEL in `expect` ("holds" / "fails"), justified next to it
independently of lawproof (hand proof, exact point, mpmath at 60 digits). lawproof never
reads `expect` before computing a verdict, so it is a plain label carrier.

A verdict is WRONG when it contradicts the label (`refuted` on a "holds" claim, `proved`
on a "fails" claim) or is `error` (except the input-error cases in INPUT_ERROR_OK).
`consistent` / `unknown` are undecided: accepted, and counted in the summary test.

Claims that lawproof gets wrong today are listed in KNOWN_WRONG and marked
xfail(strict=True): the suite is green now and turns red (XPASS) once a fix lands,
so whoever fixes a class removes its entries here.

The class number of a claim is in its id: `c<N>-...` (class N) or `m<N>-...`
(metamorphic variant of class N). The corpus files are not collected by the lawproof
pytest plugin (tests/soundness/conftest.py); this module checks each file once.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

import lawproof

CORPUS = Path(__file__).parent / "soundness"
FILES = sorted(CORPUS.glob("*.claims.toml"))

# Input errors by design: the spec (or the parser) rejects the input, so `error` is not a
# wrong verdict here; `proved` still is (all of these are labelled "fails").
INPUT_ERROR_OK = {
    # spec: "the point must itself be feasible (else the claim is an input error)";
    # 5/2 is not an integer. error or refuted accepted, proved is wrong.
    "integers::c6-infeasible-half-point",
    # the parser rejects a literal negative power of zero (tests/test_parser.py).
    "powers::c8-zero-negative-power",
}

# Wrong today (verdict / what is wrong). Remove an entry when its fix lands.
KNOWN_WRONG = {
    # class 1: bound-variable capture
    "binders::c1-or-inner-exists-same-name": "class 1: true claim refuted (inner t captures outer t)",
    "binders::c1-nested-forall-shadow": "class 1: true claim refuted (nested same-name forall)",
    "binders::c1-nested-exists-shadow-false": "class 1: error (SMT vs sampling disagree) on a false claim",
    "binders::c1-conj-order-true": "class 1: true claim refuted (inner exists t leaks to the trailing t)",
    "binders::m1-or-inner-exists-negated": "class 1: error (z3 counterexample does not re-check)",
    # class 2: point / bound naming the bound variable
    "binders::c2-minimized-at-own-name": "class 2: error (EncodingDisagreement KKT vs quantified)",
    "binders::c2-minimized-at-own-name-defined": "class 2: error (EncodingDisagreement KKT vs quantified)",
    "binders::c2-minimized-at-own-name-square": "class 2: error (EncodingDisagreement KKT vs quantified)",
    "binders::c2-maximized-at-own-name": "class 2: false claim proved (point c read as the bound c)",
    "binders::c2-exists-bound-names-binder": "class 2: false claim proved (bound [0, y] read with the bound y)",
    "binders::c2-forall-bound-names-binder": "class 2: true claim refuted (bound [0, y] read with the bound y)",
    "binders::c2-exists-lower-bound-names-binder-false": "class 2: false claim proved (bound [y, 1] read with the bound y)",
    "binders::c2-nested-bound-uses-outer": "class 2: false claim proved (inner bound t+2 read with the inner t)",
    "binders::c2-nested-bound-uses-outer-true": "class 2: true claim refuted (inner bound t+2 read with the inner t)",
    # class 3: domains follow the binding
    "domains::c3-diff-sqrt-square-rebound": "class 3: false claim proved (sqrt(x^2) -> x under the declared x > 0)",
    "domains::c3-diff-2ln-negative": "class 3: false claim proved (diff of undefined 2 ln x on x < 0)",
    # class 4: limits
    "limits::c4-sign-jump-equals-one": "class 4: false claim proved (two-sided limit of |x|/x taken from the right)",
    "limits::c4-sign-jump-not-one": "class 4: true claim refuted (nonexistent limit)",
    "limits::c4-sign-jump-either-value": "class 4: false claim proved (nonexistent limit)",
    "limits::m4-sign-jump-shifted": "class 4: false claim proved (nonexistent limit)",
    "limits::c4-sign-one-sided-at-right-end": "class 4: true claim refuted (limit at the right end of [0, 1] taken from the right)",
    # class 5: definedness under calculus
    "domains::c5-integrate-sqrt-squared": "class 5: false claim proved (integrand undefined on [-1, 0))",
    "domains::c5-diff-x-over-x-at-zero": "class 5: false claim proved (x/x not differentiable at 0)",
    "domains::c5-diff-x-over-x-at-zero-negated": "class 5: true claim refuted (x/x not differentiable at 0)",
    # class 6: integrality
    "integers::c6-infeasible-half-point": "class 6: infeasible non-integer point proved (should be error or refuted)",
    # class 7: LaTeX
    "latex::c7-frac12-is-half": "class 7: true claim refuted (\\frac12 u read as 12/u)",
    "latex::c7-frac12-not-12-over-u": "class 7: false claim proved (\\frac12 u read as 12/u)",
    "latex::c7-frac12-plus-one": "class 7: true claim refuted (\\frac12 u read as 12/u)",
    "latex::c7-latex-e-is-euler": "class 7: true claim refuted (LaTeX e read as the file's symbol E)",
    "latex::c7-latex-e-ln": "class 7: true claim refuted (LaTeX e read as the file's symbol E)",
    "latex::c7-latex-e-value": "class 7: true claim refuted (LaTeX e read as the file's symbol E)",
    "latex::c7-latex-e-not-file-symbol": "class 7: false claim proved (LaTeX e read as the file's symbol E)",
    "latex::c7-half-exp-minus": "class 7: true claim refuted (LaTeX e read as the file's symbol E)",
    "latex::c7-half-exp-minus-identity": "class 7: true claim refuted (LaTeX e read as the file's symbol E)",
    # class 8: powers
    "powers::c8-minus-one-even": "class 8: true claim refuted ((-1)^(2n) with integer n)",
    "powers::c8-minus-one-odd": "class 8: true claim refuted ((-1)^(2n+1) with integer n)",
    # class 9: tiny margins
    "margins::c9-exp-minus-1000-positive": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-exp-minus-1000-below": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-exp-minus-1000-zero": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-pi-above-truncation": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-pi-below-rounded-up": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-pi-approx-abs-1e-51": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-pi-approx-abs-582e-53": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-e-above-truncation": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-ln2-above-truncation": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-expm1-tiny": "class 9: error (exact vs 50-digit disagree)",
    "margins::c9-log1p-tiny": "class 9: error (exact vs 50-digit disagree)",
    # class 10: crashes / odd outcomes
    "crashes::c10-exp-beats-square": "class 10: error (OverflowError on [0, oo))",
    "crashes::c10-exp-taylor-2": "class 10: error (OverflowError on [0, oo))",
    "crashes::c10-exp-taylor-3-strict": "class 10: error (OverflowError on [0, oo))",
    "crashes::c10-exp-minus-reciprocal-vs-power": "class 10: error (ValueError: math domain error)",
    "crashes::c10-exists-forall-irrational-inner": "class 10: error (z3 counterexample with irrational inner witness does not re-check)",
}

DECIDED_FLOOR = 0.55  # decided-and-matching share today is above this; only fixes raise it


def _key(path: Path, claim_id: str) -> str:
    return f"{path.name.removesuffix('.claims.toml')}::{claim_id}"


def _class_of(claim_id: str) -> int:
    m = re.match(r"[cm](\d+)-", claim_id)
    assert m, f"claim id {claim_id!r} must start with c<N>- or m<N>-"
    return int(m.group(1))


def _collect() -> list:
    params = []
    for path in FILES:
        for claim in lawproof.load(path).claims:
            key = _key(path, claim.id)
            marks = ()
            if key in KNOWN_WRONG:
                marks = (pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key]),)
            params.append(pytest.param(path, claim.id, id=key, marks=marks))
    return params


PARAMS = _collect()


@cache
def _results(path: Path) -> dict[str, lawproof.Result]:
    """Check a corpus file once (module-level cache); results by claim id."""
    return {r.claim: r for r in lawproof.check_file(path).results}


def _wrong(key: str, label: str, verdict: str) -> bool:
    if verdict == "error":
        return key not in INPUT_ERROR_OK
    return (label == "holds" and verdict == "refuted") or (label == "fails" and verdict == "proved")


@pytest.mark.parametrize(("path", "claim_id"), PARAMS)
def test_verdict_does_not_contradict_label(path: Path, claim_id: str) -> None:
    r = _results(path)[claim_id]
    key = _key(path, claim_id)
    assert not _wrong(key, r.expect, r.verdict), (
        f"{key}: label {r.expect}, lawproof says {r.verdict} ({r.method})"
        f"{': ' + r.message if r.message else ''}\n  formula: {r.formula}")


def test_corpus_shape() -> None:
    """At least 170 claims, every class 1..12 with at least 12, every key listed exists,
    and every claim has a label, a timeout and a justification comment naming its class."""
    ids = [p.id for p in PARAMS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 170, len(ids)
    per_class = Counter(_class_of(i.split("::")[1]) for i in ids)
    assert all(per_class[c] >= 12 for c in range(1, 13)), per_class
    assert set(KNOWN_WRONG) <= set(ids) and INPUT_ERROR_OK <= set(ids)
    for path in FILES:
        cf = lawproof.load(path)
        assert not cf.errors, cf.errors
        lines = path.read_text().splitlines()
        for claim in cf.claims:
            assert claim.expect in ("holds", "fails"), claim.id
            block = "\n".join(lines[max(0, claim.line - 8):claim.line + 4])
            assert "timeout = 3" in block, f"{claim.id}: needs timeout = 3"
            start = max(i for i in range(claim.line) if lines[i].strip() == "[[claim]]")
            above = lines[start - 1].strip() if start > 0 else ""
            assert above.startswith("#") and "class" in "\n".join(
                lines[max(0, start - 6):start]), f"{claim.id}: needs a '# class N: ...' justification"


def test_decided_fraction() -> None:
    """For information: how many claims lawproof decides correctly (proved on holds,
    refuted on fails), how many it gets wrong, how many stay undecided."""
    tally: Counter = Counter()
    for param in PARAMS:
        path, claim_id = param.values
        r = _results(path)[claim_id]
        key = _key(path, claim_id)
        if _wrong(key, r.expect, r.verdict):
            tally["wrong"] += 1
        elif (r.expect, r.verdict) in (("holds", "proved"), ("fails", "refuted")):
            tally["decided"] += 1
        else:
            tally["undecided-or-input-error"] += 1
    total = sum(tally.values())
    share = tally["decided"] / total
    print(f"\nsoundness corpus: {total} claims, decided and matching {tally['decided']} "
          f"({share:.0%}), wrong {tally['wrong']}, undecided/input-error "
          f"{tally['undecided-or-input-error']}")
    assert tally["wrong"] <= len(KNOWN_WRONG)
    assert share >= DECIDED_FLOOR, f"decided share fell to {share:.0%}"
