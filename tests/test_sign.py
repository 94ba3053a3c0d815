"""Every JSON document signable: `report --sign KEY` and `verify DOC.json` (signature, schema, re-render)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aireport.cli import main
from tests.conftest import FIXTURES, TINY_PACK


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("signed")
    assert run("keygen", folder / "k.key.pem").exit_code == 0
    result = run(
        "report", FIXTURES / "tiny" / "manifest.yaml", "--pack", TINY_PACK, "--format", "json,pdf",
        "--date", "2026-01-01", "--out", folder / "out", "--sign", folder / "k.key.pem", "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder / "out", folder / "k.pub.pem"


def test_a_signed_document_verifies_and_its_pdf_is_reproduced(signed: tuple[Path, Path]) -> None:
    out, public = signed
    assert (out / "findings.dsse.json").is_file()
    result = run("verify", out / "findings.json", "--public-key", public)
    assert result.exit_code == 0, result.output
    assert "findings.en.pdf is reproduced byte for byte" in result.output


def test_a_changed_figure_fails_the_signature_and_the_re_render(signed: tuple[Path, Path], tmp_path: Path) -> None:
    out, public = signed
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    doc = json.loads((copy / "findings.json").read_text())
    doc["dataset"] = doc["dataset"] + " (edited)"
    (copy / "findings.json").write_text(json.dumps(doc))
    result = run("verify", copy / "findings.json", "--public-key", public)
    assert result.exit_code == 1
    text = result.output.replace("\n", " ")
    assert "differs from the document that was signed" in text
    assert "findings.en.pdf: is not what findings.json renders to" in text


def test_a_changed_pdf_is_caught(signed: tuple[Path, Path], tmp_path: Path) -> None:
    out, public = signed
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    pdf = bytearray((copy / "findings.en.pdf").read_bytes())
    pdf[len(pdf) // 2] ^= 1
    (copy / "findings.en.pdf").write_bytes(bytes(pdf))
    result = run("verify", copy / "findings.json", "--public-key", public)
    assert result.exit_code == 1
    assert "is not what findings.json renders to" in result.output


def test_a_wrong_signing_key_fails_before_the_scan(tmp_path: Path) -> None:
    key = tmp_path / "not-a-key.pem"
    key.write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    result = run("report", FIXTURES / "tiny" / "manifest.yaml", "--pack", TINY_PACK, "--format", "json",
                 "--out", tmp_path / "out", "--sign", key)  # fmt: skip
    assert result.exit_code == 2
    assert "not-a-key.pem" in result.output
    assert not (tmp_path / "out").exists()
