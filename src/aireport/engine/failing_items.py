"""Every failing and every not-evaluable item of each item rule, written in the same scan as the counts.

The main scan computes, per row, whether each item rule applies (``a<i>``) and holds (``h<i>``: true, false,
or NULL for missing evidence), then counts them per source. With ``--failing-items`` those rows stream out of
DuckDB as Arrow batches; each batch passes through :class:`FailingItemsSink`, which appends the rows a rule
fails or cannot evaluate to a Parquet file, and goes on into the aggregate that counts them. The item files are
read once; the rows pass in batches, never all held (peak RSS: benchmarks/results/failing-items.md). At the
end the file is sorted by (rule, outcome, source, item) into its final, reproducible form, a pass over that
file only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from aireport.models.results import FailingItemsFile

FILE_NAME = "failing-items.parquet"
SCHEMA = pa.schema(
    [
        ("rule_id", pa.string()),
        ("outcome", pa.string()),  # fail | not_evaluable
        ("source_id", pa.string()),
        ("item_id", pa.string()),
    ]
)
ORDER = "rule_id, outcome, source_id, item_id (Unicode code points)"


class FailingItemsSink:
    """Collects, from the rows of the main scan, each (rule, outcome, source, item) a rule fails or cannot decide."""

    def __init__(self, part: Path, rule_ids: Sequence[str]) -> None:
        self.part = part
        self.rule_ids = list(rule_ids)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def tap(self, reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
        """The same batches, after their failing and not-evaluable rows have been written down."""

        def passing_through() -> Iterator[pa.RecordBatch]:
            for batch in reader:
                self._write(batch)
                yield batch

        return pa.RecordBatchReader.from_batches(reader.schema, passing_through())

    def _write(self, batch: pa.RecordBatch) -> None:
        if self._writer is None:
            self.part.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.part, SCHEMA, compression="zstd")
        sources, items = batch.column("source_id"), batch.column("item_id")
        for index, rule_id in enumerate(self.rule_ids):
            applies, holds = batch.column(f"a{index}"), batch.column(f"h{index}")
            for outcome, test in (
                ("fail", pc.and_(applies, pc.equal(holds, False))),
                ("not_evaluable", pc.and_(applies, pc.is_null(holds))),
            ):
                chosen = pc.fill_null(test, False)  # a row the rule does not apply to is neither
                count = pc.sum(chosen).as_py() or 0
                if not count:
                    continue
                self._writer.write_table(
                    pa.table(
                        {
                            "rule_id": pa.array([rule_id] * count, pa.string()),
                            "outcome": pa.array([outcome] * count, pa.string()),
                            "source_id": pc.filter(sources, chosen).cast(pa.string()),
                            "item_id": pc.filter(items, chosen).cast(pa.string()),
                        },
                        schema=SCHEMA,
                    )
                )
                self.rows += count

    def close(self) -> None:
        if self._writer is None:  # no item failed: an empty file, so the output is always there
            self.part.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.part, SCHEMA, compression="zstd")
        self._writer.close()


def finish(con: Any, sink: FailingItemsSink, target: Path) -> FailingItemsFile:
    """The sink's rows sorted into ``target``; what the result says of the file."""
    sorted_copy(con, sink.part, target)
    sink.part.unlink()
    return described(sink.rows)


def described(rows: int) -> FailingItemsFile:
    """What the result says of the file."""
    return FailingItemsFile(file=FILE_NAME, columns=SCHEMA.names, order=ORDER, rows=rows)


def sorted_copy(con: Any, part: Path | Sequence[Path], target: Path) -> None:
    """``part`` (one file or several: the partials of ``--cache``) sorted into ``target`` (rule, outcome,
    source, item): the same file whatever the batch order or the split into parts.

    ``con`` is the DuckDB connection: it sorts out of core, and writes the rows in order only while insertion
    order is preserved.
    """
    parts = [part] if isinstance(part, Path) else list(part)
    listing = "[" + ", ".join(_quote(p) for p in parts) + "]"
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(
            f"COPY (SELECT * FROM read_parquet({listing}) ORDER BY rule_id, outcome, source_id, item_id) "
            f"TO {_quote(target)} (FORMAT parquet, COMPRESSION zstd)"
        )
    finally:
        con.execute("SET preserve_insertion_order = false")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
