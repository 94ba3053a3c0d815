"""An SPDX 3.0.1 document (JSON-LD) with the Dataset profile: every ``dataset_DatasetPackage`` is a source, every
``ai_AIPackage`` a model, their supplier the provider.

Licences come from the ``hasConcludedLicense`` relationship (what the document's author concluded), else
``hasDeclaredLicense``; ``dataset_datasetType`` gives the modality, ``dataset_hasSensitivePersonalInformation``
the personal-data answer (``noAssertion`` stays unknown), ``dataset_datasetSize`` the declared bytes. SPDX 2.x and
other 3.x versions are refused by name: their vocabulary differs.
"""

from __future__ import annotations

import re
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
from aireport.models.provenance import DataSplit, EuCategory, Modality, ModelInfo, Provider, Source

SPEC_VERSION: Final = "3.0.1"
_LICENCE_URL = re.compile(r"^https?://spdx\.org/licenses/([A-Za-z0-9.+-]+)$")
_TYPES = {"text": Modality.TEXT, "image": Modality.IMAGE, "audio": Modality.AUDIO, "video": Modality.VIDEO}
_PUBLIC = {"directDownload", "clickthrough", "query", "registration", "scrapingScript"}


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in {".json", ".jsonld"} and (b"spdx.org/rdf/" in head or b'"spdxVersion"' in head)


def _version(data: dict[str, Any], display: str) -> None:
    if "spdxVersion" in data:
        found = data.get("spdxVersion")
        raise InputError(
            [Problem(display, f"found {found}; allowed: SPDX {SPEC_VERSION} (JSON-LD)", field="spdxVersion")]
        )
    versions = {
        str(e.get("specVersion")) for e in data.get("@graph") or [] if isinstance(e, dict) and "specVersion" in e
    }
    if versions != {SPEC_VERSION}:
        found = ", ".join(sorted(versions)) or "no CreationInfo.specVersion"
        raise InputError([Problem(display, f"found {found}; allowed: SPDX {SPEC_VERSION}", field="specVersion")])


def _licences(graph: list[dict[str, Any]], elements: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Package id -> (licence expression, relationship it came from); concluded wins over declared."""
    out: dict[str, tuple[str, str]] = {}
    for rel in graph:
        kind = rel.get("relationshipType")
        if rel.get("type") != "Relationship" or kind not in {"hasDeclaredLicense", "hasConcludedLicense"}:
            continue
        for target in rel.get("to") or []:
            element = elements.get(target, {})
            match = _LICENCE_URL.match(str(target))
            expression = element.get("simplelicensing_licenseExpression") or (match.group(1) if match else None)
            if expression and (kind == "hasConcludedLicense" or rel["from"] not in out):
                out[rel["from"]] = (str(expression), kind)
    return out


def _tested_only(graph: list[dict[str, Any]]) -> set[str]:
    targets: dict[str, set[str]] = {}
    for rel in graph:
        if rel.get("type") == "Relationship" and rel.get("relationshipType") in {"trainedOn", "testedOn"}:
            for target in rel.get("to") or []:
                targets.setdefault(target, set()).add(rel["relationshipType"])
    return {t for t, kinds in targets.items() if kinds == {"testedOn"}}


def _source(package: dict[str, Any], index: int, context: dict[str, Any], notes: Notes) -> dict[str, Any]:
    where = f"sources[{index}]"
    types = [str(t) for t in package.get("dataset_datasetType") or []]
    modality = next((_TYPES[t] for t in types if t in _TYPES), Modality.OTHER)
    if modality is Modality.OTHER:
        notes.missing(f"{where}.modality", f"dataset_datasetType {', '.join(types) or 'absent'}")
    licence = context["licences"].get(package["spdxId"])
    if licence is None:
        notes.missing(f"{where}.license", "no hasConcludedLicense or hasDeclaredLicense relationship")
    else:
        notes.from_(f"{where}.license", licence[1])
    sensitive = package.get("dataset_hasSensitivePersonalInformation")
    if sensitive not in {"yes", "no"}:
        notes.missing(f"{where}.personal_data", f"dataset_hasSensitivePersonalInformation is {sensitive or 'absent'}")
    tested = package["spdxId"] in context["tested_only"]
    origin = [context["names"].get(a) for a in package.get("originatedBy") or []]
    availability = package.get("dataset_datasetAvailability")
    return {
        "source_id": slug(text(package.get("name")) or package["spdxId"].rsplit("/", 1)[-1]),
        "name": text(package.get("name")) or package["spdxId"],
        "eu_category": EuCategory.PUBLIC_DATASET if availability in _PUBLIC else EuCategory.OTHER,
        "modality": modality,
        "url": text(package.get("software_downloadLocation")) or text(package.get("software_homePage")),
        "version": text(package.get("software_packageVersion")),
        "license": licence[0] if licence else None,
        "rights_holders": "; ".join(o for o in origin if o) or None,
        "publicly_known": True if availability in _PUBLIC else None,
        "personal_data": {"yes": True, "no": False}.get(str(sensitive)),
        "declared_bytes": package.get("dataset_datasetSize"),
        "description": "\n\n".join(
            t for t in (text(package.get("description")), text(package.get("dataset_dataCollectionProcess"))) if t
        )
        or None,
        "curation_methods": [str(p) for p in package.get("dataset_dataPreprocessing") or []],
        "used_in_training": not tested,
        "splits": [DataSplit.TESTING] if tested else [],
    }


def read(path: Path, display: str) -> Imported:
    data = require_object(read_json(path, display, "SPDX 3 JSON-LD"), display, "SPDX 3 JSON-LD")
    _version(data, display)
    graph = [e for e in data.get("@graph") or [] if isinstance(e, dict)]
    elements = {str(e["spdxId"]): e for e in graph if "spdxId" in e}
    packages = [e for e in graph if e.get("type") == "dataset_DatasetPackage"]
    if not packages:
        raise InputError([Problem(display, "no dataset_DatasetPackage element; allowed: an SPDX 3 Dataset profile")])
    notes = Notes("SPDX")
    context: dict[str, Any] = {
        "licences": _licences(graph, elements),
        "tested_only": _tested_only(graph),
        "names": {k: str(v["name"]) for k, v in elements.items() if v.get("name")},
    }
    rows = [_source(p, i, context, notes) for i, p in enumerate(packages)]
    unique_ids(rows)
    sources = [Source.model_validate(row) for row in rows]
    models = [
        ModelInfo(name=str(e.get("name") or e["spdxId"]), version=text(e.get("software_packageVersion")))
        for e in graph
        if e.get("type") == "ai_AIPackage"
    ]
    suppliers = [context["names"].get(str(e.get("suppliedBy"))) for e in graph if e.get("type") == "ai_AIPackage"]
    supplier = next((s for s in suppliers if s), None)
    if supplier:
        notes.from_("provider.legal_name", "ai_AIPackage suppliedBy")
    manifest = placeholder_manifest(
        text(packages[0].get("name")) or path.stem,
        sources,
        notes,
        provider=Provider(legal_name=supplier) if supplier else None,
        models=models,
    )
    return Imported(manifest=manifest, sources=tuple(sources), notes=tuple(notes.items.items()))


IMPORTER = Importer("spdx", "SPDX 3.0.1 JSON-LD with the Dataset (and AI) profile", detect, read)
