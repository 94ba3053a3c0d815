"""The source inventory: one row per source, from CSV (the standard library's reader: each row keeps its
physical line number), XLSX or Parquet (pandas, imported only for those)."""

from __future__ import annotations

import csv
import math
import typing
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aireport.errors import InputError, Problem
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
    unknown = [c for c in columns if c not in Source.model_fields]
    if unknown:
        allowed = ", ".join(Source.model_fields)
        raise InputError(
            [Problem(display, f"unknown column (allowed: {allowed})", line=1, field=str(c)) for c in unknown]
        )
    problems: list[Problem] = []
    sources: list[Source] = []
    warnings: list[InputWarning] = []
    for where, record in rows:
        try:
            cleaned = _clean_row(record, display, where)
            period = unusable_period(cleaned, display, where)
            if period is not None:
                warnings.append(period)
            sources.append(Source.model_validate(cleaned))
        except _CellError as exc:
            problems.append(exc.problem)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or None
                problems.append(Problem(display, describe_error(err), field=field, **where))
    counts = Counter(s.source_id for s in sources)
    problems += [
        Problem(display, f"duplicate source_id {sid!r} ({n} rows)", field="source_id")
        for sid, n in sorted(counts.items())
        if n > 1
    ]
    if problems:
        raise InputError(problems)
    if not sources:
        raise InputError([Problem(display, "the source inventory has no rows")])
    return tuple(sources), tuple(warnings)


def read_inventory_rows(path: Path, display: str) -> list[Located]:
    """Every data row of an inventory file with where it is (line for CSV, row for XLSX and Parquet)."""
    return _read_rows(path, display)[1]


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
    return _frame_rows(path, display, kind)


def _csv_rows(path: Path, display: str) -> tuple[list[str], list[Located]]:
    """Cells as text; a row's line is where it starts in the file (a quoted cell may span lines)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise InputError([Problem(display, "the source inventory is empty")])
            columns = [c.strip() for c in header]
            _check_header(columns, display)
            rows: list[Located] = []
            problems: list[Problem] = []
            line = reader.line_num + 1
            for cells in reader:
                if cells == [] or all(not c.strip() for c in cells):
                    line = reader.line_num + 1
                    continue
                if len(cells) != len(columns):
                    problems.append(
                        Problem(display, f"{len(cells)} cells in a row of {len(columns)} columns", line=line)
                    )
                else:
                    rows.append(({"line": line}, dict(zip(columns, cells, strict=True))))
                line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(display, f"not UTF-8 text (byte {exc.start}); save the inventory as UTF-8")]
        ) from None
    except csv.Error as exc:
        raise InputError([Problem(display, f"not a well-formed CSV file: {exc}")]) from None
    if problems:
        raise InputError(problems)
    return columns, rows


def _check_header(columns: list[str], display: str) -> None:
    counts = Counter(columns)
    problems = [
        Problem(display, f"column {name!r} appears {n} times in the header", line=1, field=name or "(empty)")
        for name, n in counts.items()
        if n > 1
    ]
    problems += [Problem(display, "a column has no name in the header", line=1) for name in columns if not name]
    if problems:
        raise InputError(problems)


def _frame_rows(path: Path, display: str, kind: str) -> tuple[list[str], list[Located]]:
    import pandas as pd  # noqa: PLC0415  # only spreadsheets and Parquet pay for pandas

    try:
        frame = pd.read_excel(path, dtype=object, engine="openpyxl") if kind == "XLSX" else pd.read_parquet(path)
    except Exception as exc:  # a stranger's file: any parser failure is bad input, located
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError([Problem(display, f"cannot read {kind}: {message}")]) from None
    columns = [str(c) for c in frame.columns]
    _check_header(columns, display)
    records = frame.to_dict(orient="records")
    return columns, [({"row": index + 1}, {str(k): v for k, v in r.items()}) for index, r in enumerate(records)]


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
        return list(value.tolist()) if hasattr(value, "tolist") else value
    if key in _BOOL_FIELDS and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise _CellError(Problem(display, f"expected true or false, found {value!r}", field=key, **where))
    if isinstance(value, str):
        return value.strip()
    return value.item() if hasattr(value, "item") else value  # numpy scalars from Parquet or Excel


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return type(value).__name__ == "NaTType"  # pandas' missing timestamp, without importing pandas
