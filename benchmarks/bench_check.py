"""aireport check (EU + CN starter packs) against a hand-written DuckDB query computing the same
item-rule counts and measures, on the same Parquet files, in one run.

Each contender runs in its own process so that its peak RSS is its own. Usage:

    python benchmarks/bench_check.py [--items 10000000] [--repeat 2]

Results go to benchmarks/results/check-<N>.json and .md, with a description of the machine.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent

HAND_SQL = """
WITH src AS (SELECT * FROM read_csv('{sources}', header = true, all_varchar = true)),
rows AS (
  SELECT i.source_id, i.item_id, s.eu_category, s.cn_acquisition, i.robots_allowed, i.tdm_reserved,
         i.license, s.license AS source_license, i.personal_data, i.sensitive_personal_data, i.pi_legal_basis,
         i.aigc_label, i.safety_label, i.size_bytes, i.size_tokens, i.duration_seconds, i.collected_at
  FROM read_parquet({files}) i LEFT JOIN src s USING (source_id)
)
SELECT source_id,
  count(*) AS n,
  count(*) FILTER (WHERE eu_category = 'crawled') AS robots_app,
  count(*) FILTER (WHERE eu_category = 'crawled' AND robots_allowed = false) AS robots_fail,
  min(item_id, 10) FILTER (WHERE eu_category = 'crawled' AND robots_allowed = false) AS robots_ev,
  count(*) FILTER (WHERE eu_category = 'crawled' AND tdm_reserved = true) AS tdm_fail,
  count(*) FILTER (WHERE eu_category IN ('licensed', 'public_dataset')
                   AND coalesce(license, source_license) NOT IN ('CC-BY-4.0', 'LicenseRef-Meridian-AI-Training'))
                   AS licence_fail,
  count(*) FILTER (WHERE personal_data AND (pi_legal_basis IS NULL OR pi_legal_basis = 'none')) AS pi_fail,
  count(*) FILTER (WHERE sensitive_personal_data
                   AND (pi_legal_basis IS NULL OR pi_legal_basis NOT IN ('separate_consent', 'statutory')))
                   AS spi_fail,
  count(*) FILTER (WHERE aigc_label AND cn_acquisition <> 'synthetic') AS syn_fail,
  count(*) FILTER (WHERE safety_label IS NOT NULL) AS assessed,
  count(*) FILTER (WHERE safety_label = 'flagged') AS flagged,
  count(*) FILTER (WHERE personal_data) AS pi_items,
  count(*) FILTER (WHERE sensitive_personal_data) AS spi_items,
  max(collected_at) AS latest
FROM rows GROUP BY source_id ORDER BY source_id;
"""

HAND_GROUPED_SQL = """
SELECT source_id, modality, language, lower(domain) AS host,
  GROUPING(source_id), GROUPING(modality), GROUPING(language), GROUPING(host),
  count(*), sum(size_bytes), sum(size_tokens), sum(duration_seconds), count(*) FILTER (WHERE aigc_label),
  sum(size_bytes) FILTER (WHERE source_id = 'lumenbot-crawl')
FROM read_parquet({files})
GROUP BY GROUPING SETS ((source_id, modality), (modality), (source_id, language), (language), (host), (source_id), ());
"""


def child_aireport(manifest: str) -> dict[str, object]:
    from aireport.pipeline import EngineConfig, check_dataset

    start = time.perf_counter()
    result = check_dataset(Path(manifest), ["eu-ai-act", "cn-genai"], EngineConfig(), "2026-11-24")
    seconds = time.perf_counter() - start
    failed = {r.rule_id: r.counts.failed for r in result.rules if r.scope.value == "item"}
    return {"seconds": seconds, "rows": result.rows.read, "failed": failed}


def child_duckdb(manifest: str) -> dict[str, object]:
    import duckdb

    folder = Path(manifest).parent
    files = "[" + ", ".join(f"'{p}'" for p in sorted((folder / "items").glob("*.parquet"))) + "]"
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    start = time.perf_counter()
    rows = con.execute(HAND_SQL.format(sources=folder / "sources.csv", files=files)).fetchall()
    con.execute(HAND_GROUPED_SQL.format(files=files)).fetchall()
    seconds = time.perf_counter() - start
    names = ["robots_fail", "tdm_fail", "licence_fail", "pi_fail", "spi_fail", "syn_fail"]
    idx = {"robots_fail": 3, "tdm_fail": 5, "licence_fail": 6, "pi_fail": 7, "spi_fail": 8, "syn_fail": 9}
    failed = {n: sum(int(r[idx[n]]) for r in rows) for n in names}
    return {"seconds": seconds, "rows": sum(int(r[1]) for r in rows), "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    data = HERE / "data" / f"lumen-{args.items}"
    manifest = data / "manifest.yaml"
    if not manifest.exists():
        from aireport.example import write_example

        t = time.perf_counter()
        write_example(data, args.items, files=max(1, args.items // 2_500_000))
        print(f"generated {args.items:,} items in {time.perf_counter() - t:.1f} s")
    runs: dict[str, list[dict[str, object]]] = {"aireport": [], "duckdb": []}
    for _ in range(args.repeat):  # interleaved, so both see the same page cache and machine load
        for kind, done in runs.items():
            done.append(run_child("bench_check", f"child_{kind}", manifest))
    best = {k: min(v, key=lambda r: float(r["seconds"])) for k, v in runs.items()}  # type: ignore[arg-type]
    ratio = float(best["aireport"]["seconds"]) / float(best["duckdb"]["seconds"])  # type: ignore[arg-type]
    report = {
        "items": args.items,
        "machine": machine("duckdb"),
        "runs": runs,
        "best": best,
        "ratio_aireport_to_handwritten_duckdb": round(ratio, 3),
    }
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"check-{args.items}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    lines = [
        f"# aireport check, {args.items:,} items (EU + CN starter packs)",
        "",
        f"Machine: {report['machine']}",
        "",
        f"| contender | wall s (best of {args.repeat}) | rows/s | peak RSS MB |",
        "|---|---|---|---|",
    ]
    for kind, r in best.items():
        secs = float(r["seconds"])  # type: ignore[arg-type]
        lines.append(f"| {kind} | {secs:.2f} | {int(args.items / secs):,} | {float(r['peak_rss_mb']):.0f} |")  # type: ignore[arg-type]
    lines += ["", f"Ratio aireport / hand-written DuckDB: **{ratio:.2f}x**", ""]
    (results / f"check-{args.items}.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
