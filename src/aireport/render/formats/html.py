"""Standalone HTML, one page per language, from ``templates/<document>/document.html.j2``."""

from __future__ import annotations

from aireport.models.documents import Document
from aireport.render.formats import OutputFormat, RenderRequest, file_stem
from aireport.render.html import has_template, render_html, template_dirs
from aireport.render.i18n import parse_languages


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    if not has_template(doc.document, request.templates):
        return {}  # a data-only document (e.g. cn-corpus-summary) is JSON only
    return {
        f"{file_stem(doc)}.{spec}.html": render_html(doc, parse_languages(spec), request.templates).encode("utf-8")
        for spec in request.languages
    }


def prepare(request: RenderRequest) -> None:
    template_dirs(request.templates)


FORMAT = OutputFormat("html", render, prepare)
