"""What the input guards of issue 12 cost, each against a baseline measured in the same run.

* The duplicate-id pass (engine/duplicates.py) against the whole ``aireport check`` it is part of, on the
  scale benchmark's data (``benchmarks/generate.py``), both packs.
* JSON Lines read with the type checks (a value of the wrong JSON type is a rejected row) against DuckDB's
  typed reader (which rounds 1.5 to 2 and stops the scan at "abc"), same files, same aggregates.
* A page rendered in the forked child under the time and size limits against the same page rendered in
  process, for the findings document of the tiny dataset.

    python benchmarks/bench_guards.py --data benchmarks/data/scale-10000000 [--jsonl-rows 1000000]

Writes ``benchmarks/results/guards.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from aireport.engine.backend import open_backend
from aireport.engine.duplicates import duplicate_ids
from aireport.load.items import open_item_scan
from aireport.load.manifest import load_manifest
from aireport.pipeline import EngineConfig, RunRequest, build, run

ROOT = Path(__file__).resolve().parents[1]


def best(work: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def duplicates(data: Path) -> tuple[float, float]:
    manifest = data / "manifest.yaml"
    config = EngineConfig(threads=2)
    request = RunRequest(manifest=manifest, packs=("eu-ai-act", "cn-genai"), document_date="2026-01-01", engine=config)
    check = best(lambda: run(request), repeat=2)
    loaded = load_manifest(manifest)
    scan = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    assert scan is not None

    def one() -> None:
        backend = open_backend(config)
        try:
            assert duplicate_ids(backend, scan) == ([], 0)
        finally:
            backend.close()

    return check, best(one)


def jsonl(rows: int, folder: Path) -> tuple[float, float]:
    path = folder / "items.jsonl"
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(
        f"COPY (SELECT 'id' || i AS item_id, 'src' || (i % 10) AS source_id, 'text' AS modality, i AS size_bytes, "
        "TIMESTAMP '2025-01-01' + INTERVAL (i % 1000) MINUTE AS collected_at, (i % 2 = 0) AS robots_allowed, "
        f"'en' AS language FROM range({rows}) t(i)) TO '{path}' (FORMAT json)"
    )
    (folder / "manifest.yaml").write_text("items: [items.jsonl]\n")
    scan = open_item_scan(["items.jsonl"], folder, lambda p: p.name)
    assert scan is not None
    figures = "count(*), sum(size_bytes), count_if(robots_allowed), max(collected_at), count(DISTINCT source_id)"
    checked = f"SELECT {figures} FROM {scan.from_clause()} WHERE _row_problem = 0"
    types = (
        "{"
        + ", ".join(
            f"'{c}': '{t}'"
            for c, t in (
                ("item_id", "VARCHAR"),
                ("source_id", "VARCHAR"),
                ("modality", "VARCHAR"),
                ("size_bytes", "BIGINT"),
                ("collected_at", "TIMESTAMP"),
                ("robots_allowed", "BOOLEAN"),
                ("language", "VARCHAR"),
            )
        )
        + "}"
    )
    plain = f"SELECT {figures} FROM read_json('{path}', format = 'newline_delimited', columns = {types})"
    assert con.execute(checked).fetchall() == con.execute(plain).fetchall()
    return best(lambda: con.execute(plain).fetchall()), best(lambda: con.execute(checked).fetchall())


def render_page() -> tuple[float, float]:
    from aireport.render import html as html_module

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", Path(tmp) / "tiny")
        request = RunRequest(
            manifest=Path(tmp) / "tiny" / "manifest.yaml",
            packs=(str(ROOT / "tests" / "fixtures" / "packs" / "tiny"),),
            document_date="2026-01-01",
        )
        (doc,) = build(run(request), ("findings",))
    html_module.render_html(doc, ("en",))  # compile the packaged templates once, as every run does
    forked = statistics.median([best(lambda: html_module.render_html(doc, ("en",)), repeat=1) for _ in range(9)])
    original = html_module.run_bounded
    html_module.run_bounded = lambda work, seconds, where: work()  # type: ignore[assignment]
    try:
        in_process = statistics.median(
            [best(lambda: html_module.render_html(doc, ("en",)), repeat=1) for _ in range(9)]
        )
    finally:
        html_module.run_bounded = original
    return in_process, forked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True, help="a folder written by benchmarks/generate.py")
    parser.add_argument("--jsonl-rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "guards.md")
    args = parser.parse_args()
    items = sum(1 for _ in (args.data / "items").rglob("*.parquet"))
    check, dup = duplicates(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        plain, checked = jsonl(args.jsonl_rows, Path(tmp))
    in_process, forked = render_page()
    ((n,),) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{args.data}/items/*/*.parquet')").fetchall()
    files = f"{items} Parquet file" + ("s" if items != 1 else "")
    text = f"""# Input guards (issue 12): what they cost

{dt.date.today().isoformat()}, 2 threads, on a shared two-core machine (other test runs alongside: ratios, not
absolute seconds, are the result). Best of 2-3 runs; the render figures are medians of 9. Measured with

    python benchmarks/bench_guards.py --data <generate.py --items {n}> --jsonl-rows {args.jsonl_rows}

| What | Baseline | With the guard | Ratio |
|---|---|---|---|
| Duplicate item ids, {n:,} items in {files} | `aireport check`, both packs: {check:.1f} s | \
the duplicate pass alone: {dup:.1f} s | {dup / check:.0%} of the check it is part of |
| JSON Lines, {args.jsonl_rows:,} rows, 7 columns | DuckDB's typed reader: {plain:.2f} s | \
type-checked read: {checked:.2f} s | {checked / plain:.2f}x |
| Findings page (tiny dataset) | rendered in process: {in_process * 1000:.0f} ms | \
in the forked child: {forked * 1000:.0f} ms | +{(forked - in_process) * 1000:.0f} ms a page |
"""
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
