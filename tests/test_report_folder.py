"""A report folder is replaced as a whole: a run killed at any moment leaves the old
reports or the new ones, never a mix; two runs at once take turns; `report --check`
notices what an interrupted run left behind (issue 16)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import lawproof
from lawproof.language import files as lp_files
from lawproof.language.files import leftovers, replace_folder
from lawproof.report.writer import check_reports, write_reports

HEAD = '[paper]\nid = "{paper}"\ntitle = "{title}"\n[symbols]\nx = "(0, oo)"\n'
CLAIM = '[[claim]]\nid = "{cid}"\nformula = "{formula}"\n'


def claim_file(folder: Path, name: str, paper: str, title: str, claims: dict[str, str]) -> Path:
    path = folder / name
    path.write_text(HEAD.format(paper=paper, title=title)
                    + "".join(CLAIM.format(cid=c, formula=f) for c, f in claims.items()))
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def report(path: Path, out: Path) -> subprocess.Popen:
    """`lawproof report` of `path` into `out` (a folder next to it), in a child process."""
    return subprocess.Popen([sys.executable, "-c", "import sys; from lawproof.cli import main; sys.exit(main())",
                             "report", path.name, "--out", out.name],
                            cwd=path.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- in process -------------------------------------------------------------------------

def test_a_fill_that_fails_leaves_the_old_folder_and_no_copy(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("old")

    def fill(folder: Path) -> None:
        (folder / "a.md").write_text("new")
        (folder / "b.md").write_text("new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_folder(out, fill)
    assert tree(out) == {"a.md": b"old"} and os.listdir(tmp_path) == ["out"]


def test_the_swap_without_renameat2_keeps_old_or_new(tmp_path, monkeypatch):
    monkeypatch.setattr(lp_files, "_exchange", lambda a, b: False)  # another system
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("old")
    replace_folder(out, lambda f: (f / "a.md").write_text("new"))
    assert tree(out) == {"a.md": b"new"} and os.listdir(tmp_path) == ["out"]
    # a run killed between the two renames left the old folder aside: the next run puts it back
    os.rename(out, tmp_path / ".out.old-1-abcd")
    (tmp_path / ".out.new-1-abcd").mkdir()
    assert len(leftovers(out)) == 2
    replace_folder(out, lambda f: (f / "b.md").write_text("b"))
    assert tree(out) == {"a.md": b"new", "b.md": b"b"} and os.listdir(tmp_path) == ["out"]


def test_check_notices_what_an_interrupted_run_left(tmp_path):
    fr = lawproof.check_file(claim_file(tmp_path, "p.claims.toml", "p", "T", {"c": "x + 1 > x"}))
    out = tmp_path / "out"
    write_reports([fr], out)
    assert check_reports([fr], out) == []
    (tmp_path / ".out.new-7-0123abcd").mkdir()
    (out / "p.md").write_text("half a report")
    problems = check_reports([fr], out)
    assert any(p.startswith("leftover:") and ".out.new-7-0123abcd" in p for p in problems)
    assert any(p.startswith("differs:") and p.endswith("p.md") for p in problems)


# -- separate processes -----------------------------------------------------------------

#: A `lawproof report` that kills itself (SIGKILL) at one moment of writing, named by
#: KILL_AT: "fill" (the copy made, nothing written), "replace-K" (the K-th file written
#: to its temporary name, not yet renamed over the old one), "swap" (every file written,
#: before the folders are swapped), "swapped" (just after the swap, the old contents not
#: yet removed), "renamed" (no renameat2: between the two renames).
KILLING_REPORT = """
import os, signal, sys
from lawproof.cli import main
from lawproof.language import files
from lawproof.report import writer

at = os.environ["KILL_AT"]
die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
if at == "fill":
    writer._fill = die
elif at.startswith("replace-"):
    left, replace = [int(at.split("-")[1])], os.replace
    def counting(*args):
        left[0] -= 1
        return die() if left[0] < 0 else replace(*args)
    os.replace = counting
elif at == "swap":
    files._exchange = die
elif at == "swapped":
    exchange = files._exchange
    files._exchange = lambda a, b: exchange(a, b) and die()
elif at == "renamed":
    files._exchange = lambda a, b: False
    calls, rename = [0], os.rename
    def renaming(*args):
        calls[0] += 1
        rename(*args)
        if calls[0] == 1:
            die()
    os.rename = renaming
sys.exit(main())
"""


def killed_report(path: Path, out: Path, at: str) -> int:
    """`lawproof report` of `path` into `out`, killed at the moment `at`; its exit status."""
    return subprocess.run([sys.executable, "-c", KILLING_REPORT, "report", path.name, "--out", out.name,
                           "--no-cache", "--jobs", "1"], cwd=path.parent, env={**os.environ, "KILL_AT": at},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def test_a_report_run_killed_at_any_moment_leaves_old_or_new(tmp_path):
    """Killed at each step of writing (not at moments guessed from a clock): the folder
    is the old reports or the new ones, and `report --check` names anything left over."""
    work = tmp_path / "work"
    work.mkdir()
    old_file = claim_file(work, "p.claims.toml", "p", "Old", {f"old{i}": f"x + {i} + 1 > x" for i in range(3)})
    out = work / "out"
    assert report(old_file, out).wait() == 0
    old = tree(out)
    saved = shutil.copytree(out, work / "saved")
    new_file = claim_file(work, "p.claims.toml", "p", "New", {f"new{i}": f"x + {i} + 1 > x" for i in range(4)})
    fr = lawproof.check_file(new_file)
    assert report(new_file, out).wait() == 0
    new = tree(out)
    assert old != new and set(old) != set(new)
    moments = ["fill", "replace-0", f"replace-{len(new) // 2}", f"replace-{len(new) - 1}", "swap", "swapped",
               "renamed"]
    for at in moments:
        shutil.rmtree(out)
        shutil.copytree(saved, out)
        assert killed_report(new_file, out, at) == -signal.SIGKILL, at
        if at == "renamed":  # the old folder was moved aside: the next run puts it back
            assert not out.exists() and [p.name[:9] for p in leftovers(out)] == [".out.new-", ".out.old-"]
        else:
            assert tree(out) == (new if at == "swapped" else old), at
        problems = check_reports([fr], out)
        assert problems and (at == "swapped") == all(p.startswith("leftover:") for p in problems), (at, problems)
        assert report(new_file, out).wait() == 0  # the next run ends the interruption
        assert tree(out) == new and leftovers(out) == [] and check_reports([fr], out) == [], at


def test_two_runs_at_once_leave_a_consistent_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    a = claim_file(work, "a.claims.toml", "pa", "A", {f"a{i}": f"x + {i} + 1 > x" for i in range(3)})
    b = claim_file(work, "b.claims.toml", "pb", "B", {f"b{i}": f"x^2 + {i} >= 0" for i in range(3)})
    alone = {}
    for path, name in ((a, "only-a"), (b, "only-b")):
        assert report(path, work / name).wait() == 0
        alone[name] = tree(work / name)
    out = work / "out"
    runs = [report(a, out), report(b, out)]
    assert [r.wait() for r in runs] == [0, 0]
    both = tree(out)
    # each paper's files are whole; the index and junit.xml are those of the run that came last
    for name, files in alone.items():
        paper = {k: v for k, v in files.items() if not k.startswith("index.") and k != "junit.xml"}
        assert {k: both[k] for k in paper} == paper
    assert any(all(both[k] == files[k] for k in ("index.md", "index.html", "junit.xml"))
               for files in alone.values())
    assert set(both) == set(alone["only-a"]) | set(alone["only-b"])
    assert leftovers(out) == []


def test_the_working_folder_is_written_in_place_not_swapped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    fr = lawproof.check_file(claim_file(tmp_path, "p.claims.toml", "p", "T", {"c": "x + 1 > x"}))
    inode = tmp_path.stat().st_ino
    write_reports([fr], Path("."))
    assert tmp_path.stat().st_ino == inode and (tmp_path / "p.md").is_file()
    assert (tmp_path / "notes.txt").read_text() == "mine" and leftovers(tmp_path) == []


@pytest.mark.parametrize("repository", [False, True])
def test_reports_do_not_depend_on_the_working_folder(tmp_path, monkeypatch, repository):
    # issue 16: reports made from another folder differed (claim-file paths were relative
    # to the working folder), so `report --check` run from there saw false drift
    work = tmp_path / "work"
    (work / "papers").mkdir(parents=True)
    path = claim_file(work / "papers", "p.claims.toml", "p", "T", {"c": "x + 1 > x"})
    if repository:
        (work / ".git").mkdir()  # paths are relative to the repository, wherever --out is
    out = work / "build" / "reports" if repository else work / "reports"
    monkeypatch.chdir(work)
    write_reports([lawproof.check_file(os.path.relpath(path))], out)
    made = tree(out)
    assert '"path": "papers/p.claims.toml"' in made["p.json"].decode()
    link = "../../papers/p.claims.toml" if repository else "../papers/p.claims.toml"
    assert f"[papers/p.claims.toml]({link})" in made["p.md"].decode()
    for cwd in (work / "papers", out, tmp_path, Path("/")):
        monkeypatch.chdir(cwd)
        fr = lawproof.check_file(os.path.relpath(path))
        assert check_reports([fr], Path(os.path.relpath(out))) == [], cwd
        write_reports([fr], out)
        assert tree(out) == made, cwd


def test_two_claim_files_with_one_paper_id_are_refused(tmp_path):
    """Each paper's reports are named by its id: two files with the same id overwrote
    each other's reports and mixed their artifacts, silently, the file checked last
    winning (review12). Nothing is written; the error names both files."""
    a = claim_file(tmp_path, "a.claims.toml", "same", "A", {"one": "x > 0"})
    b = claim_file(tmp_path, "b.claims.toml", "same", "B", {"two": "x + 1 > 0"})
    checked = [lawproof.check_file(p) for p in (a, b)]
    with pytest.raises(lawproof.ClaimInputError) as err:
        write_reports(checked, tmp_path / "out")
    assert "'same'" in err.value.message and "a.claims.toml" in err.value.message \
        and "b.claims.toml" in err.value.message and err.value.fix
    assert not (tmp_path / "out").exists()
    with pytest.raises(lawproof.ClaimInputError):
        check_reports(checked, tmp_path / "out")
