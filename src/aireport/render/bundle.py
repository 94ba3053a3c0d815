"""One document in every format and language asked for, rendered in memory before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aireport.errors import Problem, RenderError
from aireport.models.documents import Document
from aireport.render.document_json import document_json
from aireport.render.fonts import resolve_fonts
from aireport.render.html import render_html, template_dirs
from aireport.render.i18n import LANGUAGE_CHOICES, Translator, parse_languages
from aireport.render.pdf import PDF_VARIANTS, EmbeddedFile, PdfVariant, render_pdf

FORMATS = ("json", "html", "pdf")


def parse_list(value: str, allowed: Sequence[str], option: str) -> tuple[str, ...]:
    """``"pdf,json"`` -> ("pdf", "json"), each checked against ``allowed``; duplicates dropped."""
    items = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    bad = [item for item in items if item not in allowed]
    if bad or not items:
        found = ", ".join(repr(b) for b in bad) or "nothing"
        raise RenderError([Problem(option, f"found {found}; allowed: {', '.join(allowed)} (comma-separated)")])
    return items


@dataclass(frozen=True)
class RenderRequest:
    formats: tuple[str, ...] = FORMATS
    languages: tuple[str, ...] = ("en",)  # each "en", "zh" or "en+zh"
    pdf_variant: str = "pdf/a-3b"
    font: Path | None = None
    templates: Path | None = None

    def __post_init__(self) -> None:
        parse_list(",".join(self.formats), FORMATS, "--format")
        parse_list(",".join(self.languages), LANGUAGE_CHOICES, "--lang")
        if self.pdf_variant not in PDF_VARIANTS:
            allowed = ", ".join(PDF_VARIANTS)
            raise RenderError([Problem("--pdf-variant", f"found {self.pdf_variant!r}; allowed: {allowed}")])


def render_document(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    """File name -> bytes: ``NAME.json``, ``NAME.LANG.html``, ``NAME.LANG.pdf`` as requested."""
    payload = document_json(doc)  # validated against the schema before anything else happens
    name = doc.document
    out: dict[str, bytes] = {}
    if "json" in request.formats:
        out[f"{name}.json"] = payload
    dirs = template_dirs(request.templates)
    fonts = resolve_fonts(request.font) if "pdf" in request.formats else None
    digest = hashlib.sha256(payload).hexdigest()
    variant: PdfVariant = "pdf/ua-1" if request.pdf_variant == "pdf/ua-1" else "pdf/a-3b"
    for spec in request.languages:
        langs = parse_languages(spec)
        html = render_html(doc, langs, request.templates)
        if "html" in request.formats:
            out[f"{name}.{spec}.html"] = html.encode("utf-8")
        if fonts is not None:
            t = Translator.load(dirs, langs)
            attachment = EmbeddedFile(f"{name}.json", payload, t("meta.attachment", langs[0], name=f"{name}.json"))
            out[f"{name}.{spec}.pdf"] = render_pdf(
                html,
                fonts=fonts,
                template_dirs=dirs,
                date=doc.document_date,
                identifier=f"{digest} {spec} {variant}",
                variant=variant,
                attachments=[attachment],
            )
    return out
