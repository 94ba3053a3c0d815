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


def _row(ledger: Ledger, key: str | None, totals: Totals, line: LedgerLine | None) -> dict[str, Any]:
    return {
        ledger.key: key,
        "items": totals.items,
        "bytes": totals.bytes,
        "cleared_items": totals.cleared_items,
        "cleared_bytes": totals.cleared_bytes,
        "cleared_weight": totals.cleared_weight,
        "not_cleared_items": totals.not_cleared_items,
        "unknown_items": totals.unknown_items,
        "not_cleared_by_reason": _reasons(totals.not_cleared_by_reason),
        "unknown_by_reason": _reasons(totals.unknown_by_reason),
        "share_count": fraction_text(line.share_count) if line else ("1" if totals.cleared_items else None),
        "share_bytes": fraction_text(line.share_bytes) if line else ("1" if totals.cleared_bytes else None),
        "share_weight": fraction_text(line.share_weight) if line else ("1" if totals.cleared_weight else None),
        "allocation_minor": (line.allocation.minor if line and line.allocation else None)
        if line
        else (ledger.amount.minor if ledger.amount else None),
        "allocation": (line.allocation.text() if line and line.allocation else None)
        if line
        else (ledger.amount.text() if ledger.amount else None),
        "currency": ledger.amount.currency if ledger.amount else None,
        "basis": ledger.basis if ledger.amount else None,
    }


def rows(ledger: Ledger) -> list[dict[str, Any]]:
    """Every line, then the totals row."""
    out = [_row(ledger, line.key, line.totals, line) for line in ledger.lines]
    out.append(_row(ledger, TOTAL_KEY, ledger.totals, None))
    return out


def safe_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ledger_csv(ledger: Ledger) -> bytes:
    data = rows(ledger)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(data[0]), lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
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


def ledger_parquet(ledger: Ledger) -> bytes:
    data = rows(ledger)
    columns = {name: pa.array([r[name] for r in data], _TYPES.get(name, pa.string())) for name in data[0]}
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())
