"""HTML renderer: self-contained pages (math as MathML, plots as inline SVG, no
JavaScript, no network: a Content-Security-Policy forbids both), and fragments of
the same markup for Jupyter."""
from __future__ import annotations

from html import escape

from ..verdict import VERDICTS, Result
from .model import (ARTIFACT_LABELS, PaperReport, Report, artifact_kind, claim_parameters,
                    derivation_steps, replay_answer, stated, tried)
from .notation import MATHML, math_element

_CSS = """
.lawproof { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  color: #1f2328; line-height: 1.5; max-width: 1080px; margin: 0 auto; padding: 1.5rem; }
.lawproof h1 { font-size: 1.7rem; margin-bottom: .3rem; }
.lawproof h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
.lawproof table { border-collapse: collapse; margin: .6rem 0; }
.lawproof th, .lawproof td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left;
  vertical-align: top; }
.lawproof th { background: #f6f8fa; }
.lawproof code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .85em;
  background: #f6f8fa; padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
.lawproof blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 4px solid #d0d7de;
  color: #57606a; }
.lawproof section.claim { border: 1px solid #d0d7de; border-radius: 6px; padding: .4rem 1rem;
  margin: 1rem 0; }
.lawproof dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.lawproof dt { font-weight: 600; color: #57606a; }
.lawproof dd { margin: 0; }
.lawproof math { font-size: 1.12em; }
.lawproof td math, .lawproof li math { math-style: normal; }
.lawproof .formula, .lawproof ul { overflow-x: auto; overflow-y: hidden; }
.lawproof .formula { margin: .5rem 0; padding: .2rem 0; }
.lawproof .verdict { display: inline-block; padding: 0 .5rem; border-radius: 1rem; color: #fff;
  font-weight: 600; font-size: .9em; }
.lawproof .proved { background: #1a7f37; } .lawproof .refuted { background: #cf222e; }
.lawproof .consistent { background: #9a6700; } .lawproof .unknown { background: #57606a; }
.lawproof .error { background: #82071e; } .lawproof .not-checkable { background: #8c959f; }
.lawproof .contradicts { color: #cf222e; font-weight: 600; }
.lawproof figure { margin: 1rem 0; } .lawproof figure svg { max-width: 100%; height: auto; }
.lawproof figcaption { color: #57606a; }
.lawproof details { margin: .4rem 0; }
"""

_MARK = {True: "as expected", False: "contradicts the expectation", None: "undecided"}


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<div class=\"lawproof\">\n{body}</div>\n</body>\n</html>\n")


def _fragment(body: str) -> str:
    return f"<style>{_CSS}</style>\n<div class=\"lawproof\">\n{body}</div>\n"


def _math(content: str, block: bool = False) -> str:
    return math_element(content, block=block)


def _badge(verdict: str) -> str:
    return f'<span class="verdict {escape(verdict)}">{escape(verdict)}</span>'


def _expectation(r: Result) -> str:
    mark = _MARK[r.matches_expect]
    cls = ' class="contradicts"' if r.matches_expect is False else ""
    return f"{escape(r.expect)} (<span{cls}>{mark}</span>)"


def _index_body(report: Report) -> str:
    head = "".join(f"<th>{v}</th>" for v in VERDICTS)
    rows = []
    for p in report.papers:
        cells = "".join(f"<td>{p.counts[v]}</td>" for v in VERDICTS)
        rows.append(f'<tr><td><a href="{escape(p.id)}.html">{escape(p.title or p.id)}</a></td>'
                    f"<td>{len(p.results)}</td>{cells}</tr>")
    total = report.counts
    rows.append(f"<tr><th>all papers</th><th>{sum(total.values())}</th>"
                + "".join(f"<th>{total[v]}</th>" for v in VERDICTS) + "</tr>")
    return ("<h1>lawproof reports</h1>\n<p>Every claim of every paper below was checked by "
            "<code>lawproof report</code>; <code>lawproof report --check</code> in CI fails when "
            'these files differ from what the code produces. Also as <a href="index.md">Markdown</a> '
            'and <a href="junit.xml">JUnit XML</a>.</p>\n'
            f"<table>\n<tr><th>paper</th><th>claims</th>{head}</tr>\n" + "\n".join(rows) + "\n</table>\n")


def render_index(report: Report) -> str:
    """The index page over all papers, with counts per verdict."""
    return _page("lawproof reports", _index_body(report))


def index_fragment(report: Report) -> str:
    """The index as an HTML fragment (Jupyter)."""
    return _fragment(_index_body(report))


def render_paper(p: PaperReport, *, claim_file_link: str | None = None) -> str:
    """One paper's self-contained page."""
    return _page(p.title or p.id, _paper_body(p, claim_file_link))


def paper_fragment(p: PaperReport) -> str:
    """One paper's report as an HTML fragment (Jupyter)."""
    return _fragment(_paper_body(p, None))


def render_result(r: Result) -> str:
    """One claim's section as an HTML fragment (Jupyter's `_repr_html_`)."""
    return _fragment(_claim(r, None))


def _paper_body(p: PaperReport, claim_file_link: str | None) -> str:
    path = escape(p.path)
    shown = f'<a href="{escape(claim_file_link)}">{path}</a>' if claim_file_link else f"<code>{path}</code>"
    counts = " ".join(f"{_badge(v)}&nbsp;{n}" for v, n in p.counts.items() if n)
    out = [f"<h1>{escape(p.title or p.id)}</h1>",
           f"<dl><dt>id</dt><dd><code>{escape(p.id)}</code></dd><dt>source</dt><dd>{escape(p.source)}</dd>"
           f"<dt>claim file</dt><dd>{shown}</dd><dt>verdicts</dt><dd>{counts or 'no claims'}</dd>"
           f'<dt>also as</dt><dd><a href="{escape(p.id)}.md">Markdown</a>, '
           f'<a href="{escape(p.id)}.json">JSON</a>, <a href="index.html">index</a></dd></dl>']
    if p.input_errors:
        out.append("<h2>Input errors</h2>\n<ul>" + "".join(f"<li>{escape(e)}</li>" for e in p.input_errors) + "</ul>")
    if p.input_warnings:
        out.append("<h2>Warnings</h2>\n<ul>" + "".join(f"<li>{escape(w)}</li>" for w in p.input_warnings) + "</ul>")
    out.append(_ledger(p))
    if p.plots:
        out.append("<h2>Plots</h2>")
        for plot in p.plots:
            caption = f"{escape(plot.title)}" + (f" — {escape(plot.caption)}" if plot.caption else "")
            out.append(f'<figure id="plot-{escape(plot.id)}">{plot.inline_svg}<figcaption>{caption} '
                       f'(<a href="{escape(plot.file)}">SVG</a>)</figcaption></figure>')
    out += _tables(p)
    rows = "".join(f'<tr><td><a href="#{escape(r.claim)}">{escape(r.claim)}</a></td><td>{_badge(r.verdict)}</td>'
                   f"<td>{_expectation(r)}</td><td>{escape(r.method)}</td></tr>\n" for r in p.results)
    out.append(f"<h2>Verdicts</h2>\n<table>\n<tr><th>claim</th><th>verdict</th><th>expectation</th>"
               f"<th>method</th></tr>\n{rows}</table>")
    out.append("<h2>Claims</h2>")
    out += [_claim(r, p) for r in p.results]
    return "\n".join(out) + "\n"


def _ledger(p: PaperReport) -> str:
    rows = "".join(f"<tr><td>{_math(MATHML.term(s.symbol))}</td><td>{_math(MATHML.member(s.symbol, s.domain))}</td>"
                   f"<td>{escape(s.text)}</td></tr>\n" for s in p.symbols)
    out = ["<h2>Ledger</h2>", "<h3>Symbols</h3>",
           f"<table>\n<tr><th>symbol</th><th>domain</th><th>meaning</th></tr>\n{rows}</table>"]
    if p.definitions:
        rows = "".join(f"<tr><td>{_math(MATHML.join([MATHML.term(d.head_expr), MATHML.ops['='], MATHML.term(d.body)]))}"
                       f"</td><td><code>{escape(d.head + ' = ' + d.text)}</code></td></tr>\n" for d in p.definitions)
        out += ["<h3>Definitions</h3>", f"<table>\n<tr><th>definition</th><th>plain text</th></tr>\n{rows}</table>"]
    if p.parameters:
        names = ", ".join(_math(MATHML.term(s.symbol)) for s in p.symbols if s.name in p.parameters)
        out += ["<h3>Free parameters</h3>", f"<p>Claims hold for every value of these symbols in their domains: {names}.</p>"]
    if p.assumptions:
        rows = "".join(f'<tr><td><a href="#{escape(r.claim)}">{escape(r.claim)}</a></td>'
                       f"<td>{_math(MATHML.formula(r.assume_tree))}</td></tr>\n" for r in p.assumptions)
        out += ["<h3>Assumptions</h3>", f"<table>\n<tr><th>claim</th><th>assumes</th></tr>\n{rows}</table>"]
    return "\n".join(out)


def _tables(p: PaperReport) -> list[str]:
    """The claim file's tables: each row's parameters, the value lawproof computes, the
    paper's value and the row's verdict, side by side."""
    out = ["<h2>Tables</h2>"] if p.tables else []
    for tr in p.tables:
        t = tr.table
        head = "".join(f"<th>{_math(MATHML.term(s))}</th>" for s in t.params)
        rows = []
        for k, row in enumerate(tr.rows, 1):
            label = f"{k}" + (f" ({escape(row.label)})" if row.label else "")
            verdict = (f'<a href="#{escape(row.claim)}">{_badge(row.verdict)}</a>'
                       if row.claim and row.verdict else "")
            cells = "".join(f"<td>{escape(row.values[s.name])}</td>" for s in t.params)
            rows.append(f"<tr><td>{label}</td>{cells}<td>{escape(row.decimal or '')}</td>"
                        f"<td><code>{escape(row.exact)}</code></td><td>{escape(row.paper or 'unknown')}</td>"
                        f"<td>{verdict}</td></tr>")
        out.append(f'<section id="table-{escape(t.id)}"><h3>{escape(t.id)}</h3>'
                   + (f"<blockquote>{escape(t.says)}</blockquote>" if t.says else "")
                   + f'<div class="formula">{_math(MATHML.term(t.formula), block=True)}</div>'
                   + "<dl>" + (f"<dt>where</dt><dd>{escape(t.where)}</dd>" if t.where else "")
                   + f"<dt>formula</dt><dd><code>{escape(t.text)}</code></dd></dl>"
                   + f"<table><tr><th>row</th>{head}<th>computed</th><th>exact</th><th>paper</th>"
                   + "<th>verdict</th></tr>" + "".join(rows) + "</table></section>")
    return out


def _claim(r: Result, p: PaperReport | None) -> str:
    ev = r.evidence
    out = [f'<section class="claim" id="{escape(r.claim)}">', f"<h3>{escape(r.claim)}</h3>"]
    if r.says:
        out.append(f"<blockquote>{escape(r.says)}</blockquote>")
    if r.formula_tree is not None:
        out.append(f'<div class="formula">{_math(MATHML.formula(stated(r)), block=True)}</div>')
    rows = []
    if r.where:
        rows.append(("where", escape(r.where)))
    if r.formula:
        rows.append(("formula", f"<code>{escape(r.formula)}</code>"))
    rows.append(("verdict", f"{_badge(r.verdict)} by {escape(r.method)}; expected {_expectation(r)}"))
    rows += [(label, escape(text)) for label, text in (("message", r.message), ("reason", r.reason)) if text]
    params = claim_parameters(r)
    if params:
        rows.append(("for all", ", ".join(_math(MATHML.name(n)) for n in params) + " in their domains"))
    if ev.samples:
        rows.append(("sampling", f"{ev.samples['count']} points at {ev.samples['digits']} digits "
                                 f"({escape(str(ev.samples['sampler']))})"))
    if ev.artifact:
        label, answer = ARTIFACT_LABELS[artifact_kind(r)], replay_answer(r)
        if p is not None:
            name = escape(p.artifact_name(r))
            rows.append((label, f'<a href="{name}">{name}</a>' + (
                f"; replay: <code>z3 {name}</code> prints <code>{answer}</code>" if answer else "")))
        else:
            rows.append((label, f"{len(ev.artifact.splitlines())} lines in <code>evidence.artifact</code>" + (
                f"; <code>z3</code> prints <code>{answer}</code> on it" if answer else "")))
    out.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")
    out += _evidence(r)
    if r.normalized_tree is not None:
        out.append("<details><summary>normalized formula (what the backends decided)</summary>"
                   f'<div class="formula">{_math(MATHML.formula(r.normalized_tree), block=True)}</div>'
                   f"<code>{escape(r.normalized)}</code></details>")
    if ev.tried:
        out.append("<details><summary>methods tried</summary><ul>"
                   + "".join(f"<li>{escape(t)}</li>" for t in tried(r)) + "</ul></details>")
    out.append("</section>")
    return "\n".join(out) + "\n"


def _evidence(r: Result) -> list[str]:
    ev = r.evidence
    out = []
    if ev.counterexample:
        rows = "".join(f"<tr><td>{_math(MATHML.name(k))}</td><td>{_math(MATHML.value(v))}</td>"
                       f"<td>{'witness of an inner quantifier' if k in ev.witnesses else 'free'}</td></tr>"
                       for k, v in ev.counterexample.items())
        out.append("<p>Counterexample (exact, re-checked in rational arithmetic and at 50 digits):</p>"
                   f"<table><tr><th>symbol</th><th>value</th><th>role</th></tr>{rows}</table>")
    out += [f"<p>With <code>{escape(f'{k} = {v}')}</code> (meets every declared hypothesis on its whole "
            "domain).</p>" for k, v in ev.functions.items()]
    if ev.values:
        rows = "".join(f"<tr><td><code>{escape(f'{lhs} {op} {rhs}')}</code></td><td>{escape(lv)}</td>"
                       f"<td>{escape(op)}</td><td>{escape(rv)}</td></tr>" for lhs, op, rhs, lv, rv in ev.values)
        out.append("<p>At the counterexample (50 digits, shown to 20):</p>"
                   f"<table><tr><th>atom</th><th>left</th><th></th><th>right</th></tr>{rows}</table>")
    for inst in ev.instances:
        point = ", ".join(_math(MATHML.assignment(k, v)) for k, v in inst["for"].items())
        cx = ", ".join(_math(MATHML.assignment(k, v)) for k, v in inst["counterexample"].items())
        out.append(f"<p>For {point}: counterexample {cx}</p>")
    steps = derivation_steps(r)
    if steps:
        items = "".join(f"<li>{escape(w)}: " + (_math(MATHML.term(e)) if e is not None else f"<code>{escape(t)}</code>")
                        + "</li>" for w, t, e in steps)
        out.append(f"<p>Derivation:</p><ul>{items}</ul>")
    if ev.chain:
        items = "".join(f"<li>{escape(w)}: <code>{escape(e)}</code></li>" for w, e in ev.chain)
        out.append(f"<p>Simplification chain:</p><ul>{items}</ul>")
    return out
