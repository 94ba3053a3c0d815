"""A stock library's delivery for the clearance, ledger and certificate benchmark (``bench_delivery.py``).

Ten licensed image sources, creators Zipf-skewed over n/100 ids (1M at 100M items), 500 rights holders, the
clearance columns (releases, territory, term, data-mining reservation, takedown) and a usage weight, all integer
arithmetic on the row number; ``content_hash`` is the SHA-256 of the item id, so any size is reproducible
anywhere. Hive-partitioned Parquet, 10M rows per file, ids in random order inside the files (the certificate
must sort them).

    python benchmarks/generate_delivery.py --items 100000000 --out benchmarks/data/delivery-100000000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

ROWS_PER_PART = 10_000_000
SOURCES = 10

MANIFEST = """\
dataset: Stock library delivery benchmark
provider:
  legal_name: Bench Stock Ltd.
models:
  - name: buyer-model
sources: sources.csv
items: [items/]
licences:
  LicenseRef-Bench-RF:
    commercial_use: true
    ai_training: true
    redistribution: false
    attribution: false
"""


def item_sql(start: int, stop: int, creators: int) -> str:
    # u in [0, 1) by multiplicative hashing; floor(K ** u) - 1 is log-uniform over 0..K-1 (Zipf-like creators).
    u = "(((i * 2654435761) % 4294967296) / 4294967296.0)"
    # A bijection of [0, 2**32) scatters ids inside a file, so the certificate's sort does real work.
    scrambled = "((i * 2246822519) % 4294967296)"
    return f"""
    WITH base AS (
      SELECT i, CAST(floor(pow({creators}, {u})) - 1 AS BIGINT) AS c FROM range({start}, {stop}) t(i)
    ), ids AS (SELECT *, 'img-' || lpad(CAST({scrambled} AS VARCHAR), 10, '0') || '-' || i AS id FROM base)
    SELECT
      id AS item_id,
      'src-' || (i % {SOURCES}) AS source_id,
      'image' AS modality,
      CAST(200000 + (i * 7919) % 4800000 AS BIGINT) AS size_bytes,
      CASE WHEN i % 101 = 0 THEN 'CC-BY-NC-4.0' WHEN i % 7 = 0 THEN 'CC-BY-4.0' ELSE 'LicenseRef-Bench-RF' END
        AS license,
      'agency-' || (c % 500) AS rights_holder,
      CASE WHEN i % 211 = 0 THEN NULL ELSE 'creator-' || c END AS creator,
      sha256(id) AS content_hash,
      CASE WHEN i % 10 < 6 THEN 'not_applicable' WHEN i % 97 = 0 THEN 'none' WHEN i % 89 = 0 THEN 'limited'
           WHEN i % 83 = 0 THEN NULL ELSE 'unlimited' END AS model_release,
      CASE WHEN i % 3 < 2 THEN 'not_applicable' WHEN i % 79 = 0 THEN 'none' ELSE 'unlimited' END
        AS property_release,
      CASE WHEN i % 53 = 0 THEN 'CN;HK' ELSE 'worldwide' END AS license_territory,
      CASE WHEN i % 47 = 0 THEN '2025-06-30' WHEN i % 5 = 0 THEN '2030-12-31' ELSE 'perpetual' END
        AS license_term_end,
      CASE WHEN i % 61 = 0 THEN 'prohibited_ai_training' WHEN i % 59 = 0 THEN NULL WHEN i % 2 = 0 THEN 'unspecified'
           ELSE 'allowed' END AS data_mining,
      CASE WHEN i % 1009 = 0 THEN 'upheld' WHEN i % 997 = 0 THEN 'requested' ELSE 'none' END AS takedown,
      CAST((i * 104729) % 1000 AS BIGINT) AS usage_weight
    FROM ids
    """


def generate(out: Path, n_items: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.yaml").write_text(MANIFEST)
    lines = ["source_id,name,eu_category,cn_acquisition,modality,license"]
    lines += [f"src-{k},Stock collection {k},licensed,commercial,image,LicenseRef-Bench-RF" for k in range(SOURCES)]
    (out / "sources.csv").write_text("\n".join(lines) + "\n")
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    creators = max(100, n_items // 100)
    for part, start in enumerate(range(0, n_items, ROWS_PER_PART)):
        folder = out / "items" / f"part={part:03d}"
        target = folder / "data.parquet"
        if target.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "data.parquet.part"
        stop = min(n_items, start + ROWS_PER_PART)
        con.execute(f"COPY ({item_sql(start, stop, creators)}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
        tmp.rename(target)
    return out / "manifest.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    generate(args.out, args.items)
    print(f"{args.items:,} items in {time.perf_counter() - start:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
