"""Write every report format and the evidence artifacts to a folder, and compare a
folder with what the code produces now (`lawproof report --check`)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..engine import FileResult
from ..language.errors import ClaimInputError
from ..language.files import atomic_write, folder_lock, inside, leftovers, replace_folder
from . import html, json_report, junit, markdown
from .model import PaperReport, build_report, report_anchor


def _claim_file_link(p: PaperReport, home: Path, anchor: Path) -> str | None:
    """The claim file relative to the report folder `home`, when both lie inside
    `anchor` (so the link does not depend on the clone)."""
    path = p.file
    if path is None or not path.is_file() or not path.is_relative_to(anchor):
        return None
    link = Path(os.path.relpath(path, Path(home).resolve())).as_posix()
    # a file named `javascript:x.claims.toml` must not read as a URL scheme
    return f"./{link}" if ":" in link.split("/")[0] else link


def render_files(files: list[FileResult], *, home: Path) -> dict[str, str]:
    """Every report file and artifact as `relative path -> text`, for a report
    folder that will live at `home` (used for links to the claim files)."""
    _one_file_per_paper(files)
    anchor = report_anchor(home)
    report = build_report(files, anchor=anchor)
    out: dict[str, str] = {}
    for p in report.papers:
        link = _claim_file_link(p, home, anchor)
        out[f"{p.id}.md"] = markdown.render_paper(p, claim_file_link=link)
        out[f"{p.id}.html"] = html.render_paper(p, claim_file_link=link)
        out[f"{p.id}.json"] = json_report.render_paper(p)
        for r in p.results:
            if r.evidence.artifact:
                out[p.artifact_name(r)] = r.evidence.artifact
        for plot in p.plots:
            out[plot.file] = plot.svg
    out["index.md"] = markdown.render_index(report)
    out["index.html"] = html.render_index(report)
    out["junit.xml"] = junit.render(report)
    return out


def _one_file_per_paper(files: list[FileResult]) -> None:
    """ClaimInputError when two files have the same paper id: the reports and the
    artifacts folder are named by it, so one file's would replace the other's."""
    seen: dict[str, str] = {}
    for fr in files:
        other = seen.setdefault(fr.theory.id, fr.theory.path)
        if other != fr.theory.path:
            raise ClaimInputError(f"the claim files {other} and {fr.theory.path} both have the paper id "
                                  f"'{fr.theory.id}', which names their reports: one would replace the other",
                                  fix="give each claim file its own id under [paper]", file=fr.theory.path)


def write_reports(files: list[FileResult], out: Path, *, home: Path | None = None) -> list[Path]:
    """Render the reports of `files` under `out` and return the paths written.

    Each reported paper's `artifacts/<paper-id>/` folder is written afresh (files
    of claims or plots that no longer exist are removed); nothing else is deleted.
    Every path is checked to lie inside `out` first (ClaimInputError otherwise), and
    the folder is replaced as a whole (`files.replace_folder`): a run killed at any
    moment leaves the old reports or the new ones, and two runs at once take turns.
    The working folder (or a folder above it, or a repository's root) is not swapped
    but written file by file, each atomically, under the same lock.
    """
    out = Path(out)
    rendered = render_files(files, home=home if home is not None else out)
    for rel in rendered:  # every path is checked before anything is written
        inside(out, rel)
    if _holds_work(out):
        # `--out .` in a clone: copying and swapping the whole working folder is not
        # what the user asked for; each file is still replaced atomically, in turn
        with folder_lock(out):
            _fill(out, rendered)
    else:
        replace_folder(out, lambda folder: _fill(folder, rendered))
    return [out / rel for rel in sorted(rendered)]


def _holds_work(out: Path) -> bool:
    """Is `out` the working folder, one above it, or a repository's root?"""
    root = out.resolve()
    return Path.cwd().resolve().is_relative_to(root) or (root / ".git").exists()


def _fill(folder: Path, rendered: dict[str, str]) -> None:
    """Write `rendered` into `folder` (a copy of the output folder, not yet in place)."""
    targets = {rel: inside(folder, rel) for rel in rendered}
    for paper_dir in {Path(rel).parent for rel in rendered if rel.startswith("artifacts/")}:
        paper_folder = inside(folder, paper_dir)
        if paper_folder.is_dir():
            for stale in paper_folder.iterdir():
                if stale.is_file() and (paper_dir / stale.name).as_posix() not in rendered:
                    stale.unlink()
    for rel, text in sorted(rendered.items()):
        targets[rel].parent.mkdir(parents=True, exist_ok=True)
        atomic_write(targets[rel], text.encode("utf-8"))


def _tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def check_reports(files: list[FileResult], committed: Path) -> list[str]:
    """Regenerate the reports into a temporary folder and compare them with
    `committed`; return one line per differing, missing or extra file (empty when
    the committed folder is exactly what the code produces)."""
    with tempfile.TemporaryDirectory(prefix="lawproof-report-") as tmp:
        write_reports(files, Path(tmp) / "reports", home=committed)
        fresh = _tree(Path(tmp) / "reports")
    # a shared lock: a run writing `committed` right now finishes first
    with folder_lock(committed, shared=True):
        old = _tree(committed)
        problems = [f"leftover: {p} (from an interrupted run; delete it)" for p in leftovers(committed)]
    for rel in sorted(set(fresh) | set(old)):
        if rel not in old:
            problems.append(f"missing: {committed / rel} (the code produces it)")
        elif rel not in fresh:
            problems.append(f"extra: {committed / rel} (the code no longer produces it; delete it)")
        elif old[rel] != fresh[rel]:
            problems.append(f"differs: {committed / rel}")
    return problems
