"""aireport's sampler against hand-written DuckDB queries drawing the same sample, on the same Parquet files.

The sample: the 4,000 items with the smallest seeded SHA-256 key of every source, and the 4,000 smallest over
the whole corpus (``aireport sample --per-source 4000 --corpus 4000``). Contenders, each in its own process so
that its peak RSS is its own, run once each, one after the other:

* ``aireport``: ``aireport.engine.sampling.draw_sample`` (frame checks, row accounting, one pass), then the XLSX file;
* ``duckdb-per-source``: the leanest equivalent: ``GROUP BY source_id`` with ``min_by(..., max(K, N))``,
  the corpus pooled from those lists in Python (aireport's query without its frame checks and accounting);
* ``duckdb-min_by``: one hand-written ``GROUP BY GROUPING SETS ((source_id), ())`` with
  ``min_by(item_id, (key, item_id), 4000)``;
* ``duckdb-window``: what most people write first: ``QUALIFY row_number() OVER (PARTITION BY source_id ORDER
  BY key, item_id) <= 4000`` plus ``ORDER BY key, item_id LIMIT 4000`` for the corpus.

Every contender returns a digest of its sample; they must agree. Usage:

    python benchmarks/bench_sample.py [--items 100000000] [--per-source 4000] [--corpus 4000]

The data is generated on first use into benchmarks/data/lumen-<N>/ (git-ignored; 100M items take ~2.5 minutes
and 4.4 GB). Results go to benchmarks/results/sample.json and sample.md, with a description of the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

from _harness import machine, run_child

HERE = Path(__file__).resolve().parent
SEED = 42
KEY = "substr(sha256(CAST({seed} AS VARCHAR) || chr(0) || item_id), 1, 16)"


def _digest(rows: list[tuple[str, str, str]]) -> str:
    return hashlib.sha256("\n".join("\t".join(r) for r in sorted(rows)).encode()).hexdigest()


def _files(manifest: str) -> str:
    folder = Path(manifest).parent / "items"
    return "[" + ", ".join(f"'{p}'" for p in sorted(folder.glob("*.parquet"))) + "]"


def child_aireport(manifest: str, k: int, n: int) -> dict[str, object]:
    from aireport import __version__
    from aireport.load.cn.profile import load_appendix_a
    from aireport.models.cn.sample import SampleSpec
    from aireport.pipeline import RunRequest, draw
    from aireport.render.cn.sample_file import SampleContext, sample_file_bytes

    start = time.perf_counter()
    spec = SampleSpec(seed=SEED, per_source=k, corpus=n)
    drawn, _ = draw(RunRequest(manifest=Path(manifest), packs=(), document_date="2026-11-24", sample=spec))
    seconds = time.perf_counter() - start
    written = time.perf_counter()
    data = sample_file_bytes("xlsx", drawn, SampleContext("manifest.yaml", "0" * 64, __version__), load_appendix_a())
    xlsx_seconds = time.perf_counter() - written
    rows = [(r.sample.value, r.source_id, r.item_id) for r in drawn.rows]
    return {
        "seconds": seconds,
        "xlsx_seconds": xlsx_seconds,
        "xlsx_bytes": len(data),
        "rows_read": drawn.rows_read,
        "sampled": len(rows),
        "digest": _digest(rows),
    }


def _connect():  # type: ignore[no-untyped-def]
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def child_min_by(manifest: str, k: int, n: int) -> dict[str, object]:
    con = _connect()
    key = KEY.format(seed=SEED)
    start = time.perf_counter()
    grouped = con.execute(
        f"SELECT source_id, GROUPING(source_id), count(*), min_by(item_id, (h, item_id), {max(k, n)}), "
        f"min_by(source_id, (h, item_id), {n}) "
        f"FROM (SELECT source_id, item_id, {key} AS h FROM read_parquet({_files(manifest)})) "
        "GROUP BY GROUPING SETS ((source_id), ())"
    ).fetchall()
    seconds = time.perf_counter() - start
    rows = [("per_source", str(g[0]), str(i)) for g in grouped if g[1] == 0 for i in g[3][:k]]
    overall = next(g for g in grouped if g[1] == 1)
    rows += [("corpus", str(s), str(i)) for s, i in zip(overall[4], overall[3][:n], strict=True)]
    read = sum(int(g[2]) for g in grouped if g[1] == 0)
    return {"seconds": seconds, "rows_read": read, "sampled": len(rows), "digest": _digest(rows)}


def child_per_source(manifest: str, k: int, n: int) -> dict[str, object]:
    """The leanest equivalent: one GROUP BY source_id keeping max(K, N) per source; the corpus pooled in Python."""
    con = _connect()
    key = KEY.format(seed=SEED)
    start = time.perf_counter()
    grouped = con.execute(
        f"SELECT source_id, count(*), min_by(item_id, ({key}, item_id), {max(k, n)}) "
        f"FROM read_parquet({_files(manifest)}) GROUP BY source_id"
    ).fetchall()
    pooled = sorted(
        (hashlib.sha256(f"{SEED}\x00{i}".encode()).hexdigest()[:16], i, s) for s, _, ids in grouped for i in ids[:n]
    )[:n]
    seconds = time.perf_counter() - start
    rows = [("per_source", str(g[0]), str(i)) for g in grouped for i in g[2][:k]]
    rows += [("corpus", str(s), str(i)) for _, i, s in pooled]
    return {
        "seconds": seconds,
        "rows_read": sum(int(g[1]) for g in grouped),
        "sampled": len(rows),
        "digest": _digest(rows),
    }


def child_window(manifest: str, k: int, n: int) -> dict[str, object]:
    con = _connect()
    key = KEY.format(seed=SEED)
    files = _files(manifest)
    start = time.perf_counter()
    per_source = con.execute(
        f"SELECT source_id, item_id FROM read_parquet({files}) "
        f"QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY {key}, item_id) <= {k}"
    ).fetchall()
    corpus = con.execute(
        f"SELECT source_id, item_id FROM read_parquet({files}) ORDER BY {key}, item_id LIMIT {n}"
    ).fetchall()
    seconds = time.perf_counter() - start
    rows = [("per_source", str(s), str(i)) for s, i in per_source] + [("corpus", str(s), str(i)) for s, i in corpus]
    return {"seconds": seconds, "sampled": len(rows), "digest": _digest(rows)}


CHILDREN = {
    "aireport": "child_aireport",
    "duckdb-per-source": "child_per_source",
    "duckdb-min_by": "child_min_by",
    "duckdb-window": "child_window",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000_000)
    parser.add_argument("--per-source", type=int, default=4000)
    parser.add_argument("--corpus", type=int, default=4000)
    parser.add_argument("--contenders", default=",".join(CHILDREN))
    args = parser.parse_args()
    data = HERE / "data" / f"lumen-{args.items}"
    manifest = data / "manifest.yaml"
    if not manifest.exists():
        from aireport.example import write_example

        t = time.perf_counter()
        write_example(data, args.items, files=max(1, args.items // 2_500_000))
        print(f"generated {args.items:,} items in {time.perf_counter() - t:.1f} s")
    info = machine("duckdb")
    results = {}
    for kind in args.contenders.split(","):
        results[kind] = run_child("bench_sample", CHILDREN[kind], manifest, args.per_source, args.corpus)
        print(kind, json.dumps(results[kind]))
    digests = {r["digest"] for r in results.values()}
    base = min((r for k, r in results.items() if k != "aireport"), key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    ratio = float(results["aireport"]["seconds"]) / float(base["seconds"])  # type: ignore[arg-type]
    report = {
        "items": args.items,
        "per_source": args.per_source,
        "corpus": args.corpus,
        "seed": SEED,
        "machine": info,
        "runs": results,
        "same_sample": len(digests) == 1,
        "ratio_aireport_to_best_handwritten": round(ratio, 3),
    }
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "sample.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    lines = [
        f"# aireport sample, {args.items:,} items, {args.per_source:,} per source + {args.corpus:,} from the corpus",
        "",
        f"Machine: {info}",
        "",
        "Each contender ran once, in its own process, one after the other (DuckDB memory limit 1 GB, all cores).",
        "",
        "| contender | wall s | rows/s | peak RSS MB | note |",
        "|---|---|---|---|---|",
    ]
    notes = {
        "aireport": "selection only; writing the XLSX took {xlsx:.2f} s more",
        "duckdb-per-source": "hand-written GROUP BY source_id with min_by(..., max(K, N)); corpus pooled in Python",
        "duckdb-min_by": "hand-written GROUP BY GROUPING SETS ((source_id), ()) with min_by(..., n)",
        "duckdb-window": "hand-written QUALIFY row_number() per source + ORDER BY ... LIMIT for the corpus",
    }
    for kind, r in results.items():
        secs = float(r["seconds"])  # type: ignore[arg-type]
        note = notes[kind].format(xlsx=float(r.get("xlsx_seconds", 0.0)))  # type: ignore[arg-type]
        lines.append(f"| {kind} | {secs:.2f} | {int(args.items / secs):,} | {float(r['peak_rss_mb']):.0f} | {note} |")  # type: ignore[arg-type]
    lines += [
        "",
        f"All contenders drew the same sample: **{len(digests) == 1}**.",
        f"Ratio aireport / fastest hand-written DuckDB: **{ratio:.2f}x**.",
        "",
    ]
    (out / "sample.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
