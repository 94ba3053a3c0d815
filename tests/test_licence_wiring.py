"""Licences as the engine reads them from real inventories: the source's licence stands in when the item
manifests have no licence column (EU-CR-LIC, CN-IM07-2), and a value that does not parse is a located, counted
warning (an error with --strict), never a silent missing evidence.

Expectations are worked out by hand from the rows each test writes and the licence table's terms.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.models.results import EvaluationResult, Outcome, RuleResult
from aireport.pipeline import check_dataset
from tests.datasets import write_dataset

SOURCES = [
    {"source_id": "nc", "name": "NC images", "eu_category": "licensed", "cn_acquisition": "commercial",
     "modality": "image", "license": "CC-BY-NC-4.0"},
    {"source_id": "by", "name": "BY images", "eu_category": "public_dataset", "cn_acquisition": "open_source",
     "modality": "image", "license": "CC BY 4.0"},
    {"source_id": "none", "name": "No licence", "eu_category": "licensed", "cn_acquisition": "commercial",
     "modality": "image"},
]  # fmt: skip


def rule(result: EvaluationResult, rule_id: str) -> RuleResult:
    return next(r for r in result.rules if r.rule_id == rule_id)


def test_source_licence_stands_in_when_the_item_column_is_absent(tmp_path: Path) -> None:
    items = [{"item_id": f"{sid}{n}", "source_id": sid} for sid in ("nc", "by", "none") for n in (1, 2)]
    manifest = write_dataset(tmp_path, SOURCES, items)
    result = check_dataset(manifest, ["eu-ai-act", "cn-genai"], document_date="2026-01-01")
    for rule_id in ("EU-CR-LIC", "CN-IM07-2"):
        r = rule(result, rule_id)
        # nc: CC-BY-NC-4.0 forbids commercial use -> 2 fail; by: "CC BY 4.0" permits both -> 2 pass;
        # none: no licence anywhere -> 2 unknown. Evaluated, not "not evaluable".
        assert r.missing_fields == []
        assert (r.counts.applicable, r.counts.passed, r.counts.failed, r.counts.unknown) == (6, 2, 2, 2), rule_id
        assert (r.outcome, r.evidence) == (Outcome.FAIL, ["nc1", "nc2"])
        assert {s.source_id: s.counts.failed for s in r.per_source} == {"by": 0, "nc": 2, "none": 0}


def test_an_item_licence_column_still_decides_where_filled(tmp_path: Path) -> None:
    items = [
        {"item_id": "a", "source_id": "nc", "license": "MIT"},  # the item's own licence: pass
        {"item_id": "b", "source_id": "nc", "license": None},  # empty: CC-BY-NC-4.0 stands in, fail
        {"item_id": "c", "source_id": "by", "license": "CC-BY-NC-4.0 OR NOASSERTION"},  # NC decides: fail
    ]
    result = check_dataset(write_dataset(tmp_path, SOURCES, items), ["eu-ai-act"], document_date="2026-01-01")
    r = rule(result, "EU-CR-LIC")
    assert (r.counts.passed, r.counts.failed, r.evidence) == (1, 2, ["b", "c"])


BAD_ITEMS = [
    {"item_id": "i1", "source_id": "by", "license": "MIT"},
    {"item_id": "i2", "source_id": "by", "license": "MIT/GPL"},
    {"item_id": "i3", "source_id": "by", "license": "Apache License 2.0"},  # an alias: reads
    {"item_id": "i4", "source_id": "by", "license": "MIT/GPL"},
    {"item_id": "i5", "source_id": "nc", "license": "Some Custom Licence"},
    {"item_id": "i6", "source_id": "nc", "license": "NOASSERTION"},  # parses, terms unknown: not bad input
]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_unreadable_item_licences_are_located_and_counted(tmp_path: Path, fmt: str) -> None:
    result = check_dataset(
        write_dataset(tmp_path, SOURCES, BAD_ITEMS, fmt=fmt), ["eu-ai-act"], document_date="2026-01-01"
    )
    found = {(w.value, w.file, w.row, w.column, w.rows) for w in result.warnings}
    assert found == {
        ("MIT/GPL", f"items.{fmt}", 2, "license", 2),  # first at data row 2, also row 4
        ("Some Custom Licence", f"items.{fmt}", 5, "license", 1),
    }
    # The rows stay missing evidence for the licence rule: i2, i4 and i5 unknown... except that i5's source
    # licence does not stand in for a filled item value: unknown too. i6 NOASSERTION: unknown.
    r = rule(result, "EU-CR-LIC")
    assert (r.counts.passed, r.counts.failed, r.counts.unknown) == (2, 0, 4)


def test_unreadable_source_licences_are_located_in_the_manifest(tmp_path: Path) -> None:
    sources = [dict(SOURCES[0], license="CC-BY-NC-4.0/MIT"), *SOURCES[1:]]
    manifest = write_dataset(tmp_path, sources, [{"item_id": "x", "source_id": "by"}])
    lines = manifest.read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, text in enumerate(lines, 1) if "license: CC-BY-NC-4.0/MIT" in text)
    result = check_dataset(manifest, ["eu-ai-act"], document_date="2026-01-01")
    assert [(w.file, w.line, w.value, w.rows) for w in result.warnings] == [
        ("manifest.yaml", expected_line, "CC-BY-NC-4.0/MIT", 1)
    ]
    assert "source nc" in result.warnings[0].reason


def test_unreadable_inventory_licences_are_located_in_the_inventory_file(tmp_path: Path) -> None:
    inventory = tmp_path / "sources.csv"
    inventory.write_text(
        "source_id,name,eu_category,modality,license\n"
        "a,A,licensed,image,CC-BY-4.0\n"
        "b,B,licensed,image,GPL-2.0 OR\n"
        "c,C,licensed,image,GPL-2.0 OR\n",
        encoding="utf-8",
    )
    manifest = write_dataset(tmp_path, [], [{"item_id": "x", "source_id": "a"}])
    text = manifest.read_text(encoding="utf-8").replace("sources: []", "sources: sources.csv")
    manifest.write_text(text, encoding="utf-8")
    result = check_dataset(manifest, ["eu-ai-act"], document_date="2026-01-01")
    assert [(w.file, w.line, w.value, w.rows) for w in result.warnings] == [("sources.csv", 3, "GPL-2.0 OR", 2)]


def test_warning_by_default_error_with_strict(tmp_path: Path) -> None:
    manifest = write_dataset(tmp_path, SOURCES, BAD_ITEMS)
    out = tmp_path / "result.json"
    runner = CliRunner()
    loose = runner.invoke(main, ["check", str(manifest), "--pack", "eu-ai-act", "--date", "2026-01-01", "--format",
                                 "json", "--out", str(out), "-q"])  # fmt: skip
    assert loose.exit_code == 1  # findings, not bad input
    assert "warning: input values that could not be read: 2 (3 rows)" in loose.stderr
    assert "items.csv: row 2: license:" in loose.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["warnings"]) == 2
    out.unlink()
    strict = runner.invoke(main, ["check", str(manifest), "--pack", "eu-ai-act", "--date", "2026-01-01", "--strict",
                                  "--out", str(out), "-q"])  # fmt: skip
    assert strict.exit_code == 2
    assert "items.csv: row 2: license:" in strict.stderr
    assert "'MIT/GPL' in 2 rows" in strict.stderr
    assert "Traceback" not in strict.stderr
    assert not out.exists()  # nothing written
