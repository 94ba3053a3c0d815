"""Canonical JSON, validated against the document's schema: the document itself, what the other formats show."""

from __future__ import annotations

from aireport.models.documents import Document
from aireport.render.document_json import document_json
from aireport.render.formats import OutputFormat, RenderRequest, file_stem


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    return {f"{file_stem(doc)}.json": document_json(doc)}


FORMAT = OutputFormat("json", render)
