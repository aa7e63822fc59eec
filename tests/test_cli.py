"""The command line: tables, JSON, show, reports, exit codes and help."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lawproof.cli import main

from conftest import AMDAHL_HEAD

GOOD = AMDAHL_HEAD + '''
[[claim]]
id = "threshold"
formula = "minimized_at(T(a), a, 0) <-> S >= S_c"

[[claim]]
id = "mutant"
formula = "minimized_at(T(a), a, 0) <-> S > S_c"
expect = "fails"
'''


def write(tmp_path: Path, text: str, name: str = "t.claims.toml") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_check_table_and_exit_zero(tmp_path, capsys):
    assert main(["check", write(tmp_path, GOOD)]) == 0
    out = capsys.readouterr().out
    assert "threshold" in out and "proved" in out and "mutant" in out and "refuted" in out


def test_the_command_line_process_tunes_the_collector_and_main_in_a_longer_process_does_not(tmp_path):
    import gc
    before = gc.get_threshold()
    assert main(["check", "--no-cache", write(tmp_path, GOOD)]) == 0
    assert gc.get_threshold() == before
    script = ("import gc, sys; from lawproof.cli import main; "
              f"sys.argv = ['lawproof', 'check', '--no-cache', {write(tmp_path, GOOD)!r}]; code = main(); "
              "print(code, gc.get_threshold()[0], gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split()[-3:] == ["0", "100000", "True"]


def test_a_check_for_the_table_prints_no_artifact_and_keeps_the_verdicts(tmp_path, monkeypatch):
    import lawproof
    from lawproof.proofs import smt
    monkeypatch.setattr(smt, "OBSERVERS", [])  # the suite's observer has every query printed
    path = write(tmp_path, GOOD)
    full = lawproof.check_file(path).results
    bare = lawproof.check_file(path, derivations=False).results
    assert [r.verdict for r in full] == [r.verdict for r in bare] == ["proved", "refuted"]
    assert "declare-fun" in full[0].evidence.artifact  # the proof's query, for the report
    assert all(not r.evidence.artifact for r in bare)
    assert [r.evidence.counterexample for r in full] == [r.evidence.counterexample for r in bare]


def test_check_exit_one_when_a_verdict_contradicts_expect(tmp_path, capsys):
    text = GOOD.replace('expect = "fails"', 'expect = "holds"')
    assert main(["check", write(tmp_path, text)]) == 1
    assert "file expects it holds" in capsys.readouterr().out


def test_check_exit_two_on_input_errors(tmp_path, capsys):
    text = GOOD + '\n[[claim]]\nid = "broken"\nformula = "S >= nonsense"\n'
    assert main(["check", write(tmp_path, text)]) == 2
    captured = capsys.readouterr()
    assert "unknown name 'nonsense'" in captured.out  # the claim's row and summary
    assert main(["check", str(tmp_path / "missing.claims.toml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_strict_fails_on_undecided(tmp_path):
    # false only at t = pi/2, an irrational point: never proved, never refuted exactly
    head = '[paper]\nid = "e"\n[symbols]\nt = "[1, 2]"\nn = { domain = "[0, 5]", integer = true }\n'
    text = head + '[[claim]]\nid = "tr"\nformula = "cos(t) != 0"\n'
    path = write(tmp_path, text)
    assert main(["check", path]) == 0
    assert main(["check", "--strict", path]) == 1


def test_strict_names_the_claims_that_fail_it(tmp_path, capsys):
    head = '[paper]\nid = "e"\n[symbols]\nt = "[1, 2]"\nn = { domain = "[0, 5]", integer = true }\n'
    text = head + '[[claim]]\nid = "tr"\nformula = "cos(t) != 0"\n[[claim]]\nid = "ok"\nformula = "n >= 0"\n'
    path = write(tmp_path, text)
    assert main(["check", "--strict", path]) == 1
    out = capsys.readouterr().out
    assert "? e/tr: " in out and "fails --strict" in out and "e/ok" not in out
    assert main(["check", path]) == 0
    assert "fails --strict" not in capsys.readouterr().out


def test_the_method_column_is_never_cut():
    from lawproof.cli.check import _row
    from lawproof.verdict import Result
    method = "SMT (z3) via KKT (convexity certified: DCP) on a very long description of the method"
    row = _row(Result(paper="p", claim="c", verdict="proved", method=method, seconds=1.0))
    # every word of the method is printed, in order, in the method column
    first, *more = row.splitlines()
    column = first.index("SMT")
    text = " ".join([first[column:column + 40].strip()] + [m[column:].strip() for m in more])
    assert text == method and all(m[:column].strip() == "" for m in more)


def test_json_output_is_machine_readable(tmp_path, capsys):
    assert main(["check", "--json", write(tmp_path, GOOD)]) == 0
    doc = json.loads(capsys.readouterr().out)
    results = {r["claim"]: r for r in doc["papers"][0]["results"]}
    assert results["threshold"]["verdict"] == "proved"
    mutant = results["mutant"]
    assert mutant["verdict"] == "refuted" and mutant["matches_expect"] is True
    assert mutant["evidence"]["counterexample"]


def test_show_prints_counterexample_and_smt(tmp_path, capsys):
    path = write(tmp_path, GOOD)
    assert main(["show", path, "mutant"]) == 0
    out = capsys.readouterr().out
    assert "counterexample (exact)" in out and "normalized" in out
    assert main(["show", path, "threshold", "--smt2"]) == 0
    assert "(check-sat)" in capsys.readouterr().out
    assert main(["show", path, "nope"]) == 2
    assert "choose one of: threshold, mutant" in capsys.readouterr().err


def test_show_finds_bundled_paper_by_id(capsys):
    assert main(["show", "amdahl-modernized", "slope-at-zero"]) == 0
    assert "symbolic identity" in capsys.readouterr().out


def test_report_writes_markdown_json_and_artifacts(tmp_path):
    out = tmp_path / "out"
    assert main(["report", write(tmp_path, GOOD), "--out", str(out)]) == 0
    assert (out / "toy.md").exists() and (out / "index.md").exists()
    doc = json.loads((out / "toy.json").read_text())
    assert doc["schema"] == "lawproof-report/3" and doc["counts"]["proved"] == 1
    assert (out / "artifacts" / "toy" / "threshold.smt2").read_text().count("(check-sat)") == 1


@pytest.mark.parametrize("command", [[], ["check"], ["show"], ["report"]])
def test_help_explains_with_examples(command):
    proc = subprocess.run([sys.executable, "-m", "lawproof.cli", *command, "--help"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert "lawproof" in proc.stdout
    if command:
        assert "example" in proc.stdout


def test_an_output_folder_that_cannot_be_written_is_the_users_error_not_a_bug(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    src = write(tmp_path, '[paper]\nid = "w"\n[[claim]]\nid = "c"\nformula = "1 < 2"\n')
    assert main(["report", src, "--out", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "a-file" in err


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_jobs_must_be_a_positive_number(jobs, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["check", "--jobs", jobs])
    assert stop.value.code == 2 and "positive number of processes" in capsys.readouterr().err
