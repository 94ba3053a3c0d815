"""The EU documents through `aireport report` and the render layer: files, the template's labels in the PDF, the
complete domain CSV beside the Summary, --previous, and the catalogue keys the EU templates use."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from aireport.cli import main
from aireport.example import write_example
from aireport.models.eu.summary import BIN_LABELS, TemplateModality
from aireport.render.i18n import read_catalogue
from aireport.resources import data_dir

N = 20_000  # the demo's example at a size a test can afford; no label depends on it
CSV = "eu-training-summary-domains-v1.1-2026-09-30.csv"  # versioned and dated with the Summary it belongs to
TEMPLATES = data_dir("templates")
EU_TEMPLATES = (
    "eu-training-summary/document.html.j2",
    "eu-training-summary/eu.html.j2",
    "eu-annex-xi-data/document.html.j2",
    "eu-annex-xii-data/document.html.j2",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example(tmp_path_factory.mktemp("lumen"), N)


@pytest.fixture(scope="module")
def written(lumen: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = run(
        "report", str(lumen), "--pack", "eu-ai-act", "--document", "eu-training-summary,eu-annex-xi-data",
        "--format", "json,pdf", "--out", str(out), "--date", "2026-11-24", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_report_writes_the_eu_documents_and_the_domain_csv(written: Path) -> None:
    assert sorted(p.name for p in written.iterdir()) == [
        "eu-annex-xi-data.en.pdf",
        "eu-annex-xi-data.json",
        CSV,
        "eu-training-summary.en.pdf",
        "eu-training-summary.json",
    ]
    summary = json.loads((written / "eu-training-summary.json").read_text(encoding="utf-8"))
    domains = summary["sources"]["crawled"]["domains"]
    rows = list(csv.reader(io.StringIO((written / CSV).read_text(encoding="utf-8"))))
    assert rows[0] == ["rank", "domain", "bytes"]
    assert [[str(d["rank"]), d["domain"], str(d["bytes"])] for d in domains["domains"]] == rows[1:]
    assert len(rows) - 1 == domains["listed"] == -(-domains["distinct"] // 10)  # Lumen is not an SME


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # -raw keeps content-stream order and does not join hyphenated line ends ("non-" + "publicly").
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    # A label may wrap inside its table cell: line breaks become spaces, except after a hyphen or a slash.
    return re.sub(r"\s+", " ", re.sub(r"([-/])\n", r"\1", text))


def test_pdf_holds_every_label_of_sections_1_to_3(written: Path) -> None:
    text = _pdf_text(written / "eu-training-summary.en.pdf")
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    labels = [v for k, v in en.items() if k.startswith(("eu.t.", "eu.bin.", "eu.header."))]
    assert len(labels) > 60
    missing = [label for label in labels if re.sub(r"\s+", " ", label) not in text]
    assert missing == []


def test_bin_labels_in_the_catalogue_are_the_templates_own(tmp_path: Path) -> None:
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    for unit, modality in (
        ("tokens", TemplateModality.TEXT),
        ("images", TemplateModality.IMAGE),
        ("hours", TemplateModality.AUDIO),
    ):
        got = tuple(en[f"eu.bin.{unit}.{b}"] for b in ("less_than", "between", "more_than"))
        assert got == BIN_LABELS[modality]


def test_every_eu_message_exists_in_both_catalogues() -> None:
    """The EU templates pass catalogue keys to macros, which the render layer's own test does not follow."""
    en = read_catalogue(TEMPLATES / "i18n" / "en.yaml")
    zh = read_catalogue(TEMPLATES / "i18n" / "zh.yaml")
    keys = set()
    for name in EU_TEMPLATES:
        keys |= set(re.findall(r"'(eu\.[a-z0-9_.]+)'", (TEMPLATES / name).read_text(encoding="utf-8")))
    # a prefix the template completes with one of a closed set of values
    keys |= {f"eu.annex.use.{split}" for split in ("training", "validation", "testing")} - {"eu.annex.use."}
    keys.discard("eu.annex.use.")
    assert len(keys) > 100
    assert sorted(k for k in keys if k not in en or k not in zh) == []


def test_previous_version_is_compared_and_linked(lumen: Path, written: Path, tmp_path: Path) -> None:
    out = tmp_path / "v2"
    result = run(
        "report", str(lumen), "--pack", "eu-ai-act", "--document", "eu-training-summary", "--format", "json",
        "--out", str(out), "--date", "2026-12-01", "--previous", str(written / "eu-training-summary.json"), "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "eu-training-summary.json").read_text(encoding="utf-8"))
    changes = doc["header"]["changes"]
    assert changes["previous_version"] == "1.1"
    assert changes["material"] is False  # the same dataset
    assert (out / CSV).exists()


def test_previous_must_be_a_summary(lumen: Path, tmp_path: Path) -> None:
    findings = tmp_path / "f"
    assert run("report", str(lumen), "--pack", "eu-ai-act", "--format", "json", "--out", str(findings)).exit_code == 0
    out = tmp_path / "out"
    result = run(
        "report", str(lumen), "--pack", "eu-ai-act", "--document", "eu-training-summary", "--format", "json",
        "--out", str(out), "--previous", str(findings / "findings.json"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "expected an eu-training-summary document" in result.output
    assert not out.exists()


def test_eu_documents_need_the_eu_pack(lumen: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "report", str(lumen), "--pack", "cn-genai", "--document", "eu-training-summary", "--format", "json",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--pack eu-ai-act" in result.output


def test_saved_summary_re_renders_with_its_csv(written: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = run("render", str(written / "eu-training-summary.json"), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [CSV, "eu-training-summary.en.html"]
    assert (out / CSV).read_bytes() == (written / CSV).read_bytes()


def test_same_inputs_same_json(lumen: Path, written: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = run(
        "report", str(lumen), "--pack", "eu-ai-act", "--document", "eu-training-summary,eu-annex-xi-data",
        "--format", "json", "--out", str(out), "--date", "2026-11-24", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0
    for name in ("eu-training-summary.json", "eu-annex-xi-data.json", CSV):
        assert (out / name).read_bytes() == (written / name).read_bytes(), name


def test_the_draft_summary_pdf_is_watermarked_tagged_and_carries_its_domain_list(written: Path) -> None:
    """The example plants contradictions, so its public Summary is a draft: the reasons on the first page, the
    watermark on every page; as a public document it is tagged PDF/A-3a, with the complete domain list attached."""
    reader = PdfReader(written / "eu-training-summary.en.pdf")
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) > 2
    assert "Draft — not for publication" in pages[0]
    assert all("DRAFT" in text for text in pages), [i for i, text in enumerate(pages, 1) if "DRAFT" not in text]
    assert reader.attachments[CSV] == [(written / CSV).read_bytes()]
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert b'pdfaid:conformance="A"' in catalog["/Metadata"].get_object().get_data()
    # the Annex for the AI Office is not public: archival PDF/A-3b, untagged
    annex = PdfReader(written / "eu-annex-xi-data.en.pdf").trailer["/Root"]
    assert b'pdfaid:conformance="B"' in annex["/Metadata"].get_object().get_data()
