"""An imported dataset as files a person edits: ``manifest.yaml`` and ``sources.csv``.

Every manifest field is written, filled or not; each field the importer could not fill carries a comment saying
so (and what the field is for), each field it had to assume says why, so the person completing the manifest
sees every gap where it is. The source inventory is CSV (one column per field of the inventory); what the
importer could not fill there is listed per row in the comment above ``sources:``. Empty stays empty: the packs
report it as missing evidence, never as a pass.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pydantic import BaseModel

from aireport.models.provenance import DatasetManifest, Source, Tri

MANIFEST_FILE: Final = "manifest.yaml"
SOURCES_FILE: Final = "sources.csv"
_WIDTH: Final = 116
_SKIP: Final = frozenset({"sources", "schema_version", "dataset"})


def _empty(value: Any) -> bool:
    return value is None or value in ([], {}, Tri.TO_BE_PROVIDED)


def _comment(path: str, value: Any, field: Any, notes: Mapping[str, str], fmt: str) -> str | None:
    note = notes.get(path)
    if note is None and _empty(value):
        what = " ".join((field.description or "").split())
        note = f"not in {fmt}" + (f": {what}" if what else "")
    return note


def _wrap(text: str, width: int = _WIDTH) -> str:
    return "\n".join(textwrap.wrap(text, width - 2, break_long_words=False, break_on_hyphens=False))


def _lines(model: BaseModel, prefix: str, notes: Mapping[str, str], fmt: str, indent: int) -> list[str]:
    """YAML lines for ``model``: each field as ``key: value``, scalars and lists of scalars in JSON form (valid
    YAML, unambiguous), nested models as blocks, a comment above every field that is empty or assumed."""
    pad = " " * indent
    out: list[str] = []
    for name, field in type(model).model_fields.items():
        if not prefix and name in _SKIP:
            continue
        value = getattr(model, name)
        path = f"{prefix}{name}"
        comment = _comment(path, value, field, notes, fmt)
        if comment:
            out += [f"{pad}# {line}" for line in _wrap(comment, _WIDTH - indent).split("\n")]
        if isinstance(value, BaseModel):
            out.append(f"{pad}{name}:")
            out += _lines(value, f"{path}.", notes, fmt, indent + 2)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            out.append(f"{pad}{name}:")
            for i, item in enumerate(value):
                out.append(f"{pad}  -")
                out += _lines(item, f"{path}[{i}].", notes, fmt, indent + 4)
        else:
            dumped = type(model).__pydantic_serializer__.to_python(model, mode="json", include={name}).get(name)
            out.append(f"{pad}{name}: {json.dumps(dumped, ensure_ascii=False)}")
    return out


def _source_notes(sources: Sequence[Source], notes: Mapping[str, str], fmt: str) -> str:
    lines = [f"The sources are in {SOURCES_FILE}, one row each. What {fmt} did not give:"]
    shared = {k.split(".", 1)[1]: v for k, v in notes.items() if k.startswith("sources[*].")}
    for field, note in shared.items():
        lines.append(f"every row, {field}: {note}")
    for i, source in enumerate(sources):
        own = {k.split(".", 1)[1]: v for k, v in notes.items() if k.startswith(f"sources[{i}].")}
        head = f"line {i + 2} ({source.source_id})"
        lines += [f"{head}, {field}: {note}" for field, note in own.items()]
        dumped = source.model_dump()
        empty = [n for n in Source.model_fields if _empty(dumped[n]) and n not in own and n not in shared]
        if empty:
            lines.append(f"{head}, empty: {', '.join(empty)}")
    return "\n".join(_wrap(line) for line in lines)


def manifest_yaml(manifest: DatasetManifest, notes: Mapping[str, str], fmt: str, origin: str) -> bytes:
    """The editable manifest: every field, the sources in ``sources.csv``, a comment on every gap."""
    header = (
        f"Imported by aireport from {origin}. Edit it: every comment marks a field the import could not fill or "
        "had to assume. Attestations are never imported; they stay to_be_provided until a responsible person "
        "answers."
    )
    lines = [f"# {line}" for line in _wrap(header).split("\n")]
    lines += ["schema_version: 1", f"dataset: {json.dumps(manifest.dataset, ensure_ascii=False)}"]
    lines += _lines(manifest, "", notes, fmt, 0)
    lines += [f"# {line}" for line in _source_notes(_sources(manifest), notes, fmt).split("\n")]
    lines.append(f"sources: {SOURCES_FILE}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sources(manifest: DatasetManifest) -> list[Source]:
    return manifest.sources if isinstance(manifest.sources, list) else []


def sources_csv(sources: Sequence[Source]) -> bytes:
    """The source inventory, as ``aireport`` reads it back: lists ``;``-separated, booleans true/false."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = list(Source.model_fields)
    writer.writerow(columns)
    for source in sources:
        row = source.model_dump(mode="json")
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def editable_files(manifest: DatasetManifest, notes: Mapping[str, str], fmt: str, origin: str) -> dict[str, bytes]:
    return {
        MANIFEST_FILE: manifest_yaml(manifest, notes, fmt, origin),
        SOURCES_FILE: sources_csv(_sources(manifest)),
    }
