"""Item ids given more than once: every figure would count that item twice, so a duplicate is an error.

One more pass, over ``item_id`` alone. DuckDB groups the rows by the id's 64-bit hash (eight bytes a row,
where grouping the ids themselves holds their text); only ids whose hash is shared by two rows are then
compared exactly, so a hash collision is never reported. Spark groups the ids themselves. Each duplicate is
reported at every place it occurs (file and line, or Parquet row), read on the slow path by DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from aireport.engine.backend import Backend
from aireport.engine.locate import located_rows
from aireport.errors import Problem
from aireport.load.items import ItemScan

LISTED = 20
"""Duplicate ids named one by one; the rest are counted."""

HASH_CANDIDATES = 100_000
"""Shared hashes compared exactly by a list; beyond that many, the exact pass groups every id."""

_VALID = "item_id IS NOT NULL AND item_id <> ''"


def id_hashes_sql(relation: str) -> str:
    """The 64-bit hash (column ``h``) of every row's item id, rows without an id left out: what is grouped
    here, and what ``--cache`` keeps per file (engine/partials.py) to group the same way over files."""
    return f"SELECT hash(item_id) AS h FROM {relation} WHERE {_VALID}"


def shared_hashes_sql(hashes: str) -> str:
    """The hashes given by more than one row of the relation ``hashes`` (at most :data:`HASH_CANDIDATES`)."""
    return f"SELECT h FROM ({hashes}) GROUP BY h HAVING count(*) > 1 LIMIT {HASH_CANDIDATES}"


def duplicate_ids(
    con: Backend, items: ItemScan, shared: Sequence[int] | None = None
) -> tuple[list[tuple[str, int]], int]:
    """The first :data:`LISTED` duplicate ids in id order with their counts, and how many ids are duplicated.

    ``shared``: the hashes given more than once, when the caller has them (``--cache`` groups its kept
    per-file lists), and then ``items`` may be only the files that hold them."""
    relation = con.items_relation(items)
    restrict, params = "", None
    if con.name == "duckdb":
        if shared is None:
            shared = [int(h) for (h,) in con.execute(shared_hashes_sql(id_hashes_sql(relation))).fetchall()]
        if not shared:
            return [], 0
        if len(shared) < HASH_CANDIDATES:
            restrict = " AND hash(item_id) IN (SELECT unnest(CAST(? AS UBIGINT[])))"
            params = [[int(h) for h in shared]]
    rows = con.execute(
        f"SELECT item_id, count(*) AS n, count(*) OVER () AS ids FROM {relation} WHERE {_VALID}{restrict} "
        f"GROUP BY item_id HAVING count(*) > 1 ORDER BY item_id LIMIT {LISTED}",
        params,
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows], int(rows[0][2]) if rows else 0


def duplicate_problems(con: Backend, items: ItemScan, shared: Sequence[int] | None = None) -> list[Problem]:
    """Every place of the first duplicate ids; empty when each item id is given once (``shared``: see
    :func:`duplicate_ids`)."""
    duplicates, total = duplicate_ids(con, items, shared)
    if not duplicates:
        return []
    places = _places(items, [item for item, _ in duplicates])
    problems: list[Problem] = []
    for item, count in duplicates:
        where = places.get(item, [])
        for index, place in enumerate(where[1:], start=2):
            problems.append(
                Problem(
                    place.file,
                    f"item {item!r} is given {count} times (occurrence {index}; the first is at {_shown(where[0])}); "
                    "every item once, or every figure counts it twice",
                    line=place.line,
                    row=place.row,
                    field="item_id",
                )
            )
        if len(where) < 2:  # not located (should not happen): still say it
            problems.append(Problem("item manifests", f"item {item!r} is given {count} times", field="item_id"))
    if total > len(duplicates):
        problems.append(Problem("item manifests", f"... and {total - len(duplicates):,} more ids given more than once"))
    return problems


def _places(items: ItemScan, ids: Sequence[str]) -> dict[str, list[Problem]]:
    con = duckdb.connect()
    try:
        marks = ", ".join("?" for _ in ids)
        found = located_rows(con, items, f"i.item_id IN ({marks})", "1 AS found", list(ids), limit=1_000)
    finally:
        con.close()
    places: dict[str, list[Problem]] = {}
    for row, place in sorted(found, key=lambda rp: (rp[1].file, rp[1].line or rp[1].row or 0)):
        places.setdefault(str(row.values["item_id"]), []).append(place)
    return places


def _shown(place: Problem) -> str:
    if place.line is not None:
        return f"{place.file}:{place.line}"
    return f"{place.file}: row {place.row}"
