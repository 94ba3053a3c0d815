"""The command line as a user meets it: exit codes, output files, and bad input (exit 2, no traceback)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aireport.cli import main
from aireport.cli.common import short_count
from tests.conftest import FIXTURES, TINY_PACK


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_rule_pack(tmp_path: Path, rule_id: str) -> str:
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(FIXTURES / "packs" / "tiny" / "pack.yaml", pack)
    shutil.copy(FIXTURES / "packs" / "tiny" / f"{rule_id}.yaml", pack)
    return str(pack)


def assert_bad_input(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


# --- exit codes ------------------------------------------------------------------------------


def test_findings_exit_1_and_json_is_written(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run("check", str(tiny), "--pack", TINY_PACK, "--out", str(out), "--date", "2026-01-01")
    assert result.exit_code == 1
    assert json.loads(out.read_text())["verdict"]["by_outcome"]["fail"] == 6


def test_fail_on_ignores_lower_severities(tiny: Path, tmp_path: Path) -> None:
    pack = one_rule_pack(tmp_path, "T-COMMERCIAL")  # a failing warning
    assert run("check", str(tiny), "--pack", pack, "--fail-on", "error").exit_code == 0
    assert run("check", str(tiny), "--pack", pack, "--fail-on", "warning").exit_code == 1


def test_missing_evidence_gates_only_with_strict(tiny: Path, tmp_path: Path) -> None:
    pack = one_rule_pack(tmp_path, "T-LANG")  # not evaluable, severity info
    assert run("check", str(tiny), "--pack", pack, "--fail-on", "info").exit_code == 0
    assert run("check", str(tiny), "--pack", pack, "--fail-on", "info", "--strict").exit_code == 1


def test_json_is_deterministic(tiny: Path) -> None:
    first = run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01")
    second = run("check", str(tiny), "--pack", TINY_PACK, "--format", "json", "--date", "2026-01-01")
    assert first.stdout_bytes == second.stdout_bytes
    assert json.loads(first.stdout)["document_date"] == "2026-01-01"


def test_source_date_epoch_fixes_the_date(tiny: Path) -> None:
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1767225600"}).invoke(
        main, ["check", str(tiny), "--pack", TINY_PACK, "--format", "json"]
    )
    assert json.loads(result.stdout)["document_date"] == "2026-01-01"


def test_unknown_pack_is_usage_error(tiny: Path) -> None:
    assert_bad_input(
        run("check", str(tiny), "--pack", "no-such-pack"), "built-in packs: clearance, cn-genai, eu-ai-act"
    )


# --- bad input: one test per shape -------------------------------------------------------------


def test_malformed_yaml_names_the_line(tiny: Path, tmp_path: Path) -> None:
    tiny.write_text(tiny.read_text().replace("dataset: tiny-corpus", "dataset: [tiny-corpus"))
    out = tmp_path / "r.json"
    assert_bad_input(
        run("check", str(tiny), "--pack", TINY_PACK, "--out", str(out)),
        "malformed YAML",
        "manifest.yaml:",
    )
    assert not out.exists()  # nothing half-written


def test_wrong_type_names_field_and_value(tiny: Path) -> None:
    tiny.write_text(tiny.read_text().replace("established_in_eu: true", "established_in_eu: perhaps"))
    assert_bad_input(
        run("check", str(tiny), "--pack", TINY_PACK),
        "manifest.yaml:6: provider.established_in_eu:",
        "'perhaps'",
    )


def test_unknown_manifest_field(tiny: Path) -> None:
    tiny.write_text(
        tiny.read_text().replace("  contact: legal@tiny.example", "  contact: legal@tiny.example\n  fax: 123")
    )
    assert_bad_input(run("check", str(tiny), "--pack", TINY_PACK), "manifest.yaml:6: provider.fax: unknown field")


def test_missing_manifest(tmp_path: Path) -> None:
    assert_bad_input(run("check", str(tmp_path / "nope.yaml"), "--pack", TINY_PACK), "nope.yaml: file not found")


def test_missing_item_file(tiny: Path) -> None:
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [gone.parquet]"))
    assert_bad_input(run("check", str(tiny), "--pack", TINY_PACK), "gone.parquet: items: no such file or folder")


def test_unknown_operator_names_rule_file_and_line(tiny: Path, tmp_path: Path) -> None:
    pack = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    rule = pack / "T-ROBOTS.yaml"
    rule.write_text(rule.read_text().replace("{is_true: robots_allowed}", "{is_truthy: robots_allowed}"))
    assert_bad_input(
        run("check", str(tiny), "--pack", str(pack)),
        "T-ROBOTS.yaml:7: condition:",
        "unknown operator 'is_truthy'",
    )


def test_unknown_field_in_rule(tiny: Path, tmp_path: Path) -> None:
    pack = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    rule = pack / "T-ROBOTS.yaml"
    rule.write_text(rule.read_text().replace("{is_true: robots_allowed}", "{is_true: robots_ok}"))
    assert_bad_input(
        run("check", str(tiny), "--pack", str(pack)),
        "T-ROBOTS.yaml:7:",
        "unknown field 'robots_ok' for scope item",
    )


def test_unknown_measure_field_in_pack_manifest_is_located(tiny: Path, tmp_path: Path) -> None:
    # Clean files are read without line marks; a file with a problem is read again with them.
    pack = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    manifest = pack / "pack.yaml"
    manifest.write_text(manifest.read_text().replace("by: modality", "by: modalty"))
    assert_bad_input(run("check", str(tiny), "--pack", str(pack)), "pack.yaml:14: by:", "unknown field 'modalty'")


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (("severity: blocker", "severity: !!python/name:os.system blocker"), ("T-ROBOTS.yaml:4:", "is not allowed")),
        (("severity: blocker", "severity: blocker\nseverity: info"), ("T-ROBOTS.yaml:", "duplicate key")),
    ],
)
def test_yaml_the_fast_loader_rejects_is_located(
    tiny: Path, tmp_path: Path, edit: tuple[str, str], fragments: tuple[str, ...]
) -> None:
    pack = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    rule = pack / "T-ROBOTS.yaml"
    rule.write_text(rule.read_text().replace(*edit))
    assert_bad_input(run("check", str(tiny), "--pack", str(pack)), *fragments)


def test_operator_on_wrong_type(tiny: Path, tmp_path: Path) -> None:
    pack = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    rule = pack / "T-ROBOTS.yaml"
    rule.write_text(rule.read_text().replace("{is_true: robots_allowed}", "{field: robots_allowed, gt: 3}"))
    assert_bad_input(
        run("check", str(tiny), "--pack", str(pack)),
        "operator gt does not apply to robots_allowed (BOOLEAN)",
    )


def test_duplicate_rule_id_across_packs(tiny: Path, tmp_path: Path) -> None:
    first = Path(one_rule_pack(tmp_path, "T-ROBOTS"))
    second = tmp_path / "second"
    shutil.copytree(first, second)
    (second / "pack.yaml").write_text((second / "pack.yaml").read_text().replace("id: tiny", "id: tiny-two"))
    assert_bad_input(
        run("check", str(tiny), "--pack", str(first), "--pack", str(second)),
        "rule id 'T-ROBOTS' is also defined by pack 'tiny'",
    )


def test_csv_row_that_does_not_parse(tiny: Path, tmp_path: Path) -> None:
    items = tiny.parent / "items.csv"
    items.write_text(items.read_text().replace("w2,web,text,200,", "w2,web,text,two hundred,"))
    out = tmp_path / "r.json"
    assert_bad_input(
        run("check", str(tiny), "--pack", TINY_PACK, "--out", str(out)),
        "items.csv:3: size_bytes: row does not parse",
    )
    assert not out.exists()
    # Allowed explicitly, the rejection is counted, never dropped silently.
    result = run("check", str(tiny), "--pack", TINY_PACK, "--max-rejected-rows", "1", "--format", "json")
    rows = json.loads(result.stdout)["rows"]
    assert (rows["read"], rows["evaluated"], rows["rejected"]) == (10, 9, 1)


def test_value_outside_enumeration(tiny: Path) -> None:
    items = tiny.parent / "items.csv"
    items.write_text(items.read_text().replace("c1,cc,image", "c1,cc,picture"))
    assert_bad_input(
        run("check", str(tiny), "--pack", TINY_PACK),
        "items.csv:9: modality: value 'picture' is not allowed; allowed: text, image, audio, video, code, other",
    )


def test_item_of_unknown_source(tiny: Path) -> None:
    items = tiny.parent / "items.csv"
    items.write_text(items.read_text().replace("c3,cc,", "c3,ccc,"))
    assert_bad_input(
        run("check", str(tiny), "--pack", TINY_PACK),
        "items.csv:11: source_id: source 'ccc' is not in the source inventory",
        "1 items name source 'ccc'",
    )


def test_bad_inventory_row(tmp_path: Path) -> None:
    folder = tmp_path / "inv"
    shutil.copytree(FIXTURES / "tiny", folder)
    (folder / "sources.csv").write_text(
        "source_id,name,eu_category,modality,personal_data\n"
        "web,Web,crawled,text,false\n"
        "books,Books,borrowed,text,maybe\n"
    )
    manifest = folder / "manifest.yaml"
    text = manifest.read_text()
    head, _, _ = text.partition("sources:\n")
    manifest.write_text(head + "sources: sources.csv\nitems: []\n")
    result = run("check", str(manifest), "--pack", TINY_PACK)
    assert_bad_input(result, "sources.csv:3: personal_data: expected true or false, found 'maybe'")


@pytest.mark.parametrize("command", [["fields"], ["rules"], ["--version"]])
def test_informational_commands(command: list[str]) -> None:
    assert run(*command).exit_code == 0


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0"), (9_999, "9,999"), (10_000, "10k"), (510_403.7, "510k"), (999_499, "999k"), (999_999, "1.0M"),
     (1_000_000, "1.0M"), (7_760_430, "7.8M"), (10_000_000, "10M"), (700_000_000, "700M"), (1_200_000_000, "1.2B")],
)  # fmt: skip
def test_progress_counts_are_short(n: float, text: str) -> None:
    assert short_count(n) == text
