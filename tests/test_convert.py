"""aireport convert: same findings from the Parquet it writes; bad rows are errors, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from aireport.cli import main
from aireport.engine.config import EngineConfig
from aireport.pipeline import check_dataset
from tests.conftest import TINY_PACK


def test_converted_parquet_gives_the_same_findings(tiny: Path) -> None:
    before = check_dataset(tiny, [TINY_PACK], EngineConfig(), "2026-01-01")
    folder = tiny.parent
    result = CliRunner().invoke(main, ["convert", str(folder / "items.csv"), "--out", str(folder / "pq"), "-q"])
    assert result.exit_code == 0, result.output
    assert "items.csv -> " in result.output
    assert ": 10 rows" in result.output
    tiny.write_text(tiny.read_text().replace("items: [items.csv]", "items: [pq/]"))
    after = check_dataset(tiny, [TINY_PACK], EngineConfig(), "2026-01-01")
    strip = lambda r: json.dumps([x.model_dump(mode="json") for x in r.rules], sort_keys=True)  # noqa: E731
    assert strip(after) == strip(before)


def test_bad_row_fails_and_writes_nothing(tiny: Path) -> None:
    folder = tiny.parent
    items = folder / "items.csv"
    items.write_text(items.read_text().replace("w2,web,text,200,", "w2,web,text,lots,"))
    result = CliRunner().invoke(main, ["convert", str(items), "--out", str(folder / "pq"), "-q"])
    assert result.exit_code == 2
    assert "items.csv:3: size_bytes: row does not parse" in result.output
    assert "1 rows do not parse; nothing was written" in result.output
    assert not list((folder / "pq").glob("*"))
    allowed = CliRunner().invoke(
        main, ["convert", str(items), "--out", str(folder / "pq"), "-q", "--max-rejected-rows", "1"]
    )
    assert allowed.exit_code == 0
    assert ": 9 rows, 1 rejected" in allowed.output


def test_timestamps_convert_to_instants_from_csv_and_jsonl(tmp_path: Path) -> None:
    """A value with an offset keeps its instant, one without is taken as UTC; JSON timestamps (read as text) are
    stored typed, so the Parquet file passes the column contract."""
    rows = [("a", "2024-03-31T23:30:00+08:00"), ("b", "2024-03-31 16:00:00")]
    (tmp_path / "items.csv").write_text(
        "item_id,source_id,collected_at\n" + "".join(f"{i},s,{t}\n" for i, t in rows), encoding="utf-8"
    )
    (tmp_path / "items.jsonl").write_text(
        "".join(json.dumps({"item_id": i, "source_id": "s", "collected_at": t}) + "\n" for i, t in rows),
        encoding="utf-8",
    )
    for name in ("items.csv", "items.jsonl"):
        out = tmp_path / name.replace(".", "-")
        result = CliRunner().invoke(main, ["convert", str(tmp_path / name), "--out", str(out), "-q"])
        assert result.exit_code == 0, result.output
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        got = con.execute(
            f"SELECT item_id, typeof(collected_at), strftime(collected_at, '%Y-%m-%d %H:%M') "
            f"FROM read_parquet('{out}/*.parquet') ORDER BY item_id"
        ).fetchall()
        assert got == [
            ("a", "TIMESTAMP WITH TIME ZONE", "2024-03-31 15:30"),
            ("b", "TIMESTAMP WITH TIME ZONE", "2024-03-31 16:00"),
        ], name
