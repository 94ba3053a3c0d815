"""A Data Provenance Initiative summary (``data_summaries*/<Collection>.json``): one collection, one record per
dataset, keyed by its unique identifier.

Each record becomes a source: licences as the Initiative wrote them (the licence table's aliases resolve
spellings such as "CC BY-SA 3.0"), languages as English names looked up in CLDR, creators as rights holders,
model-generated text as the generator, speech and video hours where the record has them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aireport.errors import InputError, Problem
from aireport.load.import_support import (
    Notes,
    language_tags,
    placeholder_manifest,
    read_json,
    require_object,
    slug,
    text,
    unique_ids,
)
from aireport.load.importers import Imported, Importer
from aireport.models.languages import find_language
from aireport.models.provenance import EuCategory, Modality, Source

_KEY = "Unique Dataset Identifier"
_UNSPECIFIED = {"various", "unspecified", "custom", "unknown", ""}


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".json" and _KEY.encode() in head


def _licence(record: dict[str, Any], where: str, notes: Notes) -> str | None:
    names = [str(lic.get("License", "")).strip() for lic in record.get("Licenses") or [] if isinstance(lic, dict)]
    known = [n for n in names if n.casefold() not in _UNSPECIFIED]
    if not known:
        notes.missing(f"{where}.license", f"the Initiative recorded {', '.join(names) or 'no licence'}")
        return None
    return " AND ".join(dict.fromkeys(known))


def _source(uid: str, record: dict[str, Any], index: int, display: str, notes: Notes) -> dict[str, Any]:
    where = f"sources[{index}]"
    hours = record.get("Video Hours") if "Video Hours" in record else record.get("Hours")
    modality = Modality.VIDEO if "Video Hours" in record else Modality.AUDIO if "Hours" in record else Modality.TEXT
    generators = [str(g) for g in record.get("Model Generated") or [] if g]
    items = (record.get("Text Metrics") or {}).get("Num Dialogs")
    inferred = record.get("Inferred Metadata") or {}
    languages = record.get("Languages (ISO)") or record.get("Languages") or []
    found = {str(name): find_language(str(name)) for name in languages}
    tags = language_tags([t for t in found.values() if t], display, f"{uid}.Languages")
    unnamed = [name for name, tag in found.items() if tag is None]
    if unnamed:  # e.g. "Code": the Initiative lists programming languages beside natural ones
        notes.missing(f"{where}.languages", f"{', '.join(unnamed)}: not a language name CLDR knows; left out")
    elif not tags:
        notes.missing(f"{where}.languages")
    if generators:
        notes.from_(f"{where}.generator_model", "Model Generated (part of the text was written by these models)")
    notes.missing(f"{where}.personal_data")
    return {
        "source_id": slug(uid),
        "name": text(record.get("Dataset Name")) or uid,
        "eu_category": EuCategory.PUBLIC_DATASET,
        "modality": modality,
        "url": text(record.get("Dataset URL")) or text(record.get("Hugging Face URL")),
        "license": _licence(record, where, notes),
        "license_document": text([lic.get("License URL") for lic in record.get("Licenses") or []]),
        "rights_holders": "; ".join(str(c) for c in record.get("Creators") or []) or None,
        "publicly_known": True,
        "languages": tags,
        "generator_model": ", ".join(generators) or None,
        "declared_items": items if isinstance(items, int) and items >= 0 else None,
        "declared_hours": hours if isinstance(hours, int | float) and hours >= 0 else None,
        "description": text(inferred.get("PwC Description")),
        "content_types": [str(t) for t in record.get("Task Categories") or []],
    }


def read(path: Path, display: str) -> Imported:
    data = require_object(read_json(path, display, "Data Provenance summary"), display, "Data Provenance summary")
    records = {uid: r for uid, r in data.items() if isinstance(r, dict) and _KEY in r}
    if not records:
        raise InputError(
            [Problem(display, f"no dataset record (an object with {_KEY!r}); allowed: a data_summaries JSON file")]
        )
    notes = Notes("Data Provenance summary")
    rows = [_source(uid, r, i, display, notes) for i, (uid, r) in enumerate(records.items())]
    unique_ids(rows)
    sources = [Source.model_validate(row) for row in rows]
    notes.assumed("sources[*].eu_category", "datasets audited by the Initiative are publicly available, 2.1")
    collection = text(next(iter(records.values())).get("Collection")) or path.stem
    manifest = placeholder_manifest(collection, sources, notes)
    return Imported(manifest=manifest, sources=tuple(sources), notes=tuple(notes.items.items()))


IMPORTER = Importer("dpi", "Data Provenance Initiative collection summary (JSON)", detect, read)
