"""Markdown renderer: GitHub-readable reports with math, one per paper, and an index.

Math uses GitHub's two math syntaxes that survive Markdown's own escaping: inline
$`...`$ and fenced ```math blocks (LaTeX from SymPy's printer). Every formula is
also given as plain text, as the claim file writes it.
"""
from __future__ import annotations

from ..verdict import VERDICTS, Result
from .model import (ARTIFACT_LABELS, PaperReport, Report, artifact_kind, claim_parameters,
                    derivation_steps, replay_answer, stated, tried)
from .notation import LATEX
from .text import markdown_text as _t


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _tcell(text: str) -> str:
    """Text from a claim file in a table cell."""
    return _cell(_t(text))


def _code(text: str) -> str:
    """Inline code that survives any backticks inside `text`."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _math(latex: str) -> str:
    """Inline math; `|` would split a table cell, and `\\vert` is the same bar."""
    return "$`" + latex.replace("|", r"\vert ") + "`$"


def _block(latex: str) -> list[str]:
    return ["```math", latex, "```"]


_MARK = {True: "as expected", False: "**contradicts the expectation**", None: "undecided"}


def render_index(report: Report) -> str:
    """The index page: every paper with its counts per verdict."""
    lines = ["# lawproof reports", "",
             "Every claim of every paper below was checked by `lawproof report`; "
             "`lawproof report --check` in CI fails when these files differ from what the "
             "code produces. Also as [HTML](index.html) and [JUnit XML](junit.xml).", "",
             "| paper | claims | " + " | ".join(VERDICTS) + " |",
             "|---|---|" + "---|" * len(VERDICTS)]
    for p in report.papers:
        c = p.counts
        lines.append(f"| [{_tcell(p.title or p.id)}]({p.id}.md) | {len(p.results)} | "
                     + " | ".join(str(c[v]) for v in VERDICTS) + " |")
    total = report.counts
    lines.append(f"| **all papers** | {sum(total.values())} | "
                 + " | ".join(str(total[v]) for v in VERDICTS) + " |")
    return "\n".join(lines) + "\n"


def render_paper(p: PaperReport, *, claim_file_link: str | None = None) -> str:
    """One paper's report; `claim_file_link` is the claim file relative to the report."""
    shown = f"[{_t(p.path)}]({claim_file_link})" if claim_file_link else _code(p.path)
    counts = ", ".join(f"{n} {v}" for v, n in p.counts.items() if n)
    out = [f"# {_t(p.title or p.id)}", "", f"- id: `{p.id}`", f"- source: {_t(p.source)}",
           f"- claim file: {shown}", f"- verdicts: {counts or 'no claims'}",
           f"- also as [HTML]({p.id}.html) and [JSON]({p.id}.json)", ""]
    if p.input_errors:
        out += ["## Input errors", ""] + [f"- {_tcell(e)}" for e in p.input_errors] + [""]
    if p.input_warnings:
        out += ["## Warnings", ""] + [f"- {_tcell(w)}" for w in p.input_warnings] + [""]
    out += _ledger(p)
    if p.plots:
        out += ["## Plots", ""]
        for plot in p.plots:
            out += [f"### {_t(plot.title)}", "", f"![{_t(plot.title)}]({plot.file})", ""]
            out += [_t(plot.caption), ""] if plot.caption else []
    out += render_tables(p)
    out += ["## Verdicts", "", "| claim | verdict | expected | method |", "|---|---|---|---|"]
    for r in p.results:
        out.append(f"| [{r.claim}](#{r.claim.lower()}) | **{r.verdict}** | {r.expect} | {_tcell(r.method)} |")
    out += ["", "## Claims", ""]
    for r in p.results:
        out += _claim(r, p)
    return "\n".join(out) + "\n"


def _ledger(p: PaperReport) -> list[str]:
    out = ["## Ledger", "", "### Symbols", "", "| symbol | domain | meaning |", "|---|---|---|"]
    out += [f"| {_math(LATEX.term(s.symbol))} | {_math(LATEX.member(s.symbol, s.domain))} | {_tcell(s.text)} |"
            for s in p.symbols]
    if p.definitions:
        out += ["", "### Definitions", "", "| definition | plain text |", "|---|---|"]
        out += [f"| {_math(LATEX.term(d.head_expr) + ' = ' + LATEX.term(d.body))} | "
                f"{_code(_cell(d.head + ' = ' + d.text))} |" for d in p.definitions]
    if p.parameters:
        out += ["", "### Free parameters", "",
                "Claims hold for every value of these symbols in their domains: "
                + ", ".join(_math(LATEX.term(s.symbol)) for s in p.symbols if s.name in p.parameters) + "."]
    if p.assumptions:
        out += ["", "### Assumptions", "", "| claim | assumes |", "|---|---|"]
        out += [f"| [{r.claim}](#{r.claim.lower()}) | {_math(LATEX.formula(r.assume_tree))} |"
                for r in p.assumptions]
    return out + [""]


def render_result(r: Result) -> str:
    """One claim's section on its own (Jupyter's `_repr_markdown_`)."""
    return "\n".join(_claim(r, None)) + "\n"


def _claim(r: Result, p: PaperReport | None) -> list[str]:
    ev = r.evidence
    out = [f"### {r.claim}", ""]
    if r.says:
        out += [f"> {_tcell(r.says)}", ""]
    if r.where:
        out.append(f"- where: {_t(r.where)}")
    if r.formula:
        out.append(f"- formula: {_code(r.formula)}")
    out.append(f"- verdict: **{r.verdict}** by {r.method} (expected: {r.expect}; {_MARK[r.matches_expect]})")
    for label, text in (("message", r.message), ("reason", r.reason)):
        if text:
            out.append(f"- {label}: {_t(text)}")
    params = claim_parameters(r)
    if params:
        out.append("- for all: " + ", ".join(_code(n) for n in params) + " in their domains")
    if r.formula_tree is not None:
        out += [""] + _block(LATEX.formula(stated(r))) + [""]
    if ev.counterexample:
        out += ["Counterexample (exact, re-checked in rational arithmetic and at 50 digits):", "",
                "| symbol | value | role |", "|---|---|---|"]
        out += [f"| {_math(LATEX.name(k))} | {_math(LATEX.value(v))} | "
                f"{'witness of an inner quantifier' if k in ev.witnesses else 'free'} |"
                for k, v in ev.counterexample.items()]
        out.append("")
    out += [f"- with {_code(f'{k} = {v}')} (meets every declared hypothesis on its whole domain)"
            for k, v in ev.functions.items()]
    if ev.values:
        out.append("- at the counterexample (50 digits):")
        out += [f"  - {_code(f'{lhs} {op} {rhs}')}: {lv} {op} {rv}" for lhs, op, rhs, lv, rv in ev.values]
    for inst in ev.instances:
        cx = ", ".join(_math(LATEX.assignment(k, v)) for k, v in inst["counterexample"].items())
        point = ", ".join(_math(LATEX.assignment(k, v)) for k, v in inst["for"].items())
        out.append(f"- for {point}: counterexample {cx}")
    steps = derivation_steps(r)
    if steps:
        out.append("- derivation:")
        out += [f"  - {w}: " + (_math(LATEX.term(e)) if e is not None else _code(t)) for w, t, e in steps]
    if ev.chain:
        out.append("- simplification chain:")
        out += [f"  - {w}: {_code(e)}" for w, e in ev.chain]
    if ev.samples:
        out.append(f"- sampling: {ev.samples['count']} points at {ev.samples['digits']} digits ({ev.samples['sampler']})")
    if ev.artifact:
        label, answer = ARTIFACT_LABELS[artifact_kind(r)], replay_answer(r)
        if p is not None:
            name = p.artifact_name(r)
            out.append(f"- {label}: [{name}]({name})" + (f"; replay: `z3 {name}` prints `{answer}`" if answer else ""))
        else:
            out.append(f"- {label}: {len(ev.artifact.splitlines())} lines in `evidence.artifact`"
                       + (f"; `z3` prints `{answer}` on it" if answer else ""))
    if r.normalized_tree is not None:
        out += ["", "<details><summary>normalized formula (what the backends decided)</summary>", ""]
        out += _block(LATEX.formula(r.normalized_tree)) + ["", _code(r.normalized), "", "</details>"]
    if ev.tried:
        out += ["", "<details><summary>methods tried</summary>", ""]
        out += [f"- {_tcell(t)}" for t in tried(r)] + ["", "</details>"]
    return out + [""]


def render_tables(p: PaperReport) -> list[str]:
    """The claim file's tables: each row's parameters, the value lawproof computes, the
    paper's value and the row's verdict, side by side."""
    if not p.tables:
        return []
    out = ["## Tables", ""]
    for tr in p.tables:
        t = tr.table
        names = [s.name for s in t.params]
        out += [f"### {t.id}", ""]
        out += [f"> {_tcell(t.says)}", ""] if t.says else []
        out += [f"- where: {_t(t.where)}"] if t.where else []
        out += [f"- formula: {_code(_cell(t.text))}", ""]
        out += ["| row | " + " | ".join(_code(n) for n in names) + " | computed | exact | paper | verdict |",
                "|---|" + "---|" * len(names) + "---|---|---|---|"]
        for k, row in enumerate(tr.rows, 1):
            label = f"{k}" + (f" ({_tcell(row.label)})" if row.label else "")
            verdict = f"[**{row.verdict}**](#{row.claim.lower()})" if row.claim and row.verdict else "-"
            out.append(f"| {label} | " + " | ".join(_tcell(row.values[n]) for n in names)
                       + f" | {_tcell(row.decimal or '-')} | {_code(_cell(row.exact))} | {_tcell(row.paper or 'unknown')} | {verdict} |")
        out.append("")
    return out
