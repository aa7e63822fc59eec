"""Jupyter's rich display: what lawproof/__init__.py registers in
lawproof.verdict.RICH_DISPLAY, so that results, file results and reports show
themselves as Markdown or HTML without the layers below importing this one."""
from __future__ import annotations

from typing import Callable

from ..engine import FileResult
from ..verdict import Result
from . import html, markdown
from .model import PaperReport, Report, build_report

#: per format: how to render one result, one paper, the index
_RENDERERS: dict[str, tuple[Callable[[Result], str], Callable[[PaperReport], str], Callable[[Report], str]]] = {
    "markdown": (markdown.render_result, markdown.render_paper, markdown.render_index),
    "html": (html.render_result, html.paper_fragment, html.index_fragment),
}


def render(kind: str, obj: Result | FileResult | PaperReport | Report) -> str:
    """`obj` in the format `kind` ("markdown" or "html", HTML as a fragment): one claim's
    section, one paper's report (a file result is built into one, with plots), or the index."""
    result, paper, index = _RENDERERS[kind]
    if isinstance(obj, FileResult):
        obj = build_report([obj]).papers[0]
    if isinstance(obj, PaperReport):
        return paper(obj)
    if isinstance(obj, Report):
        return index(obj)
    return result(obj)


__all__ = ["render"]
