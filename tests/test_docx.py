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
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("docx")
    manifest = write_example(base / "lumen", N)
    result = run(
        "report", str(manifest), "--pack", "eu-ai-act", "--document", "eu-training-summary",
        "--format", "json,pdf,docx", "--lang", "en,zh", "--out", str(base / "out"), "--date", "2026-09-30", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return base / "out"


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"[A-Za-z0-9]{3,}|[\u4e00-\u9fff]", text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_same_content_as_the_pdf(out: Path, lang: str) -> None:
    pdf = "\n".join(page.extract_text() for page in PdfReader(out / f"eu-training-summary.{lang}.pdf").pages)
    in_pdf, in_docx = tokens(pdf), tokens(docx_text(out / f"eu-training-summary.{lang}.docx"))
    missing = in_pdf - in_docx
    # what the PDF has and Word not is the running header and page numbers of each page, nothing else
    assert sum(missing.values()) <= 0.06 * sum(in_pdf.values()), missing.most_common(20)
    for ref in ("1.1 (i)", "1.2 (iii)", "1.3 (v)", "2.3 (h)", "3.1 (b)"):
        assert ref in pdf.replace("\n", " ") or lang == "zh"
        assert ref in docx_text(out / f"eu-training-summary.{lang}.docx")


def test_the_template_layout_is_kept(out: Path) -> None:
    document = docx.Document(str(out / "eu-training-summary.en.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["1. General information", "1.1. Provider identification", "1.2. Model identification"]
    first = document.tables[0].rows[0].cells
    assert first[0].text == "1.1 (i) Provider name and contact details"
    assert first[1].text.startswith("Lumen Imaging GmbH")
    modality = next(t for t in document.tables for r in t.rows if r.cells[0].text == "1.3 (i) Modality")
    cell = next(r.cells[1].text for r in modality.rows if r.cells[0].text == "1.3 (i) Modality")
    assert "☒ Image" in cell
    assert "☐ Text" in cell  # the example's only modality is image


def test_chinese_uses_the_simplified_chinese_face_and_bytes_are_reproducible(out: Path, tmp_path: Path) -> None:
    document = docx.Document(str(out / "eu-training-summary.zh.docx"))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert "1.1 (i) 提供者名称及联系方式" in docx_text(out / "eu-training-summary.zh.docx")
    again = run(
        "render", str(out / "eu-training-summary.json"), "--format", "docx", "--lang", "zh", "--out", str(tmp_path)
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "eu-training-summary.zh.docx").read_bytes() == (out / "eu-training-summary.zh.docx").read_bytes()
