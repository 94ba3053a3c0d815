"""The source inventory: one row per source, from CSV (the standard library's reader: each row keeps its
physical line number), XLSX (openpyxl: each row keeps its sheet row number, the header being row 1) or
Parquet (pyarrow: each row its row number; a NaN stays a NaN, never an empty cell).

Every value is checked at the door: a date that does not exist, a count beyond 64 bits, infinity or NaN,
a header naming a column twice, a row with too few or too many cells, a damaged file: each is an error
naming the file, the line or row, the column and what was found.
"""

from __future__ import annotations

import csv
import io
import typing
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aireport.errors import InputError, Problem
from aireport.guards.text import decode
from aireport.load.periods import unusable_period
from aireport.load.yamlfile import describe_error
from aireport.models.provenance import Source
from aireport.models.results import InputWarning

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
LIST_SEPARATOR = ";"
_LIST_FIELDS = frozenset(name for name, f in Source.model_fields.items() if typing.get_origin(f.annotation) is list)
_BOOL_FIELDS = frozenset(
    name for name, f in Source.model_fields.items() if bool in (typing.get_args(f.annotation) or (f.annotation,))
)
_FORMATS = {".csv": "CSV", ".xlsx": "XLSX", ".parquet": "Parquet"}


Located = tuple[dict[str, int], dict[str, Any]]  # (line or row, the row's cells by column)


def load_source_inventory(path: Path, display: str) -> tuple[tuple[Source, ...], tuple[InputWarning, ...]]:
    """Read every row; collect every problem; fail with all of them, or return all sources and the warnings
    (a collection period that is not a period)."""
    columns, rows = _read_rows(path, display)
    header = {"line": 1} if path.suffix.lower() == ".csv" else {"row": 1} if path.suffix.lower() == ".xlsx" else {}
    unknown = [c for c in columns if c not in Source.model_fields]
    if unknown:
        allowed = ", ".join(Source.model_fields)
        raise InputError(
            [Problem(display, f"unknown column (allowed: {allowed})", field=str(c), **header) for c in unknown]
        )
    problems: list[Problem] = []
    sources: list[tuple[dict[str, int], Source]] = []
    warnings: list[InputWarning] = []
    for where, record in rows:
        try:
            cleaned = _clean_row(record, display, where)
            period = unusable_period(cleaned, display, where)
            if period is not None:
                warnings.append(period)
            sources.append((where, Source.model_validate(cleaned)))
        except _CellError as exc:
            problems.append(exc.problem)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or None
                problems.append(Problem(display, describe_error(err), field=field, **where))
    problems += _duplicates(sources, display)
    if problems:
        raise InputError(problems)
    if not sources:
        raise InputError([Problem(display, "the source inventory has no rows")])
    return tuple(source for _, source in sources), tuple(warnings)


def read_inventory_rows(path: Path, display: str) -> list[Located]:
    """Every data row of an inventory file with where it is (line for CSV, row for XLSX and Parquet)."""
    return _read_rows(path, display)[1]


def _duplicates(sources: list[tuple[dict[str, int], Source]], display: str) -> list[Problem]:
    """Every row after the first that repeats a source_id, naming where the first is."""
    first: dict[str, dict[str, int]] = {}
    problems = []
    for where, source in sources:
        if source.source_id in first:
            ((kind, number),) = first[source.source_id].items()
            problems.append(
                Problem(
                    display,
                    f"duplicate source_id {source.source_id!r} (first on {kind} {number})",
                    field="source_id",
                    **where,
                )
            )
        else:
            first[source.source_id] = where
    return problems


def _read_rows(path: Path, display: str) -> tuple[list[str], list[Located]]:
    kind = _FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            [
                Problem(
                    display,
                    f"unsupported inventory format {path.suffix!r}; allowed: .csv, .xlsx, .parquet",
                )
            ]
        )
    if not path.is_file():
        raise InputError([Problem(display, "file not found")])
    if kind == "CSV":
        return _csv_rows(path, display)
    if kind == "XLSX":
        return _xlsx_rows(path, display)
    return _parquet_rows(path, display)


def _csv_rows(path: Path, display: str) -> tuple[list[str], list[Located]]:
    """Cells as text; a row's line is where it starts in the file (a quoted cell may span lines)."""
    text = decode(path.read_bytes(), display).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise InputError([Problem(display, "the source inventory is empty; the first line names the columns")])
        columns = [c.strip() for c in header]
        _check_header(columns, display, {"line": 1})
        rows: list[Located] = []
        problems: list[Problem] = []
        line = reader.line_num + 1
        for cells in reader:
            if cells == [] or all(not c.strip() for c in cells):
                line = reader.line_num + 1
                continue
            if len(cells) != len(columns):
                problems.append(Problem(display, f"{len(cells)} cells in a row of {len(columns)} columns", line=line))
            else:
                rows.append(({"line": line}, dict(zip(columns, cells, strict=True))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(display, f"not well-formed CSV: {exc}", line=line)]) from None
    if problems:
        raise InputError(problems)
    return columns, rows


def _check_header(columns: list[str], display: str, where: dict[str, int]) -> None:
    counts = Counter(columns)
    line, row = where.get("line"), where.get("row")
    problems = [
        Problem(display, f"column {name!r} appears {n} times in the header", field=name, line=line, row=row)
        for name, n in counts.items()
        if n > 1 and name
    ]
    problems += [
        Problem(display, "a column has no name in the header", line=line, row=row) for name in columns if not name
    ][:1]
    if problems:
        raise InputError(problems)


def _xlsx_rows(path: Path, display: str) -> tuple[list[str], list[Located]]:
    """The first sheet; rows numbered as the spreadsheet shows them (the header is row 1)."""
    from openpyxl import load_workbook  # noqa: PLC0415  # only spreadsheets pay for openpyxl

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            table = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
        finally:
            workbook.close()
    except Exception as exc:  # a stranger's file: any parser failure (zip, XML, missing part) is bad input
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError([Problem(display, f"cannot read XLSX: {message}")]) from None
    if not table:
        raise InputError([Problem(display, "the source inventory is empty; row 1 names the columns")])
    _, header = table[0]
    while header and header[-1] is None:
        header.pop()  # formatted but empty cells right of the header
    columns = ["" if c is None else str(c).strip() for c in header]
    _check_header(columns, display, {"row": 1})
    rows: list[Located] = []
    problems: list[Problem] = []
    for number, values in table[1:]:
        if all(_blank(v) for v in values):
            continue
        extra = [v for v in values[len(columns) :] if not _blank(v)]
        if extra:
            problems.append(Problem(display, f"a value right of the last of the {len(columns)} columns", row=number))
            continue
        cells = values[: len(columns)] + [None] * (len(columns) - len(values))
        rows.append(({"row": number}, dict(zip(columns, cells, strict=True))))
    if problems:
        raise InputError(problems)
    return columns, rows


def _parquet_rows(path: Path, display: str) -> tuple[list[str], list[Located]]:
    import pyarrow.parquet as pq  # noqa: PLC0415  # only a Parquet inventory pays for pyarrow

    try:
        columns = list(pq.read_schema(path).names)
        _check_header(columns, display, {})  # before reading: the reader refuses a name given twice
        table = pq.read_table(path)
    except InputError:
        raise
    except Exception as exc:  # a stranger's file: any parser failure is bad input, located
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError([Problem(display, f"cannot read Parquet: {message}")]) from None
    records = table.to_pylist()
    return columns, [({"row": index}, record) for index, record in enumerate(records, start=1)]


class _CellError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _clean_row(record: dict[str, Any], display: str, where: dict[str, int]) -> dict[str, Any]:
    """Spreadsheet cells to model values: blanks are missing, lists split on ';', booleans spelled out."""
    return {key: _cell(key, value, display, where) for key, value in record.items() if not _blank(value)}


def _cell(key: str, value: Any, display: str, where: dict[str, int]) -> Any:
    if key in _LIST_FIELDS:
        if isinstance(value, str):
            return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        return value
    if key in _BOOL_FIELDS and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise _CellError(Problem(display, f"expected true or false, found {value!r}", field=key, **where))
    if isinstance(value, str):
        return value.strip()
    return value


def _blank(value: Any) -> bool:
    """An empty cell. A NaN is not one: it is a value, and no figure may be NaN."""
    return value is None or (isinstance(value, str) and not value.strip())
