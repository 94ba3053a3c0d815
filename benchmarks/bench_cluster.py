"""aireport check (EU + CN packs) on three engines, same data, one run each, side by side: DuckDB (the default),
Spark in local mode (``local[2]``, the JVM inside the measured process) and a Spark standalone cluster (a master
and two one-core workers on 127.0.0.1, started and stopped by ``spark_cluster.py``).

    python benchmarks/bench_cluster.py --sizes 10000000,100000000 [--name cluster]

Peak memory is the largest sum, sampled every 50 ms, of the resident memory of the measured process tree and,
for the cluster, of the master's and workers' process trees (the executors are the workers' children): what the
machine gave to the run. Every engine's result JSON must be byte-identical to DuckDB's, or the run fails.
Data: benchmarks/data/lumen-<N> (reused when present; git-ignored). Results: benchmarks/results/<name>.md/.json
(``cluster``: 10M; ``cluster-100m``: 100M).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_spark
import spark_cluster

HERE = Path(__file__).resolve().parent


def _cluster_pids() -> list[int]:
    if not spark_cluster.PIDS.exists():
        return []
    return [int(p) for p in json.loads(spark_cluster.PIDS.read_text())["pids"].values()]


def measured(engine: str, manifest: Path, out: Path, master: str) -> dict[str, object]:
    """bench_spark.run_child, with the cluster's daemons counted in the peak."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import bench_spark as b; "
        f"print(json.dumps(b.child({engine!r}, {str(manifest)!r}, {str(out)!r}, {master!r})))"
    )
    daemons = _cluster_pids() if master.startswith("spark://") else []
    idle = sum(bench_spark._tree_rss(pid) for pid in daemons)
    wall = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=stdout, stderr=stderr)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, bench_spark._tree_rss(proc.pid) + sum(bench_spark._tree_rss(p) for p in daemons))
            time.sleep(0.05)
        wall = time.perf_counter() - wall
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{engine} {master} failed:\n{stderr.read().decode(errors='replace')[-4000:]}")
        report = dict(json.loads(stdout.read().decode().strip().splitlines()[-1]))
    report["process_wall_seconds"] = round(wall, 2)
    report["peak_rss_mb"] = round(peak / 2**20)
    report["cluster_idle_rss_mb"] = round(idle / 2**20)
    report["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    report["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000000,100000000")
    parser.add_argument("--worker-memory", default="3g")
    parser.add_argument("--port", type=int, default=7177)
    parser.add_argument("--name", default="cluster", help="Results file stem in benchmarks/results/ (.json, .md).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    report: dict[str, object] = {"packs": bench_spark.PACKS, "machine": bench_spark.machine(), "sizes": {}}
    for n in sizes:
        data = HERE / "data" / f"lumen-{n}"
        manifest = data / "manifest.yaml"
        if not manifest.exists():
            from aireport.example import write_example

            t = time.perf_counter()
            write_example(data, n, files=max(4, n // 2_500_000))
            print(f"generated {n:,} items in {time.perf_counter() - t:.1f} s", flush=True)
        runs: dict[str, dict[str, object]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for name, engine, master in (("duckdb", "duckdb", ""), ("spark local[2]", "spark", "local[2]")):
                runs[name] = measured(engine, manifest, Path(tmp) / f"{engine}-{master}.json", master)
                print(n, name, runs[name], flush=True)
            url = spark_cluster.start(2, 1, args.worker_memory, args.port)
            try:
                runs["spark cluster"] = measured("spark", manifest, Path(tmp) / "cluster.json", url)
                print(n, "spark cluster", runs["spark cluster"], flush=True)
            finally:
                spark_cluster.stop()
        sizes_report = report["sizes"]
        assert isinstance(sizes_report, dict)
        sizes_report[str(n)] = {
            "runs": runs,
            "identical_json": len({r["sha256"] for r in runs.values()}) == 1,
        }
        (results / f"{args.name}.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        write_markdown(report, args.worker_memory, results / f"{args.name}.md")
        if not sizes_report[str(n)]["identical_json"]:
            raise SystemExit(f"the engines gave different results at {n:,} items")


def write_markdown(report: dict[str, object], worker_memory: str, path: Path) -> None:
    lines = [
        "# aireport check on DuckDB, Spark local[2] and a Spark standalone cluster (EU + CN packs)",
        "",
        f"Machine: {report['machine']}",
        "",
        "`python benchmarks/bench_cluster.py`: one run per engine and size, one after the other. The cluster is a",
        f"master and two workers with one core and {worker_memory} each on 127.0.0.1 (`benchmarks/spark_cluster.py`),",
        "used through `--engine spark --spark-master spark://127.0.0.1:PORT`. Wall time is the whole check as",
        "`check_dataset` runs it (Spark session start included). Peak RSS: the measured process tree, plus the",
        "cluster's master and worker trees (executors included) for the cluster run.",
        "",
        "| items | engine | check wall s | rows/s | x DuckDB | peak RSS MB | load after |",
        "|---|---|---|---|---|---|---|",
    ]
    sizes = report["sizes"]
    assert isinstance(sizes, dict)
    for n, entry in sizes.items():
        runs = entry["runs"]
        base = float(runs["duckdb"]["seconds"])
        for name, r in runs.items():
            secs = float(r["seconds"])
            lines.append(
                f"| {int(n):,} | {name} | {secs:.1f} | {int(int(n) / secs):,} | {secs / base:.1f} | "
                f"{r['peak_rss_mb']} | {r['load_average_1m_after']} |"
            )
        lines.append(f"| {int(n):,} | results byte-identical | {'yes' if entry['identical_json'] else 'NO'} | | | | |")
    lines.append("")
    path.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
