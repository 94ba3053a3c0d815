"""JUnit XML from the findings document (``junitparser``), for CI systems that show test reports.

One test suite per pack, one test case per rule: a failing rule is a ``failure`` (its type the severity), a rule
without evidence or without anything to apply to is ``skipped`` with the reason, a passing rule passes. A
reader of the CI page sees the same counts as the findings document. Other documents have no JUnit form.
"""

from __future__ import annotations

from typing import Final

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from aireport.models.documents import Document, FindingsDocument, RuleFinding
from aireport.models.results import Outcome
from aireport.render.formats import OutputFormat, RenderRequest
from aireport.render.formats.sarif import citation_text, findings

FILE: Final = "findings.junit.xml"


def _case(rule: RuleFinding) -> TestCase:
    case = TestCase(f"{rule.rule_id}: {rule.title.en}", classname=rule.pack, time=0)
    counts = f"{rule.failed} of {rule.applicable} {rule.scope.value} rows fail, {rule.unknown} without evidence"
    if rule.outcome is Outcome.FAIL:
        failure = Failure(rule.message.en, rule.severity.value)
        failure.text = "\n".join(
            part
            for part in (counts, rule.detail.en if rule.detail else None, f"Fix: {rule.fix.en}", citation_text(rule))
            if part
        )
        case.result = [failure]
    elif rule.outcome is Outcome.NOT_EVALUABLE:
        missing = ", ".join(rule.missing_fields) or "the evidence the rule needs"
        case.result = [Skipped(f"missing evidence: {missing}. Fix: {rule.fix.en}")]
    elif rule.outcome is Outcome.NOT_APPLICABLE:
        case.result = [Skipped("not applicable: no row the rule is about")]
    case.system_out = f"{rule.severity.value}; {citation_text(rule)}"
    return case


def junit_xml(doc: FindingsDocument) -> bytes:
    report = JUnitXml("aireport")
    rules = findings(doc)
    for pack in [p.id for p in doc.traceability.packs]:
        suite = TestSuite(pack)
        suite.time = 0
        for rule in sorted((r for r in rules if r.pack == pack), key=lambda r: r.rule_id):
            suite.add_testcase(_case(rule))
        suite.add_property("dataset", doc.dataset)
        suite.add_property("document_date", doc.document_date)
        suite.add_property("tool_version", doc.traceability.tool_version)
        report.add_testsuite(suite)
    report.update_statistics()  # type: ignore[no-untyped-call]
    report.time = 0
    xml: bytes = report.tostring()  # type: ignore[no-untyped-call]
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml + b"\n"


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    if not isinstance(doc, FindingsDocument):
        return {}
    return {FILE: junit_xml(doc)}


FORMAT = OutputFormat("junit", render)
