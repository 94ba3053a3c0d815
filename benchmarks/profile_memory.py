"""Where the memory of one run goes: resident memory sampled over time, attributed to SQL statements.

Runs ``check_dataset`` (EU + CN packs) in this process with a thread reading ``/proc/self/status``
every 20 ms, and wraps the DuckDB backend so that every statement, and every fetch of its rows, is
logged with its duration and the peak RSS seen while it ran. The statements that peaked are printed
first; ``--out`` keeps the whole trace as JSON.

    python benchmarks/profile_memory.py benchmarks/data/scale-100000000/manifest.yaml --memory-limit 1GB
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import Any

PERIOD = 0.02


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.perf_counter(), _rss_mb()))
            time.sleep(PERIOD)

    def peak(self, start: float, end: float) -> float:
        inside = [rss for t, rss in self.samples if start <= t <= end]
        return max(inside, default=_rss_mb())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--packs", default="eu-ai-act,cn-genai")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from aireport.engine import backend
    from aireport.pipeline import EngineConfig, check_dataset

    sampler = Sampler()
    log: list[dict[str, Any]] = []
    origin = time.perf_counter()

    def record(kind: str, sql: str, start: float) -> None:
        end = time.perf_counter()
        entry = {
            "kind": kind,
            "sql": " ".join(sql.split())[:140],
            "start_s": round(start - origin, 2),
            "seconds": round(end - start, 2),
            "peak_rss_mb": round(sampler.peak(start, end)),
            "rss_after_mb": round(_rss_mb()),
        }
        log.append(entry)
        print(f"{entry['start_s']:8.1f} {entry['seconds']:7.2f}s peak {entry['peak_rss_mb']:5d} MB  {kind:8s} "
              f"{entry['sql'][:100]}", flush=True)  # fmt: skip

    class Logged:
        def __init__(self, rows: Any, sql: str) -> None:
            self.rows, self.sql = rows, sql

        def fetchall(self) -> Any:
            start = time.perf_counter()
            out = self.rows.fetchall()
            record("fetchall", f"{len(out)} rows of: {self.sql}", start)
            return out

        def fetchone(self) -> Any:
            return self.rows.fetchone()

        def fetchmany(self, size: int) -> Any:
            return self.rows.fetchmany(size)

    execute = backend.DuckDBBackend.execute

    def logged_execute(self: Any, sql: str, params: Any = None) -> Any:
        start = time.perf_counter()
        rows = execute(self, sql, params)
        record("execute", sql, start)
        return Logged(rows, sql)

    backend.DuckDBBackend.execute = logged_execute  # type: ignore[method-assign]
    sampler.start()
    started = time.perf_counter()
    result = check_dataset(
        args.manifest, args.packs.split(","), EngineConfig(memory_limit=args.memory_limit), "2026-11-24"
    )
    record("total", f"check_dataset: {result.rows.read:,} rows", started)
    sampler.stop.set()
    sampler.join()
    peak = max(rss for _, rss in sampler.samples)
    print(f"\npeak RSS {peak:.0f} MB over {time.perf_counter() - started:.1f} s; statements by peak:")
    for entry in sorted(log, key=lambda e: -e["peak_rss_mb"])[:8]:
        print(f"  {entry['peak_rss_mb']:5d} MB {entry['seconds']:7.2f}s {entry['kind']:8s} {entry['sql'][:110]}")
    if args.out is not None:
        trace = [(round(t - origin, 2), round(rss)) for t, rss in sampler.samples]
        args.out.write_text(json.dumps({"peak_rss_mb": round(peak), "log": log, "samples": trace}, indent=1) + "\n")


if __name__ == "__main__":
    main()
