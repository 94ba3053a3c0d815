"""The EU pack end to end (issue 4): `aireport` evaluating eu-ai-act and building the training-content Summary,
its domain CSV and the Annex XI data section, beside a hand-written DuckDB script computing the same figures
(the pack's item rules and every measure the Summary reads), on the same Parquet files, in one run.

Each contender runs once, in its own process (its peak RSS is its own). The figures of both are compared: the
run fails if they differ. Usage:

    python benchmarks/bench_eu.py --items 10000000 [--items 100000000]

The item files are the Lumen example (`aireport.example.write_example`) in benchmarks/data/lumen-N/ (shared with
bench_check.py; generated when absent); the manifest and inventory are the current examples/lumen ones, copied
into benchmarks/data/eu-N/. Results: benchmarks/results/eu-N.json and eu-N.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# One pass per source: the item rules' failures and every ungrouped measure of the eu-ai-act pack.
HAND_SQL = """
WITH src AS (SELECT source_id, eu_category, nullif(license, '') AS source_license
             FROM read_csv('{sources}', header = true, all_varchar = true)),
rows AS (SELECT i.*, s.eu_category, s.source_license FROM read_parquet({files}) i LEFT JOIN src s USING (source_id))
SELECT source_id, count(*) AS n,
  count_if(eu_category = 'crawled' AND robots_allowed = false) AS cr02,
  count_if(eu_category = 'crawled' AND tdm_reserved) AS cr03,
  count_if(eu_category IN ('licensed', 'public_dataset')
           AND coalesce(license, source_license) NOT IN ('CC-BY-4.0', 'LicenseRef-Meridian-AI-Training')) AS crlic,
  sum(size_bytes) AS bytes, sum(size_tokens) AS tokens, sum(duration_seconds) AS seconds,
  min(collected_at) AS earliest, max(collected_at) AS latest, count_if(used_in_training = false) AS unused
FROM rows GROUP BY source_id ORDER BY source_id
"""

# One grouped pass: per source and modality, per source and language, and bytes per crawled host.
HAND_GROUPED_SQL = """
WITH src AS (SELECT source_id, eu_category FROM read_csv('{sources}', header = true, all_varchar = true))
SELECT source_id, modality, language, lower(domain) AS host, GROUPING(source_id), GROUPING(modality),
  GROUPING(language), GROUPING(host),
  count(*), sum(size_bytes), sum(size_tokens), sum(duration_seconds),
  sum(size_bytes) FILTER (WHERE eu_category = 'crawled')
FROM read_parquet({files}) i LEFT JOIN src USING (source_id)
GROUP BY GROUPING SETS ((source_id, modality), (modality), (source_id, language), (language), (host))
"""


def child_aireport(manifest: str) -> dict[str, Any]:
    from aireport.models.eu.summary import AnnexDocument, EuSummaryDocument
    from aireport.pipeline import RunRequest, build, run
    from aireport.render.eu.domains import domains_csv

    start = time.perf_counter()
    evaluated = run(RunRequest(manifest=Path(manifest), packs=("eu-ai-act",), document_date="2026-11-24"))
    result = evaluated.result
    checked = time.perf_counter()
    summary, annex = build(evaluated, ("eu-training-summary", "eu-annex-xi-data"))
    assert isinstance(summary, EuSummaryDocument)
    assert isinstance(annex, AnnexDocument)
    csv = domains_csv(summary)
    seconds = time.perf_counter() - start
    failed = {r.rule_id: r.counts.failed for r in result.rules if r.scope.value == "item"}
    sizes = {s.modality.value: [s.items, s.bytes, s.value] for s in summary.general.sizes}
    domains = summary.sources.crawled.domains
    return {
        "seconds": seconds,
        "check_seconds": checked - start,
        "build_seconds": seconds - (checked - start),
        "rows": result.rows.read,
        "failed": {"cr02": failed["EU-CR-02"], "cr03": failed["EU-CR-03"], "crlic": failed["EU-CR-LIC"]},
        "sizes": sizes,
        "latest": summary.general.collection.latest.display,
        "languages": {lang.tag: lang.items for lang in summary.general.languages.languages},
        "domains": [domains.distinct, domains.listed, domains.total_bytes, [d.domain for d in domains.domains[:20]]],
        "csv_bytes": len(csv),
        "annex_points": {d.source_id: d.data_points.value for d in annex.datasets},
    }


def child_duckdb(manifest: str, items: str) -> dict[str, Any]:
    import math

    import duckdb

    folder = Path(manifest).parent
    files = "[" + ", ".join(f"'{p}'" for p in sorted(Path(items).glob("*.parquet"))) + "]"
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # it would print into the JSON this process returns
    start = time.perf_counter()
    per_source = con.execute(HAND_SQL.format(sources=folder / "sources.csv", files=files)).fetchall()
    grouped = con.execute(HAND_GROUPED_SQL.format(sources=folder / "sources.csv", files=files)).fetchall()
    seconds = time.perf_counter() - start
    by_modality = {r[1]: r for r in grouped if r[4] == 1 and r[5] == 0}  # (modality) set
    by_language = {r[2]: r[8] for r in grouped if r[4] == 1 and r[6] == 0 and r[2] is not None}
    hosts = sorted(
        ((r[3], int(r[12])) for r in grouped if r[7] == 0 and r[3] is not None and r[12] is not None),
        key=lambda kv: (-kv[1], kv[0]),
    )
    kept = math.ceil(len(hosts) / 10)
    image = by_modality["image"]
    return {
        "seconds": seconds,
        "rows": sum(int(r[1]) for r in per_source),
        "failed": {k: sum(int(r[i]) for r in per_source) for k, i in (("cr02", 2), ("cr03", 3), ("crlic", 4))},
        "sizes": {"image": [int(image[8]), int(image[9]), int(image[8])]},
        "latest": max(r[9] for r in per_source).strftime("%m/%Y"),
        "languages": {k: int(v) for k, v in by_language.items()},
        "domains": [len(hosts), kept, sum(v for _, v in hosts), [h for h, _ in hosts[:20]]],
    }


def prepare(n: int) -> tuple[Path, Path]:
    """The shared Lumen items of size n (generated when absent) and a manifest of the current example for them."""
    data = HERE / "data" / f"lumen-{n}"
    if not (data / "manifest.yaml").exists():
        from aireport.example import write_example

        t = time.perf_counter()
        write_example(data, n, files=max(1, n // 2_500_000))
        print(f"generated {n:,} items in {time.perf_counter() - t:.1f} s", flush=True)
    own = HERE / "data" / f"eu-{n}"
    own.mkdir(parents=True, exist_ok=True)
    example = ROOT / "examples" / "lumen"
    manifest = (
        (example / "manifest.yaml")
        .read_text(encoding="utf-8")
        .replace('items: ["items/"]', f'items: ["../lumen-{n}/items/"]')
    )
    (own / "manifest.yaml").write_text(manifest, encoding="utf-8")
    (own / "sources.csv").write_bytes((example / "sources.csv").read_bytes())
    return own / "manifest.yaml", data / "items"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, action="append", help="Item counts; repeatable (default 10,000,000).")
    args = parser.parse_args()
    for n in args.items or [10_000_000]:
        manifest, items = prepare(n)
        for part in sorted(items.glob("*.parquet")):  # both contenders start from a warm page cache
            with part.open("rb") as handle:
                while handle.read(1 << 24):
                    pass
        load_before = os.getloadavg()[0]
        ours = run_child("bench_eu", "child_aireport", manifest)
        hand = run_child("bench_eu", "child_duckdb", manifest, items)
        load_after = os.getloadavg()[0]
        same = {k: ours[k] == hand[k] for k in ("rows", "failed", "latest", "languages", "domains")}
        same["sizes"] = ours["sizes"]["image"][:2] == hand["sizes"]["image"][:2]
        if not all(same.values()):
            raise SystemExit(f"figures differ: {same}\naireport: {ours}\nhand-written: {hand}")
        ratio = ours["seconds"] / hand["seconds"]
        report = {
            "items": n,
            "machine": machine("duckdb"),
            "aireport": ours,
            "duckdb": hand,
            "figures_equal": same,
            "ratio_aireport_to_handwritten_duckdb": round(ratio, 3),
            "ratio_check_only": round(ours["check_seconds"] / hand["seconds"], 3),
            "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        }
        results = HERE / "results"
        results.mkdir(exist_ok=True)
        (results / f"eu-{n}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        lines = [
            f"# EU pack end to end, {n:,} items (Lumen example)",
            "",
            f"Machine: {report['machine']}. One run each, each in its own process, after one read of the item files "
            "into the page cache. aireport's time includes the SHA-256 of every input file (traceability). "
            f"Load average (1 min) before and after: {load_before:.1f}, {load_after:.1f} (other work on the machine).",
            "",
            "| contender | wall s | rows/s | peak RSS MB |",
            "|---|---|---|---|",
            f"| aireport: eu-ai-act check + Summary + domain CSV + Annex XI | {ours['seconds']:.2f} "
            f"| {int(n / ours['seconds']):,} | {ours['peak_rss_mb']:.0f} |",
            f"| of which the check (engine) | {ours['check_seconds']:.2f} | {int(n / ours['check_seconds']):,} | |",
            f"| of which building the documents | {ours['build_seconds']:.3f} | | |",
            f"| hand-written DuckDB (same rules and measures) | {hand['seconds']:.2f} "
            f"| {int(n / hand['seconds']):,} | {hand['peak_rss_mb']:.0f} |",
            "",
            f"Ratio aireport / hand-written DuckDB: **{ratio:.2f}x** (check only: {report['ratio_check_only']:.2f}x). "
            "Figures compared and equal: rows, item-rule failures, image count and bytes, latest collection month, "
            f"items per language, the domain count, kept count, total bytes and top 20 ({ours['domains'][0]:,} "
            "domains). The hand-written script groups by host; in this data a host is its registrable domain, "
            "so it skips the Public Suffix List step aireport runs over distinct hosts.",
            "",
        ]
        (results / f"eu-{n}.md").write_text("\n".join(lines))
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
