"""JSON renderer: a versioned, machine-readable report per paper.

The shape is documented in docs/report-schema.md; `SCHEMA_VERSION` changes with it.
No timings, sorted keys, so that the same input gives the same bytes.
"""
from __future__ import annotations

import json
from typing import Any

from ..engine import TableResult
from ..verdict import Result
from .model import (SCHEMA_VERSION, PaperReport, artifact_kind, claim_parameters, derivation_steps,
                    outcome, replay_answer, stated, tried)
from .notation import LATEX


def _result(p: PaperReport, r: Result) -> dict[str, Any]:
    d = r.to_dict()
    d.pop("seconds")
    d["evidence"].pop("artifact")
    d["evidence"]["tried"] = tried(r)
    d["artifact"] = p.artifact_name(r) if r.evidence.artifact else None
    d["artifact_kind"] = artifact_kind(r)
    answer = replay_answer(r)
    d["replay"] = {"command": f"z3 {p.artifact_name(r)}", "prints": answer} if answer else None
    d["outcome"] = outcome(r)
    d["parameters"] = claim_parameters(r)
    d["latex"] = {
        "formula": LATEX.formula(stated(r)) if r.formula_tree is not None else None,
        "assume": LATEX.formula(r.assume_tree) if r.assume_tree is not None else None,
        "normalized": LATEX.formula(r.normalized_tree) if r.normalized_tree is not None else None,
        "derivation": [LATEX.term(e) if e is not None else None for _, _, e in derivation_steps(r)],
    }
    return d


def _table(tr: TableResult) -> dict[str, Any]:
    t = tr.table
    return {"id": t.id, "says": t.says, "where": t.where, "formula": t.text,
            "latex": LATEX.term(t.formula), "params": [s.name for s in t.params],
            "rows": [{"label": row.label, "values": row.values, "exact": row.exact,
                      "decimal": row.decimal, "paper": row.paper, "claim": row.claim,
                      "verdict": row.verdict} for row in tr.rows]}


def render_paper(p: PaperReport) -> str:
    """The paper's report as JSON text (schema `lawproof-report/<SCHEMA_VERSION>`)."""
    doc = {"schema": f"lawproof-report/{SCHEMA_VERSION}", "paper": {
        "id": p.id, "title": p.title, "source": p.source, "path": p.path,
        "symbols": [{"name": s.name, "domain": str(s.domain), "text": s.text,
                     "latex": LATEX.member(s.symbol, s.domain)} for s in p.symbols],
        "definitions": [{"head": d.head, "body": d.text,
                         "latex": f"{LATEX.term(d.head_expr)} = {LATEX.term(d.body)}"} for d in p.definitions],
        "parameters": p.parameters,
        "assumptions": [{"claim": r.claim, "latex": LATEX.formula(r.assume_tree)} for r in p.assumptions]},
        "counts": p.counts, "input_errors": p.input_errors, "input_warnings": p.input_warnings,
        "plots": [{"id": q.id, "title": q.title, "caption": q.caption, "file": q.file} for q in p.plots],
        "tables": [_table(tr) for tr in p.tables],
        "results": [_result(p, r) for r in p.results]}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
