"""CycloneDX 1.6 ML-BOM: the dataset, the models, the rule packs and their results in one BOM.

From the Annex XI/XII document (``eu-annex-xi-data``): every source as a ``data`` component whose
``componentData`` carries the description, the URL, the EU category as classification and the rights holders as
owners, its licence as an SPDX expression; every model as a ``machine-learning-model`` component whose
``modelCard`` lists the training datasets by reference. From the findings document: every pack as a standard in
``definitions.standards`` (one requirement per rule, with its citation), and ``declarations`` with one claim and
one evidence per rule and an attestation mapping each requirement to its claim with the conformance the result
gives (pass 1, fail 0; missing evidence and not applicable are stated with no score). The serial number is a
UUID derived from the documents, the timestamp the document date: the same documents give the same bytes.
Give ``--document findings,eu-annex-xi-data`` for the full BOM; either alone gives its part.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any, Final

from aireport import __version__
from aireport.models.documents import Document, FindingsDocument, RuleFinding
from aireport.models.eu.summary import AnnexDataset, AnnexDocument
from aireport.models.results import Outcome
from aireport.render.formats import OutputFormat, RenderRequest
from aireport.render.formats.sarif import citation_text, findings

FILE: Final = "dataset.cdx.json"
SPEC: Final = "1.6"
_CONFORMANCE: Final = {Outcome.PASS: 1.0, Outcome.FAIL: 0.0}


def _properties(pairs: Sequence[tuple[str, Any]]) -> list[dict[str, str]]:
    out = []
    for name, value in pairs:
        values = value if isinstance(value, list) else [value]
        out += [{"name": f"aireport:{name}", "value": str(v)} for v in values if v is not None and v != ""]
    return out


def _dataset(ds: AnnexDataset) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "dataset",
        "name": ds.name,
        "classification": f"EU template {ds.section} ({ds.category})",
    }
    if ds.description.value:
        data["description"] = ds.description.value
    contents: dict[str, Any] = {"url": ds.url} if ds.url else {}
    sizes = [(f"size_{f.unit}", f.value) for f in [ds.data_points, *ds.sizes] if f.value is not None]
    if sizes:
        contents["properties"] = _properties(sizes)
    if contents:
        data["contents"] = contents
    if ds.rights_holders:
        data["governance"] = {"owners": [{"organization": {"name": ds.rights_holders}}]}
    component: dict[str, Any] = {
        "type": "data",
        "bom-ref": f"dataset:{ds.source_id}",
        "name": ds.name,
        "data": [data],
        "properties": _properties(
            [
                ("source_id", ds.source_id),
                ("eu_category", ds.category),
                ("modality", [m.value for m in ds.modalities]),
                ("content_type", ds.content_types),
                ("language", ds.languages),
                ("origin", ds.origin),
                ("split", ds.splits),
                ("curation", ds.curation),
                ("collection_start", ds.collection_start),
                ("collection_end", ds.collection_end),
                ("acquisition", ds.acquisition.en),
            ]
        ),
    }
    if ds.licence:
        component["licenses"] = [{"expression": ds.licence}]
    return component


def _models(annex: AnnexDocument) -> list[dict[str, Any]]:
    training = [{"ref": f"dataset:{d.source_id}"} for d in annex.datasets if not d.splits or "training" in d.splits]
    return [
        {
            "type": "machine-learning-model",
            "bom-ref": f"model:{name}",
            "name": name,
            "supplier": {"name": annex.provider},
            "modelCard": {"modelParameters": {"datasets": training}},
        }
        for name in annex.models
    ]


def _requirement_ref(rule: RuleFinding) -> str:
    return f"requirement:{rule.pack}/{rule.rule_id}"


def _standards(doc: FindingsDocument) -> list[dict[str, Any]]:
    rules = findings(doc)
    return [
        {
            "bom-ref": f"standard:{pack.id}",
            "name": pack.id,
            "version": pack.version,
            "description": f"aireport rule pack {pack.id} {pack.version} (SHA-256 {pack.sha256})",
            "owner": "aireport",
            "requirements": [
                {
                    "bom-ref": _requirement_ref(r),
                    "identifier": r.rule_id,
                    "title": r.title.en,
                    "text": r.message.en,
                    "descriptions": [citation_text(r)],
                }
                for r in sorted((r for r in rules if r.pack == pack.id), key=lambda r: r.rule_id)
            ],
        }
        for pack in doc.traceability.packs
    ]


def _declarations(doc: FindingsDocument, target: str, date: str) -> dict[str, Any]:
    rules = sorted(findings(doc), key=lambda r: (r.pack, r.rule_id))
    claims, evidence, mapping = [], [], []
    for r in rules:
        key = f"{r.pack}/{r.rule_id}"
        evidence.append(
            {
                "bom-ref": f"evidence:{key}",
                "propertyName": "aireport:outcome",
                "description": (
                    f"{r.outcome.value}: {r.failed} of {r.applicable} {r.scope.value} rows fail, {r.unknown} "
                    f"without evidence" + (f"; missing: {', '.join(r.missing_fields)}" if r.missing_fields else "")
                ),
                "created": date,
            }
        )
        claims.append(
            {
                "bom-ref": f"claim:{key}",
                "target": target,
                "predicate": r.title.en,
                "reasoning": r.detail.en if r.detail else r.message.en,
                "evidence": [f"evidence:{key}"],
            }
        )
        entry: dict[str, Any] = {"requirement": _requirement_ref(r), "claims": [f"claim:{key}"]}
        if r.outcome in _CONFORMANCE:
            entry["conformance"] = {"score": _CONFORMANCE[r.outcome], "rationale": f"{r.outcome.value} ({r.rule_id})"}
        else:
            entry["conformance"] = {"rationale": f"{r.outcome.value}: no score ({r.rule_id})"}
        mapping.append(entry)
    return {
        "assessors": [{"bom-ref": "assessor:aireport", "thirdParty": False}],
        "attestations": [
            {"summary": f"aireport findings for {doc.dataset}", "assessor": "assessor:aireport", "map": mapping}
        ],
        "claims": claims,
        "evidence": evidence,
    }


def bom(documents: Sequence[Document]) -> dict[str, Any] | None:
    annex = next((d for d in documents if isinstance(d, AnnexDocument)), None)
    found = next((d for d in documents if isinstance(d, FindingsDocument)), None)
    if annex is None and found is None:
        return None
    first = annex or found
    assert first is not None
    date = f"{first.document_date}T00:00:00Z"
    seed = "\n".join(f"{d.document}:{d.dataset}:{d.document_date}" for d in (annex, found) if d is not None)
    components = [_dataset(d) for d in annex.datasets] + _models(annex) if annex else []
    subject = {"type": "data", "bom-ref": "dataset", "name": first.dataset}
    out: dict[str, Any] = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC,
        "serialNumber": uuid.uuid5(uuid.NAMESPACE_URL, f"aireport:{hashlib.sha256(seed.encode()).hexdigest()}").urn,
        "version": 1,
        "metadata": {
            "timestamp": date,
            "tools": {"components": [{"type": "application", "name": "aireport", "version": _tool_version(first)}]},
            "component": subject,
        },
        "components": components,
    }
    if found is not None:
        out["definitions"] = {"standards": _standards(found)}
        out["declarations"] = _declarations(found, "dataset", date)
    return out


def _tool_version(doc: FindingsDocument | AnnexDocument) -> str:
    # A clean edition leaves out its traceability; the exporting tool is then this one.
    return doc.traceability.tool_version if doc.traceability is not None else __version__


def combine(documents: Sequence[Document], request: RenderRequest) -> dict[str, bytes]:
    data = bom(documents)
    if data is None:
        return {}
    return {FILE: (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    return combine([doc], request)


FORMAT = OutputFormat("cyclonedx", render, combine=combine)
