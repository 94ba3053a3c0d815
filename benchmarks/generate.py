"""A realistic, deterministic item manifest for the scale benchmarks.

Zipf-skewed sources (200) and domains (N/50 possible, so >= 1M distinct at 100M items), a licence
mix, timestamps, sizes and hashes; hive-partitioned Parquet (``items/part=KKK/data.parquet``), made
by DuckDB from integer arithmetic on the row number alone, so any size is reproducible anywhere.

    python benchmarks/generate.py --items 100000000 --out benchmarks/data/scale-100000000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

SOURCES = 200
ROWS_PER_PART = 10_000_000
CATEGORIES = [  # (eu_category, cn_acquisition, share of sources in %)
    ("crawled", "self_collected", 40),
    ("licensed", "commercial", 20),
    ("public_dataset", "open_source", 25),
    ("synthetic", "synthetic", 5),
    ("user_other_services", "user_input", 5),
    ("other", "commercial", 5),
]

MANIFEST = """\
dataset: Scale benchmark corpus
provider:
  legal_name: Bench Labs SE
  contact: legal@bench.example
  established_in_eu: true
models:
  - name: bench-1
    version: "1.0"
    eu_placement_date: 2025-10-01
summary:
  version: "1.0"
  last_update: 2026-09-30
attestations:
  cop_signatory: yes
  copyright_policy: https://bench.example/copyright
  copyright_policy_owner: Legal
  copyright_policy_date: 2025-06-01
  tdm_optout_measures: robots.txt (RFC 9309) and TDMRep checked at fetch time.
  illegal_content_measures: Keyword lists and classifiers.
  no_tpm_circumvention: yes
  piracy_denylist: bench-denylist 2025-09
  complaint_channel: https://bench.example/complaints
  ip_owner: Head of Legal
  annotation_rules: https://bench.example/annotation
  quality_measures: Deduplication and quality classifiers.
  filtering_methods: [keyword, classifier, manual]
service:
  public_facing_cn: false
sources: sources.csv
items: [items/]
licences:
  LicenseRef-Bench-Proprietary:
    commercial_use: true
    ai_training: true
    redistribution: false
"""


def source_rows() -> list[dict[str, str]]:
    rows = []
    bounds = []
    total = 0
    for category, acquisition, share in CATEGORIES:
        total += share * SOURCES // 100
        bounds.append((total, category, acquisition))
    for k in range(SOURCES):
        category, acquisition = next((c, a) for limit, c, a in bounds if k < limit)
        rows.append(
            {
                "source_id": f"src-{k:03d}",
                "name": f"Source {k}",
                "eu_category": category,
                "cn_acquisition": acquisition,
                "modality": "text",
                "license": "CC-BY-4.0" if category == "public_dataset" else "",
                "license_document": "https://bench.example/licences" if category == "public_dataset" else "",
                "agreement": "contract" if category in ("licensed", "other") else "",
                "supplier_commitment": "commitment" if category in ("licensed", "other") else "",
                "crawler_name": "BenchBot" if category == "crawled" else "",
                "crawler_purpose": "training" if category == "crawled" else "",
                "crawler_behaviour": "obeys robots.txt" if category == "crawled" else "",
                "collection_start": "2024-01-01",
                "collection_end": "2025-06-30",
                "collection_records": "logs" if category == "crawled" else "",
                "user_authorisation": "terms" if category == "user_other_services" else "",
                "generator_model": "bench-gen" if category == "synthetic" else "",
                "url": f"https://bench.example/src/{k}",
                "version": "1",
                "origin": "foreign" if k % 3 else "domestic",
                "languages": "en;zh",
            }
        )
    return rows


def item_sql(start: int, stop: int, domains: int) -> str:
    # u1, u2 in [0, 1) from multiplicative hashing of the row number (Knuth); Zipf-like draws are
    # floor(K ** u) - 1, i.e. log-uniform over 0..K-1: rank r is drawn with probability ~ 1/(r+1).
    u1 = "(((i * 2654435761) % 4294967296) / 4294967296.0)"
    u2 = "(((i * 2246822519 + 3266489917) % 4294967296) / 4294967296.0)"
    source = f"CAST(floor(pow({SOURCES}, {u1})) - 1 AS BIGINT)"
    return f"""
    WITH base AS (
      SELECT i, {source} AS s, CAST(floor(pow({domains}, {u2})) - 1 AS BIGINT) AS d, i % 100 AS p
      FROM range({start}, {stop}) t(i)
    )
    SELECT
      'i' || i AS item_id,
      'src-' || lpad(CAST(s AS VARCHAR), 3, '0') AS source_id,
      CASE WHEN s < 80 THEN 'd' || d || (CASE d % 5 WHEN 0 THEN '.co.uk' WHEN 1 THEN '.de' ELSE '.com' END) END
        AS domain,
      CASE WHEN p < 70 THEN 'text' WHEN p < 90 THEN 'image' WHEN p < 95 THEN 'audio' ELSE 'video' END AS modality,
      CAST(200 + (i * 7919) % 50000 AS BIGINT) AS size_bytes,
      CASE WHEN p < 70 THEN CAST(50 + (i * 104729) % 4000 AS BIGINT) END AS size_tokens,
      CASE WHEN p >= 90 THEN CAST((i % 600) + 1 AS DOUBLE) END AS duration_seconds,
      CASE WHEN i % 37 = 0 THEN 'CC-BY-NC-4.0' WHEN i % 11 < 3 THEN 'CC-BY-4.0' WHEN i % 11 < 4 THEN 'CC-BY-SA-4.0'
           WHEN i % 11 < 5 THEN 'MIT' WHEN i % 11 < 8 THEN 'LicenseRef-Bench-Proprietary' END AS license,
      TIMESTAMP '2024-01-01' + to_seconds((i * 40503) % 47304000) AS collected_at,
      CASE i % 20 WHEN 0 THEN 'zh' WHEN 1 THEN 'zh' WHEN 2 THEN 'de' WHEN 3 THEN 'fr' WHEN 4 THEN 'es' WHEN 5 THEN 'ja'
           ELSE 'en' END AS language,
      CASE WHEN s < 80 THEN (CASE WHEN i % 97 = 0 THEN NULL ELSE i % 53 <> 0 END) END AS robots_allowed,
      CASE WHEN s < 80 THEN i % 71 = 0 END AS tdm_reserved,
      i % 13 = 0 AS personal_data,
      i % 13 = 0 AND i % 7 = 0 AS sensitive_personal_data,
      CASE WHEN i % 13 = 0 THEN (CASE WHEN i % 29 = 0 THEN NULL WHEN i % 7 = 0 THEN 'separate_consent'
           ELSE 'consent' END) END AS pi_legal_basis,
      s BETWEEN 170 AND 179 OR i % 997 = 0 AS aigc_label,
      md5(CAST(i AS VARCHAR)) AS content_hash,
      CASE WHEN i % 19 = 0 THEN NULL WHEN i % 31 = 0 THEN 'flagged' ELSE 'pass' END AS safety_label,
      TRUE AS used_in_training
    FROM base
    """


def generate(out: Path, n_items: int, rows_per_part: int = ROWS_PER_PART) -> Path:
    import csv

    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.yaml").write_text(MANIFEST)
    rows = source_rows()
    with (out / "sources.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    domains = max(1000, n_items // 50)
    for part, start in enumerate(range(0, n_items, rows_per_part)):
        folder = out / "items" / f"part={part:03d}"
        target = folder / "data.parquet"
        if target.exists():
            continue
        write_part(con, target, start, min(n_items, start + rows_per_part), domains)
    return out / "manifest.yaml"


def write_part(con: duckdb.DuckDBPyConnection, target: Path, start: int, stop: int, domains: int) -> None:
    """Items ``start`` to ``stop`` into ``target``, through a temporary name (a stopped run leaves no part)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    con.execute(f"COPY ({item_sql(start, stop, domains)}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    tmp.rename(target)


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
