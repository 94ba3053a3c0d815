"""``aireport convert``: CSV or JSONL item manifests to typed Parquet, with a progress bar."""

from __future__ import annotations

import threading
from pathlib import Path

import click
import duckdb

from aireport.cli.common import progress_bar, reports_errors
from aireport.guards.terminal import printable
from aireport.pipeline import convert as convert_items


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--max-rejected-rows", type=click.IntRange(0), default=0, show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@reports_errors
def convert(inputs: tuple[str, ...], out_dir: Path, max_rejected_rows: int, quiet: bool) -> None:
    """Convert CSV or JSONL item manifests (files, folders, globs) into Parquet files in OUT."""
    update, bar = progress_bar(quiet, "converting")

    def run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
        if update is None:
            con.execute(sql)
            return
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(0.25):
                value = float(con.query_progress())
                if value >= 0:
                    update(value, None)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            con.execute(sql)
        finally:
            stop.set()
            watcher.join()

    if bar is not None:
        with bar:
            results = convert_items(list(inputs), out_dir, max_rejected_rows, run)
    else:
        results = convert_items(list(inputs), out_dir, max_rejected_rows, run)
    for r in results:
        rejected = f", {r.rows_rejected:,} rejected" if r.rows_rejected else ""
        click.echo(printable(f"{r.source} -> {r.target}: {r.rows_written:,} rows{rejected}"))
