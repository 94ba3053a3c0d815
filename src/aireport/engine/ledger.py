"""The ledger's figures and the clearance counts, aggregated by DuckDB over the clearance listing.

The listing is the scan's own output (one row per delivered item), so these are narrow reads of a few columns; a
creator's excluded items are counted per reason code over the unnested ``reasons`` lists.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from aireport.engine.backend import Backend
from aireport.models.ledger import Totals


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


def ledger_figures(
    con: Backend, listing: Path, has_weight: bool
) -> tuple[Totals, dict[str | None, Totals], dict[str | None, Totals]]:
    """The delivery's totals and the totals per creator and per rights holder, in two passes over the listing
    (GROUPING SETS: the figures, then the reason codes); keys in order, None last."""
    source = _source(listing)
    sets = "GROUPING SETS ((creator), (rights_holder), ())"
    rows = con.execute(
        f"SELECT GROUPING(creator), GROUPING(rights_holder), creator, rights_holder, {', '.join(_AGGREGATES)} "
        f"FROM {source} GROUP BY {sets}"
    ).fetchall()
    reasons: dict[tuple[int, str | None], dict[str, dict[str, int]]] = {}
    for g_creator, g_holder, creator, holder, cleared, code, n in con.execute(
        "SELECT GROUPING(creator), GROUPING(rights_holder), creator, rights_holder, cleared, code, count(*) "
        f"FROM (SELECT creator, rights_holder, cleared, unnest(reasons) AS code FROM {source} "
        "WHERE cleared <> 'yes') GROUP BY GROUPING SETS ((creator, cleared, code), (rights_holder, cleared, code), "
        "(cleared, code))"
    ).fetchall():
        key = _group(g_creator, g_holder, creator, holder)
        reasons.setdefault(key, {}).setdefault(str(cleared), {})[str(code)] = int(n)
    out: dict[int, dict[str | None, Totals]] = {0: {}, 1: {}, 2: {}}
    for g_creator, g_holder, creator, holder, *figures in rows:
        kind, who = _group(g_creator, g_holder, creator, holder)
        totals = _totals(tuple(figures), reasons.get((kind, who)))
        out[kind][who] = totals if has_weight else _without_weight(totals)
    empty = Totals(0, 0, 0, 0, 0 if has_weight else None, 0, 0)
    return out[2].get(None, empty), _ordered(out[0]), _ordered(out[1])


def _group(g_creator: int, g_holder: int, creator: Any, holder: Any) -> tuple[int, str | None]:
    """(0: a creator, 1: a rights holder, 2: the delivery; the key)."""
    if not g_creator:
        return 0, None if creator is None else str(creator)
    if not g_holder:
        return 1, None if holder is None else str(holder)
    return 2, None


def _ordered(lines: dict[str | None, Totals]) -> dict[str | None, Totals]:
    return dict(sorted(lines.items(), key=lambda kv: (kv[0] is None, (kv[0] or "").encode("utf-8"))))


def _without_weight(totals: Totals) -> Totals:
    """No usage_weight column: no weight figure at all (zero would read as a weight of nothing)."""
    return replace(totals, cleared_weight=None)
