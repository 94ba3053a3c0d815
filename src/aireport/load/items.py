"""Item manifests: resolved to files and checked against the column contract, never loaded.

The engine receives an :class:`ItemScan`: the files, their format, and the SQL that reads them.
Only the columns a rule or measure names are read, so a 700M-row manifest costs what its used
columns cost.

Paths are paths: a name in the manifest is read literally (a ``*`` in a file name is a ``*``, and DuckDB,
which would expand it, is given it escaped); a pattern is written ``{glob: ...}``. Folders named
``key=value`` are columns only where the manifest says ``hive: true``. Text formats are read with a fixed
dialect (comma, double quote; no sniffing), so a ragged row or a row with another delimiter is that row's
problem, not the file's.
"""

from __future__ import annotations

import csv
import glob
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from aireport.errors import InputError, Problem
from aireport.guards.text import decode
from aireport.load.lines import jsonl_problems
from aireport.models.provenance import ITEM_COLUMNS, ITEM_COLUMNS_BY_NAME, ItemFiles
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

# JSON Lines: what a JSON value must be for each contract type (json_type names), the conversion, and what
# the rejection says. Text columns are read as text (a number is its digits); the others are read as JSON
# and converted only when the JSON type fits: DuckDB's typed reader would round 1.5 to 2, read true as 1
# and stop the whole scan at "abc".
_JSON_TYPES: dict[str, tuple[str, str, str]] = {
    "BIGINT": ("'BIGINT', 'UBIGINT'", "TRY_CAST({v} AS BIGINT)", "an integer within the 64-bit range"),
    "DOUBLE": ("'BIGINT', 'UBIGINT', 'DOUBLE'", "CAST({v} AS DOUBLE)", "a number"),
    "BOOLEAN": ("'BOOLEAN'", "CAST({v} AS BOOLEAN)", "true or false"),
    # Kept as text: the engine reads it as an instant in the reporting zone (see ``reader_type``).
    "TIMESTAMP": (
        "'VARCHAR'",
        "CASE WHEN TRY_CAST(json_extract_string({v}, '$') AS TIMESTAMPTZ) IS NOT NULL "
        "THEN json_extract_string({v}, '$') END",
        'a date and time as text, e.g. "2025-01-31 12:00:00" or "2025-01-31T12:00:00+08:00"',
    ),
}
ROW_PROBLEM = "_row_problem"
"""JSON Lines: the column carrying the first type problem of a row (0: none); see :meth:`ItemScan.type_checks`."""


@dataclass(frozen=True)
class ItemScan:
    """Where the items are and which contract columns they carry."""

    files: tuple[Path, ...]
    format: ItemFormat
    displays: tuple[str, ...]
    columns: frozenset[str]
    ignored_columns: tuple[str, ...] = field(default=())
    hive: bool = False  # key=value folders: their values are columns (only where the manifest says hive: true)
    row_count: int | None = None  # from Parquet footers; text formats are not counted before the scan
    header: tuple[str, ...] = ()  # CSV: every column of the shared header, in order
    instants: frozenset[str] = field(default=frozenset())  # Parquet timestamp columns stored with a zone (UTC)
    warnings: tuple[InputWarning, ...] = ()  # timestamp columns without a usable type: left out, counted

    def from_clause(self, *, with_location: bool = False) -> str:
        """A DuckDB relation reading every file; paths are quoted and glob-escaped, never user SQL.

        ``with_location`` adds ``filename`` and, for one text file, ``ordinality`` (the row's position among
        the rows the reader returned; the engine turns it into a line) or, for Parquet, ``file_row_number``.
        """
        files = "[" + ", ".join(_sql_string(literal_glob(str(p))) for p in self.files) + "]"
        hive = _hive_options(self.hive)
        if self.format == "parquet":
            extra = ", filename = true, file_row_number = true" if with_location else ""
            return f"read_parquet({files}, union_by_name = true{hive}{extra})"
        located = (", filename = true", " WITH ORDINALITY") if with_location else ("", "")
        if self.format == "csv":
            types = _struct((name, reader_type(name, "csv")) for name in self.header)
            read = (
                f"read_csv({files}, columns = {types}, header = true, auto_detect = false, delim = ',', "
                f"quote = '\"', escape = '\"', store_rejects = true, ignore_errors = true{hive}{located[0]})"
            )
            # A subquery: DuckDB cannot expand alias.* over a table function WITH ORDINALITY.
            return f"(SELECT * FROM {read}{located[1]})" if with_location else read
        return self._jsonl(files, hive, located)

    def _jsonl(self, files: str, hive: str, located: tuple[str, str]) -> str:
        columns = sorted(self.columns - self.partition_columns)
        read = _struct((c, "VARCHAR" if _column_type(c) == "VARCHAR" else "JSON") for c in columns)
        typed, checks = [], []
        for name in columns:
            ref = _ident(name)
            kind = _column_type(name)
            if kind == "VARCHAR":
                typed.append(ref)
                continue
            accepted, cast, _ = _JSON_TYPES[kind]
            value = f"CASE WHEN json_type({ref}) IN ({accepted}) THEN {cast.format(v=ref)} END"
            typed.append(f"{value} AS {ref}")
            checks.append(f"{ref} IS NOT NULL AND json_type({ref}) <> 'NULL' AND ({value}) IS NULL")
        problem = (
            "CASE " + " ".join(f"WHEN {c} THEN {i}" for i, c in enumerate(checks, start=1)) + " ELSE 0 END"
            if checks
            else "0"
        )
        passthrough = [_ident(c) for c in sorted(self.partition_columns)]
        if located[0]:
            passthrough += ["filename", "ordinality"]
        keep = "".join(f", {p}" for p in passthrough)
        return (
            f"(SELECT {', '.join([*typed, f'{problem} AS {_ident(ROW_PROBLEM)}'])}{keep} "
            f"FROM read_json({files}, format = 'newline_delimited', columns = {read}{hive}{located[0]}){located[1]})"
        )

    @property
    def partition_columns(self) -> frozenset[str]:
        """Contract columns that come from key=value folder names (hive: true)."""
        if not self.hive:
            return frozenset()
        keys = {part.split("=", 1)[0] for path in self.files for part in path.parent.parts if _HIVE.match(part)}
        return frozenset(keys & self.columns)

    def type_checks(self) -> list[tuple[str, str]]:
        """JSON Lines: (column, what it must be) in the order of the codes of :data:`ROW_PROBLEM`."""
        if self.format != "jsonl":
            return []
        columns = sorted(self.columns - self.partition_columns)
        return [(c, _JSON_TYPES[_column_type(c)][2]) for c in columns if _column_type(c) != "VARCHAR"]


_HIVE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _column_type(name: str) -> str:
    column = ITEM_COLUMNS_BY_NAME.get(name)
    return column.type if column is not None else "VARCHAR"


def reader_type(column: str, fmt: ItemFormat) -> str:
    """The type a text reader parses a column as (a column outside the contract: text).

    Timestamps may carry a zone offset. DuckDB's CSV reader honours it as TIMESTAMPTZ (a value without one
    is read in the session zone, which the engine sets); its JSON reader reads a value without offset as
    UTC whatever the session zone, so JSON timestamps arrive as text and the engine casts them (see
    ``aireport.engine.scan.timestamp_sql``).
    """
    kind = _column_type(column)
    if kind == "TIMESTAMP":
        return "TIMESTAMPTZ" if fmt == "csv" else "VARCHAR"
    return kind


def _struct(pairs: Iterable[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{_sql_string(n)}: {_sql_string(t)}" for n, t in pairs) + "}"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _hive_options(hive: bool) -> str:
    # Partition values stay text: autocasting would turn source_id=0042 into the number 42.
    return ", hive_partitioning = true, hive_types_autocast = false" if hive else ", hive_partitioning = false"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_GLOB_CHARS = re.compile(r"[\[*?]")


def literal_glob(path: str) -> str:
    """``path`` as a DuckDB file pattern matching exactly that file: DuckDB expands ``*``, ``?`` and ``[`` in
    every path it is given, so each is written as a one-character set (``[*]``)."""
    return _GLOB_CHARS.sub(lambda m: f"[{m.group()}]", path)


@dataclass(frozen=True)
class _Entry:
    text: str
    pattern: bool
    hive: bool


def _entries(entries: Iterable[str | ItemFiles]) -> list[_Entry]:
    out = []
    for entry in entries:
        if isinstance(entry, str):
            out.append(_Entry(entry, False, False))
        else:
            out.append(_Entry(entry.glob or entry.path or "", entry.glob is not None, entry.hive))
    return out


def _listed(folder: Path) -> list[Path]:
    """Item files in a folder and its subfolders; hidden files (.DS_Store, ._x.parquet, .x.part) are not data."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in _SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def resolve_item_files(entries: Iterable[str | ItemFiles], base_dir: Path) -> tuple[list[Path], list[Problem]]:
    files, _, problems = _resolve(_entries(entries), base_dir)
    return files, problems


def _resolve(entries: Sequence[_Entry], base_dir: Path) -> tuple[list[Path], dict[Path, Path], list[Problem]]:
    """The files of every entry, the folder each hive entry's partitions start below, and the problems."""
    files: list[Path] = []
    roots: dict[Path, Path] = {}
    problems: list[Problem] = []
    for entry in entries:
        target = base_dir / entry.text
        if entry.pattern:
            matched = sorted(Path(p) for p in glob.glob(str(target), recursive=True) if Path(p).is_file())
            if not matched:
                problems.append(Problem(entry.text, "the pattern matches no file", field="items"))
            root = base_dir.joinpath(*[p for p in _fixed_parts(entry.text)])
        elif target.is_dir():
            matched = _listed(target)
            if not matched:
                allowed = ", ".join(sorted(_SUFFIXES))
                problems.append(Problem(entry.text, f"the folder holds no item manifest ({allowed})", field="items"))
            root = target
        elif target.is_file():
            matched, root = [target], target.parent
        else:
            hint = ""
            if _GLOB_CHARS.search(entry.text):
                hint = f"; a name is read literally: for a pattern write {{glob: {entry.text!r}}}"
            problems.append(Problem(entry.text, f"no such file or folder{hint}", field="items"))
            continue
        files += matched
        if entry.hive:
            roots.update((path, root) for path in matched)
    return files, roots, problems


def _fixed_parts(pattern: str) -> list[str]:
    """The folders of a pattern before its first wildcard: where a hive pattern's partitions start."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts[:-1]:
        if _GLOB_CHARS.search(part):
            break
        fixed.append(part)
    return fixed


def open_item_scan(entries: Iterable[str | ItemFiles], base_dir: Path, display: DisplayFn) -> ItemScan | None:
    """Resolve the manifest's ``items`` entries and check the columns of every file."""
    listed = _entries(entries)
    files, roots, problems = _resolve(listed, base_dir)
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
    hive = any(e.hive for e in listed)
    if hive and not all(e.hive for e in listed):
        raise InputError(
            [Problem("items", "hive: true is set on some entries and not others; a scan reads all one way")]
        )
    fmt: ItemFormat = formats.pop()  # type: ignore[assignment]
    partitions = _partitions(files, roots, display) if hive else {}
    columns, ignored, header, instants, unusable = _check_columns(files, fmt, display, partitions)
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
        header=header,
    )


def _partitions(files: list[Path], roots: dict[Path, Path], display: DisplayFn) -> dict[Path, set[str]]:
    """Partition keys of each file (key=value folders below its entry's root); folders above the root that
    look like partitions would be read as columns too, and a partition may only give a text column."""
    problems: list[Problem] = []
    keys: dict[Path, set[str]] = {}
    for path in files:
        root = roots[path]
        above = [part for part in root.parts if _HIVE.match(part)]
        for part in above:
            name = part.split("=", 1)[0]
            if name in ITEM_COLUMNS_BY_NAME:
                problems.append(
                    Problem(
                        display(path),
                        f"the folder {part!r} above the dataset's root would be read as column {name}; "
                        "move the dataset or rename the folder",
                        field="items",
                    )
                )
        below = path.parent.relative_to(root).parts if path.parent != root else ()
        keys[path] = {part.split("=", 1)[0] for part in below if _HIVE.match(part)}
        for name in sorted(keys[path]):
            kind = _column_type(name)
            if name in ITEM_COLUMNS_BY_NAME and kind != "VARCHAR":
                problems.append(
                    Problem(
                        display(path),
                        f"folder names give text, and column {name} is {kind}; write it in the files",
                        field=name,
                    )
                )
    if problems:
        raise InputError(problems)
    return keys


def _check_columns(
    files: list[Path], fmt: ItemFormat, display: DisplayFn, partitions: dict[Path, set[str]]
) -> tuple[set[str], set[str], tuple[str, ...], set[str], dict[str, tuple[Path, str]]]:
    """Every file must carry the required columns, with contract-compatible types, and the same
    contract columns as the others: a column missing from one file of many would silently turn its
    rows into missing evidence. CSV files share one header (they are read by position).

    A timestamp column without a timestamp type (text, a plain number) is the one type error that is not
    fatal here: the column is left out, as if absent (its rules report missing evidence), and returned with
    its first file and type so the run counts and shows it; ``check --strict`` makes it an error."""
    con = duckdb.connect()
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    ignored: set[str] = set()
    per_file: list[tuple[str, set[str]]] = []
    zoned: set[str] = set()  # columns some file stores as TIMESTAMP WITH TIME ZONE
    unusable: dict[str, tuple[Path, str]] = {}  # timestamp column -> (first file, its type there)
    headers = _csv_headers(files, display, problems) if fmt == "csv" else {}

    def described(path: Path) -> dict[str, str] | InputError | None:
        """The file's schema, its error, or None for a CSV file whose header was refused above."""
        if fmt == "csv":
            return dict.fromkeys(headers[path], "VARCHAR") if path in headers else None
        cursor = con.cursor()  # one per thread
        try:
            return _describe(cursor, path, fmt, display(path))
        except InputError as exc:
            return exc
        finally:
            cursor.close()

    # Two files' footers at a time (DuckDB releases the GIL): a hundred files took 0.4 s one by one.
    with ThreadPoolExecutor(max_workers=2) as pool:
        schemas = list(pool.map(described, files))
    for path, schema in zip(files, schemas, strict=True):
        shown = display(path)
        if not isinstance(schema, dict):
            problems += schema.problems if schema is not None else []
            continue
        problems += _with_partitions(schema, partitions.get(path, set()), shown)
        zoned |= {name for name, physical in schema.items() if physical == "TIMESTAMP WITH TIME ZONE"}
        untyped: dict[str, str] = {}
        problems += _contract(schema, fmt, shown, seen, ignored, untyped.setdefault)
        for name, physical in untyped.items():
            unusable.setdefault(name, (path, physical))
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
    first = headers.get(files[0]) if headers else None
    # Timestamps stored as instants (Parquet's isAdjustedToUTC): the engine converts them to the reporting zone.
    instants = zoned - set(unusable) if fmt == "parquet" else set()
    return set(seen) - set(unusable), ignored, tuple(first or ()), instants, unusable


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


def _csv_headers(files: list[Path], display: DisplayFn, problems: list[Problem]) -> dict[Path, list[str]]:
    """Each CSV file's header; every file must have the first one's (the reader reads by position)."""
    headers: dict[Path, list[str]] = {}
    first: tuple[str, list[str]] | None = None
    for path in files:
        shown = display(path)
        try:
            names = csv_header(path, shown)
        except InputError as exc:
            problems += exc.problems
            continue
        if first is None:
            first = (shown, names)
        elif names != first[1]:
            problems.append(
                Problem(
                    shown,
                    f"the header differs from {first[0]}'s; every CSV file of a dataset needs the same columns in "
                    "the same order",
                    line=1,
                )
            )
            continue
        headers[path] = names
    return headers


def _with_partitions(schema: dict[str, str], keys: set[str], shown: str) -> list[Problem]:
    """Add the file's partition columns (text) to its schema; a column in both is an error."""
    problems = [
        Problem(shown, f"column {name} is both in the file and in its folder names ({name}=...); keep one", field=name)
        for name in sorted(keys)
        if name in schema
    ]
    schema.update(dict.fromkeys(keys, "VARCHAR"))
    return problems


def _contract(
    schema: dict[str, str],
    fmt: ItemFormat,
    shown: str,
    seen: dict[str, str],
    ignored: set[str],
    untyped_timestamp: Callable[[str, str], object],
) -> list[Problem]:
    """The required columns, and the physical type of every contract column (Parquet)."""
    problems = []
    for name in ("item_id", "source_id"):
        if name not in schema:
            hint = ""
            if fmt == "csv" and len(schema) == 1 and any(d in next(iter(schema)) for d in ";\t|"):
                hint = "; the header has one column: aireport reads comma-separated files"
            where = {"line": 1} if fmt == "csv" else {}
            problems.append(Problem(shown, f"required column is missing{hint}", field=name, **where))
    for name, physical in schema.items():
        contract = ITEM_COLUMNS_BY_NAME.get(name)
        if contract is None:
            ignored.add(name)
            continue
        # A column written with no non-null value has Parquet type NULL: empty, not wrong.
        wrong = fmt == "parquet" and physical != '"NULL"' and physical not in _COMPATIBLE[contract.type]
        if wrong and contract.type == "TIMESTAMP":
            untyped_timestamp(name, physical)
        elif wrong:
            problems.append(
                Problem(shown, f"column has type {physical}; the contract needs {contract.type}", field=name)
            )
        seen.setdefault(name, shown)
    return problems


def csv_header(path: Path, shown: str) -> list[str]:
    """The column names of a CSV file's first line (stripped), each once."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20).rstrip(b"\n").split(b"\r")[0]  # LF, CRLF or CR line ends
    text = decode(first, shown).lstrip("\ufeff")
    if not text.strip():
        raise InputError([Problem(shown, "the first line must name the columns (item_id,source_id,...)", line=1)])
    try:
        names = [n.strip() for n in next(csv.reader([text]))]
    except csv.Error as exc:
        raise InputError([Problem(shown, f"the header is not well-formed CSV: {exc}", line=1)]) from None
    problems = [Problem(shown, "a column has no name in the header", line=1) for n in names if not n][:1]
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    problems += [
        Problem(shown, f"column {name!r} appears {n} times in the header", line=1, field=name)
        for name, n in counts.items()
        if n > 1 and name
    ]
    if problems:
        raise InputError(problems)
    return names


def _parquet_rows(files: list[Path]) -> int:
    listing = "[" + ", ".join(_sql_string(literal_glob(str(p))) for p in files) + "]"
    row = duckdb.connect().execute(f"SELECT sum(num_rows) FROM parquet_file_metadata({listing})").fetchone()
    return int(row[0] or 0) if row else 0


def _describe(con: duckdb.DuckDBPyConnection, path: Path, fmt: ItemFormat, shown: str) -> dict[str, str]:
    quoted = _sql_string(literal_glob(str(path)))
    try:
        if fmt == "parquet":
            return _parquet_schema(con, quoted, shown)
        rows = con.execute(
            f"DESCRIBE SELECT * FROM read_json({quoted}, format = 'newline_delimited', hive_partitioning = false)"
        ).fetchall()
    except duckdb.Error as exc:
        if fmt == "jsonl":
            located = jsonl_problems(path, shown, limit=5)
            if located:
                raise InputError(located) from None
        raise InputError([Problem(shown, f"cannot read {fmt}: {_first_line(exc)}")]) from None
    schema = {str(r[0]): str(r[1]) for r in rows}
    if "item_id" not in schema:  # a line that is no object (an array, a string) makes DuckDB see no keys
        located = jsonl_problems(path, shown, limit=5)
        if located:
            raise InputError(located)
    return schema


def _parquet_schema(con: duckdb.DuckDBPyConnection, quoted: str, shown: str) -> dict[str, str]:
    """Top-level columns and their types; a name given twice (which DuckDB would rename name_1) is an error."""
    elements = con.execute(f"SELECT name, num_children FROM parquet_schema({quoted})").fetchall()
    top: list[str] = []
    pending = [int(elements[0][1] or 0)] if elements else []  # children still to see, per open level
    for name, children in elements[1:]:
        if len(pending) == 1:
            top.append(str(name))
        pending[-1] -= 1
        if children:
            pending.append(int(children))
        while pending and pending[-1] == 0 and len(pending) > 1:
            pending.pop()
    twice = sorted({n for n in top if top.count(n) > 1})
    if twice:
        raise InputError(
            [Problem(shown, f"column {n!r} appears {top.count(n)} times in the file", field=n) for n in twice]
        )
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({quoted}, hive_partitioning = false)").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


ALL_ITEM_COLUMNS = tuple(c.name for c in ITEM_COLUMNS)
