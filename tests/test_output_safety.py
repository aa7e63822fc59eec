"""Reports write only inside their folder, show claim-file text without running it,
stay well-formed XML, and replace each file atomically (from a fuzzing report)."""
from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import lawproof
from lawproof.language import files as lp_files
from lawproof.language import loader
from lawproof.cli import main
from lawproof.language.errors import ClaimInputError
from lawproof.language.files import atomic_write, id_problem, inside
from lawproof.report.text import markdown_text, terminal_safe
from lawproof.report.writer import write_reports

HEAD = '''
[paper]
id = "{paper}"
title = "{title}"

[symbols]
x = {{ domain = "(0, oo)", text = "{text}" }}
'''

CLAIM = '''
[[claim]]
id = "{cid}"
says = "{says}"
where = "{where}"
formula = "x + 1 > x"
'''


def claim_text(*, paper: str = "p", title: str = "T", text: str = "a length", cid: str = "c",
               says: str = "x + 1 exceeds x", where: str = "eq. 1", extra: str = "") -> str:
    return (HEAD.format(paper=paper, title=title, text=text)
            + CLAIM.format(cid=cid, says=says, where=where) + extra)


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# -- ids that would name files outside the folder are input errors -------------------

@pytest.mark.parametrize("bad", ["../../escaped-paper", "/tmp/abs-paper", "a/b", "a\\b", "a..b",
                                 ".hidden", "-dash", "", "tab\there", "ctl\x01", "x" * 101])
def test_an_unsafe_paper_id_is_an_input_error_naming_it(bad):
    with pytest.raises(ClaimInputError) as err:
        lawproof.loads(claim_text(paper=bad.replace("\\", "\\\\").replace("\t", "\\t").replace("\x01", "\\u0001")),
                       "bad.claims.toml")
    text = str(err.value)
    assert "bad.claims.toml" in text and repr(bad) in text and "Fix: write id = " in text


def test_an_unsafe_claim_id_is_an_error_of_that_claim(tmp_path):
    cf = lawproof.loads(claim_text(cid="../../../x") + CLAIM.format(cid="fine", says="", where=""),
                        "bad.claims.toml")
    bad, good = cf.claims
    assert bad.error is not None and good.error is None
    assert "'../../../x'" in str(bad.error) and 'write id = "x"' in str(bad.error)
    assert bad.error.line == 10 and bad.id == "#1"  # no longer a path


def test_table_variant_and_plot_ids_are_checked():
    table = '\n[[table]]\nid = "../t"\nparams = ["x"]\nformula = "3*x"\nrows = [[1]]\npaper = [3]\n'
    cf = lawproof.loads(claim_text(extra=table), "t.claims.toml")
    assert any("the table id '../t'" in str(e) for e in cf.errors) and not cf.tables
    variant = '\n[[variant]]\nid = "../v"\nparam = "x"\nfamily = "linear"\n'
    cf = lawproof.loads(claim_text(extra=variant), "v.claims.toml")
    assert any("the variant id '../v'" in str(e) for e in cf.errors)


@pytest.mark.parametrize("ok", ["amdahl-modernized", "collapse-sufficient@R=linear", "a-row3",
                                "v1.2", "x_y+z", "A"])
def test_bundled_and_variant_shaped_ids_are_safe(ok):
    assert id_problem(ok) is None


def test_every_bundled_id_is_safe():
    for path in lawproof.bundled_papers():
        cf = lawproof.load(path)
        assert id_problem(cf.theory.id) is None
        assert all(id_problem(c.id) is None for c in cf.claims), path


def test_report_with_hostile_ids_writes_only_inside_the_folder(tmp_path, capsys):
    work = tmp_path / "work"
    (work / "out" / "a" / "b").mkdir(parents=True)
    plot = '\n[[plot]]\nid = "../../p"\ntitle = "t"\nx = { symbol = "x", from = 1, to = 2 }\ncurves = [{ expr = "x" }]\n'
    for name, text in {"paper": claim_text(paper="../../escaped-paper"),
                       "claim": claim_text(cid="../../../x"),
                       "plot": claim_text(extra=plot)}.items():
        path = work / f"{name}.claims.toml"
        path.write_text(text)
        main(["report", str(path), "--out", str(work / "out" / "a" / "b")])
    assert all(f.startswith("out/a/b/") or f.endswith(".claims.toml") for f in files_under(tmp_path / "work")), \
        files_under(tmp_path)
    assert "'../../escaped-paper'" in capsys.readouterr().err


# -- the writer refuses paths outside its folder, whatever the loader let through ------

def test_inside_refuses_paths_that_leave_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere")
    assert inside(out, "artifacts/p/c.smt2") == (out / "artifacts/p/c.smt2").resolve()
    for rel in ("../x", "a/../../x", "/etc/passwd", str(tmp_path / "x"), "link/x", "", "."):
        with pytest.raises(ClaimInputError, match="outside the output folder") as err:
            inside(out, rel)
        assert str(err.value).startswith(f"{out}: ")
        assert ("symbolic link" in err.value.fix) == (rel == "link/x")


def test_writer_refuses_an_unsafe_id_even_past_the_loader(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "id_problem", lambda ident: None)  # as if the loader let it in
    fr = lawproof.check_file(lawproof.loads(claim_text(paper="../../evil", cid="../../../x"), "e.claims.toml"))
    out = tmp_path / "a" / "b"
    with pytest.raises(ClaimInputError, match="outside the output folder"):
        write_reports([fr], out)
    assert files_under(tmp_path) == set()  # checked before anything is written


# -- text from claim files is shown, not run; the XML stays well-formed ----------------

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> <!-- c --> &lt;x&gt;"


def test_hostile_text_is_escaped_in_markdown_and_html(tmp_path):
    fr = lawproof.check_file(lawproof.loads(
        claim_text(title=HOSTILE, text=HOSTILE, says=HOSTILE, where=HOSTILE + "\\n# injected heading"),
        "h.claims.toml"))
    write_reports([fr], tmp_path)
    for name in ("p.md", "index.md", "p.html", "index.html"):
        page = (tmp_path / name).read_text()
        for raw in ("<script", "<img", "<!-- c"):
            assert raw not in page, (name, raw)
    md = (tmp_path / "p.md").read_text()
    assert "&lt;script>alert(1)&lt;/script>" in md and "&amp;lt;x&amp;gt;" in md
    assert "\n# injected heading" not in md
    assert markdown_text("S < S_c and R >= 1 & more") == "S < S_c and R >= 1 & more"  # as written


def test_junit_and_svg_stay_well_formed_with_control_characters(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "id_problem", lambda ident: None)  # a control character in an id
    plot = ('\n[[plot]]\nid = "pl"\ntitle = "cost $5 \\u0002 $\\\\nocommand$ <script>"\n'
            'x = { symbol = "x", from = 1, to = 2, label = "x \\u0003" }\ncurves = [{ expr = "x", label = "--> y" }]\n')
    path = tmp_path / "c.claims.toml"
    path.write_text(claim_text(cid="c\\u0001d", says="bell \\u0007 escape \\u001b", extra=plot))
    fr = lawproof.check_file(path)
    out = tmp_path / "out"
    write_reports([fr], out)
    case = ET.parse(out / "junit.xml").getroot().find("testsuite/testcase")
    assert case.get("name") == "c\\x01d"
    svg = (out / "artifacts" / "p" / "pl.svg").read_text()
    ET.fromstring(svg)
    assert "<script" not in svg and "cost $5 \\x02 $\\nocommand$" in svg


# -- files are replaced atomically ---------------------------------------------------

def test_a_write_killed_midway_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old report\n")

    def killed(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(lp_files.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new report\n" * 1000)
    assert target.read_text() == "old report\n" and os.listdir(tmp_path) == ["report.md"]


def test_atomic_write_replaces_and_keeps_permissions(tmp_path):
    target = tmp_path / "r.txt"
    atomic_write(target, b"one")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"one" and stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["r.txt"]


def test_reports_are_written_through_atomic_replacement(tmp_path, monkeypatch):
    fr = lawproof.check_file(lawproof.loads(claim_text(says="first"), "a.claims.toml"))
    write_reports([fr], tmp_path)
    before = {f: (tmp_path / f).read_bytes() for f in files_under(tmp_path)}
    fr = lawproof.check_file(lawproof.loads(claim_text(says="second"), "a.claims.toml"))

    def killed(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(lp_files.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_reports([fr], tmp_path)
    assert {f: (tmp_path / f).read_bytes() for f in files_under(tmp_path)} == before


# -- links in claim text are shown, not followed --------------------------------------

def test_markdown_links_with_unsafe_schemes_do_not_pass_through(tmp_path):
    says = "see [x](javascript:alert(1)) and ![i](data:text/html,x) and <javascript:alert(3)>"
    fr = lawproof.check_file(lawproof.loads(claim_text(says=says, title="[t](vbscript:msgbox)"), "l.claims.toml"))
    write_reports([fr], tmp_path)
    for name in ("p.md", "index.md"):
        page = (tmp_path / name).read_text()
        for link in ("](javascript:", "](data:", "](vbscript:", "<javascript:"):
            assert link not in page, (name, link)
    assert "[x]\\(javascript:alert(1))" in (tmp_path / "p.md").read_text()
    html_page = (tmp_path / "p.html").read_text()
    assert 'href="javascript' not in html_page and 'src="data' not in html_page


def test_a_claim_file_named_like_a_url_scheme_is_linked_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "javascript:x.claims.toml").write_text(claim_text())
    main(["report", "javascript:x.claims.toml", "--out", "."])
    for name in ("p.md", "p.html"):
        page = (tmp_path / name).read_text()
        assert "./javascript:x.claims.toml" in page and "(javascript:" not in page and '"javascript:' not in page


def test_a_file_that_cannot_be_read_leaves_the_report_folder_alone(tmp_path, capsys):
    good = tmp_path / "good.claims.toml"
    good.write_text(claim_text())
    out = tmp_path / "out"
    main(["report", str(good), "--out", str(out)])
    before = {f: (out / f).read_bytes() for f in files_under(out)}
    bad = tmp_path / "bad.claims.toml"
    bad.write_text(claim_text(paper="../../escaped-paper"))
    assert main(["report", str(bad), "--out", str(out)]) != 0
    assert "not writing reports" in capsys.readouterr().err
    assert {f: (out / f).read_bytes() for f in files_under(out)} == before


def test_cli_fuzz_run_finds_no_traceback():
    """A few runs of tests/cli_fuzz.py, the documented longer CLI fuzz run."""
    from cli_fuzz import run

    summary = run(runs=4, seed=16, run_limit=120)
    assert summary.files == 4 and not summary.findings, "\n".join(summary.lines(3))


def test_show_and_check_print_no_terminal_escape_sequences_from_a_claim_file(tmp_path, capsys):
    # a claim's `says` reached the terminal raw: ESC ] 0 ; ... BEL retitles the window,
    # other sequences rewrite what was printed
    path = tmp_path / "t.claims.toml"
    path.write_text(claim_text(says="s \\u001b]0;TITLE\\u0007 \\u009b2J", where="w \\u001b[2K",
                               extra='[[claim]]\nid = "d"\nformula = "x > 0 \\u001b[31m"\n'))
    assert main(["show", str(path), "c"]) == 0
    assert main(["check", "--no-cache", "--jobs", "1", str(path)]) == 2
    out = capsys.readouterr()
    printed = out.out + out.err
    assert not any(ch in printed for ch in "\x1b\x07\x9b"), printed
    assert "s \\x1b]0;TITLE\\x07 \\x9b2J" in printed and "w \\x1b[2K" in printed
    assert terminal_safe("tab\tnew\nline é ∞") == "tab\tnew\nline é ∞"
