"""Reports: one Report model, one renderer per format (Markdown, HTML, JSON, JUnit XML),
plots, and the writer behind `lawproof report` / `lawproof report --check`."""
from .model import SCHEMA_VERSION, PaperReport, Report, build_report
from .writer import check_reports, render_files, write_reports

__all__ = ["SCHEMA_VERSION", "PaperReport", "Report", "build_report", "check_reports",
           "render_files", "write_reports"]
