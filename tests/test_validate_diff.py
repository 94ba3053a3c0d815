"""The regulator's tools: `aireport validate` (schema, internal consistency, signature) and `aireport diff` (a
semantic diff of two documents of one kind), on the Lumen example and on documents edited by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from aireport.attest.dsse import envelope_bytes
from aireport.attest.intoto import sign_document
from aireport.attest.keys import generate_private_key, public_key_pem
from aireport.cli import main
from aireport.disclose.diff import diff_values
from aireport.example import write_example

N = 5_000
DOCS = "findings,eu-training-summary,eu-annex-xi-data,cn-assessment,cn-corpus-summary"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def report(manifest: Path, out: Path) -> Path:
    result = run(
        "report", str(manifest), "--pack", "eu-ai-act", "--pack", "cn-genai", "--document", DOCS,
        "--format", "json", "--out", str(out), "--date", "2026-09-30", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example as published (v1.1) and a new version whose manifest changes two things by hand."""
    base = tmp_path_factory.mktemp("v1")
    manifest = write_example(base / "lumen", N)
    shutil.copytree(base / "lumen", base / "lumen2")
    text = (base / "lumen2" / "manifest.yaml").read_text()
    changed = text.replace("contact: ai-transparency@", "contact: transparency@").replace(
        'version: "1.1"', 'version: "1.2"'
    )
    assert changed.count("transparency@") == text.count("transparency@")
    assert changed != text
    (base / "lumen2" / "manifest.yaml").write_text(changed)
    return report(manifest, base / "out1"), report(base / "lumen2" / "manifest.yaml", base / "out2")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- diff -------------------------------------------------------------------------------------------------------


def test_diff_of_the_summary_lists_exactly_the_changed_fields(versions: tuple[Path, Path]) -> None:
    old, new = versions
    result = run(
        "diff", str(old / "eu-training-summary.json"), str(new / "eu-training-summary.json"), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)["changes"]
    # hand-checked: the manifest changed the Summary's version and the provider's contact, and the name of the
    # attached domain list carries the version
    assert changes == [
        {"path": "header.version.value", "kind": "changed", "old": "1.1", "new": "1.2"},
        {
            "path": "provider.contact.value",
            "kind": "changed",
            "old": "ai-transparency@lumen-imaging.example",
            "new": "transparency@lumen-imaging.example",
        },
        {
            "path": "sources.crawled.domains.attachment",
            "kind": "changed",
            "old": "eu-training-summary-domains-v1.1-2026-09-30.csv",
            "new": "eu-training-summary-domains-v1.2-2026-09-30.csv",
        },
    ]
    markdown = run("diff", str(old / "eu-training-summary.json"), str(new / "eu-training-summary.json")).output
    assert "| `provider.contact.value` | changed | ai-transparency@lumen-imaging.example |" in markdown


def test_the_same_inputs_on_another_day_are_no_change(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = versions
    doc = load(old / "findings.json")
    doc["document_date"] = "2027-01-01"
    doc["traceability"]["tool_version"] = "9.9"
    (tmp_path / "later.json").write_text(json.dumps(doc))
    result = run("diff", str(old / "findings.json"), str(tmp_path / "later.json"), "--format", "json")
    assert json.loads(result.output)["changes"] == []


def test_lists_are_matched_by_identity() -> None:
    old = {"languages": [{"tag": "de", "items": 4}, {"tag": "en", "items": 1}], "modalities": ["image", "text"]}
    new = {"languages": [{"tag": "en", "items": 2}, {"tag": "fr", "items": 1}], "modalities": ["text", "video"]}
    assert [(c.path, c.kind, c.old, c.new) for c in diff_values(old, new)] == [
        ("languages[tag=de]", "removed", {"tag": "de", "items": 4}, None),
        ("languages[tag=en].items", "changed", 1, 2),
        ("languages[tag=fr]", "added", None, {"tag": "fr", "items": 1}),
        ("modalities[]", "removed", "image", None),
        ("modalities[]", "added", None, "video"),
    ]


def test_diff_of_two_kinds_or_of_a_broken_file_is_bad_input(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    result = run("diff", str(old / "findings.json"), str(new / "eu-training-summary.json"))
    assert result.exit_code == 2
    assert "documents of different kinds: findings and eu-training-summary" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"document": "findings",\n  "dataset": }')
    result = run("diff", str(broken), str(new / "findings.json"))
    assert result.exit_code == 2
    assert "broken.json:2:" in result.output
    assert "Traceback" not in result.output


# --- validate ---------------------------------------------------------------------------------------------------


def test_every_document_of_the_example_is_valid(versions: tuple[Path, Path]) -> None:
    _, new = versions
    for name in DOCS.split(","):
        result = run("validate", str(new / f"{name}.json"))
        assert result.exit_code == 0, result.output
        assert f"valid {name} of Lumen Canvas 2 training corpus" in result.output


def _edited(source: Path, tmp_path: Path, edit: Any) -> Path:
    doc = load(source)
    edit(doc)
    path = tmp_path / source.name
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return path


@pytest.mark.parametrize(
    ("name", "edit", "expected"),
    [
        (
            "findings.json",
            lambda d: d["summary"]["totals"].update(failed=d["summary"]["totals"]["failed"] + 1),
            "$.summary.totals.failed: failed",
        ),
        (
            "findings.json",
            lambda d: d["rules_failing"][0].update(failing_percent=0.5),
            "$.rules_failing[0].failing_percent: failing_percent 0.5 is not failed / applicable x 100",
        ),
        (
            "findings.json",
            lambda d: d["traceability"]["rows"].update(read=d["traceability"]["rows"]["read"] + 1),
            "$.traceability.rows: read",
        ),
        (
            "findings.json",
            lambda d: d["rules_passing"][0].update(passed=d["rules_passing"][0]["passed"] + 7),
            "$.rules_passing[0]: passed",
        ),
        (
            "eu-training-summary.json",
            lambda d: d["sources"]["crawled"]["domains"].update(listed_bytes=1),
            "$.sources.crawled.domains.listed_bytes",
        ),
        ("eu-training-summary.json", lambda d: d.update(surprise=True), "Additional properties are not allowed"),
    ],
)
def test_a_document_that_contradicts_itself_is_invalid(
    versions: tuple[Path, Path], tmp_path: Path, name: str, edit: Any, expected: str
) -> None:
    path = _edited(versions[1] / name, tmp_path, edit)
    result = run("validate", str(path))
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output


def test_signed_documents_are_verified(versions: tuple[Path, Path], tmp_path: Path) -> None:
    key = generate_private_key()
    (tmp_path / "key.pub").write_bytes(public_key_pem(key))
    doc = load(versions[1] / "findings.json")
    signed = tmp_path / "findings.signed.json"
    signed.write_bytes(envelope_bytes(sign_document(doc, "application/vnd.aireport.findings+json", key)))
    ok = run("validate", str(signed), "--key", str(tmp_path / "key.pub"))
    assert ok.exit_code == 0, ok.output
    assert "signed by" in ok.output, ok.output
    other = generate_private_key()
    (tmp_path / "other.pub").write_bytes(public_key_pem(other))
    assert run("validate", str(signed), "--key", str(tmp_path / "other.pub")).exit_code == 1
    no_key = run("validate", str(signed))
    assert no_key.exit_code == 2
    assert "give --key" in no_key.output
    assert run("validate", str(versions[1] / "findings.json"), "--key", str(tmp_path / "key.pub")).exit_code == 1


def test_unreadable_documents_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("not json")
    result = run("validate", str(tmp_path / "x.json"))
    assert result.exit_code == 2
    assert "x.json:1:" in result.output
    assert "not JSON" in result.output
    assert run("validate", str(tmp_path / "missing.json")).exit_code == 2
