"""HTML to PDF with WeasyPrint: archival (PDF/A-3b, the JSON document inside) or accessible (PDF/UA-1).

The same HTML page as the standalone file, plus @font-face rules for the resolved font. Deterministic: the
document date is the only date in the file, the PDF identifier is derived from the JSON's SHA-256, and two
renders are byte-identical. Fails, rather than writing a PDF with holes, when a glyph is missing, a font
cannot be loaded or the page asks for anything outside the templates and fonts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

import pydyf
import weasyprint
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

from aireport.errors import Problem, RenderError
from aireport.render.fetcher import GuardedFetcher
from aireport.render.fonts import FontFace, FontSet
from aireport.render.pdf_variants import PDF_VARIANTS, PdfVariant

_NOTDEF = ".notdef glyph rendered"


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF (PDF/A-3: an associated file with relationship Data)."""

    name: str
    data: bytes = field(repr=False)
    description: str


class _Watch(logging.Handler):
    """Collects what WeasyPrint says while it renders: missing glyphs, fonts it could not load, errors."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.missing: list[str] = []  # the characters drawn as .notdef
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_NOTDEF):
            char = record.args[0] if isinstance(record.args, tuple) and record.args else message
            self.missing.append(str(char))
        elif message.startswith(("Font-face", "Failed to load font")):
            self.problems.append(message)
        elif record.levelno >= logging.ERROR and "aireport reads nothing" not in message:
            self.problems.append(message)  # e.g. an attachment that could not be read


class _FontConfiguration(FontConfiguration):  # type: ignore[misc]  # WeasyPrint ships no type information
    """WeasyPrint's font configuration with the @font-face rules of ``fonts`` bound to their file and face.

    WeasyPrint would fetch a face's bytes and copy them into a temporary file, which cannot pick one face out of
    a collection and costs a fifth of a second per render for the two 16 MB CJK faces. Instead, fontconfig is
    told to add the family name to exactly that file and face index, and to load the file where it lies.
    Any other @font-face source goes through WeasyPrint's own path, and so through the guarded fetcher.
    """

    def __init__(self, fonts: FontSet) -> None:
        super().__init__()
        self.faces = fonts.by_url()
        self.loaded: list[FontFace] = []

    def add_font_face(self, rule_descriptors: dict[str, Any], url_fetcher: Any) -> Any:
        for _kind, url in rule_descriptors.get("src", ()):
            face = self.faces.get(url)
            if face is not None:
                return self._register(face, str(rule_descriptors["font_family"]))
        return super().add_font_face(rule_descriptors, url_fetcher)

    def _register(self, face: FontFace, family: str) -> Any:
        root = Element("fontconfig")
        match = SubElement(root, "match", target="scan")
        for name, kind, value in (("file", "string", str(face.path)), ("index", "int", str(face.index))):
            SubElement(SubElement(match, "test", name=name, compare="eq"), kind).text = value
        SubElement(SubElement(match, "edit", name="family", mode="prepend"), "string").text = family
        header = b'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        fontconfig.FcConfigParseAndLoadFromMemory(self._config, header + tostring(root, encoding="utf-8"), True)
        if not fontconfig.FcConfigAppFontAddFile(self._config, os.fsencode(face.path)):
            return None
        self.loaded.append(face)
        return pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", self.font_map))


def _context(text: str, char: str, width: int = 30) -> str:
    """The words around the first ``char`` in the page's text, for an error a person can act on."""
    at = text.find(char)
    if at < 0:
        return char
    start, end = max(0, at - width), at + width
    snippet = " ".join(text[start:end].split())
    return f"{'…' if start else ''}{snippet}{'…' if end < len(text) else ''}"


def _visible_text(page: str) -> str:
    body = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _finish(variant: PdfVariant) -> Any:
    def finisher(document: Any, pdf: Any) -> None:
        # WeasyPrint 70 lists each attachment twice in the catalog's /AF (once from the EmbeddedFiles name
        # tree, once from the file specification): keep each reference once.
        if "AF" in pdf.catalog:
            seen: list[Any] = []
            for reference in pdf.catalog["AF"]:
                if reference not in seen:
                    seen.append(reference)
            pdf.catalog["AF"][:] = seen
        if variant in ("pdf/ua-1", "pdf/a-3a"):
            # PDF/UA-1 (ISO 14289-1, 7.1): viewers show the document title, not the file name.
            pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})

    return finisher


def render_pdf(
    page: str,
    *,
    fonts: FontSet,
    template_dirs: Sequence[Path],
    date: str,
    identifier: str,
    variant: PdfVariant = "pdf/a-3b",
    attachments: Sequence[EmbeddedFile] = (),
) -> bytes:
    """The PDF of the HTML ``page``. ``identifier`` seeds the PDF file identifier (a digest of what the PDF shows)."""
    if variant not in PDF_VARIANTS:
        raise RenderError([Problem("--pdf-variant", f"unknown {variant!r}; allowed: {', '.join(PDF_VARIANTS)}")])
    fetcher = GuardedFetcher(template_dirs)
    stamp = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(), tzinfo=dt.UTC)
    files = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(a.data),
            name=a.name,
            description=a.description,
            created=stamp,
            modified=stamp,
            relationship="Data",
        )
        for a in attachments
    ]
    watch = _Watch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        font_config = _FontConfiguration(fonts)
        stylesheet = weasyprint.CSS(string=fonts.css(), url_fetcher=fetcher, font_config=font_config)
        document = weasyprint.HTML(string=page, base_url=template_dirs[0].as_uri() + "/", url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(
            stylesheets=[stylesheet],
            font_config=font_config,
            pdf_variant=variant,
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            uncompressed_pdf=False,
            attachments=files,
            finisher=_finish(variant),
        )
    finally:
        logger.removeHandler(watch)
    _check(watch, fetcher, font_config, fonts, page)
    return pdf


def _check(watch: _Watch, fetcher: GuardedFetcher, font_config: _FontConfiguration, fonts: FontSet, page: str) -> None:
    problems = [
        Problem("PDF", f"refused to fetch {url}: aireport reads nothing outside its templates and fonts")
        for url in dict.fromkeys(fetcher.refused)
    ]
    missing = sorted(set(watch.missing), key=ord)
    if missing:
        text = _visible_text(page)
        for char in missing:
            problems.append(
                Problem(
                    "PDF",
                    f"the font {fonts.label} has no glyph for {char!r} (U+{ord(char):04X}) in the text "
                    f"“{_context(text, char)}”; name a font that has it with --font PATH",
                )
            )
    unloaded = [face for face in fonts.faces if face not in font_config.loaded]
    problems += [Problem(str(face.path), f"the font {face.label} could not be loaded") for face in unloaded]
    problems += [Problem("PDF", f"WeasyPrint: {message}") for message in dict.fromkeys(watch.problems)]
    if problems:
        raise RenderError(problems)
