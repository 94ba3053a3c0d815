"""Word (DOCX) from the same HTML as the PDF, so a legal team can finish the narrative answers in Word.

The document's HTML page (the one WeasyPrint prints) is walked and rebuilt with ``python-docx``: headings stay
headings, the template's two-column field tables stay tables (reference and label on the left, the answer on the
right), lists stay lists, the template's tick boxes become ☐ / ☒. Every word therefore comes from the same
template and catalogue as the PDF; what Word cannot hold as editable text (the PDF's charts) is left out. The
file is reproducible: document properties carry the document date and the archive's entries a fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any, Final

import lxml.html
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from aireport.models.documents import Document
from aireport.render.formats import OutputFormat, RenderRequest, file_stem
from aireport.render.html import has_template, render_html, template_dirs
from aireport.render.i18n import parse_languages

_HEADINGS: Final = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4}
_BLOCKS: Final = frozenset({"div", "section", "header", "footer", "main", "article", "aside", "figure", "nav", "body"})
_SKIP: Final = frozenset({"style", "script", "svg", "head", "title", "meta", "link", "img"})
_STRUCTURE: Final = frozenset({*_HEADINGS, *_BLOCKS, "p", "table", "ul", "ol", "dl"})
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_CJK_FONT: Final = "Noto Sans CJK SC"


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _run(paragraph: Any, text: str, bold: bool, mono: bool) -> None:
    """HTML whitespace rules: runs of white space are one space, kept at the edges, dropped at the start."""
    words = " ".join(text.split())
    lead = " " if text[:1].isspace() and paragraph.runs else ""
    trail = " " if text[-1:].isspace() and words else ""
    text = lead + words + trail if words else lead
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold = bold or None
    if mono:
        run.font.name = "DejaVu Sans Mono"


def _inline(paragraph: Any, el: Any, bold: bool = False, mono: bool = False) -> None:
    """The text of ``el`` and its descendants as runs of one paragraph."""
    if el.text:
        _run(paragraph, el.text, bold, mono)
    for child in el:
        _inline_child(paragraph, child, bold, mono)
        if child.tail:
            _run(paragraph, child.tail, bold, mono)


def _inline_child(paragraph: Any, child: Any, bold: bool, mono: bool) -> None:
    tag = child.tag if isinstance(child.tag, str) else ""
    classes = _classes(child)
    if tag in _SKIP or not tag:
        pass
    elif tag == "br":
        paragraph.add_run().add_break()
    elif "choice" in classes and paragraph.runs:  # the template's tick boxes side by side
        _run(paragraph, "   ", bold, mono)
        _inline(paragraph, child, bold, mono)
    elif "box" in classes:
        _run(paragraph, "☒ " if "box-on" in classes else "☐ ", bold, mono)
    else:
        own_line = "stack" in classes or tag in _STRUCTURE or tag == "li"  # display: block in the PDF
        if own_line and paragraph.runs:
            paragraph.add_run().add_break()
        _inline(paragraph, child, bold or tag in {"strong", "b", "th"}, mono or tag == "code")
        if own_line and (child.getnext() is not None or (child.tail or "").strip()):
            paragraph.add_run().add_break()


def _has_blocks(el: Any) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _STRUCTURE for c in el)


def _paragraph(container: Any, fresh: list[bool]) -> Any:
    """A new paragraph in ``container``; a table cell's own empty first paragraph is used first."""
    if fresh and fresh[0]:
        fresh[0] = False
        return container.paragraphs[0]
    return container.add_paragraph()


def _blocks(container: Any, el: Any, fresh: list[bool], in_cell: bool = False) -> None:
    """Block children become headings, tables, lists and paragraphs; text and inline elements between them (a
    table cell's answer followed by a list, say) are gathered into one paragraph, so no word is lost."""
    loose: list[Any] = []  # the paragraph of loose inline content, made when the first of it comes

    def paragraph() -> Any:
        if not loose:
            loose.append(_paragraph(container, fresh))
        return loose[0]

    if el.text and el.text.strip():
        _run(paragraph(), el.text, False, False)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIP and tag not in _STRUCTURE:
            _inline_child(paragraph(), child, False, False)
        elif tag and tag not in _SKIP:
            loose.clear()
            _block(container, child, tag, fresh, in_cell)
        if child.tail and child.tail.strip():
            _run(paragraph(), child.tail, False, False)


def _block(container: Any, child: Any, tag: str, fresh: list[bool], in_cell: bool) -> None:
    if tag in _HEADINGS and not in_cell:
        heading = container.add_heading(level=_HEADINGS[tag])
        _inline(heading, child)
    elif tag == "table":
        _table(container, child)
    elif tag in {"ul", "ol"}:
        for item in child.iter("li"):
            style = "List Bullet" if tag == "ul" else "List Number"
            _inline(container.add_paragraph(style=style) if not in_cell else _paragraph(container, fresh), item)
    elif tag == "dl":
        for term in child.iter("dt"):
            paragraph = _paragraph(container, fresh)
            _inline(paragraph, term, bold=True)
            definition = term.getnext()
            if definition is not None and definition.tag == "dd":
                _run(paragraph, ": ", True, False)
                _inline(paragraph, definition)
    elif tag in _BLOCKS and _has_blocks(child):
        _blocks(container, child, fresh, in_cell)
    else:
        _inline(_paragraph(container, fresh), child, bold=tag in _HEADINGS)


def _table(container: Any, el: Any) -> None:
    rows = [tr for tr in el.iter("tr")]
    width = max((len([c for c in tr if c.tag in {"td", "th"}]) for tr in rows), default=0)
    if not width:
        return
    table = container.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for tr in rows:
        cells = table.add_row().cells
        for cell, source in zip(cells, [c for c in tr if c.tag in {"td", "th"}], strict=False):
            if _has_blocks(source):
                _blocks(cell, source, [True], in_cell=True)
            else:
                _inline(cell.paragraphs[0], source, bold=source.tag == "th")


def _fonts(document: Any) -> None:
    """Latin text in the default face, Chinese in the Simplified Chinese face the PDF uses."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet"):
        style = document.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), _CJK_FONT)
    document.styles["Normal"].font.size = Pt(10)


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry at a fixed time: Word files of the same document are byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _draft_header(section: Any, body: Any) -> None:
    """A draft's watermark (a fixed box the PDF repeats on every page) goes into the page header, so every page of
    the Word file says DRAFT too; it is then left out of the body."""
    for mark in body.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " watermark ")]'):
        header = section.header.paragraphs[0]
        _run(header, mark.text_content().strip(), True, False)
        mark.getparent().remove(mark)


def docx_bytes(html: str, title: str, date: str) -> bytes:
    document = new_docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    _fonts(document)
    body = lxml.html.document_fromstring(html).find("body")
    _draft_header(section, body)
    _blocks(document, body, [False])
    when = dt.datetime.fromisoformat(f"{date}T00:00:00+00:00") if date else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, "", ""
    props.created, props.modified, props.revision = when, when, 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def render(doc: Document, request: RenderRequest) -> dict[str, bytes]:
    if not has_template(doc.document, request.templates):
        return {}
    date = str(getattr(doc, "document_date", ""))
    return {
        f"{file_stem(doc)}.{spec}.docx": docx_bytes(
            render_html(doc, parse_languages(spec), request.templates), doc.document, date
        )
        for spec in request.languages
    }


def prepare(request: RenderRequest) -> None:
    template_dirs(request.templates)


FORMAT = OutputFormat("docx", render, prepare)
