"""Write every report format and the evidence artifacts to a folder."""
from __future__ import annotations

from pathlib import Path

from ..engine import FileResult
from . import json_report, markdown
from .model import build_report


def write_reports(files: list[FileResult], out: Path) -> list[Path]:
    """Render the reports of `files` under `out`; return the paths written."""
    report = build_report(files)
    written: list[Path] = []

    def put(rel: str, text: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for p in report.papers:
        put(f"{p.id}.md", markdown.render_paper(p))
        put(f"{p.id}.json", json_report.render_paper(p))
        for r in p.results:
            if r.evidence.artifact:
                put(p.artifact_name(r), r.evidence.artifact)
    put("index.md", markdown.render_index(report))
    return written
