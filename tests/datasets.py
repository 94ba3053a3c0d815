"""Small hand-made datasets for tests: a manifest with inline sources and one item manifest.

Every value is written by the test that uses it, so its expectations can be worked out by hand.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
from ruamel.yaml import YAML

from aireport.models.provenance import ITEM_COLUMNS_BY_NAME


def write_dataset(
    root: Path,
    sources: Sequence[Mapping[str, Any]],
    items: Sequence[Mapping[str, Any]],
    fmt: str = "csv",
    instants: Sequence[str] = (),
    **manifest: Any,
) -> Path:
    """``root/manifest.yaml`` with the sources inline and ``root/items.<fmt>`` holding ``items``.

    Columns are the keys of the first item, in order. ``fmt`` is csv, jsonl or parquet; for Parquet, each
    column of ``instants`` is written as TIMESTAMPTZ (an instant, as pandas and Spark write), other
    timestamps as naive TIMESTAMP.
    """
    root.mkdir(parents=True, exist_ok=True)
    columns = list(items[0]) if items else ["item_id", "source_id"]
    target = root / f"items.{fmt}"
    if fmt == "jsonl":
        target.write_text("".join(json.dumps(dict(row)) + "\n" for row in items), encoding="utf-8")
    else:
        text = root / "items.csv" if fmt == "csv" else root / "items-text.csv"
        with text.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in items:
                writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
        if fmt == "parquet":
            types = ", ".join(f"'{c}': '{_parquet_type(c, instants)}'" for c in columns)
            con = duckdb.connect()
            con.execute("SET TimeZone = 'UTC'")
            con.execute(
                f"COPY (SELECT * FROM read_csv('{text}', header = true, types = {{{types}}})) TO '{target}' "
                "(FORMAT parquet)"
            )
            con.close()
            text.unlink()
    document = {
        "dataset": "hand-made",
        "provider": {"legal_name": "Test Provider"},
        "models": [{"name": "test-model"}],
        "sources": [dict(s) for s in sources],
        "items": [target.name],
        **manifest,
    }
    path = root / "manifest.yaml"
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(document, handle)
    return path


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parquet_type(column: str, instants: Sequence[str]) -> str:
    kind = ITEM_COLUMNS_BY_NAME[column].type
    if kind == "TIMESTAMP" and column in instants:
        return "TIMESTAMPTZ"
    return kind
