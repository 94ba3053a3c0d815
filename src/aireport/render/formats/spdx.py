"""SPDX 3.0.1 (JSON-LD) with the Dataset and AI profiles, from the Annex XI/XII document.

Every source is a ``dataset_DatasetPackage`` (type from its modalities, download location, description, the
curation steps as preprocessing), every model an ``ai_AIPackage`` linked to its training datasets by
``trainedOn`` and to test datasets by ``testedOn``; the provider supplies the models. The source inventory's
licence is the package's *declared* licence; aireport concludes no licence of its own, so the *concluded*
licence is ``NoAssertionLicense``, as SPDX says when nothing was concluded. Element ids are derived from the
document, the creation time is the document date: the same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Final

from aireport import __version__
from aireport.models.documents import Document
from aireport.models.eu.summary import AnnexDataset, AnnexDocument
from aireport.render.formats import OutputFormat, RenderRequest

FILE: Final = "dataset.spdx3.json"
CONTEXT: Final = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
NO_ASSERTION_LICENSE: Final = "expandedlicensing_NoAssertionLicense"  # the named individual, compacted
NO_ASSERTION: Final = "NOASSERTION"
_TYPES: Final = {"text": "text", "image": "image", "audio": "audio", "video": "video", "other": "other"}
CREATION: Final = "_:creationinfo"


class _Ids:
    def __init__(self, doc: AnnexDocument) -> None:
        digest = hashlib.sha256(f"{doc.dataset}\n{doc.document_date}".encode()).hexdigest()[:16]
        self.base = f"urn:aireport:spdx:{digest}"

    def __call__(self, kind: str, key: str) -> str:
        return f"{self.base}:{kind}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _element(kind: str, spdx_id: str, **props: Any) -> dict[str, Any]:
    return {"type": kind, "spdxId": spdx_id, "creationInfo": CREATION, **{k: v for k, v in props.items() if v}}


def _relationship(ids: _Ids, kind: str, source: str, targets: list[str]) -> dict[str, Any]:
    return _element(
        "Relationship", ids("relationship", f"{kind}:{source}:{targets}"), relationshipType=kind, to=targets
    ) | {"from": source}


def _dataset(ds: AnnexDataset, ids: _Ids, provider: str) -> dict[str, Any]:
    types = sorted({_TYPES.get(m.value, "other") for m in ds.modalities}) or ["noAssertion"]
    return _element(
        "dataset_DatasetPackage",
        ids("dataset", ds.source_id),
        name=ds.name,
        description=ds.description.value,
        comment=f"aireport source {ds.source_id}; EU template {ds.section} ({ds.category})",
        software_downloadLocation=ds.url or NO_ASSERTION,
        software_primaryPurpose="data",
        dataset_datasetType=types,
        dataset_dataPreprocessing=ds.curation,
        originatedBy=[],
        suppliedBy=provider,
    )


def spdx_graph(doc: AnnexDocument) -> dict[str, Any]:
    ids = _Ids(doc)
    provider = ids("organization", doc.provider)
    tool = ids("tool", "aireport")
    graph: list[dict[str, Any]] = [
        {
            "type": "CreationInfo",
            "@id": CREATION,
            "specVersion": "3.0.1",
            "created": f"{doc.document_date}T00:00:00Z",
            "createdBy": [provider],
            "createdUsing": [tool],
        },
        _element("Organization", provider, name=doc.provider),
        _element("Tool", tool, name=f"aireport {doc.traceability.tool_version if doc.traceability else __version__}"),
    ]
    datasets = [_dataset(d, ids, provider) for d in doc.datasets]
    graph += datasets
    licences: dict[str, str] = {}
    for ds, element in zip(doc.datasets, datasets, strict=True):
        if ds.licence:
            if ds.licence not in licences:
                licences[ds.licence] = ids("licence", ds.licence)
                graph.append(
                    _element(
                        "simplelicensing_LicenseExpression",
                        licences[ds.licence],
                        simplelicensing_licenseExpression=ds.licence,
                    )
                )
            graph.append(_relationship(ids, "hasDeclaredLicense", element["spdxId"], [licences[ds.licence]]))
        graph.append(_relationship(ids, "hasConcludedLicense", element["spdxId"], [NO_ASSERTION_LICENSE]))
    models = [
        _element(
            "ai_AIPackage",
            ids("model", name),
            name=name,
            software_downloadLocation=NO_ASSERTION,
            software_primaryPurpose="model",
            suppliedBy=provider,
        )
        for name in doc.models
    ]
    graph += models
    training = [
        e["spdxId"] for d, e in zip(doc.datasets, datasets, strict=True) if not d.splits or "training" in d.splits
    ]
    testing = [e["spdxId"] for d, e in zip(doc.datasets, datasets, strict=True) if "testing" in d.splits]
    for model in models:
        if training:
            graph.append(_relationship(ids, "trainedOn", model["spdxId"], training))
        if testing:
            graph.append(_relationship(ids, "testedOn", model["spdxId"], testing))
    roots = [m["spdxId"] for m in models] or [d["spdxId"] for d in datasets]
    graph.append(
        _element(
            "SpdxDocument",
            ids("document", doc.dataset),
            name=f"{doc.dataset}: training data",
            profileConformance=["core", "software", "simpleLicensing", "dataset", "ai"],
            rootElement=roots,
            dataLicense=NO_ASSERTION_LICENSE,
        )
    )
    return {"@context": CONTEXT, "@graph": graph}


def combine(documents: Sequence[Document], request: RenderRequest) -> dict[str, bytes]:
    annex = next((d for d in documents if isinstance(d, AnnexDocument)), None)
    if annex is None:
        return {}
    return {FILE: (json.dumps(spdx_graph(annex), indent=2, ensure_ascii=False) + "\n").encode("utf-8")}


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    return combine([doc], request)


FORMAT = OutputFormat("spdx", render, combine=combine)
