"""The Spark backend: the same compiled plan, run on a SparkSession (``aireport[spark]``).

The engine's SQL is DuckDB dialect. Each statement is parsed with sqlglot and written out as Spark SQL;
the few DuckDB constructs sqlglot does not carry over are rewritten on the syntax tree (never by string
replacement, so nothing inside a literal is touched):

* ``min(x, n)`` (the n smallest values, sorted)        -> ``min_by(x, x, n)`` (a bounded heap, Spark 4.2+)
* ``min_by(x, (a, b), n)`` (the sampler's bottom-k)       -> ``min_by(x, struct(a, b), n)``
* ``l[-n:]`` (the last n list elements, clamped)         -> ``slice(l, greatest(size(l) - n + 1, 1), n)``
* ``range(a, b) t(k)`` in FROM                          -> Spark's ``range(a, b) t(k)``
* ``regexp_full_match(s, p)``                           -> ``s RLIKE '^(?:p)\\z'``
* ``len(list)``                                         -> ``size(list)``
* ``timezone(zone, instant)`` (wall time in the zone)      -> ``CAST(instant AS TIMESTAMP_NTZ)`` (the session's zone,
  which ``use_time_zone`` set to the same zone)
* ``read_parquet([...])`` / ``read_csv`` / ``read_json`` -> a temp view over ``spark.read`` of the same files
* ``CREATE TEMP TABLE t AS SELECT ...``                 -> the SELECT, computed once (local checkpoint), as view ``t``

Parameters stay bound: ``$pN`` becomes Spark's ``:pN`` marker and ``?`` stays ``?``, with the values
passed to ``spark.sql(..., args=...)``. Results come back as plain tuples of Python values, like DuckDB's.

Where the engines can still differ (tests/test_spark.py pins what is the same):

* CSV cells are read as text and cast with Spark's ``try_cast``; DuckDB's reader accepts more spellings
  (``1.5`` or ``1e3`` in a BIGINT column), which Spark counts as unparseable rows. A row with too many
  or too few cells is rejected by DuckDB and padded or cut by Spark. Convert text manifests to Parquet
  (``aireport convert``) before a Spark run.
* A JSONL line that does not match the column types fails the scan on both engines, with other words.
* Sums of DOUBLE columns may differ in the last bits: the order of additions differs.
* Regular expressions (``matches``) are RE2 in DuckDB and java.util.regex in Spark.
* Temp views are named per session: one evaluation at a time per SparkSession.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot
from py4j.protocol import Py4JError
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB

from aireport.engine.backend import Params, columns_of
from aireport.engine.locate import locate_bad_rows
from aireport.errors import InputError, Problem
from aireport.load.items import ROW_PROBLEM, ItemScan
from aireport.models.provenance import ITEM_COLUMNS_BY_NAME

ITEMS_VIEW = "aireport_items"
RAW_ITEMS_VIEW = "aireport_items_raw"
BAD_ROW = "_aireport_unparseable"
CORRUPT = "_corrupt_record"
CAST_REJECT = "unparseable row: CAST"

_SPARK_TYPES: dict[str, T.DataType] = {
    "VARCHAR": T.StringType(),
    "BOOLEAN": T.BooleanType(),
    "BIGINT": T.LongType(),
    "DOUBLE": T.DoubleType(),
    "DATE": T.DateType(),
    # DuckDB's TIMESTAMP is a wall-clock time without zone: the same as Spark's TIMESTAMP_NTZ.
    "TIMESTAMP": T.TimestampNTZType(),
    "VARCHAR[]": T.ArrayType(T.StringType()),
}


class SparkTranslationError(Exception):
    """DuckDB SQL the Spark backend has no faithful translation for (a bug, never bad input)."""


class _Dialect(DuckDB):
    """DuckDB as the engine writes it: ``len`` is only ever applied to lists."""

    class Parser(DuckDB.Parser):  # type: ignore[valid-type,misc]
        FUNCTIONS = {  # noqa: RUF012 - sqlglot's own pattern for dialect tables
            **DuckDB.Parser.FUNCTIONS,
            "LEN": lambda args: exp.ArraySize(this=args[0]),
        }


def _last_n(node: exp.Bracket) -> exp.Expr:
    """DuckDB ``l[-n:]``: the last n elements, or the whole list when it is shorter."""
    parts = node.expressions
    if len(parts) != 1 or not isinstance(parts[0], exp.Slice):
        raise SparkTranslationError(f"list subscript {node.sql('duckdb')!r}")
    piece = parts[0]
    start, end = piece.this, piece.args.get("expression")
    if not isinstance(start, exp.Neg) or end is not None:
        raise SparkTranslationError(f"list slice {node.sql('duckdb')!r}: only l[-n:] is translated")
    count = start.this.copy()
    size = exp.ArraySize(this=node.this.copy())
    first = exp.func("greatest", exp.paren(size - exp.paren(count.copy()) + 1, copy=False), exp.Literal.number(1))
    return exp.func("slice", node.this.copy(), first, count)


def _rewrite(node: exp.Expr, relations: Mapping[str, str]) -> exp.Expr:
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "timezone" and len(node.expressions) == 2:
        # The engine only asks for the session's own zone (use_time_zone): Spark converts in it on the cast.
        return exp.Cast(this=node.expressions[1].copy(), to=exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"))
    if isinstance(node, exp.Min) and node.args.get("count") is not None:
        # DuckDB min(x, n): the n smallest x in order. Spark min_by(x, x, n) keeps a bounded heap and
        # returns them sorted by the ordering argument, so the same list in the same order.
        return exp.Anonymous(this="min_by", expressions=[node.this.copy(), node.this.copy(), node.args["count"].copy()])
    if isinstance(node, exp.ArgMin) and node.args.get("count") is not None:
        # DuckDB min_by(x, ord, n): the x of the n smallest ord, in ord order (the sampler's bottom-k). Spark 4.2
        # has the same three-argument form; a tuple ordering becomes a struct, compared field by field alike.
        order = node.expression.copy()
        if isinstance(order, exp.Tuple):
            order = exp.Anonymous(this="struct", expressions=[e.copy() for e in order.expressions])
        return exp.Anonymous(this="min_by", expressions=[node.this.copy(), order, node.args["count"].copy()])
    if isinstance(node, exp.Bracket):
        return _last_n(node)
    if isinstance(node, exp.RegexpFullMatch):
        pattern = node.expression
        if not isinstance(pattern, exp.Literal) or not pattern.is_string:
            raise SparkTranslationError("regexp_full_match with a non-literal pattern")
        # \z, not $: Java's $ also matches before a final line break, RE2's full match does not.
        anchored = exp.Literal.string("^(?:" + pattern.this + ")\\z")
        return exp.RegexpLike(this=node.this.copy(), expression=anchored)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Func):
        return _table_function(node, relations)
    return node


def _table_function(node: exp.Table, relations: Mapping[str, str]) -> exp.Expr:
    function = node.this
    if isinstance(function, exp.GenerateSeries):
        end = function.args["end"].copy()
        if not function.args.get("is_end_exclusive"):
            end = exp.paren(end + 1, copy=False)
        node.set("this", exp.Anonymous(this="range", expressions=[function.args["start"].copy(), end]))
        return node
    key = _reader_key(function)
    if key not in relations:
        raise SparkTranslationError(f"table function {function.sql('duckdb')[:80]!r} names no registered relation")
    return exp.Table(this=exp.to_identifier(relations[key]), alias=node.args.get("alias"))


def _reader_key(function: exp.Expr) -> str:
    """Item readers are matched by their whole text as the engine generated it (file list and options)."""
    return function.sql("duckdb")


@dataclass(frozen=True)
class Statement:
    sql: str  # Spark SQL
    create: str | None = None  # CREATE TEMP TABLE name AS ...: the view to register
    if_not_exists: bool = False


def translate(sql: str, relations: Mapping[str, str] | None = None) -> Statement:
    """DuckDB SQL as the engine writes it -> Spark SQL, parameters left as markers."""
    relations = relations or {}
    tree = sqlglot.parse_one(sql, read=_Dialect)
    create: str | None = None
    if_not_exists = False
    if isinstance(tree, exp.Create):
        if tree.args.get("kind") != "TABLE" or not isinstance(tree.expression, exp.Query):
            raise SparkTranslationError(f"statement {sql[:60]!r}: only CREATE TABLE ... AS SELECT is translated")
        create = tree.this.name
        if_not_exists = bool(tree.args.get("exists"))
        tree = tree.expression
    tree = tree.transform(lambda node: _rewrite(node, relations))
    return Statement(sql=tree.sql(dialect="spark"), create=create, if_not_exists=if_not_exists)


def _plain(value: Any) -> Any:
    """Spark values as DuckDB's Python client returns them."""
    if isinstance(value, Row):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    # DuckDB's sum of BIGINT is a HUGEINT, an int in Python: Spark's is a DECIMAL(38, 0). A decimal with places
    # is an exact sum of a DOUBLE column (scan.SUM_DECIMAL), a Decimal in both.
    if isinstance(value, Decimal) and value.as_tuple().exponent == 0:
        return int(value)
    return value


class SparkRows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._read = 0  # rows fetchmany has handed out

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        page = self._rows[self._read : self._read + size]
        self._read += len(page)
        return page


def _schema(columns: Sequence[tuple[str, str]]) -> T.StructType:
    return T.StructType([T.StructField(name, _SPARK_TYPES[sql_type], True) for name, sql_type in columns])


@dataclass
class SparkBackend:
    spark: SparkSession
    owns_session: bool
    name: str = "spark"
    errors: tuple[type[BaseException], ...] = (PySparkException, Py4JError, SparkTranslationError)
    _views: set[str] = field(default_factory=set)
    _persisted: list[DataFrame] = field(default_factory=list)
    _relations: dict[str, str] = field(default_factory=dict)
    _scan: ItemScan | None = None
    _rejects: dict[str, int] | None = None

    @classmethod
    def start(cls, master: str | None = None) -> SparkBackend:
        """Join the active SparkSession, or start one (local mode unless ``master`` says otherwise)."""
        active = SparkSession.getActiveSession()
        if active is not None:
            return cls(spark=active, owns_session=False)
        master = master or "local[*]"
        builder = (
            SparkSession.builder.master(master)
            .appName("aireport")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
        )
        if master.startswith("local"):
            # One machine: few shuffle partitions.
            builder = builder.config("spark.sql.shuffle.partitions", str(max(4, os.cpu_count() or 1)))
        if master.startswith("local") or _on_loopback(master):
            # Nothing listens beyond the loopback interface when the cluster is this machine.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark's note on the pandas version
            spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        return cls(spark=spark, owns_session=True)

    def __post_init__(self) -> None:
        # Hive partition values stay text, as in DuckDB (source_id=0042 must not become 42).
        self.spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")

    # -- tables -------------------------------------------------------------------------------

    def create_table(self, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
        """Through Arrow: the table becomes a local relation in the JVM, read with no Python worker."""
        table = arrow_table(columns, rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            frame = self.spark.createDataFrame(table, schema=_schema(columns))
        self._view(name, frame)

    def register(self, name: str, table: Any) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            frame = self.spark.createDataFrame(table)
        self._view(name, frame)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._views.discard(name)

    def _view(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    # -- queries ------------------------------------------------------------------------------

    def execute(self, sql: str, params: Params = None) -> SparkRows:
        statement = translate(sql, self._relations)
        args: dict[str, Any] | list[Any] | None
        if params is None:
            args = None
        elif isinstance(params, Mapping):
            args = {k: _param(v) for k, v in params.items()}
        else:
            args = [_param(v) for v in params]
        if statement.create is not None:
            if statement.if_not_exists and self.spark.catalog.tableExists(statement.create):
                return SparkRows([])
            # Computed once, like DuckDB's CREATE TABLE AS: later queries read the stored rows, not the plan.
            # A local checkpoint cuts the lineage; a persisted plan is reused only when the cache matches
            # it again, which a grouping-sets query with a CTE did not (it was recomputed per query).
            frame = self.spark.sql(statement.sql, args=args).localCheckpoint(eager=True)
            self._view(statement.create, frame)
            return SparkRows([])
        rows = self.spark.sql(statement.sql, args=args).collect()
        return SparkRows([tuple(_plain(v) for v in row) for row in rows])

    def query_progress(self) -> float:
        """Tasks done over tasks of the running stages (Spark knows no more of a query up front)."""
        tracker = self.spark.sparkContext.statusTracker()
        infos = [tracker.getStageInfo(stage) for stage in tracker.getActiveStageIds()]
        total = sum(i.numTasks for i in infos if i is not None)
        done = sum(i.numCompletedTasks for i in infos if i is not None)
        return 100.0 * done / total if total else -1.0

    def use_time_zone(self, zone: str) -> None:
        self.spark.conf.set("spark.sql.session.timeZone", zone)

    def aggregate_stream(self, rows_sql: str, params: Params, aggregate_sql: str, tap: Any) -> list[Any]:
        raise InputError(
            [Problem("--failing-items", "is written by the DuckDB engine only; run without --engine spark")]
        )

    # -- items --------------------------------------------------------------------------------

    def items_relation(self, scan: ItemScan) -> str:
        key = _reader_key(sqlglot.parse_one(f"SELECT * FROM {scan.from_clause()}", read=_Dialect).find(exp.Table).this)  # type: ignore[union-attr]
        if self._relations.get(key) == ITEMS_VIEW and self._scan == scan:
            return ITEMS_VIEW
        files = [str(p) for p in scan.files]
        if scan.format == "parquet":
            reader = self.spark.read.option("mergeSchema", "true")
            if scan.hive:
                reader = reader.option("basePath", _common_root(scan.files))
            self._view(ITEMS_VIEW, reader.parquet(*files))
        elif scan.format == "csv":
            self._csv_view(scan, files)
        else:
            self._json_view(scan, files)
        self._scan = scan
        self._rejects = None
        self._relations = {key: ITEMS_VIEW}
        return ITEMS_VIEW

    def _csv_view(self, scan: ItemScan, files: list[str]) -> None:
        """Text cells read as text, then cast to the column contract; a cell that does not cast makes
        its row unparseable: skipped and counted, as DuckDB's ``ignore_errors`` reader does."""
        raw = self.spark.read.option("header", "true").option("inferSchema", "false").csv(files)
        self._view(RAW_ITEMS_VIEW, raw)
        casts, bad = [], []
        for name in sorted(scan.columns):
            ref = f"`{name.replace('`', '``')}`"
            spark_type = _SPARK_TYPES[ITEM_COLUMNS_BY_NAME[name].type]
            if isinstance(spark_type, T.StringType):
                casts.append(ref)
                continue
            typed = f"try_cast({ref} AS {spark_type.simpleString()})"
            casts.append(f"{typed} AS {ref}")
            bad.append(f"({ref} IS NOT NULL AND {typed} IS NULL)")
        flag = " OR ".join(bad) or "FALSE"
        typed_rows = self.spark.sql(f"SELECT {', '.join(casts)}, ({flag}) AS {BAD_ROW} FROM {RAW_ITEMS_VIEW}")
        self._view(f"{ITEMS_VIEW}_typed", typed_rows)
        self._view(ITEMS_VIEW, typed_rows.where(f"NOT {BAD_ROW}").drop(BAD_ROW))

    def _json_view(self, scan: ItemScan, files: list[str]) -> None:
        columns = [(name, ITEM_COLUMNS_BY_NAME[name].type) for name in sorted(scan.columns)]
        schema = _schema(columns).add(CORRUPT, T.StringType(), True)
        frame = self.spark.read.schema(schema).option("mode", "PERMISSIVE").json(files).persist()
        self._persisted.append(frame)
        corrupt = frame.where(frame[CORRUPT].isNotNull()).count()
        if corrupt:
            # DuckDB's JSON reader stops at the first such line: the scan fails, nothing is evaluated.
            raise SparkTranslationError(f"{corrupt} JSON lines do not match the column contract's types")
        # The row checks read ROW_PROBLEM (DuckDB's JSON type problems); Spark's schema read stopped above.
        self._view(ITEMS_VIEW, frame.drop(CORRUPT).withColumn(ROW_PROBLEM, F.lit(0)))

    def parse_rejects(self, scan: ItemScan) -> dict[str, int]:
        if scan.format != "csv":
            return {}
        if self._rejects is None:
            self.items_relation(scan)
            rows = self.spark.sql(f"SELECT count_if({BAD_ROW}) FROM {ITEMS_VIEW}_typed").collect()
            count = int(rows[0][0] or 0)
            self._rejects = {CAST_REJECT: count} if count else {}
        return dict(self._rejects)

    def locate_bad_rows(self, scan: ItemScan, known: list[str], unknown: list[str], limit: int) -> list[Problem]:
        """Bad input is located by DuckDB over the same files: file and row, as on the default engine."""
        con = duckdb.connect()
        try:
            if scan.format == "csv":
                con.execute(f"SELECT count(*) FROM {scan.from_clause()}").fetchall()  # logs the rejects
            return locate_bad_rows(con, scan, known, unknown, limit)
        finally:
            con.close()

    def close(self) -> None:
        for frame in self._persisted:
            frame.unpersist()
        for view in sorted(self._views):
            self.spark.catalog.dropTempView(view)
        self._persisted.clear()
        self._views.clear()
        if self.owns_session:
            self.spark.stop()


def _on_loopback(master: str) -> bool:
    """A standalone master URL on this machine (spark://127.0.0.1:7077, spark://localhost:7077)."""
    host = master.split("://", 1)[-1].split(":", 1)[0]
    return host in {"127.0.0.1", "localhost", "::1"}


def _param(value: Any) -> Any:
    """Bound values as Spark literals; tuples (DuckDB accepts them for lists) become lists."""
    if isinstance(value, tuple):
        return list(value)
    return value


def _common_root(files: Sequence[Path]) -> str:
    """The folder above the first ``key=value`` folder: Spark's ``basePath`` for partition discovery."""
    root = Path(os.path.commonpath([str(p.parent) for p in files]))
    while "=" in root.name:
        root = root.parent
    return str(root)


ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
}


def arrow_table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> pa.Table:
    """A small table as Arrow, typed from its (name, DuckDB type) pairs: one hand-over to Spark."""
    data = columns_of(columns, rows)
    arrays = [pa.array(values, type=ARROW_TYPES[t]) for values, (_, t) in zip(data, columns, strict=True)]
    return pa.Table.from_arrays(arrays, schema=pa.schema([(n, ARROW_TYPES[t]) for n, t in columns]))
