"""PDF from the same HTML: PDF/A-3b with the JSON document attached (default) or PDF/UA-1."""

from __future__ import annotations

import hashlib

from aireport.models.documents import Document
from aireport.render.document_json import document_json
from aireport.render.fonts import resolve_fonts
from aireport.render.formats import OutputFormat, RenderRequest, file_stem, side_files
from aireport.render.html import has_template, render_html, template_dirs
from aireport.render.i18n import Translator, parse_languages
from aireport.render.pdf import EmbeddedFile, render_pdf
from aireport.render.pdf_variants import PdfVariant, variant_for


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    if not has_template(doc.document, request.templates):
        return {}
    payload = document_json(doc)
    dirs = template_dirs(request.templates)
    fonts = resolve_fonts(request.font)
    digest = hashlib.sha256(payload).hexdigest()
    variant: PdfVariant = variant_for(request.pdf_variant, getattr(doc, "audience", "internal"))
    date = str(getattr(doc, "document_date", ""))
    out: dict[str, bytes] = {}
    for spec in request.languages:
        langs = parse_languages(spec)
        html = render_html(doc, langs, request.templates)
        t = Translator.load(dirs, langs)
        name = f"{file_stem(doc)}.json"
        extra = [
            EmbeddedFile(file, data, t("meta.attachment_side", langs[0], name=file))
            for file, data in sorted(side_files(doc).items())
        ]
        out[f"{file_stem(doc)}.{spec}.pdf"] = render_pdf(
            html,
            fonts=fonts,
            template_dirs=dirs,
            date=date,
            identifier=f"{digest} {spec} {variant}",
            variant=variant,
            attachments=[EmbeddedFile(name, payload, t("meta.attachment", langs[0], name=name)), *extra],
        )
    return out


def prepare(request: RenderRequest) -> None:
    template_dirs(request.templates)
    resolve_fonts(request.font)


FORMAT = OutputFormat("pdf", render, prepare)
