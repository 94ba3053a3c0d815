"""`aireport check --failing-items DIR`: every failing and every not-evaluable item per item rule, written in the
same scan as the counts, sorted, reproducible, and only when the run succeeds.

The tiny fixture's ids are worked out by hand in tests/test_engine.py; the Lumen ids come from the generator's
documented formulas (examples/lumen/PLANTED.md), recomputed here in plain Python.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from aireport.cli import main
from aireport.engine.config import EngineConfig
from aireport.example import write_example
from aireport.models.results import EvaluationResult
from aireport.pipeline import RunRequest, run
from tests.conftest import TINY_PACK
from tests.datasets import write_dataset


def listed(folder: Path) -> list[tuple[str, str, str, str]]:
    rows = duckdb.connect().execute(f"SELECT * FROM read_parquet('{folder / 'failing-items.parquet'}')").fetchall()
    return [tuple(str(v) for v in row) for row in rows]  # type: ignore[misc]


def checked(manifest: Path, packs: tuple[str, ...], out: Path) -> EvaluationResult:
    request = RunRequest(manifest=manifest, packs=packs, document_date="2026-01-01", failing_items=out)
    return run(request).result


def test_every_failing_and_unknown_item_of_the_tiny_fixture(tiny: Path, tmp_path: Path) -> None:
    result = checked(tiny, (TINY_PACK,), tmp_path / "out")
    rows = listed(tmp_path / "out")
    by_rule: dict[str, list[tuple[str, str, str]]] = {}
    for rule_id, outcome, source_id, item_id in rows:
        by_rule.setdefault(rule_id, []).append((outcome, source_id, item_id))
    # T-ROBOTS: w2 disallowed, w3 not checked. T-COMMERCIAL: b2 and c2 non-commercial, c3 an undeclared licence.
    assert by_rule["T-ROBOTS"] == [("fail", "web", "w2"), ("not_evaluable", "web", "w3")]
    assert by_rule["T-COMMERCIAL"] == [("fail", "books", "b2"), ("fail", "cc", "c2"), ("not_evaluable", "cc", "c3")]
    # T-SAFETY: c2 and w3 flagged (b2 has no label: the rule does not apply to it).
    assert by_rule["T-SAFETY"] == [("fail", "cc", "c2"), ("fail", "web", "w3")]
    # One row per failed or unknown item of every item rule, as the result counts them, sorted.
    item_rules = [r for r in result.rules if r.scope.value == "item" and not r.missing_fields]
    assert len(rows) == sum(r.counts.failed + r.counts.unknown for r in item_rules)
    assert rows == sorted(rows)
    assert result.failing_items is not None
    assert (result.failing_items.file, result.failing_items.rows) == ("failing-items.parquet", len(rows))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["failing-items.parquet"]


def crawl(i: int) -> bool:
    return 55 <= i % 100 < 80


N = 3_000


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example(tmp_path_factory.mktemp("lumen"), N, files=3)


def test_every_robots_failure_of_the_example_is_listed(lumen: Path, tmp_path: Path) -> None:
    result = checked(lumen, ("eu-ai-act",), tmp_path / "a")
    rows = listed(tmp_path / "a")
    robots = [(outcome, item) for rule_id, outcome, _, item in rows if rule_id == "EU-CR-02"]
    disallowed = [f"img-{i:09d}" for i in range(N) if crawl(i) and i % 211 != 19 and i % 331 == 7]
    unchecked = [f"img-{i:09d}" for i in range(N) if crawl(i) and i % 211 == 19]
    assert robots == [("fail", i) for i in disallowed] + [("not_evaluable", i) for i in unchecked]
    nc = [f"img-{i:09d}" for i in range(N) if 80 <= i % 100 < 90 and i % 53 == 31]
    assert [item for rule_id, _, _, item in rows if rule_id == "EU-CR-LIC"] == nc
    # The result's own evidence is the first ten of the same list.
    evidence = next(r.evidence for r in result.rules if r.rule_id == "EU-CR-02")
    assert evidence == sorted(disallowed)[:10]


def test_the_file_is_byte_identical_across_runs_and_thread_counts(lumen: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    checked(lumen, ("eu-ai-act", "cn-genai"), first)
    request = RunRequest(
        manifest=lumen,
        packs=("eu-ai-act", "cn-genai"),
        document_date="2026-01-01",
        failing_items=second,
        engine=EngineConfig(threads=1),
    )
    run(request)
    digests = [hashlib.sha256((d / "failing-items.parquet").read_bytes()).hexdigest() for d in (first, second)]
    assert digests[0] == digests[1]


def test_nothing_is_written_when_the_run_stops(tmp_path: Path) -> None:
    sources = [{"source_id": "s", "name": "S", "eu_category": "licensed", "modality": "text"}]
    items = [{"item_id": "a", "source_id": "s", "license": "MIT/GPL"}]
    manifest = write_dataset(tmp_path / "data", sources, items)
    out = tmp_path / "out"
    args = ["check", str(manifest), "--pack", "eu-ai-act", "--failing-items", str(out), "-q"]
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 2
    assert not out.exists()  # neither the file, nor its staging parts, nor the folder it created
    loose = CliRunner().invoke(main, args)
    assert loose.exit_code == 1
    assert [(r[0], r[1], r[3]) for r in listed(out) if r[0] == "EU-CR-LIC"] == [("EU-CR-LIC", "not_evaluable", "a")]


def test_spark_is_refused_before_any_scan(tiny: Path, tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        main, ["check", str(tiny), "--pack", TINY_PACK, "--engine", "spark", "--failing-items", str(tmp_path), "-q"]
    )
    assert outcome.exit_code == 2
    assert "--failing-items: is written by the DuckDB engine only" in outcome.stderr
