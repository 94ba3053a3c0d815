"""An MLCommons Croissant file (JSON-LD, 1.0 or 1.1), with the Responsible-AI vocabulary where it is present.

Read as JSON-LD by its keys, without ``mlcroissant`` (which pulls in rdflib, networkx and pandas to load record
sets aireport never reads). The context must declare the Croissant namespace; the RAI properties are read under
their ``rai:`` names. Every RAI property is free text, so it lands in free-text fields of the source
(description, selection, curation, bias and unsuitability methods); nothing free-text becomes a yes/no answer.
One Croissant file is one source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
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
)
from aireport.load.importers import Imported, Importer
from aireport.models.provenance import EuCategory, Modality, Source

CROISSANT_NS = "http://mlcommons.org/croissant/"
_SPDX_URL = re.compile(r"^https?://spdx\.org/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?/?$")
_MEDIA = {"image": Modality.IMAGE, "audio": Modality.AUDIO, "video": Modality.VIDEO, "text": Modality.TEXT}


def detect(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in {".json", ".jsonld"} and b"mlcommons.org/croissant" in head


def _context_ok(data: dict[str, Any]) -> bool:
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    for item in contexts:
        values = item.values() if isinstance(item, dict) else [item]
        if any(isinstance(v, str) and v.startswith(CROISSANT_NS) for v in values):
            return True
    return False


def _licence(value: Any, notes: Notes) -> tuple[str | None, str | None]:
    """(SPDX id or expression, licence document): an SPDX URL becomes its id, another URL the document."""
    values = value if isinstance(value, list) else [value]
    ids: list[str] = []
    documents: list[str] = []
    for item in values:
        raw = text(item.get("url") or item.get("name") if isinstance(item, dict) else item)
        if raw is None:
            continue
        match = _SPDX_URL.match(raw)
        if match:
            ids.append(match.group(1))
        elif raw.startswith(("http://", "https://")):
            documents.append(raw)
        else:
            ids.append(raw)
    if not ids:
        notes.missing("sources[0].license", "no SPDX licence; the licence document is kept" if documents else "")
    return (" AND ".join(ids) or None), ("\n".join(documents) or None)


def _period(data: dict[str, Any]) -> dict[str, dt.date]:
    """collection_start / end from rai:dataCollectionTimeframe, else schema.org temporalCoverage."""
    raw = data.get("rai:dataCollectionTimeframe") or data.get("temporalCoverage")
    values = raw if isinstance(raw, list) else str(raw or "").split("/")
    dates: list[dt.date] = []
    for value in values:
        try:
            dates.append(dt.date.fromisoformat(str(value).strip()[:10]))
        except ValueError:
            continue
    if not dates:
        return {}
    return {"collection_start": min(dates), "collection_end": max(dates)}


def _modality(data: dict[str, Any], notes: Notes) -> Modality:
    """The most common media type among the distribution's files."""
    files = data.get("distribution") or []
    kinds = Counter(
        _MEDIA[str(f.get("encodingFormat")).split("/", 1)[0]]
        for f in files
        if isinstance(f, dict) and str(f.get("encodingFormat", "")).split("/", 1)[0] in _MEDIA
    )
    if kinds:
        notes.assumed("sources[0].modality", "the most common media type of the distribution's files")
        return kinds.most_common(1)[0][0]
    notes.missing("sources[0].modality", "no file's encodingFormat tells it; set text, image, audio, video or code")
    return Modality.OTHER


def read(path: Path, display: str) -> Imported:
    data = require_object(read_json(path, display, "Croissant JSON-LD"), display, "Croissant JSON-LD")
    if not _context_ok(data):
        raise InputError(
            [
                Problem(
                    display,
                    f"not Croissant JSON-LD: no @context declaring {CROISSANT_NS} (found "
                    f"{str(data.get('@context'))[:80]!r}); allowed: Croissant 1.0 or 1.1 JSON-LD",
                    field="@context",
                )
            ]
        )
    notes = Notes("Croissant")
    name = text(data.get("name")) or path.stem
    langs = data.get("inLanguage") or []
    tags = language_tags(langs if isinstance(langs, list) else [langs], display, "inLanguage")
    if not tags:
        notes.missing("sources[0].languages", "no inLanguage")
    licence, document = _licence(data.get("license"), notes)
    description = "\n\n".join(t for t in (text(data.get("description")), text(data.get("rai:dataCollection"))) if t)
    rai = {key: text(data.get(f"rai:{key}")) for key in ("dataPreprocessingProtocol", "dataBiases", "dataLimitations")}
    for field, key in (
        ("curation_methods", "dataPreprocessingProtocol"),
        ("bias_detection", "dataBiases"),
        ("unsuitability_detection", "dataLimitations"),
    ):
        if rai[key] is None:
            notes.missing(f"sources[0].{field}", f"no rai:{key}")
        elif field != "curation_methods":  # RAI describes what is known, the field asks how it was found
            notes.from_(f"sources[0].{field}", f"rai:{key}, which describes what is known; add how it was found")
    personal = text(data.get("rai:personalSensitiveInformation"))
    notes.missing(
        "sources[0].personal_data",
        f"rai:personalSensitiveInformation says: {personal[:160]!r}; answer true or false" if personal else "",
    )
    creator = data.get("creator")
    creators = creator if isinstance(creator, list) else [creator]
    source = Source(
        source_id=slug(name),
        name=name,
        eu_category=EuCategory.PUBLIC_DATASET,
        modality=_modality(data, notes),
        url=text(data.get("url")),
        version=text(data.get("version")),
        license=licence,
        license_document=document,
        rights_holders="; ".join(t for t in (text(c) for c in creators) if t) or None,
        publicly_known=True,
        languages=tags,
        description=description or None,
        # one step per line or ';': the inventory lists its steps ';'-separated
        curation_methods=[p.strip() for p in re.split(r"[;\n]", rai["dataPreprocessingProtocol"] or "") if p.strip()],
        bias_detection=rai["dataBiases"],
        unsuitability_detection=rai["dataLimitations"],
        **_period(data),
    )
    if source.rights_holders:
        notes.assumed("sources[0].rights_holders", "the creator named in the file")
    notes.assumed("sources[0].eu_category", "a dataset published with Croissant metadata is publicly available, 2.1")
    manifest = placeholder_manifest(name, [source], notes)
    return Imported(manifest=manifest, sources=(source,), notes=tuple(notes.items.items()))


IMPORTER = Importer("croissant", "MLCommons Croissant 1.0/1.1 JSON-LD, with Responsible-AI (RAI) fields", detect, read)
