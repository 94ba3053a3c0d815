"""A CycloneDX 1.5 or 1.6 BOM (JSON): ``data`` components and the datasets of ``machine-learning-model``
components' model cards are sources; the models are the models; the BOM's manufacturer or supplier is the
provider.

A ``data`` component's ``data[]`` entries describe its contents (type, URL, classification, sensitive data,
governance); their owners become rights holders. A model card's dataset given inline is a source of its own; one
given by ``ref`` marks the referenced component as training data. CycloneDX has no modality or language for
data, so those are left for a person to fill.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from aireport.errors import InputError, Problem
from aireport.load.import_support import (
    Notes,
    placeholder_manifest,
    read_json,
    require_object,
    slug,
    text,
    unique_ids,
)
from aireport.load.importers import Imported, Importer
from aireport.models.provenance import EuCategory, Modality, ModelInfo, Provider, Source

SPEC_VERSIONS: Final = ("1.5", "1.6")


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".json" and b'"bomFormat"' in head


def _components(items: list[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item
            yield from _components(item.get("components") or [])


def _licence(component: dict[str, Any]) -> str | None:
    found = []
    for entry in component.get("licenses") or []:
        if "expression" in entry:
            found.append(str(entry["expression"]))
        lic = entry.get("license") or {}
        if lic.get("id") or lic.get("name"):
            found.append(str(lic.get("id") or lic.get("name")))
    return " AND ".join(found) or None


def _owners(data: list[dict[str, Any]]) -> str | None:
    names = []
    for entry in data:
        for owner in ((entry.get("governance") or {}).get("owners")) or []:
            org = owner.get("organization") or owner.get("contact") or {}
            if org.get("name"):
                names.append(str(org["name"]))
    return "; ".join(dict.fromkeys(names)) or None


def _row(name: str, component: dict[str, Any], data: list[dict[str, Any]], index: int, notes: Notes) -> dict[str, Any]:
    where = f"sources[{index}]"
    notes.missing(f"{where}.modality", "CycloneDX has no modality for data; set text, image, audio, video or code")
    notes.missing(f"{where}.languages", "CycloneDX has no language for data")
    notes.missing(f"{where}.eu_category", "how the data was obtained: public_dataset, licensed, crawled, ...")
    sensitive = [str(s) for entry in data for s in entry.get("sensitiveData") or []]
    if sensitive:
        notes.from_(f"{where}.description", "sensitiveData (listed in the description; answer personal_data)")
    notes.missing(f"{where}.personal_data")
    licence = _licence(component)
    if licence is None:
        notes.missing(f"{where}.license")
    descriptions = [text(component.get("description"))] + [text(e.get("description")) for e in data]
    if sensitive:
        descriptions.append("Sensitive data (CycloneDX sensitiveData): " + "; ".join(sensitive))
    return {
        "source_id": slug(str(component.get("bom-ref") or name)),
        "name": name,
        "eu_category": EuCategory.OTHER,
        "modality": Modality.OTHER,
        "url": next(
            (text((e.get("contents") or {}).get("url")) for e in data if (e.get("contents") or {}).get("url")), None
        ),
        "version": text(component.get("version")),
        "license": licence,
        "rights_holders": _owners(data),
        "description": "\n\n".join(d for d in descriptions if d) or None,
        "content_types": sorted({str(e["type"]) for e in data if e.get("type")}),
    }


def read(path: Path, display: str) -> Imported:
    bom = require_object(read_json(path, display, "CycloneDX JSON"), display, "CycloneDX JSON")
    if bom.get("bomFormat") != "CycloneDX":
        raise InputError([Problem(display, f"found {bom.get('bomFormat')!r}; allowed: CycloneDX", field="bomFormat")])
    if str(bom.get("specVersion")) not in SPEC_VERSIONS:
        allowed = ", ".join(SPEC_VERSIONS)
        raise InputError(
            [Problem(display, f"found {bom.get('specVersion')!r}; allowed: {allowed}", field="specVersion")]
        )
    notes = Notes("CycloneDX")
    components = list(_components(bom.get("components") or []))
    rows: list[dict[str, Any]] = []
    trained_refs: set[str] = set()
    models: list[ModelInfo] = []
    for component in components:
        if component.get("type") == "data":
            rows.append(_row(str(component.get("name")), component, component.get("data") or [], len(rows), notes))
        elif component.get("type") == "machine-learning-model":
            models.append(ModelInfo(name=str(component.get("name")), version=text(component.get("version"))))
            params = (component.get("modelCard") or {}).get("modelParameters") or {}
            for dataset in params.get("datasets") or []:
                if "ref" in dataset:
                    trained_refs.add(str(dataset["ref"]))
                else:
                    name = str(dataset.get("name") or f"{component.get('name')} dataset")
                    rows.append(_row(name, dataset, [dataset], len(rows), notes))
    if not rows:
        raise InputError([Problem(display, "no data component and no model-card dataset; nothing to import")])
    unique_ids(rows)
    sources = [Source.model_validate(row) for row in rows]
    metadata = bom.get("metadata") or {}
    maker = metadata.get("manufacturer") or metadata.get("supplier") or {}
    if maker.get("name"):
        notes.from_("provider.legal_name", "metadata.manufacturer or metadata.supplier")
    manifest = placeholder_manifest(
        text((metadata.get("component") or {}).get("name")) or sources[0].name,
        sources,
        notes,
        provider=Provider(legal_name=str(maker["name"])) if maker.get("name") else None,
        models=models,
    )
    return Imported(manifest=manifest, sources=tuple(sources), notes=tuple(notes.items.items()))


IMPORTER = Importer(
    "cyclonedx", "CycloneDX 1.5/1.6 BOM (JSON) with data or machine-learning-model components", detect, read
)
