"""Item manifests: resolved to files and checked against the column contract, never loaded.

The engine receives an :class:`ItemScan`: the files, their format, and the SQL that reads them.
Only the columns a rule or measure names are read, so a 700M-row manifest costs what its used
columns cost.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from aireport.errors import InputError, Problem
from aireport.models.provenance import ITEM_COLUMNS, ITEM_COLUMNS_BY_NAME
from aireport.models.results import InputWarning

ItemFormat = Literal["parquet", "csv", "jsonl"]
DisplayFn = Callable[[Path], str]
_SUFFIXES: dict[str, ItemFormat] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

# Physical types a contract type accepts as-is. Anything else is a located error, not a silent cast.
_COMPATIBLE: dict[str, frozenset[str]] = {
    "VARCHAR": frozenset({"VARCHAR"}),
    "BIGINT": frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}),
    "DOUBLE": frozenset(
        {
            "FLOAT",
            "DOUBLE",
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "UTINYINT",
            "USMALLINT",
            "UINTEGER",
            "UBIGINT",
        }
    ),
    "BOOLEAN": frozenset({"BOOLEAN"}),
    "TIMESTAMP": frozenset(
        {
            "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE",
            "TIMESTAMP_NS",
            "TIMESTAMP_MS",
            "TIMESTAMP_S",
            "DATE",
        }
    ),
}


@dataclass(frozen=True)
class ItemScan:
    """Where the items are and which contract columns they carry."""

    files: tuple[Path, ...]
    format: ItemFormat
    displays: tuple[str, ...]
    columns: frozenset[str]
    ignored_columns: tuple[str, ...] = field(default=())
    hive: bool = False  # key=value folders: their values are columns (hive-partitioned datasets)
    row_count: int | None = None  # from Parquet footers; text formats are not counted before the scan
    instants: frozenset[str] = field(default=frozenset())  # Parquet timestamp columns stored with a zone (UTC)
    warnings: tuple[InputWarning, ...] = ()  # timestamp columns without a usable type: left out, counted

    def from_clause(self, *, with_location: bool = False) -> str:
        """A DuckDB table function reading every file; paths are quoted, never user SQL."""
        files = "[" + ", ".join(_sql_string(str(p)) for p in self.files) + "]"
        if self.format == "parquet":
            extra = ", filename = true, file_row_number = true" if with_location else ""
            return f"read_parquet({files}, union_by_name = true{_hive_options(self.hive)}{extra})"
        if self.format == "csv":
            types = (
                "{"
                + ", ".join(f"{_sql_string(c)}: {_sql_string(reader_type(c, 'csv'))}" for c in sorted(self.columns))
                + "}"
            )
            extra = ", filename = true" if with_location else ""
            return (
                f"read_csv({files}, header = true, types = {types}, store_rejects = true, ignore_errors = true{extra})"
            )
        types = (
            "{"
            + ", ".join(f"{_sql_string(c)}: {_sql_string(reader_type(c, 'jsonl'))}" for c in sorted(self.columns))
            + "}"
        )
        extra = ", filename = true" if with_location else ""
        return f"read_json({files}, format = 'newline_delimited', columns = {types}{extra})"


def reader_type(column: str, fmt: ItemFormat) -> str:
    """The type a text reader parses a contract column as.

    Timestamps may carry a zone offset. DuckDB's CSV reader honours it as TIMESTAMPTZ (a value without one
    is read in the session zone, which the engine sets); its JSON reader reads a value without offset as
    UTC whatever the session zone, so JSON timestamps arrive as text and the engine casts them (see
    ``aireport.engine.scan.timestamp_sql``).
    """
    kind = ITEM_COLUMNS_BY_NAME[column].type
    if kind == "TIMESTAMP":
        return "TIMESTAMPTZ" if fmt == "csv" else "VARCHAR"
    return kind


_HIVE_FOLDER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def is_hive(files: Iterable[Path]) -> bool:
    return any(_HIVE_FOLDER.match(part) for path in files for part in path.parent.parts)


def _hive_options(hive: bool) -> str:
    # Partition values stay text: autocasting would turn source_id=0042 into the number 42.
    return ", hive_partitioning = true, hive_types_autocast = false" if hive else ", hive_partitioning = false"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def resolve_item_files(entries: Iterable[str], base_dir: Path) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for entry in entries:
        target = base_dir / entry
        if any(ch in entry for ch in "*?["):
            matched = sorted(Path(p) for p in glob.glob(str(target), recursive=True) if Path(p).is_file())
            if not matched:
                problems.append(Problem(entry, "the pattern matches no file", field="items"))
            files += matched
        elif target.is_dir():
            matched = sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
            if not matched:
                problems.append(
                    Problem(
                        entry,
                        f"the folder holds no item manifest ({', '.join(sorted(_SUFFIXES))})",
                        field="items",
                    )
                )
            files += matched
        elif target.is_file():
            files.append(target)
        else:
            problems.append(Problem(entry, "no such file or folder", field="items"))
    return files, problems


def open_item_scan(entries: Iterable[str], base_dir: Path, display: DisplayFn) -> ItemScan | None:
    """Resolve the manifest's ``items`` entries and check the columns of every file."""
    files, problems = resolve_item_files(entries, base_dir)
    if problems:
        raise InputError(problems)
    if not files:
        return None
    formats = {_SUFFIXES.get(p.suffix.lower()) for p in files}
    if None in formats:
        bad = [display(p) for p in files if p.suffix.lower() not in _SUFFIXES]
        raise InputError(
            [Problem(b, f"unsupported item manifest format; allowed: {', '.join(sorted(_SUFFIXES))}") for b in bad]
        )
    if len(formats) > 1:
        raise InputError(
            [
                Problem(
                    display(files[0]),
                    f"item manifests mix formats {sorted(f or '' for f in formats)}; convert them to one",
                )
            ]
        )
    fmt: ItemFormat = formats.pop()  # type: ignore[assignment]
    hive = fmt == "parquet" and is_hive(files)
    columns, ignored, instants, unusable = _check_columns(files, fmt, display, hive)
    return ItemScan(
        instants=frozenset(instants),
        warnings=_unusable_timestamps(unusable, files, display),
        row_count=_parquet_rows(files) if fmt == "parquet" else None,
        files=tuple(files),
        format=fmt,
        displays=tuple(display(p) for p in files),
        columns=frozenset(columns),
        ignored_columns=tuple(sorted(ignored)),
        hive=hive,
    )


def _check_columns(
    files: list[Path], fmt: ItemFormat, display: DisplayFn, hive: bool = False
) -> tuple[set[str], set[str], set[str], dict[str, tuple[Path, str]]]:
    """Every file must carry the required columns, with contract-compatible types, and the same
    contract columns as the others: a column missing from one file of many would silently turn its
    rows into missing evidence.

    A timestamp column without a timestamp type (text, a plain number) is the one type error that is not
    fatal here: the column is left out, as if absent (its rules report missing evidence), and returned with
    its first file and type so the run counts and shows it; ``check --strict`` makes it an error."""
    con = duckdb.connect()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    ignored: set[str] = set()
    zoned: set[str] = set()  # columns some file stores as TIMESTAMP WITH TIME ZONE
    unusable: dict[str, tuple[Path, str]] = {}  # timestamp column -> (first file, its type there)
    per_file: list[tuple[str, set[str]]] = []
    for path in files:
        shown = display(path)
        try:
            schema = _describe(con, path, fmt, hive)
        except duckdb.Error as exc:
            problems.append(Problem(shown, f"cannot read {fmt}: {_first_line(exc)}"))
            continue
        zoned |= {name for name, physical in schema.items() if physical == "TIMESTAMP WITH TIME ZONE"}
        for name in ("item_id", "source_id"):
            if name not in schema:
                problems.append(Problem(shown, "required column is missing", field=name))
        for name, physical in schema.items():
            contract = ITEM_COLUMNS_BY_NAME.get(name)
            if contract is None:
                ignored.add(name)
                continue
            # A column written with no non-null value has Parquet type NULL: empty, not wrong.
            wrong = fmt == "parquet" and physical != '"NULL"' and physical not in _COMPATIBLE[contract.type]
            if wrong and contract.type == "TIMESTAMP":
                unusable.setdefault(name, (path, physical))
            elif wrong:
                problems.append(
                    Problem(
                        shown,
                        f"column has type {physical}; the contract needs {contract.type}",
                        field=name,
                    )
                )
            seen.setdefault(name, shown)
        per_file.append((shown, {n for n in schema if n in ITEM_COLUMNS_BY_NAME}))
    for shown, present in per_file:
        for name in sorted(set(seen) - present):
            problems.append(
                Problem(
                    shown,
                    f"column is missing here but present in {seen[name]}; every file needs the same columns",
                    field=name,
                )
            )
    if problems:
        raise InputError(problems)
    # Timestamps stored as instants (Parquet's isAdjustedToUTC): the engine converts them to the reporting zone.
    instants = zoned - set(unusable) if fmt == "parquet" else set()
    return set(seen) - set(unusable), ignored, instants, unusable


def _unusable_timestamps(
    unusable: dict[str, tuple[Path, str]], files: list[Path], display: DisplayFn
) -> tuple[InputWarning, ...]:
    if not unusable:
        return ()
    rows = _parquet_rows(files)
    return tuple(
        InputWarning(
            kind="timestamp",
            file=display(path),
            column=name,
            value=f"column type {physical}",
            reason="not a timestamp type: the column is left out, so the rules and figures that read it are missing "
            "evidence",
            allowed="Parquet TIMESTAMP (with or without a zone, any unit) or DATE; `aireport convert` types text",
            rows=max(rows, 1),
        )
        for name, (path, physical) in sorted(unusable.items())
    )


def _parquet_rows(files: list[Path]) -> int:
    listing = "[" + ", ".join(_sql_string(str(p)) for p in files) + "]"
    row = duckdb.connect().execute(f"SELECT sum(num_rows) FROM parquet_file_metadata({listing})").fetchone()
    return int(row[0] or 0) if row else 0


def _describe(con: duckdb.DuckDBPyConnection, path: Path, fmt: ItemFormat, hive: bool = False) -> dict[str, str]:
    quoted = _sql_string(str(path))
    if fmt == "parquet":
        source = f"read_parquet({quoted}{_hive_options(hive)})"
    elif fmt == "csv":
        source = f"read_csv({quoted}, header = true, all_varchar = true)"
    else:
        source = f"read_json({quoted}, format = 'newline_delimited')"
    rows = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


ALL_ITEM_COLUMNS = tuple(c.name for c in ITEM_COLUMNS)
