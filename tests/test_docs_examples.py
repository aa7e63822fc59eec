"""Every example of docs/claim-language-extensions.md loads, and gives the verdict the
doc states: a claim whose line carries `# proved` / `# refuted` (with `refuted: F(t) = ...`
naming the counterexample function), the one-line examples the prose states a verdict
for, and the fragments (which show only the new part of a file) inside the smallest
file that declares what they use."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import lawproof
from lawproof.report.plots import read_plot_specs

DOC = (Path(__file__).resolve().parent.parent / "docs" / "claim-language-extensions.md").read_text()
BLOCKS = re.findall(r"```toml\n(.*?)```", DOC, re.S)

#: What each fragment needs around it, by a text only that fragment holds.
PRELUDES = {
    'id      = "collapse-threshold-derived"':
        '[paper]\nid = "doc"\n[symbols]\nS = "[0, 1]"\nR = "(1, oo)"\na = "[0, 1)"\n[define]\n'
        '"T(a)" = "S/(1 - a) + (1 - S)/(1 + a*(R - 1))"\nS_c = "1 - 1/R"\n',
    'id      = "chinchilla-a"': '[paper]\nid = "doc"\n[symbols]\nalpha = "(0, 1)"\nbeta = "(0, 1)"\n',
    'id     = "learning-curve"': '[paper]\nid = "doc"\n[symbols]\nS = "[0, 1]"\nR = "(1, oo)"\na = "[0, 1)"\n',
    'id      = "phase-diagram"':
        '[paper]\nid = "doc"\n[symbols]\nS = "[0, 1]"\nR = "(1, oo)"\nt = "[0, 30]"\nb = "(0, oo)"\n'
        'kappa = "(0, 1)"\n[define]\nS_c = "1 - 1/R"\n"a_opt(S)" = "1 - S"\n"X(t)" = "exp(-kappa*b*t)"\n',
    'N_opt       = "argmin(L2(N, C/(c*N)), N)"':
        '[paper]\nid = "doc"\n[symbols]\nN = "(0, oo)"\nC = "(0, oo)"\nc = "(0, oo)"\nE = "(0, oo)"\n'
        'A = "(0, oo)"\nB = "(0, oo)"\nalpha = "(0, 1)"\nbeta = "(0, 1)"\nt = "(0, oo)"\nx = "(0, 1)"\n'
        '[define]\n"L2(N, D)" = "E + A/N^alpha + B/D^beta"\n"X(t)" = "exp(-t)"\n',
    'N1 = "(0, oo)"': '[paper]\nid = "doc"\n',
    'R_D_star = "(0, oo)"': '[paper]\nid = "doc"\n',
}

#: Verdicts of fragments that the doc states in prose (the table's rows: `expect = "fails"`).
FRAGMENT_VERDICTS = {"kappa-from-split": "proved", "chinchilla-a-row1": "refuted",
                     "chinchilla-a-row2": "refuted", "chinchilla-a-row3": "refuted"}


def _file(block: str) -> str:
    """The block as a whole claim file: as written when it has [paper], else after the
    prelude of the fragment, with [define] entries merged into the prelude's."""
    if "[paper]" in block:
        return block
    [prelude] = [p for key, p in PRELUDES.items() if key in block]
    if block.startswith("[define]") and "[define]" in prelude:
        head, _, rest = block.partition("\n[[")
        return prelude + head.removeprefix("[define]\n") + ("\n[[" + rest if rest else "")
    return prelude + block


def _stated(block: str) -> dict[str, tuple[str, str | None]]:
    """Claim id -> (verdict, counterexample function or None) from `# proved`/`# refuted` comments."""
    out = {}
    for chunk in block.split("[[claim]]")[1:]:
        cid = re.search(r'id\s*=\s*"([^"]+)"', chunk).group(1)
        m = re.search(r"#\s*(proved|refuted)\b(?::\s*(\w+\(\w+\)) =)?", chunk)
        if m:
            out[cid] = (m.group(1), m.group(2))
    return out


def test_every_example_block_is_covered():
    assert len(BLOCKS) == 12
    assert all("[paper]" in b or any(k in b for k in PRELUDES) for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[re.search(r'id\s*=\s*"([^"]+)"', b).group(1)
                                               if re.search(r'id\s*=\s*"([^"]+)"', b) else "names" for b in BLOCKS])
def test_an_example_loads_and_gives_its_stated_verdicts(block, tmp_path):
    path = tmp_path / "example.claims.toml"  # plots are read from the file
    path.write_text(_file(block))
    cf = lawproof.load(path)
    assert not cf.errors and not cf.warnings and all(c.error is None for c in cf.claims)
    if "[[plot]]" in block:
        specs, errors = read_plot_specs(cf.theory)
        assert not errors and len(specs) == block.count("[[plot]]")
    stated = _stated(block) if "[paper]" in block or "[functions" in block or "I1" in block else {}
    wanted = stated | {c.id: (FRAGMENT_VERDICTS[c.id], None) for c in cf.claims if c.id in FRAGMENT_VERDICTS}
    if "[paper]" in block:
        assert set(stated) == {c.id for c in cf.claims}, "every claim of a whole example states its verdict"
    for claim in cf.claims:
        if claim.id not in wanted:
            continue
        r = lawproof.check_claim(claim, cf.theory)
        verdict, function = wanted[claim.id]
        assert r.verdict == verdict, (claim.id, r.verdict, r.message)
        if function:
            assert function in r.evidence.functions, r.evidence.functions


HEAD = '[paper]\nid = "doc"\n[symbols]\nx = "[-2, 2]"\nk = { domain = "[5, 6]", integer = true }\n'


@pytest.mark.parametrize("formula,verdict,quoted", [
    # trigonometric functions: an undefined term makes its atom false
    ("arcsin(2) >= 0", "refuted", "arcsin(2) >= 0"),
    ("not (arcsin(2) >= 0)", "proved", "arcsin(2) >= 0"),
    ("tan(pi/2) = tan(pi/2)", "refuted", "tan(pi/2) = tan(pi/2)"),
    ("sin(arcsin(x)) = x", "refuted", "sin(arcsin(x)) = x"),               # on [-2, 2]
    ("forall x in [-1, 1]: sin(arcsin(x)) = x", "proved", "sin(arcsin(x)) = x"),
    ("forall x in [-1, 1]: cbrt(x) = x^(1/3)", "refuted", "forall x in [-1, 1]: cbrt(x) = x^(1/3)"),
    # sums: reversed bounds and an undefined term leave the sum undefined
    ("sum(k, k, 5, 2) = -7", "refuted", "sum(k, k, 5, 2) = -7"),
    ("sum(1/(k - 2), k, 1, 3) = 0", "refuted", "sum(1/(k - 2), k, 1, 3) = 0"),
    ("not (sum(1/(k - 2), k, 1, 3) = 0)", "proved", "sum(1/(k - 2), k, 1, 3) = 0"),
    ("sum(sqrt(k - 2), k, 1, 3) >= 0", "refuted", "sum(sqrt(k - 2), k, 1, 3) >= 0"),
    ("not (sum(sqrt(k - 2), k, 1, 3) >= 0)", "proved", "sum(sqrt(k - 2), k, 1, 3) >= 0"),
])
def test_a_verdict_stated_in_the_prose_holds(formula, verdict, quoted):
    assert f"`{quoted}`" in DOC
    cf = lawproof.loads(HEAD + f'[[claim]]\nid = "c"\nformula = "{formula}"\n', "prose.claims.toml")
    assert lawproof.check_claim(cf.claims[0], cf.theory).verdict == verdict
