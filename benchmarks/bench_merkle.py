"""The delivery Merkle root (docs/merkle.md): leaves per second and peak RSS of each way of computing it.

Every contender reads the same Parquet file of (id, content_hash) rows in random id order, has DuckDB sort it
by id and stream it in Arrow batches (what ``certify`` and ``verify`` do), and computes the root:

* ``floor``: the same query, batches counted, no hashing: the sort-and-stream cost every contender pays;
* ``hashlib-stream``: the reference: ``MerkleBuilder.add(id, hash)`` per row (the docs' 20-line algorithm);
* ``batch-numpy``: ``BatchMerkle.add_items``: numpy lays out every leaf's input, inner nodes per aligned chunk;
* ``batch-duckdb-leaf``: ``leaf_hash_sql`` in the query (DuckDB hashes the leaves on its threads while it
  sorts), ``BatchMerkle.add_leaves`` hashes the inner nodes;
* ``batch-duckdb-leaf-2w`` and ``batch-numpy-2w``: the same with two worker processes for the chunks.

Also ``hashlib-raw``: bare ``sha256(65 bytes).digest()`` calls per second, the per-call floor of CPython.
All contenders must produce the same root. Usage:

    python benchmarks/bench_merkle.py [--items 1000000 10000000] [--skip hashlib-stream]

Data goes to benchmarks/data/merkle-<N>.parquet (git-ignored); results to benchmarks/results/merkle.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent
BATCH = 1 << 17
SYNTHETIC = ["floor", "hashlib-stream", "batch-numpy", "batch-numpy-2w"]
CONTENDERS = ["floor", "hashlib-stream", "batch-numpy", "batch-duckdb-leaf", "batch-duckdb-leaf-2w", "batch-numpy-2w"]


def generate(n: int) -> Path:
    import duckdb

    path = HERE / "data" / f"merkle-{n}.parquet"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    # Ids in random order (md5 prefix), unique (the counter), like "img-3fa2...-123"; hashes random.
    con.execute(
        f"COPY (SELECT 'img-' || substr(md5(i::VARCHAR), 1, 12) || '-' || i::VARCHAR AS id, "
        f"sha256(i::VARCHAR || 'content') AS content_hash FROM range({n}) t(i)) "
        f"TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"
    )
    tmp.rename(path)
    return path


def _reader(path: str, leaf_sql: bool) -> Any:
    import duckdb

    from aireport.attest.merkle_batch import leaf_hash_sql

    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET enable_progress_bar = false")
    column = f"{leaf_hash_sql()} AS leaf" if leaf_sql else "content_hash"
    return con.sql(f"SELECT id, {column} FROM read_parquet('{path}') ORDER BY id").to_arrow_reader(batch_size=BATCH)


def _children_rss() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def child(contender: str, path: str) -> dict[str, Any]:
    from aireport.attest.merkle import MerkleBuilder
    from aireport.attest.merkle_batch import root_of_batches

    start = time.perf_counter()
    count = 0
    root = ""
    if contender == "floor":
        for batch in _reader(path, leaf_sql=False):
            count += batch.num_rows
    elif contender == "hashlib-stream":
        builder = MerkleBuilder()
        for batch in _reader(path, leaf_sql=False):
            for item_id, content_hash in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
                builder.add(item_id, content_hash)
        count, root = builder.count, builder.root().hex()
    else:
        leaf = "duckdb-leaf" in contender
        workers = 2 if contender.endswith("-2w") else 1
        digest, count, _ = root_of_batches(
            _reader(path, leaf_sql=leaf),
            hash_column=None if leaf else "content_hash",
            leaf_column="leaf" if leaf else None,
            workers=workers,
        )
        root = digest.hex()
    return {
        "seconds": time.perf_counter() - start,
        "leaves": count,
        "root": root,
        "workers_peak_rss_mb": _children_rss(),
    }


def _synthetic(n: int) -> Any:
    """Id-ordered batches made on the fly (no DuckDB, no sort): the hashing's own speed and memory."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(0)
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        numbers = pa.array(np.arange(start, start + count)).cast(pa.string())
        ids = pc.binary_join_element_wise("img-", pc.utf8_lpad(numbers, 12, "0"), "")
        digests = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(32), count, [None, pa.py_buffer(rng.bytes(32 * count))]
        )
        yield pa.record_batch({"id": ids, "content_hash": digests})


def child_synthetic(contender: str, n: int) -> dict[str, Any]:
    from aireport.attest.merkle import MerkleBuilder
    from aireport.attest.merkle_batch import root_of_batches

    start = time.perf_counter()
    if contender == "floor":
        count = sum(b.num_rows for b in _synthetic(n))
        root = ""
    elif contender == "hashlib-stream":
        builder = MerkleBuilder()
        for batch in _synthetic(n):
            for item_id, digest in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True):
                builder.add(item_id, digest)
        count, root = builder.count, builder.root().hex()
    else:
        workers = 2 if contender.endswith("-2w") else 1
        digest, count, _ = root_of_batches(_synthetic(n), workers=workers)
        root = digest.hex()
    return {
        "seconds": time.perf_counter() - start,
        "leaves": count,
        "root": root,
        "workers_peak_rss_mb": _children_rss(),
    }


def child_raw(n: int) -> dict[str, Any]:
    import hashlib

    data = os.urandom(65 * n)
    view = memoryview(data)
    sha = hashlib.sha256
    start = time.perf_counter()
    for i in range(0, 65 * n, 65):
        sha(view[i : i + 65]).digest()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "hashes_per_second": n / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--skip", nargs="*", default=[], choices=CONTENDERS)
    parser.add_argument("--synthetic-only", action="store_true", help="only the hashing, on generated batches")
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine("duckdb", "pyarrow", "numpy"), "runs": {}}
    raw = run_child("bench_merkle", "child_raw", 2_000_000)
    results["hashlib_raw_hashes_per_second"] = raw["hashes_per_second"]
    print(f"hashlib raw: {raw['hashes_per_second']:,.0f} sha256(65 B) calls/s")
    for n in args.items:
        synthetic: dict[str, Any] = {}
        for contender in SYNTHETIC:
            out = run_child("bench_merkle", "child_synthetic", contender, n)
            out["load_average"] = round(os.getloadavg()[0], 2)
            synthetic[contender] = out
            print(
                f"{n:>12,} synthetic {contender:<16} {out['seconds']:8.2f} s {n / out['seconds']:>12,.0f} leaves/s "
                f"{out['peak_rss_mb']:7.0f} MB {out['root'][:16]}"
            )
        synthetic["roots_agree"] = len({r["root"] for k, r in synthetic.items() if k != "floor"}) == 1
        results.setdefault("synthetic", {})[str(n)] = synthetic
        if args.synthetic_only:
            continue
        path = generate(n)
        runs: dict[str, Any] = {}
        for contender in CONTENDERS:
            if contender in args.skip:
                continue
            out = run_child("bench_merkle", "child", contender, str(path))
            out["load_average"] = round(os.getloadavg()[0], 2)
            runs[contender] = out
            rate = n / out["seconds"]
            print(
                f"{n:>12,} {contender:<22} {out['seconds']:8.2f} s {rate:>12,.0f} leaves/s "
                f"{out['peak_rss_mb']:7.0f} MB (workers {out['workers_peak_rss_mb']:.0f} MB) {out['root'][:16]}"
            )
        roots = {r["root"] for name, r in runs.items() if name != "floor"}
        runs["roots_agree"] = len(roots) == 1
        results["runs"][str(n)] = runs
    out_dir = HERE / "results"
    previous = out_dir / "merkle.json"
    if args.synthetic_only and previous.exists():  # keep the last DuckDB runs beside the new hashing-only ones
        results["runs"] = json.loads(previous.read_text())["runs"]
        results["runs_machine"] = json.loads(previous.read_text())["machine"]
    (out_dir / "merkle.json").write_text(json.dumps(results, indent=2) + "\n")
    (out_dir / "merkle.md").write_text(HEADER + table(results))
    print(json.dumps({k: v.get("roots_agree") for k, v in results["runs"].items()}))


HEADER = """# The delivery Merkle root: leaves per second and peak RSS

`python benchmarks/bench_merkle.py --items 1000000 10000000` (scheme: docs/merkle.md). Each contender ran once,
in its own process, one after the other. *Generated* rows feed id-ordered Arrow batches made on the fly (no
DuckDB, no sort): the cost of the hashing itself. *Parquet* rows read one Parquet file of (id, content hash) in
random id order through DuckDB `ORDER BY id` (2 threads, memory limit 2 GB) streamed as Arrow batches of 131,072
rows, as `certify` and `verify` will; their `floor` is that query alone, and the peak RSS of those rows is
DuckDB's sort (it uses its memory limit), not the tree. `-2w` runs the chunks in two worker processes; the
workers' own RSS is not in the table (each holds an interpreter with numpy and pyarrow and at most two 2 MiB
chunks). All contenders of a size must give the same root.

"""


def table(results: dict[str, Any]) -> str:
    """The measured rows as a markdown table (merkle.md around it is written by hand, with the conditions)."""
    lines = [
        f"Machine: {results['machine']}",
        "",
        f"Bare `hashlib.sha256(65 bytes).digest()`: {results['hashlib_raw_hashes_per_second']:,.0f} calls/s.",
        "",
        "| items | contender | wall s | leaves/s | hashing s (wall - floor) | peak RSS MB | load avg (1 min, after) |",
        "|---|---|---|---|---|---|---|",
    ]
    sections = [
        ("synthetic", SYNTHETIC, "generated id-ordered batches (hashing only)"),
        ("runs", CONTENDERS, "Parquet -> DuckDB ORDER BY id -> Arrow batches"),
    ]
    for key, names, label in sections:
        for n, runs in results.get(key, {}).items():
            floor = runs.get("floor", {}).get("seconds", 0.0)
            for name in names:
                if name not in runs:
                    continue
                r = runs[name]
                hashing = "" if name == "floor" else f"{r['seconds'] - floor:.1f}"
                lines.append(
                    f"| {int(n):,} | {label}: {name} | {r['seconds']:.1f} | {int(n) / r['seconds']:,.0f} | {hashing} | "
                    f"{r['peak_rss_mb']:.0f} | {r['load_average']} |"
                )
            lines.append(f"| {int(n):,} | {label}: all roots equal | {runs['roots_agree']} | | | | |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
