"""Markdown renderer: GitHub-readable reports, one per paper, and an index."""
from __future__ import annotations

from ..verdict import VERDICTS, Result
from .model import PaperReport, Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_index(report: Report) -> str:
    lines = ["# lawproof reports", "", "| paper | " + " | ".join(VERDICTS) + " |",
             "|---|" + "---|" * len(VERDICTS)]
    for p in report.papers:
        c = p.counts
        lines.append(f"| [{_cell(p.title or p.id)}]({p.id}.md) | " + " | ".join(str(c[v]) for v in VERDICTS) + " |")
    return "\n".join(lines) + "\n"


def render_paper(p: PaperReport) -> str:
    out = [f"# {p.title or p.id}", "", f"- id: `{p.id}`", f"- source: {p.source}", f"- claim file: `{p.path}`", ""]
    if p.input_errors:
        out += ["## Input errors", ""] + [f"- {_cell(e)}" for e in p.input_errors] + [""]
    out += ["## Ledger", "", "| symbol | domain | meaning |", "|---|---|---|"]
    out += [f"| `{n}` | `{d}` | {_cell(t)} |" for n, d, t in p.symbols]
    out += ["", "| definition | body |", "|---|---|"]
    out += [f"| `{_cell(h)}` | `{_cell(b)}` |" for h, b in p.definitions]
    out += ["", "## Verdicts", "", "| claim | verdict | expected | method |", "|---|---|---|---|"]
    for r in p.results:
        out.append(f"| [{r.claim}](#{r.claim}) | **{r.verdict}** | {r.expect} | {_cell(r.method)} |")
    out.append("")
    for r in p.results:
        out += _claim(p, r)
    return "\n".join(out) + "\n"


def _claim(p: PaperReport, r: Result) -> list[str]:
    ev = r.evidence
    out = [f"### {r.claim}", "", f"> {_cell(r.says)}" if r.says else "", ""]
    if r.where:
        out.append(f"- where: {r.where}")
    if r.formula:
        out.append(f"- formula: `{_cell(r.formula)}`")
    out.append(f"- verdict: **{r.verdict}** by {r.method} (expected: {r.expect})")
    for label, text in (("message", r.message), ("reason", r.reason)):
        if text:
            out.append(f"- {label}: {text}")
    if ev.counterexample:
        cx = ", ".join(f"`{k} = {v}`" + (" (witness)" if k in ev.witnesses else "") for k, v in ev.counterexample.items())
        out.append(f"- counterexample (exact): {cx}")
    for lhs, op, rhs, lv, rv in ev.values:
        out.append(f"  - `{_cell(lhs)} {op} {_cell(rhs)}`: {lv} {op} {rv}")
    for inst in ev.instances:
        cx = ", ".join(f"`{k} = {v}`" for k, v in inst["counterexample"].items())
        out.append(f"- for {inst['for']}: counterexample {cx}")
    if ev.derivation:
        out.append("- derivation:")
        out += [f"  - {w}: `{_cell(e)}`" for w, e in ev.derivation]
    if ev.chain:
        out.append("- simplification chain:")
        out += [f"  - {w}: `{_cell(e)}`" for w, e in ev.chain]
    if ev.samples:
        out.append(f"- sampling: {ev.samples['count']} points at {ev.samples['digits']} digits ({ev.samples['sampler']})")
    if ev.artifact:
        out.append(f"- SMT-LIB2: [{p.artifact_name(r)}]({p.artifact_name(r)})")
    return out + [""]
