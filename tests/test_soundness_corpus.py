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
    # exact arithmetic would build (1 + 10^-100)^(10^100) digit by digit: the parser refuses
    # such powers as a located input error by design (README, "Input that exact arithmetic
    # cannot build"); proved or refuted are still judged by the label.
    "review::c10-compound-below-e",
    # solve(...) is "the unique real solution": none (arcsin <= pi/2 < 2) and infinitely
    # many (tan is periodic) are input errors by the spec; proved is still wrong.
    "trig::c13-solve-arcsin-beyond-its-range",
    "trig::c13-solve-periodic-not-unique",
    # a definition whose parameter is the file's integer symbol, called at a number not
    # known to be whole: its body was built for integers (sin(pi*n) as 0), so the call is
    # an input error; proved is still wrong.
    "review6::c6-definition-integer-parameter-at-a-half",
    "review6::c6-definition-integer-parameter-at-a-real-symbol",
    "review6::c6-definition-integer-parameter-floor",
    # SymPy's solve lists one of the two real roots; uniqueness not shown: input error.
    "derived::c3-solve-incomplete-root-list",
    # a solve without a solution, an argmin without a minimum: input errors by the spec,
    # also where SymPy folded them out of 0*node; proved is still wrong.
    "review7::c3-zero-times-solve-without-solution",
    "review7::c3-zero-times-argmin-without-minimum",
    # solve over an integer variable whose only real solution is not a whole number: no
    # solution in the domain, an input error by the spec; proved is still wrong.
    "review8::c6-solve-integer-variable-irrational",
    # an integer binder over an interval without a whole number quantifies over nothing:
    # an empty domain is an input error by the spec; proved (vacuously) is wrong.
    "review9::c6-integer-binder-without-a-whole-number",
    "review8::c6-integer-binder-without-a-whole-number",
    "review::c6-exists-integer-open-gap",
    # a symbolic domain empty for every value of its bounds' symbols ([p + 1, p]): the
    # spec's empty domain, an input error; proved (vacuously) is wrong.
    "review11::c3-symbolic-domain-empty-for-every-parameter",
    # the same for a bound variable over its declared domain or a binder's own interval,
    # empty for every value of the symbols around it; proved (vacuously) is wrong.
    "review13::c3-bound-over-a-declared-domain-empty-for-every-parameter",
    "review13::c3-bound-over-an-empty-declared-domain-in-a-disjunct",
    "review13::c3-binder-interval-empty-for-every-parameter",
    "review13::c3-inner-binder-interval-empty-for-every-outer-value",
    "review13::c3-transcendental-domain-empty-for-every-parameter",
    "review13::c3-bound-over-a-transcendental-domain-empty-for-every-parameter",
    "review13::c3-function-symbol-over-an-empty-declared-domain",
    "review13::c3-function-symbol-bound-over-an-empty-declared-domain",
    "review13::c3-empty-binder-with-the-ends-of-an-integral",
}

# Wrong today (verdict / what is wrong). Remove an entry when its fix lands.
KNOWN_WRONG: dict[str, str] = {
}

DECIDED_FLOOR = 0.85  # 92% at stop 17 (was 73% before the soundness fixes); only fixes raise it


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
    """At least 170 claims, every class 1..13 with at least 12, every key listed exists,
    and every claim has a label, a timeout and a justification comment naming its class."""
    ids = [p.id for p in PARAMS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 170, len(ids)
    per_class = Counter(_class_of(i.split("::")[1]) for i in ids)
    assert all(per_class[c] >= 12 for c in range(1, 14)), per_class
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
