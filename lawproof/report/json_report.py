"""JSON renderer: a versioned, machine-readable report per paper (no timings, so
that the same input gives the same bytes)."""
from __future__ import annotations

import json
from typing import Any

from .model import SCHEMA_VERSION, PaperReport


def render_paper(p: PaperReport) -> str:
    results: list[dict[str, Any]] = []
    for r in p.results:
        d = r.to_dict()
        d.pop("seconds")
        d["evidence"].pop("artifact")
        d["evidence"]["tried"] = [t.split(" [")[0] for t in d["evidence"]["tried"]]
        d["artifact"] = p.artifact_name(r) if r.evidence.artifact else None
        results.append(d)
    doc = {"schema": f"lawproof-report/{SCHEMA_VERSION}", "paper": {
        "id": p.id, "title": p.title, "source": p.source, "path": p.path,
        "symbols": [{"name": n, "domain": d, "text": t} for n, d, t in p.symbols],
        "definitions": [{"head": h, "body": b} for h, b in p.definitions]},
        "counts": p.counts, "input_errors": p.input_errors, "results": results}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
