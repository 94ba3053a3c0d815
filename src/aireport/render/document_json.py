"""Documents as canonical JSON, checked against their JSON Schema on the way out and on the way in.

The schema is generated from the document models. A document is validated before it is written, and a saved
document is validated before it is re-rendered, so a regulator's copy that does not match fails with the
path of every mismatch rather than rendering something else.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import ValidationError

from aireport.errors import InputError, Problem, RenderError
from aireport.guards import jsonfile
from aireport.models.documents import DOCUMENT_MODELS, Document
from aireport.render.canonical import canonical_json


@cache
def document_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of the document ``name``."""
    schema = DOCUMENT_MODELS[name].model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://aireport.dev/schema/document-{name}.json"
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(document_schema(name))  # the schema itself is checked by the tests


def _path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_problems(data: Any, file: str) -> list[Problem]:
    """Every place ``data`` differs from the schema of the document it names (empty when it matches)."""
    if not isinstance(data, dict):
        return [Problem(file, f"a document is a JSON object, found {type(data).__name__}")]
    name = data.get("document")
    if name not in DOCUMENT_MODELS:
        known = ", ".join(sorted(DOCUMENT_MODELS))
        return [Problem(file, f"unknown document {name!r}; aireport makes: {known}", field="document")]
    errors = sorted(_validator(name).iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    return [Problem(file, error.message[:300], field=_path(error.absolute_path)) for error in errors]


def document_json(doc: Document) -> bytes:
    """Canonical JSON of ``doc``, validated against its schema (a RenderError if the model and schema disagree)."""
    payload = canonical_json(doc)
    problems = schema_problems(json.loads(payload), f"{doc.document}.json")
    if problems:
        raise RenderError(problems)
    return payload


def read_document(path: Path) -> Document:
    """A saved JSON document, read strictly (:mod:`aireport.guards.jsonfile`) and validated against its
    schema, as its model."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RenderError([Problem(str(path), "file not found")]) from None
    except OSError as exc:
        raise RenderError([Problem(str(path), f"cannot read: {exc.strerror or exc}")]) from None
    try:
        data = jsonfile.loads(raw, str(path))
    except InputError as exc:  # the same located problems, as this reader's error
        raise RenderError(exc.problems) from None
    problems = schema_problems(data, str(path))
    if problems:
        raise RenderError(problems)
    try:
        return DOCUMENT_MODELS[data["document"]].model_validate(data)
    except ValidationError as exc:  # the schema and the model agree; this is a second line of defence
        raise RenderError(
            [Problem(str(path), e["msg"], field=_path(e["loc"])) for e in exc.errors(include_url=False)]
        ) from None
