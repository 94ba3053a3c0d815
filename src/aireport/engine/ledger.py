"""The ledger's figures and the clearance counts, aggregated by DuckDB over the clearance listing.

The listing is the scan's own output (one row per delivered item), so these are narrow reads of a few columns; a
creator's excluded items are counted per reason code over the unnested ``reasons`` lists.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from aireport.engine.backend import Backend
from aireport.models.ledger import LedgerKey, Totals


def _source(listing: Path) -> str:
    return "read_parquet('" + str(listing).replace("'", "''") + "')"


_AGGREGATES = (
    "count(*) AS items",
    "CASE WHEN count(size_bytes) = count(*) THEN sum(size_bytes) END AS bytes",
    "count_if(cleared = 'yes') AS cleared_items",
    "CASE WHEN count(size_bytes) FILTER (cleared = 'yes') = count_if(cleared = 'yes') "
    "THEN coalesce(sum(size_bytes) FILTER (cleared = 'yes'), 0) END AS cleared_bytes",
    "CASE WHEN count(usage_weight) FILTER (cleared = 'yes') = count_if(cleared = 'yes') "
    "THEN coalesce(sum(usage_weight) FILTER (cleared = 'yes'), 0) END AS cleared_weight",
    "count_if(cleared = 'no') AS not_cleared_items",
    "count_if(cleared = 'unknown') AS unknown_items",
)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _totals(row: tuple[Any, ...], reasons: dict[str, dict[str, int]] | None = None) -> Totals:
    items, size, cleared, cleared_bytes, weight, no, unknown = row
    reasons = reasons or {}
    return Totals(
        items=int(items),
        bytes=_int(size),
        cleared_items=int(cleared),
        cleared_bytes=_int(cleared_bytes),
        cleared_weight=_int(weight),
        not_cleared_items=int(no),
        unknown_items=int(unknown),
        not_cleared_by_reason=dict(sorted(reasons.get("no", {}).items())),
        unknown_by_reason=dict(sorted(reasons.get("unknown", {}).items())),
    )


def delivery_totals(con: Backend, listing: Path, has_weight: bool) -> Totals:
    """The whole delivery: items, bytes, verdicts, and the items of each reason code."""
    row = con.execute(f"SELECT {', '.join(_AGGREGATES)} FROM {_source(listing)}").fetchone()
    reasons: dict[str, dict[str, int]] = {}
    for cleared, code, n in con.execute(
        f"SELECT cleared, code, count(*) FROM (SELECT cleared, unnest(reasons) AS code FROM {_source(listing)} "
        "WHERE cleared <> 'yes') GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        reasons.setdefault(str(cleared), {})[str(code)] = int(n)
    totals = _totals(tuple(row), reasons)
    return totals if has_weight else _without_weight(totals)


def ledger_totals(con: Backend, listing: Path, key: LedgerKey, has_weight: bool) -> dict[str | None, Totals]:
    """Totals per creator (or rights holder), in key order with None last."""
    column = "creator" if key == "creator" else "rights_holder"
    rows = con.execute(
        f"SELECT {column}, {', '.join(_AGGREGATES)} FROM {_source(listing)} GROUP BY {column} "
        f"ORDER BY {column} NULLS LAST"
    ).fetchall()
    reasons: dict[str | None, dict[str, dict[str, int]]] = {}
    for who, cleared, code, n in con.execute(
        f"SELECT who, cleared, code, count(*) FROM (SELECT {column} AS who, cleared, unnest(reasons) AS code "
        f"FROM {_source(listing)} WHERE cleared <> 'yes') GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        reasons.setdefault(who, {}).setdefault(str(cleared), {})[str(code)] = int(n)
    out: dict[str | None, Totals] = {}
    for row in rows:
        totals = _totals(tuple(row[1:]), reasons.get(row[0]))
        out[None if row[0] is None else str(row[0])] = totals if has_weight else _without_weight(totals)
    return out


def _without_weight(totals: Totals) -> Totals:
    """No usage_weight column: no weight figure at all (zero would read as a weight of nothing)."""
    return replace(totals, cleared_weight=None)
