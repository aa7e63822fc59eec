"""JUnit XML renderer: one test suite per paper, one test case per claim, for CI
systems that display test results.

A verdict that contradicts the claim's `expect`, or an error, is a failure with the
counterexample or message as its text; a claim that is not checkable or undecided
(consistent, unknown) is skipped with its reason; file-level input errors are one
failing test case named `input-errors`. No timings, so the bytes are reproducible.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import PaperReport, Report, explain, outcome
from .text import xml_safe


def _suite(p: PaperReport) -> ET.Element:
    suite = ET.Element("testsuite", name=p.id)
    failures = skipped = 0
    for r in p.results:
        case = ET.SubElement(suite, "testcase", classname=p.id, name=r.claim, file=p.path)
        kind = outcome(r)
        if kind == "fail":
            failures += 1
            ET.SubElement(case, "failure", type=r.verdict,
                          message=r.message or f"verdict {r.verdict}, the file expects it {r.expect}").text = explain(r)
        elif kind == "skip":
            skipped += 1
            ET.SubElement(case, "skipped", message=r.reason or r.message or f"verdict {r.verdict}: undecided")
        ET.SubElement(case, "system-out").text = explain(r)
    if p.input_errors:
        failures += 1
        case = ET.SubElement(suite, "testcase", classname=p.id, name="input-errors", file=p.path)
        ET.SubElement(case, "failure", type="input", message=f"{len(p.input_errors)} input errors").text = \
            "\n".join(p.input_errors)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def render(report: Report) -> str:
    """Every paper of the report as one `<testsuites>` document."""
    root = ET.Element("testsuites", name="lawproof")
    suites = [_suite(p) for p in report.papers]
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key)) for s in suites)))
    root.extend(suites)
    for el in root.iter():  # a control character in a claim file would make the XML invalid
        el.text = xml_safe(el.text) if el.text else el.text
        el.attrib.update({k: xml_safe(v) for k, v in el.attrib.items()})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
