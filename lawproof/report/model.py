"""The one Report object every renderer reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sympy

from ..engine import FileResult
from ..verdict import VERDICTS, Result

SCHEMA_VERSION = 1


@dataclass
class PaperReport:
    """One paper: identity, ledger (symbols, definitions) and each claim's result."""

    id: str
    title: str
    source: str
    path: str
    symbols: list[tuple[str, str, str]] = field(default_factory=list)      # name, domain, meaning
    definitions: list[tuple[str, str]] = field(default_factory=list)       # head, body
    results: list[Result] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def artifact_name(self, r: Result) -> str:
        return f"artifacts/{self.id}/{r.claim}.smt2"


@dataclass
class Report:
    papers: list[PaperReport] = field(default_factory=list)


def build_report(files: list[FileResult]) -> Report:
    """Collect what the renderers need from checked files."""
    report = Report()
    for fr in sorted(files, key=lambda f: f.theory.id):
        t = fr.theory
        report.papers.append(PaperReport(
            id=t.id, title=t.title, source=t.source, path=_portable(t.path),
            symbols=[(s.name, str(s.domain), s.text) for s in t.symbols.values()],
            definitions=[(f"{d.name}({', '.join(p.name for p in d.params)})" if d.params else d.name,
                          sympy.sstr(d.body)) for d in t.definitions.values()],
            results=list(fr.results),
            input_errors=[str(e) for e in fr.errors]))
    return report


def _portable(path: str) -> str:
    """The claim file's path relative to the working folder when inside it, so that
    reports do not depend on where the repository was cloned."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.name
