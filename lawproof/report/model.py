"""The one Report object every renderer reads.

Everything here is reproducible: no timings, no absolute paths, no dates, and every
list in a fixed order, so that the same input gives byte-identical reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from ..language.claims import SymbolInfo, Theory
from ..engine import FileResult, TableResult
from ..language.formula import Formula, Implies, free_symbols
from ..verdict import RICH_DISPLAY, VERDICTS, Result
from .plots import Plot, draw_plots

#: Version of the JSON report's shape (docs/report-schema.md); bump on any change.
SCHEMA_VERSION = 3

#: Parts of `Evidence.tried` that depend on the machine's speed: timings, and how far
#: a search got before a safety net fired (numeric/interval.py; such a claim
#: is unknown, see docs/budgets.md).
_VOLATILE = ((re.compile(r" \[[0-9.]+ s\]$"), ""),
             (re.compile(r"safety net \(deadline\) fired after \d+ boxes: \d+ proved, \d+ undecided"),
              "safety net (deadline) fired"))


@dataclass(frozen=True)
class LedgerDefinition:
    """A definition `head = body`, as terms (`head_expr`, `body`) and as plain text
    in the claim language (`text`, the body as SymPy prints it)."""

    head: str
    head_expr: sympy.Expr
    body: sympy.Expr
    text: str


@dataclass
class PaperReport:
    """One paper: identity, ledger, plots, and each claim's result."""

    id: str
    title: str
    source: str
    path: str
    symbols: list[SymbolInfo] = field(default_factory=list)
    definitions: list[LedgerDefinition] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)
    input_warnings: list[str] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    tables: list[TableResult] = field(default_factory=list)
    #: the claim file where it was read (absolute), for links only: never rendered
    file: Path | None = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    @property
    def parameters(self) -> list[str]:
        """Symbols left free (so universally quantified) by at least one claim."""
        return sorted({name for r in self.results for name in claim_parameters(r)})

    @property
    def assumptions(self) -> list[Result]:
        """The results whose claims carry an `assume` premise."""
        return [r for r in self.results if r.assume_tree is not None]

    def artifact_name(self, r: Result) -> str:
        """Where the claim's artifact is written, relative to the report folder:
        `<claim>.smt2` for an SMT-LIB2 query, `<claim>.certificate.txt` otherwise."""
        ext = ".smt2" if artifact_kind(r) == "smt-lib2" else ".certificate.txt"
        return f"artifacts/{self.id}/{r.claim}{ext}"

    def _repr_markdown_(self) -> str:
        return RICH_DISPLAY["markdown"](self)

    def _repr_html_(self) -> str:
        return RICH_DISPLAY["html"](self)


@dataclass
class Report:
    """Every paper of one run, in paper-id order."""

    papers: list[PaperReport] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {v: sum(p.counts[v] for p in self.papers) for v in VERDICTS}

    def _repr_markdown_(self) -> str:
        return RICH_DISPLAY["markdown"](self)

    def _repr_html_(self) -> str:
        return RICH_DISPLAY["html"](self)


def build_report(files: list[FileResult], *, plots: bool = True, anchor: Path | None = None) -> Report:
    """Collect what the renderers need from checked files (and draw the plots the
    claim files ask for, unless `plots` is False). Claim-file paths are shown
    relative to `anchor` (default: the working folder; see portable_path)."""
    report = Report()
    for fr in sorted(files, key=lambda f: f.theory.id):
        t = fr.theory
        paper = PaperReport(
            id=t.id, title=t.title, source=t.source, path=portable_path(t.path, anchor),
            symbols=list(t.symbols.values()),
            definitions=_definitions(t), results=list(fr.results),
            input_errors=[str(e) for e in fr.errors], input_warnings=[str(w) for w in fr.warnings],
            tables=list(fr.tables), file=Path(t.path).resolve() if t.path else None)
        if plots:
            drawn, problems = draw_plots(t)
            paper.plots = drawn
            paper.input_errors += [str(e) for e in problems]
        report.papers.append(paper)
    return report


def _definitions(t: Theory) -> list[LedgerDefinition]:
    out = []
    for d in t.definitions.values():
        head = f"{d.name}({', '.join(p.name for p in d.params)})" if d.params else d.name
        head_expr = sympy.Function(d.name)(*d.params) if d.params else sympy.Symbol(d.name)
        out.append(LedgerDefinition(head, head_expr, d.body, sympy.sstr(d.body)))
    return out


def portable_path(path: str, anchor: Path | None = None) -> str:
    """The claim file's path relative to `anchor` (default: the working folder) when
    inside it, else its bare name, so that reports do not depend on where the
    repository was cloned."""
    p = Path(path).resolve()
    try:
        return p.relative_to((anchor or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return p.name


def report_anchor(home: Path) -> Path:
    """What the claim-file paths in the reports of the folder `home` are relative to:
    the repository that holds `home` (the nearest folder from `home` upward with a
    `.git`), else the folder that holds `home`. Not the working folder: reports made,
    or checked with `report --check`, from another folder are the same."""
    home = Path(home).resolve()
    return next((f for f in (home, *home.parents) if (f / ".git").exists()), home.parent)


def claim_parameters(r: Result) -> list[str]:
    """The claim's free symbols (universally quantified over their domains), sorted."""
    if r.normalized_tree is not None:
        tree = r.normalized_tree
    elif r.formula_tree is not None:
        tree = stated(r)
    else:
        return []
    return sorted(s.name for s in free_symbols(tree))


def stated(r: Result) -> Formula:
    """The claim as the file states it: `assume -> formula` when it has an `assume`."""
    if r.formula_tree is None:
        raise ValueError(f"claim '{r.claim}' has no parsed formula")
    return r.formula_tree if r.assume_tree is None else Implies(r.assume_tree, r.formula_tree)


def derivation_steps(r: Result) -> list[tuple[str, str, sympy.Expr | None]]:
    """The derivation as `(what, text, term)`; `term` is the SymPy closed form where
    the engine kept one (steps added as text only have None)."""
    math = r.evidence.closed_forms
    return [(what, text, math[i][1] if i < len(math) and math[i][0] == what else None)
            for i, (what, text) in enumerate(r.evidence.derivation)]


def tried(r: Result) -> list[str]:
    """What was tried, without what differs from run to run (timings, progress at a
    deadline)."""
    out = []
    for text in r.evidence.tried:
        for pattern, replacement in _VOLATILE:
            text = pattern.sub(replacement, text)
        out.append(text)
    return out


def artifact_kind(r: Result) -> str | None:
    """`smt-lib2` for a query a solver replays, `certificate` for other evidence text
    (an interval box cover), None without an artifact."""
    if not r.evidence.artifact:
        return None
    return "smt-lib2" if "(check-sat)" in r.evidence.artifact else "certificate"


ARTIFACT_LABELS = {"smt-lib2": "SMT-LIB2", "certificate": "certificate"}


def replay_answer(r: Result) -> str | None:
    """What `z3 <artifact>` prints on an SMT-LIB2 artifact: `unsat` for a proof (the
    query is the negation), `sat` for a refutation kept as a closed sentence; None
    when there is no SMT-LIB2 artifact."""
    if artifact_kind(r) != "smt-lib2":
        return None
    return "unsat" if r.verdict == "proved" else "sat"


def outcome(r: Result) -> str:
    """`pass`, `fail` or `skip`: how CI formats (JUnit, pytest) count the claim.

    A verdict that contradicts `expect`, or an error, fails; a claim that is not
    checkable or undecided (consistent, unknown) is skipped; the rest pass.
    """
    m = r.matches_expect
    return "fail" if m is False else ("skip" if m is None else "pass")


def explain(r: Result) -> str:
    """Plain text: why the claim has its verdict, for failure messages in CI."""
    ev = r.evidence
    lines = [f"{r.paper}/{r.claim}: verdict {r.verdict} by {r.method}; the file expects it {r.expect}"]
    if r.says:
        lines.append(f"says: {r.says}")
    if r.formula:
        lines.append(f"formula: {r.formula}")
    for label, text in (("message", r.message), ("reason", r.reason)):
        if text:
            lines.append(f"{label}: {text}")
    if ev.counterexample:
        lines.append("counterexample (exact):")
        lines += [f"  {k} = {v}" + ("   (witness of an inner quantifier)" if k in ev.witnesses else "")
                  for k, v in ev.counterexample.items()]
    lines += [f"with {k} = {v}   (meets every declared hypothesis on its whole domain)"
              for k, v in ev.functions.items()]
    if ev.values:
        lines.append("at the counterexample (50 digits):")
        lines += [f"  {lhs} {op} {rhs}:  {lv} {op} {rv}" for lhs, op, rhs, lv, rv in ev.values]
    for inst in ev.instances:
        cx = ", ".join(f"{k} = {v}" for k, v in inst["counterexample"].items())
        lines.append(f"for {inst['for']}: counterexample {cx}")
    if ev.samples:
        lines.append(f"sampling: {ev.samples['count']} points at {ev.samples['digits']} digits "
                     f"({ev.samples['sampler']})")
    return "\n".join(lines)
