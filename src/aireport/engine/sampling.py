"""Deterministic, auditable samples of the item manifests for the human safety review.

Bottom-k by a seeded hash: an item's key is the first 16 hex digits of SHA-256 over the UTF-8 bytes of
``str(seed) + "\\x00" + item_id``; items are ordered by (key, item_id). The per-source sample is the K first
items of every source, the corpus sample the N first items over all sources. The sample depends only on the
seed and the set of item ids in the frame: not on file order, file split or the engine, and an auditor can
re-derive it with any SHA-256 tool (:func:`sample_key` is the whole definition).

The backend (DuckDB, or Spark through the same seam as the rules) reads the manifests once: one
``GROUP BY source_id`` keeping, per source, the ``max(K, N)`` smallest (key, item_id) pairs with
``min_by(..., n)``. The corpus sample is taken from those lists: each of the N smallest keys overall is
among the N smallest of its own source. Nothing is loaded into pandas.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aireport.engine.backend import Backend
from aireport.errors import InputError, Problem
from aireport.load.items import ItemScan
from aireport.models.cn.sample import DrawnSample, SampleKind, SampleRow, SampleSpec, SourceFrame
from aireport.models.provenance import Source

KEY_HEX_DIGITS = 16
OUTSIDE_UNUSED_SOURCE = "source not used in training"
OUTSIDE_UNUSED_ITEM = "item used_in_training = false"


def sample_key(seed: int, item_id: str) -> str:
    """The sort key of an item: what an auditor recomputes."""
    return hashlib.sha256(f"{seed}\x00{item_id}".encode()).hexdigest()[:KEY_HEX_DIGITS]


def sample_sql(relation: str, columns: Collection[str]) -> str:
    """The one grouped query over ``relation``; parameters: seed, the ids of sources used in training, n."""
    key = f"substr(sha256(CAST($seed AS VARCHAR) || chr(0) || item_id), 1, {KEY_HEX_DIGITS})"
    item_used = "i.used_in_training IS DISTINCT FROM false" if "used_in_training" in columns else "TRUE"
    return f"""
WITH rows AS (
  SELECT i.source_id AS source_id, i.item_id AS item_id,
         (i.item_id IS NULL OR i.item_id = '' OR i.source_id IS NULL OR i.source_id = '') AS rejected,
         list_contains(CAST($used AS VARCHAR[]), i.source_id) AS source_used,
         {item_used} AS item_used
  FROM {relation} AS i
), framed AS (
  SELECT source_id, item_id, rejected, source_used, item_used,
         NOT rejected AND source_used AND item_used AS in_frame
  FROM rows
)
SELECT source_id,
       count(*) AS rows_read,
       count_if(in_frame) AS in_frame,
       count_if(rejected) AS rejected,
       count_if(NOT rejected AND NOT source_used) AS unused_source,
       count_if(NOT rejected AND source_used AND NOT item_used) AS unused_item,
       min_by(item_id, ({key}, item_id), $n) FILTER (WHERE in_frame) AS ids
FROM framed
GROUP BY source_id
ORDER BY source_id
"""


def _duplicates(items: Iterable[str]) -> list[Problem]:
    counts = Counter(items)
    return [
        Problem("item manifests", f"item_id appears {n} times; a sample needs unique ids", field=f"item_id={item}")
        for item, n in sorted(counts.items())
        if n > 1
    ]


@dataclass
class _Groups:
    """What the grouped query says, source by source."""

    frames: list[SourceFrame] = field(default_factory=list)
    keyed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # source -> sorted (key, item_id)
    outside: dict[str, int] = field(default_factory=lambda: {OUTSIDE_UNUSED_SOURCE: 0, OUTSIDE_UNUSED_ITEM: 0})
    rows_read: int = 0
    rows_in_frame: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)


def _read_groups(rows: Sequence[tuple[Any, ...]], known: set[str], spec: SampleSpec) -> _Groups:
    g = _Groups()
    for source_id, read, in_frame, bad, unused_source, unused_item, ids in rows:
        g.rows_read += int(read)
        g.rejected += int(bad)
        if source_id and source_id not in known:
            g.problems.append(
                Problem(
                    "item manifests",
                    f"{int(read)} rows name a source that is not in the source inventory",
                    field=f"source_id={source_id}",
                )
            )
            continue
        g.rows_in_frame += int(in_frame)
        g.outside[OUTSIDE_UNUSED_SOURCE] += int(unused_source)
        g.outside[OUTSIDE_UNUSED_ITEM] += int(unused_item)
        if not source_id:
            continue
        keyed = sorted((sample_key(spec.seed, str(item)), str(item)) for item in (ids or []))
        g.problems += _duplicates(item for _, item in keyed)
        g.keyed[str(source_id)] = keyed
        drawn = min(spec.per_source, len(keyed))
        g.frames.append(SourceFrame(source_id=str(source_id), rows_read=int(read), in_frame=int(in_frame), drawn=drawn))
    return g


def _rows(groups: _Groups, spec: SampleSpec) -> list[SampleRow]:
    out: list[SampleRow] = []
    if spec.per_source:
        for source_id in sorted(groups.keyed):
            for rank, (key, item) in enumerate(groups.keyed[source_id][: spec.per_source], start=1):
                out.append(
                    SampleRow(item_id=item, source_id=source_id, sample=SampleKind.PER_SOURCE, rank=rank, hash_key=key)
                )
    if spec.corpus:
        # Each of the N smallest keys overall is among the N smallest of its own source.
        pooled = sorted(
            (key, item, source_id) for source_id, keyed in groups.keyed.items() for key, item in keyed[: spec.corpus]
        )[: spec.corpus]
        duplicates = _duplicates(item for _, item, _ in pooled)
        if duplicates:
            raise InputError(duplicates)
        for rank, (key, item, source_id) in enumerate(pooled, start=1):
            out.append(SampleRow(item_id=item, source_id=source_id, sample=SampleKind.CORPUS, rank=rank, hash_key=key))
    return out


def draw_sample(sources: Sequence[Source], scan: ItemScan, spec: SampleSpec, backend: Backend) -> DrawnSample:
    """Draw both samples in one pass over the item manifests."""
    known = {s.source_id for s in sources}
    used = sorted(s.source_id for s in sources if s.used_in_training)
    n = max(spec.per_source, spec.corpus)
    try:
        relation = backend.items_relation(scan)
        rows = backend.execute(
            sample_sql(relation, scan.columns), {"seed": spec.seed, "used": used, "n": max(n, 1)}
        ).fetchall()
        unparsed = sum(backend.parse_rejects(scan).values())
    except backend.errors as exc:
        raise InputError([Problem("item manifests", f"the sample could not be drawn: {_first_line(exc)}")]) from None
    groups = _read_groups(rows, known, spec)
    problems = groups.problems
    if unparsed:
        problems.append(
            Problem(
                "item manifests", f"{unparsed} CSV rows cannot be parsed; `aireport check` names them", field="items"
            )
        )
    if groups.rejected:
        problems.append(
            Problem(
                "item manifests",
                f"{groups.rejected} rows have an empty item_id or source_id; `aireport check` names them",
                field="item_id",
            )
        )
    if problems:
        raise InputError(problems)
    return DrawnSample(
        spec=spec,
        rows=_rows(groups, spec),
        sources=groups.frames,
        rows_read=groups.rows_read,
        rows_in_frame=groups.rows_in_frame,
        rows_outside_frame={k: v for k, v in groups.outside.items() if v},
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
