"""Every input format reads to the same result; a wrongly typed or corrupt file is a located error."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from aireport.engine.config import EngineConfig
from aireport.errors import InputError
from aireport.models.results import EvaluationResult
from aireport.pipeline import check_dataset
from tests.conftest import TINY_PACK

INVENTORY = pd.DataFrame(
    {
        "source_id": ["web", "books", "cc"],
        "name": ["Tiny crawl", "Licensed books", "CC corpus"],
        "eu_category": ["crawled", "licensed", "public_dataset"],
        "cn_acquisition": ["self_collected", "commercial", "open_source"],
        "modality": ["text", "text", "image"],
        "license": [None, "LicenseRef-Tiny-Books", "CC-BY-NC-4.0"],
        "agreement": [None, "contract-2025-01", None],
        "crawler_name": ["TinyBot", None, None],
        "safety_sample_size": [200, 100, None],
        "safety_sample_flagged": [10, 6, None],
    }
)


def counts(result: EvaluationResult) -> dict[str, tuple[int, int, int]]:
    return {r.rule_id: (r.counts.applicable, r.counts.failed, r.counts.unknown) for r in result.rules}


def run(manifest: Path) -> EvaluationResult:
    return check_dataset(manifest, [TINY_PACK], EngineConfig(), "2026-01-01")


def with_inventory(tiny: Path, filename: str) -> Path:
    text = tiny.read_text()
    head, _, rest = text.partition("sources:\n")
    tail = rest[rest.index("items:") :]
    tiny.write_text(head + f"sources: {filename}\n" + tail)
    return tiny


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_inventory_formats_agree_with_inline_sources(tiny: Path, suffix: str) -> None:
    expected = counts(run(tiny))
    path = tiny.parent / f"sources{suffix}"
    if suffix == ".csv":
        INVENTORY.to_csv(path, index=False)
    elif suffix == ".xlsx":
        INVENTORY.to_excel(path, index=False)
    else:
        INVENTORY.to_parquet(path, index=False)
    result = run(with_inventory(tiny, path.name))
    assert counts(result) == expected
    assert any(f.role == "sources" and f.path == path.name for f in result.inputs)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_item_formats_agree_with_csv(tiny: Path, fmt: str) -> None:
    expected = counts(run(tiny))
    csv = tiny.parent / "items.csv"
    target = tiny.parent / f"items.{fmt}"
    con = duckdb.connect()
    relation = f"read_csv('{csv}', header = true)"
    if fmt == "parquet":
        con.execute(f"COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet)")
    else:
        rows = con.execute(f"SELECT * FROM {relation}").df().to_dict(orient="records")
        target.write_text(
            "".join(
                json.dumps({k: (None if pd.isna(v) else str(v) if k == "collected_at" else v) for k, v in r.items()})
                + "\n"
                for r in rows
            )
        )
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", f"items: [items.{fmt}]"))
    assert counts(run(tiny)) == expected


def test_parquet_column_of_the_wrong_type(tiny: Path) -> None:
    target = tiny.parent / "items.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT item_id, source_id, CAST(robots_allowed AS VARCHAR) AS robots_allowed "
        f"FROM read_csv('{tiny.parent / 'items.csv'}', header = true)) TO '{target}' (FORMAT parquet)"
    )
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [items.parquet]"))
    with pytest.raises(InputError) as err:
        run(tiny)
    assert str(err.value.problems[0]) == (
        "items.parquet: robots_allowed: column has type VARCHAR; the contract needs BOOLEAN"
    )


def test_corrupt_parquet_file(tiny: Path) -> None:
    (tiny.parent / "items.parquet").write_bytes(b"PAR1 this is not a parquet file")
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [items.parquet]"))
    with pytest.raises(InputError) as err:
        run(tiny)
    assert str(err.value.problems[0]).startswith("items.parquet: cannot read parquet:")


def test_required_column_missing(tiny: Path) -> None:
    csv = tiny.parent / "items.csv"
    lines = csv.read_text().splitlines()
    csv.write_text("\n".join(",".join(line.split(",")[:1] + line.split(",")[2:]) for line in lines) + "\n")
    with pytest.raises(InputError) as err:
        run(tiny)
    assert str(err.value.problems[0]) == "items.csv:1: source_id: required column is missing"


def test_column_missing_from_one_file_of_many(tiny: Path) -> None:
    csv = tiny.parent / "items.csv"
    con = duckdb.connect()
    web = tiny.parent / "a.parquet"
    con.execute(f"COPY (SELECT * FROM read_csv('{csv}', header = true) WHERE source_id = 'web') TO '{web}'")
    con.execute(
        f"COPY (SELECT * EXCLUDE (robots_allowed) FROM read_csv('{csv}', header = true) WHERE source_id <> 'web') "
        f"TO '{tiny.parent / 'b.parquet'}'"
    )
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [{glob: '*.parquet'}]"))
    with pytest.raises(InputError) as err:
        run(tiny)
    assert [str(p) for p in err.value.problems] == [
        "b.parquet: robots_allowed: column is missing here but present in a.parquet; every file needs the same columns"
    ]


def test_hive_partitioned_dataset(tiny: Path) -> None:
    expected = counts(run(tiny))
    folder = tiny.parent / "hive"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{tiny.parent / 'items.csv'}', header = true)) TO '{folder}' "
        "(FORMAT parquet, PARTITION_BY (source_id))"
    )
    assert not (pq_files := sorted(folder.rglob("*.parquet")))[0].name.startswith("source_id")
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [{path: hive/, hive: true}]"))
    result = run(tiny)
    assert counts(result) == expected
    assert {f.path for f in result.inputs if f.role == "items"} == {
        p.relative_to(tiny.parent).as_posix() for p in pq_files
    }
