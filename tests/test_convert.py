"""aireport convert: same findings from the Parquet it writes; bad rows are errors, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

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
