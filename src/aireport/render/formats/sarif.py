"""SARIF 2.1.0 from the findings document, for code-scanning services and editors.

One rule (``reportingDescriptor``) per finding of the packs and one result per rule, whatever its outcome, so a
reader sees what passed as well as what failed: ``kind`` is ``fail``, ``pass``, ``review`` (missing evidence: a
person must look) or ``notApplicable``; ``level`` follows the severity for failures and is ``none`` otherwise, as
SARIF requires (3.27.10). Every result has a physical location, which code-scanning uploads require: the dataset
manifest for dataset rules, the source inventory for source and item rules (the manifest when the sources are
inline), with the rule's own file and line as a related location. ``partialFingerprints`` hash the pack and rule
id, so the same rule is the same alert from run to run. Other documents have nothing to say in SARIF.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from aireport.models.documents import Document, FindingsDocument, RuleFinding
from aireport.models.results import Outcome
from aireport.models.rules import Scope, Severity
from aireport.render.formats import OutputFormat, RenderRequest

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
FILE: Final = "findings.sarif"
KIND: Final = {
    Outcome.FAIL: "fail",
    Outcome.PASS: "pass",
    Outcome.NOT_EVALUABLE: "review",
    Outcome.NOT_APPLICABLE: "notApplicable",
}
LEVEL: Final = {Severity.BLOCKER: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
MANIFEST_BASE: Final = "MANIFESTDIR"
PACKS_BASE: Final = "RULEPACKS"


def findings(doc: FindingsDocument) -> list[RuleFinding]:
    """Every finding once, in the document's order: failing, missing evidence, passing, not applicable."""
    return [*doc.rules_failing, *doc.rules_missing_evidence, *doc.rules_passing, *doc.rules_not_applicable]


def fingerprint(rule: RuleFinding) -> str:
    return hashlib.sha256(f"{rule.pack}/{rule.rule_id}".encode()).hexdigest()[:32]


def rule_file(rule: RuleFinding) -> str:
    """Where the rule is declared: ``<pack>/<ID>.yaml``, the pack loader's naming rule; its ``id:`` is line 1."""
    return f"{rule.pack}/{rule.rule_id}.yaml"


def citation_text(rule: RuleFinding) -> str:
    c = rule.citation
    return f"{c.instrument}, {c.provision} [{c.verification.value}]"


def _descriptor(rule: RuleFinding) -> dict[str, Any]:
    return {
        "id": rule.rule_id,
        "name": rule.rule_id.replace("-", ""),
        "shortDescription": {"text": rule.title.en},
        "fullDescription": {"text": f"{rule.message.en} ({citation_text(rule)})"},
        "help": {"text": rule.fix.en},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "pack": rule.pack,
            "severity": rule.severity.value,
            "scope": rule.scope.value,
            "citation": rule.citation.model_dump(mode="json"),
            "tags": [rule.pack, rule.severity.value, f"verification:{rule.citation.verification.value}"],
            "title_zh": rule.title.zh,
        },
    }


def _message(rule: RuleFinding) -> str:
    parts = [f"{rule.title.en}: {rule.outcome.value.replace('_', ' ')}."]
    if rule.applicable:
        parts.append(
            f"{rule.failed} of {rule.applicable} {rule.scope.value} rows fail ({rule.failing_percent}%; tolerance "
            f"{rule.tolerance_percent}% per {rule.tolerance_per}), {rule.unknown} without evidence."
        )
    failing = [s.source_id for s in rule.per_source if s.outcome is Outcome.FAIL]
    if failing:
        parts.append(f"Failing sources: {', '.join(failing)}.")
    if rule.detail is not None:
        parts.append(rule.detail.en)
    if rule.missing_fields:
        parts.append(f"Missing evidence: {', '.join(rule.missing_fields)}.")
    if rule.outcome is Outcome.FAIL:
        parts.append(f"{rule.message.en} Fix: {rule.fix.en}")
    elif rule.outcome is Outcome.NOT_EVALUABLE:
        parts.append(f"Fix: {rule.fix.en}")
    parts.append(f"({citation_text(rule)})")
    return " ".join(parts)


def _where(rule: RuleFinding, inputs: dict[str, str]) -> str:
    if rule.scope in {Scope.SOURCE, Scope.ITEM} and "sources" in inputs:
        return inputs["sources"]
    return inputs["manifest"]


def _result(rule: RuleFinding, index: int, inputs: dict[str, str]) -> dict[str, Any]:
    kind = KIND[rule.outcome]
    result: dict[str, Any] = {
        "ruleId": rule.rule_id,
        "ruleIndex": index,
        "kind": kind,
        "level": LEVEL[rule.severity] if kind == "fail" else "none",
        "message": {"text": _message(rule)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _where(rule, inputs), "uriBaseId": MANIFEST_BASE},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {"name": s.source_id, "fullyQualifiedName": f"sources/{s.source_id}", "kind": "object"}
                    for s in rule.per_source
                    if s.outcome is Outcome.FAIL
                ],
            }
        ],
        "relatedLocations": [
            {
                "id": 1,
                "message": {"text": "where the rule is declared"},
                "physicalLocation": {
                    "artifactLocation": {"uri": rule_file(rule), "uriBaseId": PACKS_BASE},
                    "region": {"startLine": 1},
                },
            }
        ],
        "partialFingerprints": {"aireportRule/v1": fingerprint(rule)},
        "properties": {
            "outcome": rule.outcome.value,
            "severity": rule.severity.value,
            "pack": rule.pack,
            "applicable": rule.applicable,
            "failed": rule.failed,
            "unknown": rule.unknown,
            "evidence": rule.evidence,
        },
    }
    if not result["locations"][0]["logicalLocations"]:
        del result["locations"][0]["logicalLocations"]
    return result


def sarif_log(doc: FindingsDocument) -> dict[str, Any]:
    rules = findings(doc)
    order = sorted(range(len(rules)), key=lambda i: (rules[i].pack, rules[i].rule_id))
    descriptors = [rules[i] for i in order]
    index = {(r.pack, r.rule_id): i for i, r in enumerate(descriptors)}
    inputs: dict[str, str] = {
        row.role: row.path for row in reversed(doc.traceability.inputs) if row.role in {"manifest", "sources"}
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": doc.traceability.tool,
                        "version": doc.traceability.tool_version,
                        "rules": [_descriptor(r) for r in descriptors],
                    }
                },
                "originalUriBaseIds": {
                    MANIFEST_BASE: {"description": {"text": "The folder of the dataset manifest."}},
                    PACKS_BASE: {"description": {"text": "The folder holding the rule packs (aireport's rules/)."}},
                },
                "results": [_result(r, index[(r.pack, r.rule_id)], inputs) for r in rules],
                "properties": {
                    "dataset": doc.dataset,
                    "document_date": doc.document_date,
                    "verdict": doc.summary.verdict,
                    "packs": [p.model_dump(mode="json") for p in doc.traceability.packs],
                },
            }
        ],
    }


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    if not isinstance(doc, FindingsDocument):
        return {}
    text = json.dumps(sarif_log(doc), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return {FILE: text.encode("utf-8")}


FORMAT = OutputFormat("sarif", render)
