"""The creators' ledger as files for the library: CSV (opened in spreadsheets) and Parquet (read by programs).

One row per creator (or rights holder), the delivery's totals as a last row keyed ``*``. Shares are exact fractions
written ``n/d``; reason counts ``CODE=n`` joined by ``;``. A CSV cell that a spreadsheet would read as a formula
(starting with = + - @, or a control character) is prefixed with an apostrophe, and control characters are dropped:
names come from the item manifests, which strangers write.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aireport.models.ledger import Ledger, LedgerLine, Totals, fraction_text

TOTAL_KEY = "*"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _reasons(counts: dict[str, int]) -> str:
    return ";".join(f"{code}={n}" for code, n in counts.items())


COLUMNS = (
    "items",
    "bytes",
    "cleared_items",
    "cleared_bytes",
    "cleared_weight",
    "not_cleared_items",
    "unknown_items",
    "not_cleared_by_reason",
    "unknown_by_reason",
    "share_count",
    "share_bytes",
    "share_weight",
    "allocation_minor",
    "allocation",
    "currency",
    "basis",
)
"""The columns after the key (``creator`` or ``rights_holder``), in order (docs/clearance.md)."""


def _row(ledger: Ledger, key: str | None, totals: Totals, line: LedgerLine | None) -> tuple[Any, ...]:
    """One line in COLUMNS order after its key: a tuple, not a dict (a million lines at 700M items); the key and
    the two reason columns are its only text that strangers wrote (positions 0, 8 and 9, which _csv guards)."""
    money = ledger.amount
    if line is None:  # the totals row: the whole delivery, the whole amount
        figures = (totals.cleared_items, totals.cleared_bytes, totals.cleared_weight)
        shares = tuple("1" if figure else None for figure in figures)
        allocated = money
    else:
        shares = (fraction_text(line.share_count), fraction_text(line.share_bytes), fraction_text(line.share_weight))
        allocated = line.allocation
    return (
        key,
        totals.items,
        totals.bytes,
        totals.cleared_items,
        totals.cleared_bytes,
        totals.cleared_weight,
        totals.not_cleared_items,
        totals.unknown_items,
        _reasons(totals.not_cleared_by_reason),
        _reasons(totals.unknown_by_reason),
        *shares,
        allocated.minor if allocated else None,
        allocated.text() if allocated else None,
        money.currency if money else None,
        ledger.basis if money else None,
    )


def rows(ledger: Ledger) -> list[tuple[Any, ...]]:
    """Every line, then the totals row; each a tuple in (key, *COLUMNS) order."""
    out = [_row(ledger, line.key, line.totals, line) for line in ledger.lines]
    out.append(_row(ledger, TOTAL_KEY, ledger.totals, None))
    return out


def safe_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value if value.isprintable() else _CONTROL.sub("", value)  # every control character is unprintable
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ledger_files(ledger: Ledger) -> tuple[bytes, bytes]:
    """The ledger as CSV and as Parquet, from rows built once."""
    data = rows(ledger)
    return _csv(ledger, data), _parquet(ledger, data)


def _csv(ledger: Ledger, data: list[tuple[Any, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow((ledger.key, *COLUMNS))
    # Only the key and the reason codes are text others wrote (item manifests, a pack's rule ids); the rest is ours.
    writer.writerows((safe_cell(row[0]), *row[1:8], safe_cell(row[8]), safe_cell(row[9]), *row[10:]) for row in data)
    return buffer.getvalue().encode("utf-8")


_TYPES = {
    "items": pa.int64(),
    "bytes": pa.int64(),
    "cleared_items": pa.int64(),
    "cleared_bytes": pa.int64(),
    "cleared_weight": pa.int64(),
    "not_cleared_items": pa.int64(),
    "unknown_items": pa.int64(),
    "allocation_minor": pa.int64(),
}


def _parquet(ledger: Ledger, data: list[tuple[Any, ...]]) -> bytes:
    names = (ledger.key, *COLUMNS)
    columns = {
        name: pa.array(values, _TYPES.get(name, pa.string()))
        for name, values in zip(names, zip(*data, strict=True), strict=True)
    }
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())
