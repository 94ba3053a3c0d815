"""The PDF as a filing office and a regulator meet it: PDF/A-3 with the JSON inside, Chinese that extracts as
Chinese, no missing glyph, nothing fetched, and the same bytes every time and from the saved JSON alone.

One `aireport report` of the ten-item fixture (en and zh) and one `aireport render` of its JSON are shared by
every test here; the rest render tiny pages.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import weasyprint
from click.testing import CliRunner
from pypdf import PdfReader

from aireport.cli import main
from aireport.disclose.findings import build_findings
from aireport.engine.config import EngineConfig
from aireport.errors import RenderError
from aireport.models.results import InputFile
from aireport.pipeline import check_dataset
from aireport.render.fonts import resolve_fonts
from aireport.render.formats import RenderRequest, render_all
from aireport.render.pdf import EmbeddedFile, render_pdf
from aireport.resources import data_dir
from tests.conftest import FIXTURES, TINY_PACK

TEMPLATES = data_dir("templates")


@dataclass(frozen=True)
class Rendered:
    report: Path  # aireport report: json, html and pdf in en and zh
    again: Path  # aireport render of report/findings.json: html and pdf in en and zh
    twice: Path  # a second aireport report: json and html


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    base = tmp_path_factory.mktemp("render")
    manifest = str(FIXTURES / "tiny" / "manifest.yaml")
    common = ("--lang", "en,zh", "--date", "2026-01-01", "--quiet")
    _invoke("report", manifest, "--pack", TINY_PACK, "--out", str(base / "report"), *common)
    _invoke("render", str(base / "report" / "findings.json"), "--out", str(base / "again"), "--lang", "en,zh")
    _invoke("report", manifest, "--pack", TINY_PACK, "--format", "json,html", "--out", str(base / "twice"), *common)
    return Rendered(base / "report", base / "again", base / "twice")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_report_writes_every_format_and_language(rendered: Rendered) -> None:
    names = sorted(p.name for p in rendered.report.iterdir())
    assert names == ["findings.en.html", "findings.en.pdf", "findings.json", "findings.zh.html", "findings.zh.pdf"]


def test_pdf_is_pdf_a_3b_with_the_json_attached(rendered: Rendered) -> None:
    reader = PdfReader(rendered.report / "findings.en.pdf")
    root = reader.trailer["/Root"]
    intents = root["/OutputIntents"]
    assert len(intents) == 1
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    # The associated file is listed once (WeasyPrint 70 lists it twice; the renderer fixes that).
    associated = [ref.get_object() for ref in root["/AF"]]
    assert len(associated) == 1
    assert associated[0]["/AFRelationship"] == "/Data"
    assert associated[0]["/F"] == "findings.json"
    embedded = associated[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application#2Fjson" or embedded["/Subtype"] == "/application/json"
    assert reader.attachments["findings.json"] == [(rendered.report / "findings.json").read_bytes()]


def test_pdf_metadata_and_language(rendered: Rendered) -> None:
    en = PdfReader(rendered.report / "findings.en.pdf")
    zh = PdfReader(rendered.report / "findings.zh.pdf")
    assert en.metadata.title == "Findings: tiny-corpus"
    assert zh.metadata.title == "检查结果: tiny-corpus"
    assert en.metadata.author == "aireport"
    assert en.metadata.subject == "Findings of the rule packs tiny on the dataset tiny-corpus"
    assert "EU AI Act" in en.metadata["/Keywords"]
    assert "tiny" in en.metadata["/Keywords"]
    assert en.metadata["/CreationDate"] == en.metadata["/ModDate"] == "D:20260101"
    assert (en.trailer["/Root"]["/Lang"], zh.trailer["/Root"]["/Lang"]) == ("en", "zh-CN")
    assert en.pdf_header == "%PDF-1.7"


def test_page_header_footer_and_bookmarks(rendered: Rendered) -> None:
    en = _text(rendered.report / "findings.en.pdf")
    pages = len(PdfReader(rendered.report / "findings.en.pdf").pages)
    assert pages >= 3
    assert f"Page 1 of {pages}" in en
    assert f"Page {pages} of {pages}" in en
    assert "Findings · tiny-corpus" in en
    assert "2026-01-01 · aireport" in en
    zh_pages = len(PdfReader(rendered.report / "findings.zh.pdf").pages)
    assert f"第 1 页，共 {zh_pages} 页" in _text(rendered.report / "findings.zh.pdf")
    outline = PdfReader(rendered.report / "findings.en.pdf").outline
    titles = [o["/Title"] for o in outline if not isinstance(o, list)]
    assert titles[:4] == ["Summary", "Issue register", "Missing evidence", "Failing rules"]
    failing = outline[
        outline.index(next(o for o in outline if not isinstance(o, list) and o["/Title"] == "Failing rules")) + 1
    ]
    assert next(o["/Title"] for o in failing) == "T-AGREEMENT Licensed sources have an agreement"


def test_chinese_pdf_extracts_as_chinese(rendered: Rendered) -> None:
    text = _text(rendered.report / "findings.zh.pdf")
    for heading in ("检查结果", "目录", "概要", "缺少证据", "未通过的规则", "可追溯性", "阅读说明"):
        assert heading in text, heading
    assert "未通过：6 条规则未通过" in text  # the verdict, with the hand-counted number of failing rules


def test_every_glyph_comes_from_the_named_face(rendered: Rendered) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(rendered.report / "findings.zh.pdf")], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names
    assert [n for n in names if not re.fullmatch(r"[A-Z]{6}\+aireport-sans(-Bold)?", n)] == []


def test_two_renders_are_byte_identical(rendered: Rendered) -> None:
    for name in ("findings.json", "findings.en.html", "findings.zh.html"):
        assert (rendered.report / name).read_bytes() == (rendered.twice / name).read_bytes(), name


def test_render_of_the_saved_json_reproduces_the_pdf(rendered: Rendered) -> None:
    for name in ("findings.en.pdf", "findings.zh.pdf", "findings.en.html"):
        assert (rendered.report / name).read_bytes() == (rendered.again / name).read_bytes(), name


# --- small pages ---------------------------------------------------------------------------------------


def _page(body: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title>'
        '<style>html { font-family: "aireport-sans"; }</style></head>'
        f"<body>{body}</body></html>"
    )


def _pdf(html: str, **kw: object) -> bytes:
    args: dict[str, object] = {
        "fonts": resolve_fonts(),
        "template_dirs": [TEMPLATES],
        "date": "2026-01-01",
        "identifier": "test",
    }
    args.update(kw)
    return render_pdf(html, **args)  # type: ignore[arg-type]


def test_a_missing_glyph_fails_naming_the_font_and_the_text() -> None:
    with pytest.raises(RenderError) as info:
        _pdf(_page("<p>The scribe wrote \U00013000 on the wall.</p>"))
    message = str(info.value)
    assert "Noto Sans CJK SC" in message
    assert "U+13000" in message
    assert "The scribe wrote \U00013000 on the wall." in message


def test_nothing_outside_templates_and_fonts_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    html = _page(
        '<img src="http://example.com/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        "<p>text</p>"
    )
    with pytest.raises(RenderError) as info:
        _pdf(html)
    refused = [p.message for p in info.value.problems]
    assert any("http://example.com/x.png" in m for m in refused)
    assert any("file:///etc/passwd" in m for m in refused)
    assert any(secret.as_uri() in m for m in refused)


def test_files_under_the_templates_folder_are_served(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    pdf = _pdf(_page('<img src="logo.svg" alt="logo"><p>x</p>'), template_dirs=[tmp_path, TEMPLATES])
    assert pdf.startswith(b"%PDF-1.7")


def test_pdf_ua_variant_is_tagged(tmp_path: Path) -> None:
    pdf_path = tmp_path / "ua.pdf"
    pdf_path.write_bytes(
        _pdf(
            _page("<h1>Title</h1><p>Body text.</p>"),
            variant="pdf/ua-1",
            attachments=[EmbeddedFile("a.json", b"{}\n", "data")],
        )
    )
    root = PdfReader(pdf_path).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert PdfReader(pdf_path).attachments["a.json"] == [b"{}\n"]


def test_font_override_is_used(tmp_path: Path) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans is not installed")
    path = tmp_path / "f.pdf"
    path.write_bytes(_pdf(_page("<p>Latin text only.</p>"), fonts=resolve_fonts(dejavu)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = [line for line in fonts.splitlines() if "aireport-sans" in line]
    # DejaVu Sans has TrueType outlines; Noto Sans CJK SC has CFF ones ("Type 0C").
    assert lines, fonts
    assert [line for line in lines if "CID TrueType" not in line] == []
    assert "Latin text only." in _text(path)


def _raster(pdf: bytes, tmp_path: Path, name: str) -> bytes:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True
    )
    return (tmp_path / f"{name}.png").read_bytes()


def test_chinese_in_an_english_document_takes_the_simplified_chinese_forms(tmp_path: Path) -> None:
    # 直, 骨 and 说 are drawn differently by the Japanese and the Simplified Chinese faces of the collection;
    # in an English page no language tag selects the forms, so the face itself must be the SC one.
    text = '<p style="font-size: 40pt">直骨说</p>'
    ours = _raster(_pdf(_page(text)), tmp_path, "ours")
    by_name = {
        face: _raster(
            weasyprint.HTML(string=_page(text).replace('"aireport-sans"', f'"{face}"')).write_pdf(), tmp_path, face[-2:]
        )
        for face in ("Noto Sans CJK SC", "Noto Sans CJK JP")
    }
    assert by_name["Noto Sans CJK SC"] != by_name["Noto Sans CJK JP"]  # the test can tell them apart
    assert ours == by_name["Noto Sans CJK SC"]


def test_a_long_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    result = check_dataset(FIXTURES / "tiny" / "manifest.yaml", [TINY_PACK], EngineConfig(), "2026-01-01")
    parts = [
        InputFile(role="items", path=f"items/part-{n:05d}.parquet", sha256=f"{n:064x}", bytes=n) for n in range(100)
    ]
    doc = build_findings(result.model_copy(update={"inputs": parts}))
    pdf = render_all([doc], RenderRequest(formats=("pdf",), languages=("en",)))["findings.en.pdf"]
    (tmp_path / "long.pdf").write_bytes(pdf)
    pages = _text(tmp_path / "long.pdf").split("\f")  # pdftotext ends every page with a form feed
    with_rows = [p for p in pages if "items/part-" in p]
    assert len(with_rows) >= 2  # 100 rows do not fit on one page
    for page in with_rows:
        header = re.search(r"Role\s+File\s+Bytes\s+SHA-256", page)
        assert header is not None
        assert header.start() < page.index("items/part-")
