"""Invariants of the engine over generated item manifests (hypothesis).

The oracle for counts is plain Python over the generated rows; the engine reads them from Parquet.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aireport.engine.config import EngineConfig
from aireport.models.results import EvaluationResult
from aireport.pipeline import check_dataset
from tests.conftest import FIXTURES, TINY_PACK

SOURCES = ["web", "books", "cc"]
LICENCES = [None, "CC-BY-4.0", "CC-BY-NC-4.0", "MIT", "LicenseRef-Tiny-Books", "LicenseRef-Unknown", "MIT AND ("]

row = st.fixed_dictionaries(
    {
        "source_id": st.sampled_from(SOURCES),
        "robots_allowed": st.sampled_from([True, False, None]),
        "license": st.sampled_from(LICENCES),
        "safety_label": st.sampled_from(["pass", "flagged", None]),
        "size_bytes": st.integers(0, 10_000),
        "modality": st.sampled_from(["text", "image"]),
    }
)
rows_strategy = st.lists(row, min_size=1, max_size=60)
SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("source_id", pa.string()),
        ("robots_allowed", pa.bool_()),
        ("license", pa.string()),
        ("safety_label", pa.string()),
        ("size_bytes", pa.int64()),
        ("modality", pa.string()),
    ]
)


def make_dataset(folder: Path, rows: list[dict[str, Any]], files: int = 1, extra_column: bool = False) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "items").mkdir(parents=True)
    manifest = (FIXTURES / "tiny" / "manifest.yaml").read_text().replace("items: [items.csv]", "items: [items/]")
    (folder / "manifest.yaml").write_text(manifest)
    records = [{"item_id": f"it-{n:05d}", **r} for n, r in enumerate(rows)]
    chunk = -(-len(records) // files)
    for part in range(files):
        table = pa.Table.from_pylist(records[part * chunk : (part + 1) * chunk], schema=SCHEMA)
        if extra_column:
            table = table.append_column("curator_notes", pa.array(["x"] * table.num_rows))
        pq.write_table(table, folder / "items" / f"part-{part}.parquet")
    return folder / "manifest.yaml"


def evaluate(manifest: Path) -> EvaluationResult:
    return check_dataset(manifest, [TINY_PACK], EngineConfig(threads=1), "2026-01-01")


def outcomes(result: EvaluationResult) -> dict[str, Any]:
    """Everything but what names a place in the files: the input digests, and where a warning's value first
    occurs (both differ by construction between layouts; the value, its reason and its count do not)."""
    data = result.model_dump(mode="json")
    data.pop("inputs")
    for warning in data["warnings"]:
        for where in ("file", "line", "row"):
            warning.pop(where)
    return data


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(rows=rows_strategy, seed=st.randoms(use_true_random=False))
def test_order_and_file_split_never_change_the_result(tmp_path: Path, rows: list[dict[str, Any]], seed: Any) -> None:
    base = outcomes(evaluate(make_dataset(tmp_path / "a", rows)))
    indexed = list(enumerate(rows))
    seed.shuffle(indexed)
    # Shuffling keeps each row's item_id (its position in the original list) so evidence ids match.
    shuffled = [dict(r, _n=n) for n, r in indexed]
    folder = tmp_path / "b"
    make_dataset(folder, [{k: v for k, v in r.items() if k != "_n"} for r in shuffled], files=3)
    for part in (folder / "items").glob("*.parquet"):
        table = pq.read_table(part)
        offset = int(part.stem.split("-")[1]) * -(-len(shuffled) // 3)
        ids = [f"it-{shuffled[offset + k]['_n']:05d}" for k in range(table.num_rows)]
        pq.write_table(table.set_column(0, "item_id", pa.array(ids, pa.string())), part)
    assert outcomes(evaluate(folder / "manifest.yaml")) == base


@SETTINGS
@given(rows=rows_strategy)
def test_unrelated_columns_never_change_outcomes(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    plain = outcomes(evaluate(make_dataset(tmp_path / "a", rows)))
    extra = outcomes(evaluate(make_dataset(tmp_path / "b", rows, extra_column=True)))
    assert extra == plain


@SETTINGS
@given(rows=rows_strategy)
def test_counts_match_a_python_oracle(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    result = evaluate(make_dataset(tmp_path / "a", rows))
    robots = next(r for r in result.rules if r.rule_id == "T-ROBOTS")
    crawled = [r for r in rows if r["source_id"] == "web"]
    assert robots.counts.applicable == len(crawled)
    assert robots.counts.failed == sum(1 for r in crawled if r["robots_allowed"] is False)
    assert robots.counts.unknown == sum(1 for r in crawled if r["robots_allowed"] is None)
    safety = next(r for r in result.rules if r.rule_id == "T-SAFETY")
    assert safety.counts.failed == sum(1 for r in rows if r["safety_label"] == "flagged")
    assert result.rows.read == result.rows.evaluated == len(rows)
    total = next(m for m in result.measures if m.measure_id == "items")
    assert next(v.value for v in total.values if v.source_id is None) == len(rows)
