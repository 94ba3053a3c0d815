"""`aireport report` and `aireport render` with bad input: a clear message, exit 2, and nothing in --out.

Every case here fails before a PDF is laid out, or renders HTML and JSON only, so the module is quick.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from aireport.cli import main
from tests.conftest import FIXTURES, TINY_PACK

MANIFEST = str(FIXTURES / "tiny" / "manifest.yaml")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_bad_input(result: Result, out: Path, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert not out.exists() or list(out.iterdir()) == [], sorted(p.name for p in out.iterdir())


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A findings.json written by `aireport report`."""
    out = tmp_path_factory.mktemp("saved")
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--format", "json", "--out", str(out), "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    return out / "findings.json"


def test_report_exits_0_although_rules_fail(tmp_path: Path) -> None:
    # `check` exits 1 on this fixture (six failing rules); a report is written and exits 0.
    out = tmp_path / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--format", "json,html", "--lang", "en+zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["findings.en+zh.html", "findings.json"]
    assert json.loads((out / "findings.json").read_text())["summary"]["totals"]["failed"] == 6
    assert str(out / "findings.json") in result.output


def test_unknown_language(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--lang", "en,fr", "--out", str(out))
    assert_bad_input(result, out, "--lang", "'fr'", "allowed: en, zh, en+zh")


def test_unknown_document(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--document", "eu-summary", "--out", str(out))
    assert_bad_input(result, out, "--document", "'eu-summary'", "allowed: findings")


def test_unknown_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--format", "pdf,odt", "--out", str(out))
    allowed = "allowed: croissant, cyclonedx, docx, html, json, junit, pdf, sarif, spdx"
    assert_bad_input(result, out, "'odt'", allowed)


def test_missing_font(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--font", str(tmp_path / "nope.ttf"), "--out", str(out))
    assert_bad_input(result, out, "nope.ttf", "--font: file not found")


def test_a_file_that_is_not_a_font(tmp_path: Path) -> None:
    out = tmp_path / "out"
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all" * 10)
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--font", str(fake), "--out", str(out))
    assert_bad_input(result, out, "fake.ttf", "not a font aireport can use")


def test_template_error_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    (templates / "findings").mkdir(parents=True)
    (templates / "findings" / "document.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block body %}\n{{ doc.no_such_field }}\n{% endblock %}\n'
    )
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--templates", str(templates), "--out", str(out))
    assert_bad_input(result, out, "document.html.j2:3", "no_such_field")


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = blocker / "out"
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--format", "json", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "cannot create the output folder" in result.output


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "findings.en.html").mkdir(parents=True)  # the second file cannot replace a folder
    result = run("report", MANIFEST, "--pack", TINY_PACK, "--format", "json,html", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "a folder is in the way" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["findings.en.html"]


def test_render_rejects_a_document_that_does_not_match_its_schema(saved: Path, tmp_path: Path) -> None:
    data = json.loads(saved.read_text())
    data["rules_failing"][0]["outcome"] = "maybe"
    del data["summary"]["verdict"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out = tmp_path / "out"
    result = run("render", str(bad), "--out", str(out))
    assert_bad_input(result, out, "bad.json", "$.rules_failing[0].outcome", "'maybe' is not one of", "'verdict'")


def test_render_rejects_an_unknown_document(tmp_path: Path) -> None:
    doc = tmp_path / "x.json"
    doc.write_text('{"document": "eu-summary", "schema_version": "1.0"}')
    out = tmp_path / "out"
    assert_bad_input(run("render", str(doc), "--out", str(out)), out, "unknown document 'eu-summary'")


def test_render_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    doc = tmp_path / "x.json"
    doc.write_text("%PDF-1.7")
    out = tmp_path / "out"
    assert_bad_input(run("render", str(doc), "--out", str(out)), out, "x.json", "not JSON")


def test_render_html_from_the_saved_json_equals_the_report_html(saved: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    args = ("--pack", TINY_PACK, "--format", "html", "--lang", "zh", "--date", "2026-01-01")
    assert run("report", MANIFEST, *args, "--out", str(first)).exit_code == 0
    assert run("render", str(saved), "--format", "html", "--lang", "zh", "--out", str(second)).exit_code == 0
    assert (first / "findings.zh.html").read_bytes() == (second / "findings.zh.html").read_bytes()


def test_schema_publishes_every_document_and_a_saved_one_validates(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "schema"
    result = run("schema", "--out", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name.removesuffix(".schema.json") for p in out.glob("document-*.schema.json"))
    assert names == [
        "document-cn-assessment", "document-cn-corpus-summary", "document-creator-statement",
        "document-delivery-statement", "document-eu-annex-xi-data", "document-eu-annex-xii-data",
        "document-eu-training-summary", "document-findings",
    ]  # fmt: skip
    for path in out.glob("*.schema.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    findings = json.loads((out / "document-findings.schema.json").read_text())
    Draft202012Validator(findings).validate(json.loads(saved.read_text()))
    data = json.loads(saved.read_text())
    data["rules_failing"][0]["outcome"] = "maybe"
    assert not Draft202012Validator(findings).is_valid(data)
