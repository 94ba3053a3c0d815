"""The Merkle tree of a listing (any relation with ``item_id`` and ``content_hash``), and the items two listings
disagree on, both computed by DuckDB: leaf hashes inside the sorting query, inner nodes in
:mod:`aireport.attest.merkle_batch`, differences by a full outer join.

Used by ``certify`` (the supplier's own listing: a bad hash is bad input) and ``verify`` (the delivered data: a bad
hash or a repeated id means the data is not what was certified); the caller says which error to raise.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from aireport.attest.merkle import HashError, OrderError
from aireport.attest.merkle_batch import TreeResult, leaf_hash_sql, root_of_batches
from aireport.errors import AireportError, Problem

BATCH_ROWS = 131_072


def tree_of(
    con: duckdb.DuckDBPyConnection, relation: str, source: str, error: type[AireportError], workers: int = 1
) -> TreeResult:
    """Root, size and proof index of the (item id, content hash) pairs of ``relation`` (a FROM clause)."""
    # The leaf as 32 bytes, not 64 hex digits: the sort spills (id, leaf) pairs, a third less of them this way.
    sql = f"SELECT item_id, unhex({leaf_hash_sql('item_id', 'content_hash')}) AS leaf FROM {relation} ORDER BY item_id"
    try:
        reader = con.sql(sql).to_arrow_reader(batch_size=BATCH_ROWS)
        return root_of_batches(reader, id_column="item_id", hash_column=None, leaf_column="leaf", workers=workers)
    except (HashError, OrderError) as exc:
        raise error(
            [Problem(source, str(exc), field="content_hash" if isinstance(exc, HashError) else "item_id")]
        ) from None
    except ValueError as exc:  # an empty or null id
        raise error([Problem(source, str(exc), field="item_id")]) from None
    except duckdb.Error as exc:
        raise error([Problem(source, f"cannot be read: {str(exc).strip().splitlines()[0]}")]) from None


@dataclass(frozen=True)
class Differences:
    """How two listings differ: counts per kind, and the first differing items in id order."""

    changed: int
    missing: int  # certified, not delivered
    extra: int  # delivered, not certified
    withdrawn: int  # certified, not delivered, withdrawn by an addendum
    first: tuple[tuple[str, str, str | None, str | None], ...]  # (item id, kind, certified hash, delivered hash)

    @property
    def total(self) -> int:
        return self.changed + self.missing + self.extra


def _normal(column: str) -> str:
    # The leaf uses the 32 digest bytes: case and an optional sha256: prefix never make a difference.
    return f"lower(right({column}, 64))"


def differences(
    con: duckdb.DuckDBPyConnection,
    certified: str,
    delivered: str,
    withdrawn: tuple[str, ...] = (),
    limit: int = 20,
) -> Differences:
    """Items whose content hash changed, certified items not delivered, delivered items not certified.

    A certified item that is missing because an addendum withdrew it counts as ``withdrawn``, not as missing.
    """
    sql = (
        f"WITH c AS (SELECT item_id, {_normal('content_hash')} AS h FROM {certified}), "
        f"d AS (SELECT item_id, {_normal('content_hash')} AS h FROM {delivered}), "
        "j AS (SELECT coalesce(c.item_id, d.item_id) AS item_id, "
        "CASE WHEN d.item_id IS NULL AND list_contains($withdrawn, c.item_id) THEN 'withdrawn' "
        "WHEN d.item_id IS NULL THEN 'missing' WHEN c.item_id IS NULL THEN 'extra' ELSE 'changed' END AS kind, "
        "c.h AS certified, d.h AS delivered FROM c FULL OUTER JOIN d ON c.item_id = d.item_id "
        "WHERE c.h IS DISTINCT FROM d.h) "
    )
    bound = {"withdrawn": list(withdrawn)}
    counts = dict(con.execute(sql + "SELECT kind, count(*) FROM j GROUP BY kind", bound).fetchall())
    first = con.execute(
        sql + f"SELECT item_id, kind, certified, delivered FROM j WHERE kind <> 'withdrawn' ORDER BY item_id "
        f"LIMIT {int(limit)}",
        bound,
    )
    return Differences(
        changed=int(counts.get("changed", 0)),
        missing=int(counts.get("missing", 0)),
        extra=int(counts.get("extra", 0)),
        withdrawn=int(counts.get("withdrawn", 0)),
        first=tuple((str(a), str(b), c, d) for a, b, c, d in first.fetchall()),
    )
