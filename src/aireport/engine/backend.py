"""Where the compiled plan runs: the seam between the engine and a SQL engine.

The engine builds DuckDB SQL text with ``$pN`` (or ``?``) parameters and hands it to a :class:`Backend`.
DuckDB is the embedded default and runs it as written; the Spark backend (``engine/spark_backend.py``,
``aireport[spark]``) translates the same text to Spark SQL and binds the same parameters. Values are
never spliced into SQL text on either side.

A backend answers DuckDB's cursor protocol for what the engine calls (``execute(...).fetchall()`` /
``.fetchone()``) plus the few things that are
not SQL: creating the small in-memory tables, naming the item manifests as a relation, progress, the
rows a text reader rejected, and locating bad rows on the slow error path. Nothing engine-specific crosses
the seam: the engine, the sampler and the checks see only this protocol.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import duckdb

from aireport.engine.config import EngineConfig
from aireport.errors import InputError, Problem
from aireport.load.items import ItemScan

Params = Mapping[str, Any] | Sequence[Any] | None
Tap = Callable[[Any], Any]  # an Arrow RecordBatchReader in, the same batches out (after looking at them)
STREAM_VIEW = "aireport_rows"
STREAM_BATCH_ROWS = 1 << 20

SPARK_EXTRA = "pip install 'aireport[spark]'"


def _coerce(sql_type: str, value: Any) -> Any:
    """Python values for the column's type (a date may arrive as its ISO text)."""
    if value is None:
        return None
    if sql_type == "BIGINT":
        return int(value)
    if sql_type == "DOUBLE":
        return float(value)
    if sql_type == "DATE" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if sql_type == "VARCHAR[]":
        return [None if v is None else str(v) for v in value]
    return value


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns_of(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """A small table as one list of values per column, each value of its column's type."""
    types = [sql_type for _, sql_type in columns]
    data = [[_coerce(t, v) for t, v in zip(types, row, strict=True)] for row in rows]
    return [[row[i] for row in data] for i in range(len(columns))]


class Rows(Protocol):
    """The part of a DuckDB cursor the engine reads."""

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int) -> list[Any]:
        """The next ``size`` rows at most (none when all were read): a long result a slice at a time."""


class Backend(Protocol):
    name: str
    # What a failed query raises: reported as "the scan failed", exit 2.
    errors: tuple[type[BaseException], ...]

    def create_table(self, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
        """A small temp table; ``columns`` are (name, DuckDB type) pairs."""

    def execute(self, sql: str, params: Params = None) -> Rows:
        """Run DuckDB-dialect SQL with its parameters bound."""

    def items_relation(self, scan: ItemScan) -> str:
        """SQL naming the item manifests as a relation, for a FROM clause."""

    def use_time_zone(self, zone: str) -> None:
        """The zone text timestamps without an offset are read in and instants are reported in (IANA name)."""

    def aggregate_stream(self, rows_sql: str, params: Params, aggregate_sql: str, tap: Tap) -> list[Any]:
        """Run ``rows_sql`` once, pass its rows as Arrow batches through ``tap``, and return the rows of
        ``aggregate_sql`` (which names them ``{rows}``): one read of the items for both."""

    def query_progress(self) -> float:
        """Percent done of the running query; negative when unknown."""

    def parse_rejects(self, scan: ItemScan) -> dict[str, int]:
        """Rows the text reader could not parse and skipped, by reason (``unparseable row: ...``)."""

    def locate_bad_rows(self, scan: ItemScan, known: list[str], unknown: list[str], limit: int) -> list[Problem]:
        """File, row and reason of each row that broke the column contract (the slow path, bad input only)."""

    def close(self) -> None: ...


class DuckDBBackend:
    """The embedded default: the SQL runs as written."""

    name = "duckdb"
    errors: tuple[type[BaseException], ...] = (duckdb.Error,)

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def create_table(self, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
        # One typed list parameter per column, unnested side by side: one statement, values bound, and no
        # Python-object scan (which would import pandas: 0.3 s of every run). 200 sources x 60 columns: 30 ms.
        select = ", ".join(f"unnest(CAST(? AS {sql_type}[])) AS {_quoted(column)}" for column, sql_type in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", columns_of(columns, rows))

    def execute(self, sql: str, params: Params = None) -> Rows:
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def items_relation(self, scan: ItemScan) -> str:
        return scan.from_clause()

    def use_time_zone(self, zone: str) -> None:
        self.con.execute("SET TimeZone = ?", [zone])

    def aggregate_stream(self, rows_sql: str, params: Params, aggregate_sql: str, tap: Tap) -> list[Any]:
        # The rows stream out of this connection while a second one (a cursor on the same database, same
        # settings) aggregates them: temp tables the rows join stay on this connection.
        reader = self.con.sql(rows_sql, params=params).to_arrow_reader(STREAM_BATCH_ROWS)
        cursor = self.con.cursor()
        try:
            cursor.register(STREAM_VIEW, tap(reader))
            return cursor.execute(aggregate_sql.replace("{rows}", STREAM_VIEW)).fetchall()
        finally:
            cursor.close()

    def query_progress(self) -> float:
        return float(self.con.query_progress())

    def parse_rejects(self, scan: ItemScan) -> dict[str, int]:
        if scan.format != "csv":
            return {}
        try:
            # Every scan of the files (the licence pre-pass too) logs its rejects: count each line once.
            rows = self.con.execute(
                "SELECT error_type, count(DISTINCT (s.file_path, e.line)) FROM reject_errors e "
                "JOIN reject_scans s USING (scan_id, file_id) GROUP BY 1"
            ).fetchall()
        except duckdb.Error:
            return {}
        return {f"unparseable row: {kind}": int(n) for kind, n in rows}

    def locate_bad_rows(self, scan: ItemScan, known: list[str], unknown: list[str], limit: int) -> list[Problem]:
        from aireport.engine.locate import locate_bad_rows  # noqa: PLC0415  # the slow path imports the scan

        return locate_bad_rows(self.con, scan, known, unknown, limit)

    def close(self) -> None:
        self.con.close()


def connect(config: EngineConfig) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"enable_external_access": True})
    con.execute("SET memory_limit = ?", [config.memory_limit])
    con.execute("SET threads = ?", [config.threads or os.cpu_count() or 1])
    temp = config.temp_dir or Path(tempfile.gettempdir()) / "aireport-spill"
    con.execute("SET temp_directory = ?", [str(temp)])
    # DuckDB starts in the machine's zone: every instant would then be reported in it. UTC until the
    # evaluation sets the zone the manifest declares (use_time_zone).
    con.execute("SET TimeZone = 'UTC'")
    # Row order inside a group never matters to an aggregate; letting DuckDB drop it saves memory.
    con.execute("SET preserve_insertion_order = false")
    # Memory DuckDB frees (a dropped table, a finished hash aggregate) stays with its allocator until a
    # background thread hands it back to the system (within a second): without it the ranking's tables
    # stayed resident while Python built the kept list, and the peak was the sum of both.
    con.execute("SET allocator_background_threads = true")
    # Progress is tracked (query_progress) but never printed by DuckDB: aireport draws its own bar.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def open_backend(config: EngineConfig) -> Backend:
    """The backend ``config.engine`` names, configured: DuckDB embedded, or Spark (``aireport[spark]``)."""
    if config.engine == "spark":
        return open_spark(config.spark_master)
    try:
        return DuckDBBackend(connect(config))
    except duckdb.Error as exc:  # e.g. a --memory-limit DuckDB cannot read
        message = str(exc).strip().splitlines()[0]
        raise InputError(
            [Problem("--memory-limit", f"the engine refused {config.memory_limit!r}: {message}")]
        ) from None


def open_spark(master: str | None) -> Backend:
    """The Spark backend, imported only when asked for: pyspark is an optional extra."""
    try:
        module = importlib.import_module("aireport.engine.spark_backend")
    except ImportError as exc:
        missing = exc.name or "pyspark"
        raise InputError(
            [
                Problem(
                    "--engine spark",
                    f"needs the Spark extra ({missing} is not installed): {SPARK_EXTRA}",
                )
            ]
        ) from None
    backend: Backend = module.SparkBackend.start(master)
    return backend
