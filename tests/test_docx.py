"""The EU Summary as an editable Word file: the same content as the PDF (both come from one HTML page), the
template's field table, tick boxes as ☐ / ☒, Chinese in the Simplified Chinese face, and reproducible bytes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from pypdf import PdfReader

from aireport.cli import main
from aireport.example import write_example

N = 2_000


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("docx")
    write_example(base / "lumen", N)
    return base


def report(base: Path, edition: str) -> Path:
    result = run(
        "report", str(base / "lumen" / "manifest.yaml"), "--pack", "eu-ai-act", "--document", "eu-training-summary",
        "--format", "json,pdf,docx", "--lang", "en,zh", "--out", str(base / edition), "--date", "2026-09-30",
        "--edition", edition, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return base / edition


@pytest.fixture(scope="module")
def out(base: Path) -> Path:
    """The published edition (the default): the template's labels without the reading aid of field numbers."""
    return report(base, "clean")


@pytest.fixture(scope="module")
def annotated(base: Path) -> Path:
    return report(base, "annotated")


def pdf_text(path: Path) -> str:
    """The PDF's text with each page's running header, footer and watermark (lines found on most pages) kept once:
    Word has them once, in its page header, or not at all (page numbers)."""
    pages = [page.extract_text().splitlines() for page in PdfReader(path).pages]
    on_pages = Counter(line for lines in pages for line in set(lines))
    running = {line for line, n in on_pages.items() if n > len(pages) / 2}
    body = [line for lines in pages for line in lines if line not in running]
    return "\n".join([*sorted(running), *body])


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for s in document.sections for p in s.header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"[A-Za-z0-9]{3,}|[\u4e00-\u9fff]", text))


REFS = ("1.1 (i)", "1.2 (iii)", "1.3 (v)")  # (a draft's box names the answers it holds back, 3.1 (b) say)


@pytest.mark.parametrize("edition", ["clean", "annotated"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_same_content_as_the_pdf(base: Path, out: Path, annotated: Path, lang: str, edition: str) -> None:
    stem = "eu-training-summary" if edition == "clean" else "eu-training-summary.annotated"
    folder = out if edition == "clean" else annotated
    pdf = pdf_text(folder / f"{stem}.{lang}.pdf")
    words = docx_text(folder / f"{stem}.{lang}.docx")
    in_pdf, in_docx = tokens(pdf), tokens(words)
    missing = in_pdf - in_docx
    # what the PDF has and Word not: the page numbers and the running header (Word's header has the watermark)
    assert sum(missing.values()) <= 0.02 * sum(in_pdf.values()), missing.most_common(20)
    assert "DRAFT" in words.splitlines()[0] or "草稿" in words.splitlines()[0]  # the example's Summary is a draft
    for ref in REFS:  # the field numbers are a reading aid of the annotated edition only
        assert (ref in pdf.replace("\n", " ")) == (edition == "annotated") or lang == "zh"
        assert (ref in words) == (edition == "annotated")


def test_the_template_layout_is_kept(annotated: Path) -> None:
    document = docx.Document(str(annotated / "eu-training-summary.annotated.en.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["1. General information", "1.1. Provider identification", "1.2. Model identification"]
    first = document.tables[0].rows[0].cells
    assert first[0].text == "1.1 (i) Provider name and contact details"
    assert first[1].text.startswith("Lumen Imaging GmbH")
    # 1.3 is the template's three-column table: modality, size range, types of content
    modality = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Modality"))
    assert [c.text.split(" 1.3")[0] for c in modality.rows[0].cells] == [
        "Modality", "Training data size", "Types of content"
    ]  # fmt: skip
    cells = {r.cells[0].text: r.cells[1].text for r in modality.rows[2:]}
    assert cells["☒ Image"].startswith("☒ Less than 1 million images")  # the example: 2,000 images
    assert cells["☐ Text"].startswith("☐ Less than 1 billion tokens")


def test_chinese_uses_the_simplified_chinese_face_and_bytes_are_reproducible(
    out: Path, annotated: Path, tmp_path: Path
) -> None:
    document = docx.Document(str(out / "eu-training-summary.zh.docx"))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert "1.1 (i) 提供者名称及联系方式" in docx_text(annotated / "eu-training-summary.annotated.zh.docx")
    assert "提供者名称及联系方式" in docx_text(out / "eu-training-summary.zh.docx")
    again = run(
        "render", str(out / "eu-training-summary.json"), "--format", "docx", "--lang", "zh", "--out", str(tmp_path)
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "eu-training-summary.zh.docx").read_bytes() == (out / "eu-training-summary.zh.docx").read_bytes()
