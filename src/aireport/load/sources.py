"""The source inventory: one row per source, from CSV, XLSX or Parquet (read with pandas)."""

from __future__ import annotations

import math
import typing
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from aireport.errors import InputError, Problem
from aireport.load.yamlfile import describe_error
from aireport.models.provenance import Source

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
LIST_SEPARATOR = ";"
_LIST_FIELDS = frozenset(name for name, f in Source.model_fields.items() if typing.get_origin(f.annotation) is list)
_BOOL_FIELDS = frozenset(
    name for name, f in Source.model_fields.items() if bool in (typing.get_args(f.annotation) or (f.annotation,))
)
_FORMATS = {".csv": "CSV", ".xlsx": "XLSX", ".parquet": "Parquet"}


def load_source_inventory(path: Path, display: str) -> tuple[Source, ...]:
    """Read every row; collect every problem; fail with all of them, or return all sources."""
    frame = _read_frame(path, display)
    unknown = [c for c in frame.columns if c not in Source.model_fields]
    if unknown:
        allowed = ", ".join(Source.model_fields)
        raise InputError(
            [Problem(display, f"unknown column (allowed: {allowed})", line=1, field=str(c)) for c in unknown]
        )
    is_text = path.suffix.lower() == ".csv"
    problems: list[Problem] = []
    sources: list[Source] = []
    for index, record in enumerate(frame.to_dict(orient="records")):
        # CSV: header is line 1, so data row k (0-based) sits on line k + 2 when no cell spans lines.
        where: dict[str, int] = {"line": index + 2} if is_text else {"row": index + 1}
        try:
            sources.append(Source.model_validate(_clean_row({str(k): v for k, v in record.items()}, display, where)))
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
    return tuple(sources)


def _read_frame(path: Path, display: str) -> pd.DataFrame:
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
    try:
        if kind == "CSV":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        if kind == "XLSX":
            return pd.read_excel(path, dtype=object, engine="openpyxl")
        return pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError([Problem(display, f"cannot read {kind}: {exc}")]) from None


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
    return value is pd.NaT
