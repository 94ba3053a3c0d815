"""Time: instants are read as instants and reported in UTC (or the manifest's time_zone); timestamps without a
zone are read as written; nothing depends on the machine's zone or locale.

Each expectation is the wall-clock time worked out by hand: 2024-03-31 20:00 UTC is 2024-04-01 04:00 in
Shanghai (UTC+8, no summer time) and 2024-03-31 13:00 in Los Angeles (UTC-7 in summer time).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.models.results import EvaluationResult
from aireport.pipeline import check_dataset
from tests.datasets import write_dataset

SOURCES = [{"source_id": "s", "name": "S", "eu_category": "licensed", "modality": "text"}]
ROOT = Path(__file__).resolve().parents[1]


def latest(result: EvaluationResult, source: str | None = None) -> object:
    measure = next(m for m in result.measures if m.measure_id == "latest_collection")
    return next(v.value for v in measure.values if v.source_id == source)


def run(tmp_path: Path, items: list[dict[str, object]], fmt: str, **manifest: object) -> EvaluationResult:
    path = write_dataset(tmp_path, SOURCES, items, fmt=fmt, instants=["collected_at"], **manifest)
    return check_dataset(path, ["eu-ai-act"], document_date="2026-01-01")


INSTANT = [{"item_id": "a", "source_id": "s", "collected_at": "2024-03-31 20:00:00+00"}]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [(None, "2024-03-31T20:00:00"), ("Asia/Shanghai", "2024-04-01T04:00:00"), ("America/Los_Angeles",
     "2024-03-31T13:00:00")],
)  # fmt: skip
def test_parquet_instants_are_reported_in_the_declared_zone(tmp_path: Path, zone: str | None, expected: str) -> None:
    extra = {"time_zone": zone} if zone else {}
    result = run(tmp_path, INSTANT, "parquet", **extra)
    assert latest(result) == expected
    assert result.time_zone == (zone or "UTC")


def test_naive_parquet_timestamps_are_read_as_written(tmp_path: Path) -> None:
    items = [{"item_id": "a", "source_id": "s", "collected_at": "2024-03-31 20:00:00"}]
    path = write_dataset(tmp_path, SOURCES, items, fmt="parquet", time_zone="Asia/Shanghai")  # stored naive
    result = check_dataset(path, ["eu-ai-act"], document_date="2026-01-01")
    assert latest(result) == "2024-03-31T20:00:00"


TEXT = [
    {"item_id": "a", "source_id": "s", "collected_at": "2024-03-31T23:30:00+08:00"},  # 15:30 UTC
    {"item_id": "b", "source_id": "s", "collected_at": "2024-03-31 16:00:00"},  # no zone: as written
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_offsets_are_instants_and_plain_values_as_written(tmp_path: Path, fmt: str) -> None:
    # UTC: a is 15:30, b is 16:00 as written -> the latest is b.
    assert latest(run(tmp_path / "utc", TEXT, fmt)) == "2024-03-31T16:00:00"
    # Shanghai: a is 23:30 local, b stays 16:00 -> the latest is a, in the same month.
    assert latest(run(tmp_path / "sh", TEXT, fmt, time_zone="Asia/Shanghai")) == "2024-03-31T23:30:00"


def test_unknown_zone_is_a_located_error(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, SOURCES, INSTANT, time_zone="Mars/Olympus")
    outcome = CliRunner().invoke(main, ["check", str(path), "--pack", "eu-ai-act", "-q"])
    assert outcome.exit_code == 2
    assert "time_zone" in outcome.stderr
    assert "unknown time zone 'Mars/Olympus'" in outcome.stderr


ENVIRONMENTS = [
    {"TZ": "UTC", "LC_ALL": "POSIX"},
    {"TZ": "Asia/Shanghai", "LC_ALL": "zh_CN.UTF-8"},  # installed or not (C is the fallback)
    {"TZ": "America/Los_Angeles", "LC_ALL": "de_DE.UTF-8"},
]


def _aireport(args: list[str], env: dict[str, str]) -> None:
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src"), "AIREPORT_NO_CACHE": "1"}
    full.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([sys.executable, "-m", "aireport", *args], check=False, env=full, capture_output=True)
    assert done.returncode in (0, 1), done.stderr.decode()  # 1: the example's planted findings


@pytest.mark.slow
def test_the_example_is_byte_identical_under_any_zone_and_locale(tmp_path: Path) -> None:
    """The example's collected_at are instants: under the old code the months moved with TZ."""
    example = tmp_path / "lumen"
    _aireport(["example", str(example), "--items", "2000"], ENVIRONMENTS[0])
    outputs: list[dict[str, bytes]] = []
    for index, env in enumerate(ENVIRONMENTS):
        out = tmp_path / f"out{index}"
        manifest = str(example / "manifest.yaml")
        _aireport(["check", manifest, "--pack", "eu-ai-act", "--pack", "cn-genai", "--date", "2026-01-01", "--format",
                   "json", "--out", str(out / "result.json"), "-q"], env)  # fmt: skip
        _aireport(["report", manifest, "--pack", "eu-ai-act", "--pack", "cn-genai", "--date", "2026-01-01",
                   "--document", "findings,eu-training-summary,eu-annex-xi-data", "--format", "json",
                   "--lang", "en", "--out", str(out), "-q"], env)  # fmt: skip
        if index in (0, 2):  # one PDF under two zones and locales: fonts and number formats too
            _aireport(["report", manifest, "--pack", "eu-ai-act", "--date", "2026-01-01", "--document",
                       "eu-training-summary", "--format", "pdf", "--lang", "en", "--out", str(out / "pdf"), "-q"],
                      env)  # fmt: skip
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    first = outputs[0]
    assert len(first) >= 4
    for index, other in enumerate(outputs[1:], 1):
        assert set(other) <= set(first), ENVIRONMENTS[index]
        assert {k: v for k, v in first.items() if k in other} == other, ENVIRONMENTS[index]
    assert b'"latest"' in first["eu-training-summary.json"]  # the month that moved with TZ before


def test_a_timestamp_without_a_timestamp_type_is_a_counted_warning(tmp_path: Path) -> None:
    """collected_at stored as text in Parquet: left out as if absent (its measures are missing evidence), counted
    and located; --strict stops the run."""
    target = tmp_path / "items.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM (VALUES ('a', 's', '2024-03-31'), ('b', 's', 'yesterday')) "
        f"t(item_id, source_id, collected_at)) TO '{target}' (FORMAT parquet)"
    )
    manifest = write_dataset(tmp_path, SOURCES, [])
    manifest.write_text(manifest.read_text().replace("items.csv", "items.parquet"), encoding="utf-8")
    result = check_dataset(manifest, ["eu-ai-act"], document_date="2026-01-01")
    assert [(w.kind, w.file, w.column, w.value, w.rows) for w in result.warnings] == [
        ("timestamp", "items.parquet", "collected_at", "column type VARCHAR", 2)
    ]
    latest_measure = next(m for m in result.measures if m.measure_id == "latest_collection")
    assert latest_measure.missing_fields == ["collected_at"]
    strict = CliRunner().invoke(main, ["check", str(manifest), "--pack", "eu-ai-act", "--strict", "-q"])
    assert strict.exit_code == 2
    assert "items.parquet: collected_at: not a timestamp type" in strict.stderr
