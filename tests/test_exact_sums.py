"""A sum of a floating-point column (durations) is the same number whatever order its values are added in:
any thread count, any split into files, with or without the cache, and on Spark. Floating-point addition is not
associative, so the engine adds exact decimals (nine places) and reports the nearest float of their sum.

The expected figures are computed here with :class:`decimal.Decimal` from the values as written: tenths and
thousandths, whose nine-place decimals are exact whatever the rounding of the cast.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aireport.engine.config import EngineConfig
from aireport.errors import InputError
from aireport.pipeline import RunRequest, result_json, run
from tests.conftest import TINY_PACK
from tests.test_incremental import SCHEMA, write_manifest

ITEMS = 6000
FILES = 4


def duration(i: int) -> str:
    """Item ``i``'s duration as written: a float sum of these is off in the last places in most orders."""
    return f"{i % 997 / 10 + i % 13 / 1000:.3f}"


def write(root: Path, order: list[int]) -> Path:
    """The items in ``order``, cut into FILES files of several row groups each."""
    per_file = len(order) // FILES
    for index in range(FILES):
        ids = order[index * per_file : (index + 1) * per_file]
        rows = [
            {"item_id": f"it-{i:05d}", "source_id": ("web", "books")[i % 2], "modality": ("audio", "video")[i % 3 % 2],
             "duration_seconds": float(duration(i)), "size_bytes": i}
            for i in ids
        ]  # fmt: skip
        path = root / "items" / f"part-{index}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=pa.schema([f for f in SCHEMA if f.name in rows[0]]))
        pq.write_table(table, path, row_group_size=300)
    return write_manifest(
        root,
        [{"source_id": "web", "name": "Crawl", "eu_category": "crawled", "modality": "audio", "crawler_name": "Bot"},
         {"source_id": "books", "name": "Books", "eu_category": "licensed", "modality": "video", "agreement": "c-1"}],
    )  # fmt: skip


def durations(result: bytes) -> dict[tuple[str | None, str | None], Any]:
    document = json.loads(result)
    (measure,) = [m for m in document["measures"] if m["measure_id"] == "duration_by_modality"]
    return {(v["source_id"], v["group"]): v["value"] for v in measure["values"]}


def expected() -> dict[tuple[str | None, str | None], float]:
    sums: dict[tuple[str | None, str | None], Decimal] = {}
    for i in range(ITEMS):
        source, modality = ("web", "books")[i % 2], ("audio", "video")[i % 3 % 2]
        for key in ((source, modality), (None, modality)):
            sums[key] = sums.get(key, Decimal(0)) + Decimal(duration(i))
    return {key: float(total) for key, total in sums.items()}


def evaluate(manifest: Path, threads: int, cache: Path | None = None) -> bytes:
    request = RunRequest(
        manifest=manifest, packs=("eu-ai-act",), document_date="2025-10-01", cache=cache,
        engine=EngineConfig(threads=threads),
    )  # fmt: skip
    return result_json(run(request).result)


def test_a_duration_sum_is_exact_in_any_order(tmp_path: Path) -> None:
    forward = write(tmp_path / "forward", list(range(ITEMS)))
    result = evaluate(forward, threads=1)
    assert durations(result) == expected()
    assert evaluate(forward, threads=2) == result
    backward = write(tmp_path / "backward", list(reversed(range(ITEMS))))
    first = evaluate(backward, threads=2)
    assert durations(first) == expected()
    cached = evaluate(backward, threads=2, cache=tmp_path / "cache")
    assert evaluate(backward, threads=1, cache=tmp_path / "cache") == cached  # from the entries
    assert durations(cached) == expected()


def test_a_duration_of_ten_to_the_fifteen_is_a_rejected_row(tmp_path: Path) -> None:
    """Past 10^15 s a sum of 10^14 values could leave DECIMAL(38, 9): the row is bad input, named as such."""
    manifest = write(tmp_path, list(range(ITEMS)))
    path = tmp_path / "items" / "part-0.parquet"
    table = pq.read_table(path)
    values = table.column("duration_seconds").to_pylist()
    values[5] = 1e15
    column = table.schema.get_field_index("duration_seconds")
    pq.write_table(table.set_column(column, "duration_seconds", pa.array(values)), path)
    with pytest.raises(InputError) as raised:
        evaluate(manifest, threads=2)
    assert str(raised.value) == (
        "items/part-0.parquet: row 6: duration_seconds: value 1000000000000000.0 is 10^15 or more; a duration is "
        "below that (its sums are exact to 10^-9)"
    )
    request = RunRequest(
        manifest=manifest, packs=("eu-ai-act",), document_date="2025-10-01", engine=EngineConfig(max_rejected_rows=1)
    )
    document = json.loads(result_json(run(request).result))
    assert document["rows"]["rejected_by_reason"] == {"duration_seconds: beyond 10^15": 1}
    assert document["rows"]["evaluated"] == ITEMS - 1


def test_a_ranking_by_duration_is_exact_in_any_order(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(TINY_PACK, pack)
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    ranked = (
        "measures:\n  - id: duration_ranking\n    title: {en: Duration, zh: 时长}\n    aggregate: sum\n"
        "    field: duration_seconds\n    by: modality\n    ranking:\n      keep_fraction: 1\n"
    )
    (pack / "pack.yaml").write_text(text.replace("measures:\n", ranked, 1), encoding="utf-8")
    manifest = write(tmp_path / "d", list(reversed(range(ITEMS))))
    runs = [
        RunRequest(manifest=manifest, packs=(str(pack),), document_date="2025-10-01", cache=cache,
                   engine=EngineConfig(threads=threads))
        for threads, cache in ((1, None), (2, None), (2, tmp_path / "cache"), (1, tmp_path / "cache"))
    ]  # fmt: skip
    results = [result_json(run(request).result) for request in runs]
    assert all(result == results[0] for result in results)
    (measure,) = [m for m in json.loads(results[0])["measures"] if m["measure_id"] == "duration_ranking"]
    exact = expected()
    top = [(row["group"], row["value"]) for row in measure["ranking"]["top"]]
    assert top == [("audio", exact[(None, "audio")]), ("video", exact[(None, "video")])]
    assert measure["ranking"]["total"] == float(sum(Decimal(duration(i)) for i in range(ITEMS)))
