"""aireport check (EU + CN packs) on the Spark backend beside the DuckDB default, same data, one run each.

Each engine runs in its own process; peak RSS is sampled over that process and all its descendants (so
Spark's JVM counts), every 50 ms from /proc. Both results are written as canonical JSON and must be
byte-identical, or the run fails. Usage:

    python benchmarks/bench_spark.py [--items 10000000] [--master local[2]]

Data: benchmarks/data/lumen-<N> (reused when present; git-ignored). Results: benchmarks/results/spark.md/.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKS = ["eu-ai-act", "cn-genai"]
DATE = "2026-11-24"


def child(engine: str, manifest: str, out: str, master: str) -> dict[str, object]:
    """Runs inside the measured process: the whole check, session start included for Spark."""
    from aireport.engine import backend
    from aireport.pipeline import EngineConfig, check_dataset
    from aireport.render.canonical import canonical_json

    timings: list[tuple[float, str]] = []
    cls: type = backend.DuckDBBackend
    if engine == "spark":
        from aireport.engine.spark_backend import SparkBackend

        cls = SparkBackend
    run_sql = cls.execute

    def timed(self: object, sql: str, params: object = None) -> object:
        t = time.perf_counter()
        rows = run_sql(self, sql, params)
        if engine == "duckdb":
            rows = _Fetched(rows.fetchall())  # DuckDB runs a query while it is fetched: time that too
        timings.append((time.perf_counter() - t, " ".join(sql.split())[:90]))
        return rows

    cls.execute = timed  # type: ignore[attr-defined]
    start = time.perf_counter()
    config = EngineConfig(engine="spark", spark_master=master) if engine == "spark" else EngineConfig()
    result = check_dataset(Path(manifest), PACKS, config, DATE)
    seconds = time.perf_counter() - start
    Path(out).write_bytes(canonical_json(result))
    slowest = [{"seconds": round(t, 2), "sql": q} for t, q in sorted(timings, reverse=True)[:6]]
    return {"seconds": seconds, "rows": result.rows.read, "statements": len(timings), "slowest": slowest}


class _Fetched:
    def __init__(self, rows: list[object]) -> None:
        self._rows = rows

    def fetchall(self) -> list[object]:
        return self._rows

    def fetchone(self) -> object:
        return self._rows[0] if self._rows else None

    def fetchmany(self, size: int) -> list[object]:
        page, self._rows = self._rows[:size], self._rows[size:]
        return page


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant, from /proc (0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def run_child(engine: str, manifest: Path, out: Path, master: str) -> dict[str, object]:
    code = (
        f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import bench_spark as b; "
        f"print(json.dumps(b.child({engine!r}, {str(manifest)!r}, {str(out)!r}, {master!r})))"
    )
    wall = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=stdout, stderr=stderr)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - wall
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{engine} failed:\n{stderr.read().decode(errors='replace')[-4000:]}")
        report = dict(json.loads(stdout.read().decode().strip().splitlines()[-1]))
    report["process_wall_seconds"] = round(wall, 2)
    report["peak_rss_mb"] = round(peak / 2**20)
    report["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    return report


def machine() -> dict[str, object]:
    import duckdb
    import pyspark

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr.splitlines()
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "duckdb": duckdb.__version__,
        "pyspark": pyspark.__version__,
        "java": java[0] if java else "unknown",
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000_000)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    data = HERE / "data" / f"lumen-{args.items}"
    manifest = data / "manifest.yaml"
    if not manifest.exists():
        from aireport.example import write_example

        t = time.perf_counter()
        write_example(data, args.items, files=4)
        print(f"generated {args.items:,} items in {time.perf_counter() - t:.1f} s")
    runs: dict[str, dict[str, object]] = {}
    load_at_start = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("duckdb", "spark"):
            runs[engine] = run_child(engine, manifest, Path(tmp) / f"{engine}.json", args.master)
            print(engine, runs[engine], flush=True)
    identical = runs["duckdb"]["sha256"] == runs["spark"]["sha256"]
    ratio = float(runs["spark"]["seconds"]) / float(runs["duckdb"]["seconds"])  # type: ignore[arg-type]
    report = {
        "items": args.items,
        "packs": PACKS,
        "spark_master": args.master,
        "machine": {**machine(), "load_average_1m_at_start": load_at_start},
        "runs": runs,
        "identical_json": identical,
        "ratio_spark_to_duckdb": round(ratio, 2),
    }
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "spark.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    lines = [
        f"# Spark backend beside DuckDB: aireport check, {args.items:,} items (EU + CN packs), one run each",
        "",
        f"Machine: {report['machine']}",
        "",
        f"Spark: `--engine spark --spark-master {args.master}` (local mode, the JVM in the measured process tree).",
        "Wall time is the whole check as `check_dataset` runs it (Spark session start included); the process",
        "time adds interpreter and import start-up. Peak RSS is sampled every 50 ms over the process tree.",
        "",
        "| engine | check wall s | process wall s | rows/s | peak RSS MB (process tree) |",
        "|---|---|---|---|---|",
    ]
    for engine, r in runs.items():
        secs = float(r["seconds"])  # type: ignore[arg-type]
        lines.append(
            f"| {engine} | {secs:.1f} | {r['process_wall_seconds']} | {int(args.items / secs):,} | {r['peak_rss_mb']} |"
        )
    lines += [
        "",
        f"Spark / DuckDB wall time: **{ratio:.1f}x**. JSON results byte-identical: **{'yes' if identical else 'NO'}**.",
        "",
        "The 2-core machine is shared: a load average above 2 means other work competed for the cores.",
        "",
    ]
    for engine, r in runs.items():
        lines += [f"Slowest statements, {engine} ({r['statements']} in all):", ""]
        lines += [f"- {s['seconds']} s: `{s['sql']}`" for s in r["slowest"]]  # type: ignore[attr-defined]
        lines.append("")
    (results / "spark.md").write_text("\n".join(lines))
    print("\n".join(lines))
    if not identical:
        raise SystemExit("the two engines gave different results")


if __name__ == "__main__":
    main()
