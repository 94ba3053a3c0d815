"""What `aireport check --failing-items DIR` costs (issue 11): both packs over the scale benchmark's data, with
and without the list of every failing and not-evaluable item, each run in its own process, alternating, in one
run of this script, so the ratio is measured on the same machine load.

    python benchmarks/bench_failing_items.py --sizes 10000000 [--repeat 2]

Writes benchmarks/results/failing-items.json and failing-items.md. Data: benchmarks/generate.py (as
bench_scale.py), in benchmarks/data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent


def child_check(data: str, failing: str) -> dict[str, Any]:
    from aireport.pipeline import EngineConfig, RunRequest, run

    config = EngineConfig(memory_limit=os.environ.get("AIREPORT_BENCH_MEMORY", "1GB"))
    out = Path(failing) if failing else None
    request = RunRequest(
        manifest=Path(data) / "manifest.yaml",
        packs=("eu-ai-act", "cn-genai"),
        document_date="2026-11-24",
        engine=config,
        failing_items=out,
    )
    result = run(request).result
    item_rules = [r for r in result.rules if r.scope.value == "item" and not r.missing_fields]
    figures: dict[str, Any] = {
        "rows": result.rows.read,
        "failed_plus_unknown": sum(r.counts.failed + r.counts.unknown for r in item_rules),
    }
    if out is not None:
        assert result.failing_items is not None
        figures["written"] = result.failing_items.rows
        figures["file_mb"] = round((out / result.failing_items.file).stat().st_size / 2**20, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--name", default="failing-items", help="Results file stem in benchmarks/results/.")
    args = parser.parse_args()
    from generate import generate

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        data = HERE / "data" / f"scale-{size}"
        started = time.perf_counter()
        generate(data, size)
        print(f"data for {size:,} items ready in {time.perf_counter() - started:.0f} s", flush=True)
        target = HERE / "data" / f"failing-{size}"
        runs: dict[str, list[dict[str, Any]]] = {"without": [], "with": []}
        for _ in range(args.repeat):
            for kind in ("without", "with"):
                shutil.rmtree(target, ignore_errors=True)
                out = run_child("bench_failing_items", "child_check", data, str(target) if kind == "with" else "",
                                timed=True)  # fmt: skip
                runs[kind].append(out)
                print(f"  {kind:8s} {out['seconds']:.1f} s {out['peak_rss_mb']:.0f} MB", flush=True)
        best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
        assert best["with"]["written"] == best["with"]["failed_plus_unknown"], best
        results.append({"items": size, "best": best, "runs": runs})
        shutil.rmtree(target, ignore_errors=True)
    out_dir = HERE / "results"
    report = {"machine": machine("duckdb", "pyarrow"), "results": results}
    (out_dir / f"{args.name}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    lines = ["# check --failing-items: cost beside the same check without it", "", f"Machine: {report['machine']}", ""]
    lines += [
        "| items | run | wall s | peak RSS MB | rows written | file MB | x without |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        base = r["best"]["without"]
        for kind in ("without", "with"):
            b = r["best"][kind]
            lines.append(
                f"| {r['items']:,} | {kind} | {b['seconds']:.1f} | {b['peak_rss_mb']:.0f} | {b.get('written', '')} | "
                f"{b.get('file_mb', '')} | {b['seconds'] / base['seconds']:.2f} |"
            )
    lines += [
        "",
        "Both runs evaluate both packs (every rule, measure and the domain list) over the same hive-partitioned",
        "Parquet; `with` also writes every failing and not-evaluable item of each item rule, in the main scan",
        "(its rows stream through Arrow into the aggregate), then sorts the file. Best of the runs; every run of",
        "each kind is in the JSON. `rows written` equals the failed + unknown counts of the result (asserted).",
        "",
    ]
    (out_dir / f"{args.name}.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
