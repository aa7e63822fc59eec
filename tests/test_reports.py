"""Reports: math notation, every format, plots, reproducibility, the drift check
against the committed reports/, SMT-LIB2 replay, Jupyter reprs and the pytest plugin."""
from __future__ import annotations

import fnmatch

import json
import math
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
import z3

import lawproof
from lawproof.cli import main
from lawproof.language.errors import ClaimInputError
from lawproof.report.model import SCHEMA_VERSION, build_report, replay_answer, tried
from lawproof.report.notation import LATEX, MATHML
from lawproof.report.plots import compute, draw_plots, read_plot_specs
from lawproof.report.writer import check_reports, render_files, write_reports

from conftest import claim_file

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent

TOY = '''
[paper]
id = "toy-report"
title = "A toy paper"
source = "tests/test_reports.py"

[symbols]
S = { domain = "[0, 1]", text = "scalable fraction" }
R = { domain = "(1, oo)", text = "efficiency ratio" }
a = { domain = "[0, 1)", text = "allocation" }
x = { domain = "[0, 1]", text = "a point" }
y = "[0, 1]"

[define]
"T(a)" = "S/(1 - a) + (1 - S)/(1 + a*(R - 1))"
S_c = "1 - 1/R"

[[claim]]
id = "threshold"
says = "Zero allocation is optimal exactly when S >= S_c."
formula = "minimized_at(T(a), a, 0) <-> S >= S_c"

[[claim]]
id = "mutant"
formula = "minimized_at(T(a), a, 0) <-> S > S_c"
expect = "fails"

[[claim]]
id = "never-faster"
says = "A wrong claim the file believes: specialization never helps."
formula = "T(a) >= 1"

[[claim]]
id = "sampled"
formula = "cos(2*x) != 0"
# every prover runs to its end on it (3.3 CPU s idle): a limit far above that keeps its
# verdict from depending on how fast the machine is (it stopped at 5 s in one CI run)
timeout = 20

[[claim]]
id = "oracle"
check = false
reason = "about Turing degrees, not real numbers"

[[claim]]
id = "assumed"
assume = "S < 1"
formula = "S >= S_c <-> R <= 1/(1 - S)"

[[plot]]
id = "phase"
kind = "region"
title = "toy phase diagram"
x = { symbol = "R", from = 1, to = 20, scale = "log" }
y = { symbol = "S", from = 0, to = 1 }
shade = { expr = "(sqrt((1 - S)*(R - 1)) - sqrt(S))/((R - 1)*sqrt(S) + sqrt((1 - S)*(R - 1)))", where = "0 < S < S_c", otherwise = 0 }
curves = [{ expr = "S_c", label = "S_c" }]
points = 12

[[plot]]
id = "slices"
title = "T at R = 4"
x = { symbol = "a", from = 0, to = "1/2" }
curves = [{ expr = "T(a)" }]
family = { symbol = "S", values = ["1/2", "3/4"] }
fix = { R = 4 }
points = 11
'''


@pytest.fixture(scope="module")
def toy_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "toy.claims.toml"
    path.write_text(TOY)
    return path


@pytest.fixture(scope="module")
def toy(toy_path) -> lawproof.FileResult:
    fr = lawproof.check_file(toy_path)
    assert not fr.errors
    return fr


@pytest.fixture(scope="module")
def results(toy) -> dict[str, lawproof.Result]:
    return {r.claim: r for r in toy.results}


@pytest.fixture(scope="module")
def out(toy, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_reports([toy], folder)
    return folder


def test_the_toy_claims_cover_every_kind_of_outcome(results):
    got = {cid: (r.verdict, r.matches_expect) for cid, r in results.items()}
    assert got["threshold"] == ("proved", True)
    assert got["mutant"] == ("refuted", True)
    assert got["never-faster"] == ("refuted", False)
    assert got["sampled"] == ("consistent", None)  # false only at x = pi/4: never proved, never refuted exactly
    assert got["oracle"] == ("not-checkable", None)


# -- notation -------------------------------------------------------------------------

def test_formula_in_latex_and_mathml_keeps_names_and_precedence():
    cf = claim_file('''
[[claim]]
id = "c"
formula = "minimized_at(T(a), a, 0) <-> S >= S_c"

[[claim]]
id = "nested"
formula = "(S > 0 -> S < 1) -> not (S = 0 or S = 1)"
''')
    c, nested = cf.claim("c").formula, cf.claim("nested").formula
    latex = LATEX.formula(c)
    assert latex == (r"0 \in \operatorname{arg\,min}_{a \in \left[0 , 1\right)} T{\left(a \right)} "
                     r"\Leftrightarrow S \geq S_{c}")
    assert LATEX.formula(nested) == (r"\left(S > 0 \Rightarrow S < 1\right) \Rightarrow "
                                     r"\neg \left(S = 0 \vee S = 1\right)")
    mathml = MATHML.formula(c)
    # SymPy's own printer lowercases function names: T(a) must stay T, S_c a subscript
    assert "<mi>T</mi>" in mathml and "<msub><mi>S</mi><mi>c</mi></msub>" in mathml
    assert "<mo>⇔</mo>" in mathml and "<munder>" in mathml
    assert MATHML.term(sympy.Symbol("R") - 1).count("&#x2212;") == 1


# -- the formats ----------------------------------------------------------------------

def test_markdown_shows_math_plain_text_counterexamples_and_links(results, out):
    md = (out / "toy-report.md").read_text()
    assert "```math\n" + LATEX.formula(results["threshold"].formula_tree) + "\n```" in md
    assert "`minimized_at(T(a), a, 0) <-> S >= S_c`" in md
    assert "$`S_{c} = 1 - \\frac{1}{R}`$" in md
    cx = results["never-faster"].evidence.counterexample
    assert cx
    for name, value in cx.items():
        assert f"$`{sympy.latex(sympy.Rational(Fraction(value)))}`$" in md, name
    assert "**contradicts the expectation**" in md
    assert "about Turing degrees, not real numbers" in md
    for rel in ("artifacts/toy-report/threshold.smt2", "artifacts/toy-report/phase.svg",
                "artifacts/toy-report/slices.svg"):
        assert f"]({rel})" in md and (out / rel).is_file(), rel
    assert "### Assumptions" in md and "[assumed](#assumed) | $`S < 1`$" in md


def test_index_counts_each_verdict(results, out):
    counts = {v: sum(r.verdict == v for r in results.values()) for v in lawproof.VERDICTS}
    row = f"| [A toy paper](toy-report.md) | {len(results)} | " + " | ".join(
        str(counts[v]) for v in lawproof.VERDICTS) + " |"
    assert row in (out / "index.md").read_text()
    html = (out / "index.html").read_text()
    assert '<a href="toy-report.html">A toy paper</a>' in html


def test_html_is_self_contained_with_mathml_and_inline_svg(results, out):
    page = (out / "toy-report.html").read_text()
    assert "<script" not in page.lower()
    assert "default-src 'none'" in page  # the browser may fetch nothing
    for attr in ("src=", "href="):
        assert f'{attr}"http' not in page and f"{attr}'http" not in page
    assert page.count("<math ") == page.count("</math>") > len(results)
    assert page.count("<svg ") == 2 and "<?xml" not in page
    assert MATHML.formula(results["threshold"].formula_tree) in page
    assert 'id="never-faster"' in page and "contradicts the expectation" in page


def test_json_follows_the_documented_schema(results, out):
    doc = json.loads((out / "toy-report.json").read_text())
    assert doc["schema"] == f"lawproof-report/{SCHEMA_VERSION}"
    documented = (REPO / "docs" / "report-schema.md").read_text()
    assert f"`lawproof-report/{SCHEMA_VERSION}`" in documented
    shown = [doc, doc["paper"], doc["results"][0], doc["results"][0]["evidence"]]
    for key in sorted({k for part in shown for k in part}):
        assert f"`{key}`" in documented, f"field {key} is not documented in docs/report-schema.md"
    by_id = {r["claim"]: r for r in doc["results"]}
    assert [by_id[c]["outcome"] for c in ("threshold", "mutant", "never-faster", "oracle")] == \
        ["pass", "pass", "fail", "skip"]
    assert by_id["threshold"]["replay"] == {"command": "z3 artifacts/toy-report/threshold.smt2",
                                            "prints": "unsat"}
    assert by_id["never-faster"]["evidence"]["counterexample"] == results["never-faster"].evidence.counterexample
    assert by_id["assumed"]["latex"]["assume"] == "S < 1"
    assert doc["paper"]["parameters"] == sorted({"R", "S", "a", "x"})
    assert "seconds" not in by_id["threshold"]


def test_junit_has_one_case_per_claim_with_failures_and_skips(results, out):
    root = ET.parse(out / "junit.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == set(results)
    assert cases["never-faster"].find("failure") is not None
    text = cases["never-faster"].find("failure").text
    assert all(f"{k} = {v}" in text for k, v in results["never-faster"].evidence.counterexample.items())
    assert cases["oracle"].find("skipped").get("message") == "about Turing degrees, not real numbers"
    assert cases["threshold"].find("failure") is None and cases["threshold"].find("skipped") is None
    failed = sum(r.matches_expect is False for r in results.values())
    assert root.get("tests") == str(len(results)) and root.get("failures") == str(failed)


def test_smt2_artifacts_replay_with_the_z3_command_line(results, out):
    replayed = 0
    for r in results.values():
        if replay_answer(r) is None:
            continue
        path = out / "artifacts" / "toy-report" / f"{r.claim}.smt2"
        assert _replay(path) == replay_answer(r), r.claim
        replayed += 1
    assert replayed >= 2


def _replay(path: Path) -> str:
    """What z3 answers on an SMT-LIB2 file: the `z3` program when installed (the
    z3-solver wheel ships it), else the same solver through its Python API."""
    exe = shutil.which("z3")
    if exe:
        proc = subprocess.run([exe, "-T:60", str(path)], capture_output=True, text=True, timeout=90)
        return proc.stdout.strip().splitlines()[-1]
    solver = z3.Solver()
    solver.from_string(path.read_text())
    return str(solver.check())


# -- reproducibility and drift -----------------------------------------------------------

def test_reports_are_byte_identical_under_another_hash_seed(toy_path, out, tmp_path):
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    again = out.with_name(f"{out.name}-again")  # beside `out`: the claim file's path is relative to their folder
    proc = subprocess.run([sys.executable, "-m", "lawproof.cli", "report", str(toy_path), "--out", str(again)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed},
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stderr  # never-faster contradicts its expectation
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [str(k) for k in first if first[k] != second[k]] == []
    text = b"".join(first.values())
    assert b"seconds" not in text and str(tmp_path).encode() not in text and b"dc:date" not in text


def test_what_depends_on_machine_speed_is_left_out_of_reports():
    r = lawproof.Result("p", "c", "consistent", "sampling", 1.5, evidence=lawproof.Evidence(tried=[
        "SMT (z3): unknown - z3 returned unknown [5.012 s]",
        "interval branch and bound (arb): unknown - the CPU-time safety net (deadline) fired after 327 boxes: "
        "32 proved, 264 undecided",
        "interval branch and bound (arb): unknown - box budget exhausted after 4000 boxes: 9 proved, 3 undecided"]))
    assert tried(r) == ["SMT (z3): unknown - z3 returned unknown",
                        "interval branch and bound (arb): unknown - the CPU-time safety net (deadline) fired",
                        "interval branch and bound (arb): unknown - box budget exhausted after 4000 boxes: "
                        "9 proved, 3 undecided"]


def test_check_names_changed_missing_and_extra_files(toy, toy_path, out, tmp_path, capsys):
    committed = out.with_name(f"{out.name}-committed")  # beside `out`, so the claim file is where it was
    shutil.copytree(out, committed)
    assert check_reports([toy], committed) == []
    (committed / "toy-report.md").write_text("edited by hand\n")
    (committed / "junit.xml").unlink()
    (committed / "artifacts" / "toy-report" / "old-claim.smt2").write_text("(check-sat)\n")
    assert main(["report", str(toy_path), "--out", str(committed), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"differs: {committed / 'toy-report.md'}" in err
    assert f"missing: {committed / 'junit.xml'}" in err
    assert f"extra: {committed / 'artifacts' / 'toy-report' / 'old-claim.smt2'}" in err
    assert (committed / "toy-report.md").read_text() == "edited by hand\n"  # --check writes nothing


def test_writing_removes_stale_artifacts_of_a_paper_only(toy, tmp_path):
    folder = tmp_path / "r"
    stale = folder / "artifacts" / "toy-report" / "gone.smt2"
    keep = folder / "notes.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    keep.write_text("mine")
    write_reports([toy], folder)
    assert not stale.exists() and keep.read_text() == "mine"


@pytest.fixture(scope="module")
def bundle() -> list[lawproof.FileResult]:
    return [lawproof.check_file(p) for p in lawproof.bundled_papers()]


def test_committed_reports_are_what_the_code_produces(bundle, monkeypatch):
    """Fails when reports/ drifts from the code: run `lawproof report` and commit."""
    monkeypatch.chdir(REPO)  # claim-file paths in reports are relative to the repository
    drift = check_reports(bundle, REPO / "reports")
    assert drift == [], "reports/ is stale; run `lawproof report` and commit:\n" + "\n".join(drift)


def test_every_bundled_artifact_replays(bundle, tmp_path):
    expected = {f"artifacts/{fr.theory.id}/{r.claim}.smt2": replay_answer(r)
                for fr in bundle for r in fr.results if replay_answer(r)}
    files = render_files(bundle, home=tmp_path)
    assert expected and set(expected) == {k for k in files if k.endswith(".smt2")}
    for rel, answer in expected.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[rel])
        assert _replay(path) == answer, rel


#: cvc5 replays an artifact in a child process: its Python API cannot be interrupted, and
#: the logic is set from the text because cvc5's default logic (ALL) gives up on easy
#: polynomial facts (shared/SOLVER-NOTES.md).
_CVC5_REPLAY = """
import sys, cvc5
text = sys.stdin.read()
tm = cvc5.TermManager()
solver = cvc5.Solver(tm)
quantified = "forall" in text or "exists" in text
solver.setLogic(("" if quantified else "QF_") + ("NIRA" if "Int" in text else "NRA"))
symbols = cvc5.SymbolManager(tm)
parser = cvc5.InputParser(solver, symbols)
parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "artifact")
while not (command := parser.nextCommand()).isNull():
    said = command.invoke(solver, symbols).strip()
    if said:
        print(said)
"""


def test_every_bundled_artifact_replays_with_cvc5_too():
    """A second solver on the committed artifacts: where cvc5 answers within its time
    limit it must give z3's answer; it has to answer most of them."""
    pytest.importorskip("cvc5")
    expected = {}
    for doc in (REPO / "reports").glob("*.json"):
        for r in json.loads(doc.read_text())["results"]:
            if r["artifact_kind"] == "smt-lib2":
                expected[REPO / "reports" / r["artifact"]] = r["replay"]["prints"]
    answered = 0
    for path, answer in sorted(expected.items()):
        try:
            proc = subprocess.run([sys.executable, "-c", _CVC5_REPLAY], input=path.read_text(),
                                  capture_output=True, text=True, timeout=5)
        except subprocess.TimeoutExpired:
            continue
        said = proc.stdout.split()
        assert proc.returncode == 0, (path, proc.stderr[-500:])
        if said and said[-1] != "unknown":
            assert said[-1] == answer, path
            answered += 1
    assert len(expected) >= 40 and answered >= 0.9 * len(expected), (answered, len(expected))


# -- plots ----------------------------------------------------------------------------

def test_phase_diagram_values_come_from_the_definitions(toy):
    spec = {s.id: s for s in read_plot_specs(toy.theory)[0]}["phase"]
    data = compute(spec)

    def a_star(S: float, R: float) -> float:  # independent float formula, MATH.md section 1
        return (math.sqrt((1 - S) * (R - 1)) - math.sqrt(S)) / ((R - 1) * math.sqrt(S) + math.sqrt((1 - S) * (R - 1)))

    for j, S in enumerate(data.ys):
        for i, R in enumerate(data.xs):
            expected = a_star(S, R) if 0 < S < 1 - 1 / R else 0.0
            assert data.z[j][i] == pytest.approx(expected, abs=1e-12), (S, R)
    (label, line), = data.lines
    assert label == "S_c" and line == pytest.approx(1 - 1 / data.xs)


def test_a_curve_family_evaluates_every_member(toy):
    spec = {s.id: s for s in read_plot_specs(toy.theory)[0]}["slices"]
    data = compute(spec)
    assert [label for label, _ in data.lines] == ["T(a), S = 1/2", "T(a), S = 3/4"]
    for (_, ys), S in zip(data.lines, (0.5, 0.75)):
        assert ys == pytest.approx(S / (1 - data.xs) + (1 - S) / (1 + 3 * data.xs))


@pytest.mark.parametrize("plot, problem", [
    ('id = "p"\nx = { symbol = "nope", from = 0, to = 1 }\ncurves = [{ expr = "x" }]', "must name a symbol"),
    ('id = "p"\nx = { symbol = "x", from = 0, to = 1 }\ncurves = [{ expr = "T(x)" }]', "needs a value for R, S"),
    ('id = "p"\nkind = "pie"\nx = { symbol = "x", from = 0, to = 1 }', "kind must be one of"),
    ('id = "p"\nx = { symbol = "x", from = 0, to = 1, scale = "log" }\ncurves = [{ expr = "x" }]',
     "must start above 0"),
])
def test_plot_table_mistakes_are_input_errors_with_a_fix(tmp_path, plot, problem):
    path = tmp_path / "p.claims.toml"
    path.write_text(TOY.split("[[plot]]")[0] + "[[plot]]\n" + plot + "\n")
    cf = lawproof.load(path)
    assert not cf.errors
    plots, problems = draw_plots(cf.theory)
    assert plots == [] and len(problems) == 1
    e = problems[0]
    assert isinstance(e, ClaimInputError) and problem in str(e) and e.fix and e.line is not None


def test_relative_loss_plot_from_the_scaling_pack():
    theory = lawproof.load(REPO / "papers" / "unreasonable_effectiveness.claims.toml").theory
    plots, problems = draw_plots(theory)
    assert problems == [] and [p.id for p in plots] == ["relative-loss"]
    data = compute(read_plot_specs(theory)[0][0])
    for (_, xs), b in zip(data.lines, (0.4, 1.0, 1.5)):
        assert xs[0] == pytest.approx(1.0)  # X(0) = 1
        t = data.xs[-1]
        assert xs[-1] == pytest.approx((1 + (2 ** (b * t) - 1) / (b * math.log(2))) ** -0.05)


# -- Jupyter --------------------------------------------------------------------------

def test_results_and_reports_render_themselves_in_jupyter(toy, results):
    r = results["never-faster"]
    assert r._repr_markdown_().startswith("### never-faster") and "```math" in r._repr_markdown_()
    assert "<math" in r._repr_html_() and "contradicts the expectation" in r._repr_html_()
    for obj in (toy, build_report([toy], plots=False).papers[0]):
        assert obj._repr_markdown_().startswith("# A toy paper")
        assert "<math" in obj._repr_html_() and "<html" not in obj._repr_html_()
    report = build_report([toy], plots=False)
    assert "| [A toy paper](toy-report.md) |" in report._repr_markdown_()
    assert "toy-report.html" in report._repr_html_()


# -- pytest plugin --------------------------------------------------------------------

PLUGIN_FILE = TOY.split("[[plot]]")[0]


def test_pytest_collects_claims_as_items_and_fails_with_the_counterexample(pytester):
    pytester.makefile(".claims.toml", toy=PLUGIN_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rsf", "-k", "not mutant and not assumed")
    result.assert_outcomes(passed=2, failed=1, skipped=1, deselected=2)
    result.stdout.fnmatch_lines(["*claim never-faster*", "*counterexample (exact):*", "  a = *",
                                 "*undecided claims*", "toy.claims.toml::sampled: consistent*",
                                 "SKIPPED*toy.claims.toml*not checkable: about Turing degrees*",
                                 "FAILED toy.claims.toml::never-faster*"])


def test_pytest_strict_fails_undecided_claims(pytester):
    pytester.makefile(".claims.toml", toy=PLUGIN_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--lawproof-strict", "-k", "sampled")
    result.assert_outcomes(failed=1, deselected=5)
    result.stdout.fnmatch_lines(["*--lawproof-strict: undecided claims fail*"])


def test_the_repository_test_run_does_not_collect_papers():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert config["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]
    # the only claim files under tests/ are the soundness corpus, which the plugin skips
    # (tests/conftest.py) because tests/test_soundness_corpus.py checks it against its labels
    import conftest
    inside = [str(p.relative_to(REPO / "tests")) for p in (REPO / "tests").rglob("*.claims.toml")]
    assert all(any(fnmatch.fnmatch(p, g) for g in conftest.collect_ignore_glob) for p in inside)
    entry = config["project"]["entry-points"]["pytest11"]
    assert entry == {"lawproof": "lawproof.cli.pytest_plugin"}
