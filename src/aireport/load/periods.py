"""A declared collection period that is not a period (its start after its end): a located, counted warning, and
the period is read as not declared; never a silent figure built on it. ``check --strict`` makes it an error.

Both loaders (the inventory file and inline sources) call :func:`unusable_period` on a source's raw record before
it becomes a model; a date that does not parse is left to the model, whose error names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from aireport.models.results import InputWarning

_DATE: TypeAdapter[dt.date] = TypeAdapter(dt.date)
FIELDS = ("collection_start", "collection_end")


def _date(value: Any) -> dt.date | None:
    if hasattr(value, "to_pydatetime"):  # pandas' Timestamp from a spreadsheet, without importing pandas
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        return _DATE.validate_python(value)
    except ValidationError:
        return None


def unusable_period(record: MutableMapping[str, Any], file: str, where: dict[str, int]) -> InputWarning | None:
    """If the record's period starts after it ends: drop both dates from it and say so."""
    start, end = (_date(record.get(name)) for name in FIELDS)
    if start is None or end is None or start <= end:
        return None
    for name in FIELDS:
        record.pop(name, None)
    source = record.get("source_id")
    return InputWarning(
        kind="period",
        file=file,
        line=where.get("line"),
        row=where.get("row"),
        column="collection_start",
        value=f"{start.isoformat()} to {end.isoformat()}",
        reason=f"collection_start is after collection_end (source {source}): the period is read as not declared",
        allowed="collection_start on or before collection_end, dates written YYYY-MM-DD",
        rows=1,
    )
