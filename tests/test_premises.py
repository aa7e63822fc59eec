"""Load-bearing premises: which hypotheses a claim needs, with exact witnesses."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from lawproof.cli import main
from lawproof.explore.premises import premises

PAPER = Path(__file__).resolve().parent.parent / "papers" / "amdahl_modernized.claims.toml"

PRODUCT = '''
[paper]
id = "toy-premises"

[symbols]
x = "(-oo, oo)"
y = "(-oo, oo)"
z = "(-oo, oo)"

[[claim]]
id      = "product"
says    = "Three premises, two of which carry the conclusion."
formula = "x > 0 and y > 0 and z > 0 -> x*y > 0"

[[claim]]
id      = "assumed"
assume  = "x > 0 and z > 0"
formula = "y > 0 -> x*y > 0"
'''


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "p.claims.toml"
    path.write_text(PRODUCT)
    return path


def test_claim_needing_two_of_three_premises(tmp_path):
    rep = premises(_write(tmp_path), "product")
    assert rep.baseline.verdict == "proved"
    needed = {c.hypothesis.text: c.needed for c in rep.checks}
    assert needed == {"x > 0 (premise)": True, "y > 0 (premise)": True, "z > 0 (premise)": False}
    for c in rep.checks:
        if c.needed:
            w = c.witness.values
            dropped = c.hypothesis.text[0]
            # re-checked here: the premises that were kept hold, the conclusion fails
            assert all(w[v] > 0 for v in "xyz" if v != dropped) and w["x"] * w["y"] <= 0


def test_assume_conjuncts_are_hypotheses_too(tmp_path):
    rep = premises(_write(tmp_path), "assumed")
    needed = {c.hypothesis.text: c.needed for c in rep.checks}
    assert needed == {"x > 0 (assume)": True, "z > 0 (assume)": False, "y > 0 (premise)": True}


def test_amdahl_domain_bounds_and_constant_R():
    rep = premises(PAPER, "collapse-sufficient", param="R", family="linear", timeout=3.0)
    needed = {c.hypothesis.text: c.needed for c in rep.checks}
    # the threshold premise and "R constant" carry the claim; no domain bound does
    assert needed["S >= S_c (premise)"] is True
    assert needed["R is constant"] is True
    assert needed["R > 1 (domain of R)"] is False
    assert needed["S <= 1 (domain of S)"] is False
    witness = next(c.witness.values for c in rep.checks if c.hypothesis.kind == "constant")
    S, R0, g, a = (witness[k] for k in ("S", "R0", "g", "a_w"))
    r = R0 * (1 + g * a)
    assert S >= 1 - 1 / R0 and S / (1 - a) + (1 - S) / (1 + a * (r - 1)) < 1


def test_a_domain_bound_that_is_needed():
    rep = premises(PAPER, "objective-positive", timeout=3.0)
    needed = {c.hypothesis.text: c for c in rep.checks}
    lower = needed["S >= 0 (domain of S)"]
    assert lower.needed is True
    w = lower.witness.values
    S, R, a = w["S"], w["R"], w["a"] if "a" in w else w["a_w"]
    assert S < 0 and S / (1 - a) + (1 - S) / (1 + a * (R - 1)) <= 0
    assert needed["R > 1 (domain of R)"].needed is False


def test_cli_premises(tmp_path, capsys):
    path = str(_write(tmp_path))
    assert main(["premises", path, "product"]) == 0
    out = capsys.readouterr().out
    assert "load-bearing: x > 0 (premise), y > 0 (premise)" in out
    assert main(["premises", path, "product", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {h["hypothesis"]: h for h in data["hypotheses"]}
    assert rows["z > 0 (premise)"]["needed"] is False
    w = {k: Fraction(v) for k, v in rows["x > 0 (premise)"]["witness"].items()}
    assert w["x"] <= 0 and w["x"] * w["y"] <= 0
