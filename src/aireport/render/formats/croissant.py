"""Croissant 1.1 JSON-LD with the Responsible-AI (RAI 1.0) properties, from the Annex XI/XII document.

The training corpus is the dataset; every source is an upstream dataset in ``prov:wasDerivedFrom`` (name, URL,
licence). The RAI properties are free text, filled from what the Annex states per source: how the data was
obtained (``rai:dataCollection``), the kind of collection in the RAI vocabulary's recommended values
(``rai:dataCollectionType``), the collection period, the curation steps, bias and unsuitability methods. Croissant
has no record sets here: aireport describes where the data came from, not how to load it, so the file documents
provenance and is not loadable by ``mlcroissant`` as a data loader.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from aireport.models.documents import Document
from aireport.models.eu.summary import AnnexDataset, AnnexDocument
from aireport.render.formats import OutputFormat, RenderRequest

FILE: Final = "dataset.croissant.json"
CONTEXT: Final = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "conformsTo": "dct:conformsTo",
}
COLLECTION_TYPE: Final = {
    "crawled": "Web Scraping",
    "public_dataset": "Secondary Data analysis",
    "licensed": "Others",
    "third_party_private": "Others",
    "user_model_interactions": "User-generated content data",
    "user_other_services": "User-generated content data",
    "synthetic": "Software Collection",
    "other": "Others",
}
"""EU source category -> the RAI vocabulary's recommended dataCollectionType value (an aireport reading)."""


def _per_source(datasets: Sequence[AnnexDataset], text: Any) -> list[str]:
    return [f"{d.name}: {value}" for d in datasets if (value := text(d))]


def _upstream(ds: AnnexDataset) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "sc:Dataset", "name": ds.name, "identifier": ds.source_id}
    if ds.url:
        out["url"] = ds.url
    if ds.licence:
        out["license"] = ds.licence
    if ds.rights_holders:
        out["creator"] = {"@type": "sc:Organization", "name": ds.rights_holders}
    return out


def croissant(doc: AnnexDocument) -> dict[str, Any]:
    datasets = doc.datasets
    starts = sorted(d.collection_start for d in datasets if d.collection_start)
    ends = sorted(d.collection_end for d in datasets if d.collection_end)
    languages = sorted({tag for d in datasets for tag in d.languages})
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": ["http://mlcommons.org/croissant/1.1", "http://mlcommons.org/croissant/RAI/1.0"],
        "name": doc.dataset,
        "description": f"Training data of {', '.join(doc.models)} ({doc.provider}), as stated in its Annex XI "
        f"documentation of {doc.document_date}.",
        "creator": {"@type": "sc:Organization", "name": doc.provider},
        "datePublished": doc.document_date,
        "license": sorted({d.licence for d in datasets if d.licence}),
        "prov:wasDerivedFrom": [_upstream(d) for d in datasets],
        "rai:dataCollection": _per_source(datasets, lambda d: d.acquisition.en),
        "rai:dataCollectionType": sorted({COLLECTION_TYPE.get(d.category, "Others") for d in datasets}),
        "rai:dataPreprocessingProtocol": _per_source(datasets, lambda d: "; ".join(d.curation)),
        "rai:dataBiases": _per_source(datasets, lambda d: d.bias.value),
        "rai:dataLimitations": _per_source(datasets, lambda d: d.unsuitability.value),
        "rai:dataCollectionRawData": _per_source(datasets, lambda d: d.description.value),
    }
    if starts and ends:
        out["rai:dataCollectionTimeframe"] = [starts[0], ends[-1]]
    if languages:
        out["inLanguage"] = languages
    return {k: v for k, v in out.items() if v not in ([], None, "")}


def combine(documents: Sequence[Document], request: RenderRequest) -> dict[str, bytes]:
    annex = next((d for d in documents if isinstance(d, AnnexDocument)), None)
    if annex is None:
        return {}
    return {FILE: (json.dumps(croissant(annex), indent=2, ensure_ascii=False) + "\n").encode("utf-8")}


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    return combine([doc], request)


FORMAT = OutputFormat("croissant", render, combine=combine)
