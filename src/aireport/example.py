"""The bundled example: Lumen Imaging GmbH's "Lumen Canvas 2" and a deterministic item manifest.

``examples/lumen`` holds the hand-written dataset manifest and source inventory. This module writes
the matching item manifests: one row per image, computed by DuckDB from the row index ``i`` alone,
so that every figure - including each planted violation listed in ``examples/lumen/PLANTED.md`` -
can be re-derived by hand. There is no randomness: attributes come from integer arithmetic on ``i``
(residues and multiplicative hashes modulo 2**32); ``content_hash`` is the SHA-256 of the item id,
which is fixed by FIPS 180-4 and therefore stable across DuckDB versions (unlike ``hash()``).

The predicates are written once, in ``_select_sql``; ``PLANTED.md`` and ``tests/test_example.py``
restate them independently.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.resources
import os
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb

DEFAULT_ITEMS = 1_000_000
DEFAULT_FILES = 4
# The largest index keeps every product below 2**63: i * 3266489917 < 2**63 for i < 2**31.
MAX_ITEMS = 2**31
EXAMPLE_FILES = ("manifest.yaml", "sources.csv")

# Multiplicative (Fibonacci-style) hashes of i, each an odd constant modulo 2**32.
_M_DOMAIN = 2654435761
_M_SIZE = 2246822519
_M_TIME = 3266489917
_TWO32 = 4294967296

# Crawled domains: site0.example ... site3499.example with a cubic skew towards low numbers.
CRAWL_DOMAINS = 3500


@dataclass(frozen=True)
class _SourceSpec:
    source_id: str
    share_below: int  # i % 100 < share_below (and >= the previous source's bound)
    collection_start: dt.date
    collection_end: dt.date  # inclusive: items fall in [start 00:00, end + 1 day 00:00)
    size_min: int
    size_spread: int  # size_bytes = size_min + (i * _M_SIZE % 2**32) % size_spread


# Must agree with examples/lumen/sources.csv (tests/test_example.py checks it).
SOURCES: tuple[_SourceSpec, ...] = (
    _SourceSpec("meridian-stock", 55, dt.date(2024, 3, 1), dt.date(2025, 2, 28), 400_000, 2_600_000),
    _SourceSpec("lumenbot-crawl", 80, dt.date(2024, 1, 15), dt.date(2025, 4, 30), 40_000, 960_000),
    _SourceSpec("open-images-cc", 90, dt.date(2024, 2, 12), dt.date(2024, 2, 14), 150_000, 1_350_000),
    _SourceSpec("canvas-synthetic", 95, dt.date(2025, 1, 6), dt.date(2025, 5, 31), 900_000, 600_000),
    _SourceSpec("app-uploads", 100, dt.date(2024, 6, 1), dt.date(2025, 5, 31), 250_000, 3_750_000),
)

STOCK_LICENSE = "LicenseRef-Meridian-AI-Training"


def _epoch_seconds(day: dt.date) -> int:
    return calendar.timegm(day.timetuple())


def _case_by_source(values: dict[str, str], default: str = "NULL") -> str:
    """``CASE src WHEN ... END`` over the sources that have a value."""
    arms = " ".join(f"WHEN '{sid}' THEN {expr}" for sid, expr in values.items())
    return f"CASE src {arms} ELSE {default} END"


def _select_sql(start: int, stop: int, clean: bool = False) -> str:
    """SELECT items ``start <= i < stop`` with the columns of ``ITEM_COLUMNS``, in that order.

    ``clean``: the same corpus without the planted contradictions between the items and what the manifest and the
    inventory state (PLANTED.md, "The clean example"): every crawled item allowed by robots.txt and free of TDM
    reservations, every open-images-cc item CC-BY-4.0, every item screened and passed by the safety filter, every
    item showing a person with its legal basis. The manifest's other gaps stay."""
    bounds = " ".join(f"WHEN i % 100 < {s.share_below} THEN '{s.source_id}'" for s in SOURCES)
    size = _case_by_source({s.source_id: f"{s.size_min} + h_size % {s.size_spread}" for s in SOURCES})
    collected = _case_by_source(
        {
            s.source_id: (
                f"make_timestamp(({_epoch_seconds(s.collection_start)} + h_time % "
                f"{(s.collection_end - s.collection_start).days * 86400 + 86400}) * 1000000)"
            )
            for s in SOURCES
        }
    )
    language = _case_by_source(
        {
            "meridian-stock": "CASE WHEN i % 7 < 4 THEN 'en' WHEN i % 7 < 6 THEN 'de' ELSE 'fr' END",
            "lumenbot-crawl": (
                "CASE WHEN i % 11 < 5 THEN 'en' WHEN i % 11 < 7 THEN 'de' "
                "WHEN i % 11 = 7 THEN 'fr' WHEN i % 11 = 8 THEN 'ja' ELSE 'zh' END"
            ),
            "open-images-cc": "'en'",
            "canvas-synthetic": "'en'",
            "app-uploads": "CASE WHEN i % 9 < 3 THEN 'en' ELSE 'zh' END",
        }
    )
    flagged = _case_by_source(
        {
            "meridian-stock": "i % 97 = 11",
            "lumenbot-crawl": "i % 17 = 3",
            "open-images-cc": "i % 41 = 7",
            "canvas-synthetic": "i % 113 = 0",
            "app-uploads": "i % 29 = 13",
        }
    )
    if clean:
        flagged = "FALSE"
    nc, unrecorded, robots, tdm = (
        ("FALSE", "FALSE", "TRUE", "FALSE")
        if clean
        else ("i % 53 = 31", "i % 211 = 19", "i % 331 <> 7", "i % 149 = 23")
    )
    no_basis, consent_only, unassessed = (
        ("FALSE", "FALSE", "FALSE") if clean else ("i % 37 = 8", "i % 11 = 5", "i % 23 = 5")
    )
    return f"""
WITH base AS (
    SELECT
        range AS i,
        CASE {bounds} END AS src,
        (range * {_M_DOMAIN}) % {_TWO32} % 1000000 AS u,
        (range * {_M_SIZE}) % {_TWO32} AS h_size,
        (range * {_M_TIME}) % {_TWO32} AS h_time
    FROM range({start}, {stop})
), items AS (
    SELECT
        *,
        printf('img-%09d', i) AS item_id,
        CASE WHEN src = 'lumenbot-crawl'
             THEN 'site' || ((u * u // 1000000) * u // 1000000 * {CRAWL_DOMAINS} // 1000000)
                  || '.example'
        END AS dom,
        src = 'app-uploads' AND i % 3 <> 0 AS pi,
        src = 'app-uploads' AND i % 3 <> 0 AND i % 7 = 2 AS spi
    FROM base
)
SELECT
    item_id::VARCHAR AS item_id,
    src::VARCHAR AS source_id,
    (CASE WHEN dom IS NOT NULL THEN 'https://' || dom || '/media/' || i || '.jpg' END)::VARCHAR
        AS url,
    dom::VARCHAR AS domain,
    'image'::VARCHAR AS modality,
    ({size})::BIGINT AS size_bytes,
    NULL::BIGINT AS size_tokens,
    NULL::DOUBLE AS duration_seconds,
    (CASE src
        WHEN 'meridian-stock' THEN '{STOCK_LICENSE}'
        WHEN 'open-images-cc' THEN CASE WHEN {nc} THEN 'CC-BY-NC-4.0' ELSE 'CC-BY-4.0' END
        WHEN 'lumenbot-crawl' THEN CASE WHEN i % 19 = 0 THEN 'CC-BY-4.0' END
    END)::VARCHAR AS license,
    (CASE src
        WHEN 'meridian-stock' THEN 'Meridian Imagery Ltd.'
        WHEN 'open-images-cc' THEN 'flickr:contributor-' || (i % 7919)
        WHEN 'app-uploads' THEN 'lumen-snap:user-' || (i // 100 % 50021)
    END)::VARCHAR AS rights_holder,
    ({collected})::TIMESTAMPTZ AS collected_at,
    ({language})::VARCHAR AS language,
    (CASE WHEN src <> 'lumenbot-crawl' OR {unrecorded} THEN NULL
          ELSE {robots} END)::BOOLEAN AS robots_allowed,
    (CASE WHEN src <> 'lumenbot-crawl' OR {unrecorded} THEN NULL
          ELSE {tdm} END)::BOOLEAN AS tdm_reserved,
    (CASE WHEN src = 'app-uploads' THEN pi END)::BOOLEAN AS personal_data,
    (CASE WHEN src = 'app-uploads' THEN spi END)::BOOLEAN AS sensitive_personal_data,
    (CASE WHEN NOT pi OR {no_basis} THEN NULL
          WHEN spi AND {consent_only} THEN 'consent'
          WHEN spi THEN 'separate_consent'
          ELSE 'consent' END)::VARCHAR AS pi_legal_basis,
    (src = 'canvas-synthetic' OR (src = 'lumenbot-crawl' AND i % 61 = 9))::BOOLEAN AS aigc_label,
    sha256(item_id)::VARCHAR AS content_hash,
    (CASE WHEN {unassessed} THEN NULL WHEN {flagged} THEN 'flagged' ELSE 'pass' END)::VARCHAR
        AS safety_label,
    TRUE AS used_in_training,
    {_CLEARANCE_COLUMNS}
FROM items
ORDER BY i
"""


# The clearance columns (docs/clearance.md; planted values in examples/lumen/PLANTED.md, "Clearance"). Meridian's
# stock photos record everything; the CC images record licence facts but no releases; crawl and synthetic images
# record nothing of the kind; app uploads record a takedown state and a reservation.
_CLEARANCE_COLUMNS = """
    (CASE src WHEN 'meridian-stock' THEN 'meridian:photographer-' || lpad(CAST(i % 97 AS VARCHAR), 2, '0')
              WHEN 'open-images-cc' THEN 'flickr:contributor-' || (i % 7919)
              WHEN 'app-uploads' THEN 'lumen-snap:user-' || (i // 100 % 50021) END)::VARCHAR AS creator,
    (CASE WHEN src <> 'meridian-stock' THEN NULL
          WHEN i % 5 <> 0 THEN 'not_applicable'
          WHEN i % 409 = 5 THEN 'none'
          ELSE 'unlimited' END)::VARCHAR AS model_release,
    (CASE WHEN src <> 'meridian-stock' THEN NULL
          WHEN i % 503 = 7 THEN 'limited'
          WHEN i % 11 = 4 THEN 'unlimited'
          ELSE 'not_applicable' END)::VARCHAR AS property_release,
    (CASE WHEN src = 'meridian-stock' AND i % 307 = 9 THEN 'CN;HK;MO'
          WHEN src IN ('meridian-stock', 'open-images-cc') THEN 'worldwide' END)::VARCHAR AS license_territory,
    (CASE WHEN src = 'meridian-stock' AND i % 293 = 17 THEN '2025-12-31'
          WHEN src IN ('meridian-stock', 'open-images-cc') THEN 'perpetual' END)::VARCHAR AS license_term_end,
    (CASE WHEN src = 'meridian-stock' AND i % 353 = 21 THEN 'prohibited_ai_training'
          WHEN src = 'meridian-stock' THEN 'allowed'
          WHEN src IN ('open-images-cc', 'app-uploads') THEN 'unspecified' END)::VARCHAR AS data_mining,
    (CASE WHEN src NOT IN ('meridian-stock', 'open-images-cc', 'app-uploads') THEN NULL
          WHEN i % 997 = 500 THEN 'upheld'
          WHEN i % 991 = 100 THEN 'requested'
          ELSE 'none' END)::VARCHAR AS takedown,
    ((i * 7919) % 100)::BIGINT AS usage_weight"""


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def generate_items(
    out_dir: Path, n_items: int = DEFAULT_ITEMS, files: int = DEFAULT_FILES, clean: bool = False
) -> list[Path]:
    """Write items ``0 <= i < n_items`` to ``out_dir`` as ``files`` zstd Parquet files.

    Files are named ``part-NNNNN.parquet``.

    Rows are split into contiguous index ranges, one per file. Existing ``part-*.parquet`` files in
    ``out_dir`` are replaced so a directory scan never mixes two generations. The output depends
    only on ``n_items``, ``files`` and the DuckDB version's Parquet writer.
    """
    if not 1 <= n_items <= MAX_ITEMS:
        raise ValueError(f"n_items must be between 1 and {MAX_ITEMS}, got {n_items}")
    if files < 1:
        raise ValueError(f"files must be at least 1, got {files}")
    files = min(files, n_items)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("part-*.parquet"):
        stale.unlink()
    written: list[Path] = []
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        # collected_at is written as an instant (Parquet timestamp adjusted to UTC), as pandas and Spark write
        # it; computed in UTC, so the files do not depend on the machine's zone.
        con.execute("SET TimeZone = 'UTC'")
        for k in range(files):
            start, stop = k * n_items // files, (k + 1) * n_items // files
            target = out_dir / f"part-{k:05d}.parquet"
            tmp = out_dir / f".part-{k:05d}.parquet.tmp"
            con.execute(
                f"COPY ({_select_sql(start, stop, clean)}) TO {_sql_string(str(tmp))} "
                "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
            )
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


def _example_dir() -> Traversable:
    """The packaged example folder (installed wheel), else ``<repo>/examples/lumen`` (checkout)."""
    packaged = importlib.resources.files("aireport") / "_data" / "examples" / "lumen"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "examples" / "lumen"


def write_example(out_dir: Path, n_items: int = DEFAULT_ITEMS, files: int = DEFAULT_FILES, clean: bool = False) -> Path:
    """Copy the example manifest and source inventory to ``out_dir``, generate ``out_dir/items/`` (``clean``:
    without the planted contradictions, so its Summary is final).

    Returns the path of the copied ``manifest.yaml``.
    """
    source = _example_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLE_FILES:
        entry = source / name
        if not entry.is_file():
            raise FileNotFoundError(f"example file missing from the installation: {entry}")
        (out_dir / name).write_bytes(entry.read_bytes())
    generate_items(out_dir / "items", n_items, files, clean)
    return out_dir / "manifest.yaml"
