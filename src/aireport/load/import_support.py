"""What every importer shares: reading JSON with located errors, language tags, and the manifest a foreign
description leaves half empty.

A dataset card, a Croissant file or an SBOM describes a dataset, not the model trained on it nor the person who
answers for it. An importer therefore fills the sources it can read and a manifest whose provider and model are
placeholders; every field it could not fill is noted (:class:`Notes`), and ``aireport import`` writes those notes
as comments beside the fields, so a person completes them. Nothing is inferred: attestations stay
``to_be_provided`` and the packs report them as missing evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from aireport.errors import InputError, Problem
from aireport.models.languages import bcp47_problem
from aireport.models.provenance import DatasetManifest, ModelInfo, Provider, Source

PLACEHOLDER: Final = "TO BE PROVIDED"
"""Written where the manifest requires a value no imported format holds (provider, model name)."""


class Notes:
    """Field path -> why it is empty or where its value came from, in the order noted."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.items: dict[str, str] = {}

    def missing(self, path: str, what: str = "") -> None:
        self.items[path] = f"not in the {self.fmt} file{': ' + what if what else ''}"

    def assumed(self, path: str, why: str) -> None:
        self.items[path] = f"assumed by the importer ({why}); check it"

    def from_(self, path: str, where: str) -> None:
        self.items[path] = f"from the {self.fmt} file's {where}"


def read_json(path: Path, display: str, what: str) -> Any:
    """A JSON file, or a located error saying it is not JSON (``what`` names the format expected)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(display, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(display, f"is a folder; give the {what} file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(display, f"cannot read: {exc}")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(display, f"not JSON ({exc.msg}); a {what} file is JSON", line=exc.lineno)]) from None


def require_object(data: Any, display: str, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError([Problem(display, f"a {what} file is a JSON object, found {type(data).__name__}", line=1)])
    return data


def slug(text: str, fallback: str = "source") -> str:
    """A source id (``[A-Za-z0-9][A-Za-z0-9._:-]*``) from a name."""
    out = re.sub(r"[^A-Za-z0-9._:-]+", "-", text.strip()).strip("-._:")
    return out[:80] or fallback


def unique_ids(sources: list[dict[str, Any]]) -> None:
    """Make source ids unique in place by numbering repeats (two cards may name datasets alike)."""
    seen: dict[str, int] = {}
    for source in sources:
        sid = source["source_id"]
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            source["source_id"] = f"{sid}-{seen[sid]}"


def text(value: Any) -> str | None:
    """A free-text value as one string: lists joined by newlines, blanks and placeholders dropped."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [t for t in (text(v) for v in value) if t]
        return "\n".join(parts) or None
    if isinstance(value, dict):
        return text(value.get("name") or value.get("@value") or value.get("description"))
    out = str(value).strip()
    if not out or "more information needed" in out.casefold():
        return None
    return out


def language_tags(values: Iterable[str], display: str, field: str, line: int | None = None) -> list[str]:
    """BCP 47 tags, checked: an invalid tag is a located error."""
    tags: list[str] = []
    problems: list[Problem] = []
    for value in values:
        raw = str(value).strip()
        if not raw:
            continue
        tag = raw
        problem = bcp47_problem(tag)
        if problem is not None:
            problems.append(Problem(display, f"language {raw!r}: {problem}", line=line, field=field))
        elif tag not in tags:
            tags.append(tag)
    if problems:
        raise InputError(problems)
    return tags


def placeholder_manifest(dataset: str, sources: list[Source], notes: Notes, **parts: Any) -> DatasetManifest:
    """The manifest around imported sources: provider and model as placeholders unless ``parts`` has them."""
    provider = parts.pop("provider", None)
    models = parts.pop("models", None)
    if provider is None:
        provider = Provider(legal_name=PLACEHOLDER)
        notes.missing("provider.legal_name", "the provider of the model trained on the data; replace the placeholder")
    if not models:
        models = [ModelInfo(name=PLACEHOLDER)]
        notes.missing("models[0].name", "the model trained on the data; replace the placeholder")
    return DatasetManifest(dataset=dataset, provider=provider, models=models, sources=sources, **parts)
