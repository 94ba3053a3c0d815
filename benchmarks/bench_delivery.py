"""Clearance, the creators' ledger and the Merkle root of a delivery: aireport beside a hand-written DuckDB script.

    python benchmarks/bench_delivery.py --sizes 1000000,10000000,100000000

For each size (data from ``generate_delivery.py``, made if absent), in one run and each in its own process:

* ``aireport``: ``pipeline.certify`` - the clearance pack on every item into the listing (DuckDB COPY), both
  ledgers, the Merkle root of the listing (DuckDB leaf hashes in the sorting query, inner nodes in chunks), the
  signed certificate and the proof index;
* ``duckdb``: a script a competent engineer would write by hand for the same figures: the same conditions as one
  SQL CASE per rule, the creators' ledger by GROUP BY, the leaf hashes in the sorting query and the RFC 6962 tree
  over them in a plain hashlib loop. No listing, no signature, no index, no rights-holder ledger.

Both must give the same root, the same verdict counts and the same creators' ledger (compared as a SHA-256 of its
lines). Results: ``benchmarks/results/delivery.{md,json}``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import machine, run_child  # noqa: E402

DATE = "2026-11-24"
MEMORY = "1GB"


def dataset(n: int) -> Path:
    folder = HERE / "data" / f"delivery-{n}"
    if not (folder / "items").is_dir() or len(list((folder / "items").glob("*/data.parquet"))) < -(-n // 10_000_000):
        from generate_delivery import generate

        generate(folder, n)
    return folder / "manifest.yaml"


def ledger_digest(lines: list[tuple[str | None, int, int, int]]) -> str:
    text = "".join(f"{k if k is not None else ''}\t{a}\t{b}\t{c}\n" for k, a, b, c in sorted(lines, key=_order))
    return hashlib.sha256(text.encode()).hexdigest()


def _order(line: tuple[str | None, int, int, int]) -> tuple[int, bytes]:
    return (1, b"") if line[0] is None else (0, line[0].encode())


class SpillWatch:
    """The largest size a spill folder reaches while a contender runs (sampled every second)."""

    def __init__(self, folder: Path) -> None:
        import threading

        self.folder, self.peak = folder, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            size = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file()) if self.folder.exists() else 0
            self.peak = max(self.peak, size)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _cpu() -> float:
    """User and system CPU seconds of this process, DuckDB's threads included: steadier than wall time when other
    work shares the machine (a contender waiting for a core is not slower)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_aireport(manifest: str, out: str, key: str) -> dict[str, Any]:
    from aireport.engine.config import EngineConfig
    from aireport.pipeline import CertifyRequest, ClearRequest, certify

    spill = Path(out + "-spill")
    watch = SpillWatch(spill)
    request = CertifyRequest(
        clear=ClearRequest(Path(manifest), DATE, engine=EngineConfig(memory_limit=MEMORY, temp_dir=spill),
                           amount="1000000", currency="CNY", basis="weight"),
        delivery="BENCH",
        buyer="Buyer",
        key=Path(key),
    )  # fmt: skip
    start, cpu = time.perf_counter(), _cpu()
    _, cleared, signed = certify(request, Path(out))
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    spill_peak = watch.stop()
    listing_bytes = (Path(out) / "clearance.parquet").stat().st_size
    lines = [
        (x.key, x.totals.items, x.totals.cleared_items, x.totals.cleared_weight or 0) for x in cleared.creators.lines
    ]
    t = cleared.totals
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "root": signed.certificate.merkle.root,
        "size": signed.certificate.merkle.size,
        "verdicts": [t.cleared_items, t.not_cleared_items, t.unknown_items],
        "ledger": ledger_digest(lines),
        "creators": len(lines),
        "spill_peak_mb": spill_peak / 2**20,
        "listing_mb": listing_bytes / 2**20,
    }


HAND_SQL = """
WITH v AS (
  SELECT item_id, content_hash, creator, usage_weight,
    [data_mining IN ('allowed', 'unspecified'),
     license <> 'CC-BY-NC-4.0',
     model_release IN ('unlimited', 'not_applicable'),
     property_release IN ('unlimited', 'not_applicable'),
     takedown IN ('none', 'rejected'),
     CASE WHEN license_term_end = 'perpetual' THEN TRUE ELSE CAST(license_term_end AS DATE) >= DATE '{date}' END,
     license_territory = 'worldwide'] AS tests
  FROM read_parquet('{items}/*/*.parquet')
)
SELECT creator, count(*) AS items,
  count_if(NOT list_contains(tests, FALSE) AND list_count(tests) = len(tests)) AS cleared,
  coalesce(sum(usage_weight) FILTER (NOT list_contains(tests, FALSE) AND list_count(tests) = len(tests)), 0) AS weight,
  count_if(list_contains(tests, FALSE)) AS no,
  count_if(NOT list_contains(tests, FALSE) AND list_count(tests) < len(tests)) AS unknown
FROM v GROUP BY creator
"""


def run_duckdb(manifest: str, spill: str) -> dict[str, Any]:
    import duckdb

    items = str(Path(manifest).parent / "items")
    watch = SpillWatch(Path(spill))
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY}'")
    con.execute("SET temp_directory = ?", [spill])
    con.execute("SET enable_progress_bar = false")
    start, cpu = time.perf_counter(), _cpu()
    rows = con.execute(HAND_SQL.format(date=DATE, items=items)).fetchall()
    leaf = (
        "sha256(unhex('00' || printf('%08x', octet_length(encode(item_id)))) || encode(item_id) "
        "|| unhex('00000020' || right(content_hash, 64)))"
    )
    cursor = con.execute(f"SELECT unhex({leaf}) FROM read_parquet('{items}/*/*.parquet') ORDER BY item_id")
    stack: list[tuple[int, bytes]] = []  # (height, root) of perfect subtrees, RFC 6962 by hand
    size = 0
    sha = hashlib.sha256
    while batch := cursor.fetchmany(100_000):
        for (leaf_hash,) in batch:
            node, height = leaf_hash, 0
            while stack and stack[-1][0] == height:
                node = sha(b"\x01" + stack.pop()[1] + node).digest()
                height += 1
            stack.append((height, node))
        size += len(batch)
    root = stack.pop()[1] if stack else sha(b"").digest()
    while stack:
        root = sha(b"\x01" + stack.pop()[1] + root).digest()
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    spill_peak = watch.stop()
    lines = [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "root": root.hex(),
        "size": size,
        "verdicts": [sum(int(r[2]) for r in rows), sum(int(r[4]) for r in rows), sum(int(r[5]) for r in rows)],
        "ledger": ledger_digest(lines),
        "creators": len(lines),
        "spill_peak_mb": spill_peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--results", default=str(HERE / "results" / "delivery"))
    args = parser.parse_args()
    info = machine("duckdb", "pyarrow")
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = _earlier_runs(args.results, sizes)  # sizes run separately (10M today, 100M overnight) share one file
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as tmp:
        key = Path(tmp) / "k.key.pem"
        from aireport.attest.keys import write_keypair

        write_keypair(key)
        for n in sizes:
            manifest = dataset(n)
            out = Path(tmp) / f"out-{n}"
            a = run_child("bench_delivery", "run_aireport", str(manifest), str(out), str(key))
            d = run_child("bench_delivery", "run_duckdb", str(manifest), str(Path(tmp) / f"spill-duckdb-{n}"))
            shutil.rmtree(out, ignore_errors=True)  # the listing of 100M items is gigabytes
            same = {k: a[k] == d[k] for k in ("root", "size", "verdicts", "ledger", "creators")}
            runs.append({"items": n, "aireport": a, "duckdb": d, "agree": same, "load_average": os.getloadavg()})
            print(json.dumps(runs[-1]), flush=True)
            write_results(args.results, info, runs)  # after every size: a long run keeps what it did
            if not all(same.values()):
                raise SystemExit(f"contenders disagree at {n}: {same}")


def _earlier_runs(results: str, sizes: list[int]) -> list[dict[str, Any]]:
    """The runs of other sizes already in the results file, each with the machine it ran on."""
    path = Path(results + ".json")
    if not path.exists():
        return []
    old = json.loads(path.read_text())
    return [
        {"machine": old["machine"], **r} if "machine" not in r else r for r in old["runs"] if r["items"] not in sizes
    ]


def write_results(results: str, info: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    runs = [r if "machine" in r else {"machine": info, **r} for r in runs]
    runs.sort(key=lambda r: int(r["items"]))
    Path(results + ".json").write_text(json.dumps({"machine": info, "runs": runs}, indent=2) + "\n")
    table = [
        "| items | contender | wall s | items/s | x script (wall) | CPU s | x script (CPU) | peak RSS MB | "
        "peak spill MB | listing MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        for name in ("aireport", "duckdb"):
            c = r[name]
            listing = f"{c['listing_mb']:.0f}" if "listing_mb" in c else "-"
            cpu, base = c.get("cpu_seconds"), r["duckdb"].get("cpu_seconds")
            cpu_cells = f"{cpu:.1f} | {cpu / base:.2f}" if cpu and base else "- | -"  # runs before CPU was recorded
            table.append(
                f"| {r['items']:,} | {name} | {c['seconds']:.1f} | {r['items'] / c['seconds']:,.0f} | "
                f"{c['seconds'] / r['duckdb']['seconds']:.2f} | {cpu_cells} | "
                f"{c['peak_rss_mb']:.0f} | {c['spill_peak_mb']:.0f} | {listing} |"
            )
    Path(results + ".md").write_text(
        "# Clearance, creators' ledger and Merkle root of a delivery\n\n"
        "`nice -n 5 python benchmarks/bench_delivery.py --sizes N` (each size may be run on its own; the file "
        "keeps the other sizes). Machine and load of each run: `delivery.json`.\n\n"
        + "\n".join(table)
        + "\n"
        + "".join(f"\n- {r['items']:,}: load average {_load(r)} at the end, machine {r['machine']}" for r in runs)
        + "\n"
    )


def _load(run: dict[str, Any]) -> str:
    return ", ".join(f"{x:.1f}" for x in run["load_average"])


if __name__ == "__main__":
    main()
