"""Pieces every command shares: error reporting, the document date, the pack and engine options, progress."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from aireport.cli.exit_codes import ExitCode
from aireport.errors import AireportError
from aireport.guards.terminal import printable
from aireport.models.results import EvaluationResult
from aireport.models.run import Run
from aireport.pipeline import EngineConfig, ProgressFn, RunRequest, run, warning_problems

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn AireportError into a located message on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AireportError as exc:
            err = Console(stderr=True, highlight=False, soft_wrap=True)
            shown = exc.problems[:50]
            for problem in shown:
                # Values in a message come from the inputs: their control characters are shown, not obeyed.
                err.print(f"[bold red]error:[/] {escape(printable(str(problem)))}", markup=True, emoji=False)
            if len(exc.problems) > len(shown):
                err.print(f"... and {len(exc.problems) - len(shown)} more problems")
            sys.exit(ExitCode.BAD_INPUT)

    return wrapper  # type: ignore[return-value]


SHOWN_WARNINGS = 20


def print_warnings(result: EvaluationResult) -> None:
    """Input values that could not be read, counted and located on stderr (``--strict`` makes them errors)."""
    if not result.warnings:
        return
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    rows = sum(w.rows for w in result.warnings)
    err.print(
        f"[bold yellow]warning:[/] input values that could not be read: {len(result.warnings):,} ({rows:,} rows); "
        "they are missing evidence where a rule reads them, and errors with --strict:",
        markup=True,
        emoji=False,
    )
    problems = warning_problems(result)
    for problem in problems[:SHOWN_WARNINGS]:
        err.print(f"  {escape(str(problem))}", markup=True, emoji=False)
    if len(problems) > SHOWN_WARNINGS:
        err.print(f"  ... and {len(problems) - SHOWN_WARNINGS} more (all in the JSON result, warnings)")


def document_date(value: str | None) -> str:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today in UTC."""
    if value:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint="--date") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise click.BadParameter(
                f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a whole number of seconds since 1970 within the calendar"
            ) from None
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


MEMORY = re.compile(r"\s*[0-9]+(\.[0-9]+)?\s*([KMGT]i?B|B)\s*", re.IGNORECASE)
"""What --memory-limit accepts: a positive amount with a unit (DuckDB also took "-1GB", as no limit)."""

ENGINE_OPTIONS = ("memory_limit", "threads", "temp_dir", "max_rejected_rows", "engine", "spark_master")


def pack_option(func: F) -> F:
    return click.option(
        "--pack",
        "packs",
        multiple=True,
        required=True,
        help="Rule pack name (eu-ai-act, cn-genai) or folder. Repeatable.",
    )(func)


def resolution_options(func: F) -> F:
    """--resolutions FILE and --no-resolutions, handed to the command as ``resolutions`` and ``apply_resolutions``."""

    @wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        kwargs["apply_resolutions"] = not kwargs.pop("no_resolutions")
        if not kwargs["apply_resolutions"] and kwargs.get("resolutions") is None:
            raise click.UsageError("--no-resolutions needs the --resolutions FILE it switches off")
        return func(*args, **kwargs)

    command: F = checked  # type: ignore[assignment]
    command = click.option(
        "--no-resolutions",
        is_flag=True,
        help="A full audit: read the resolutions file and list every waiver, but apply none.",
    )(command)
    return click.option(
        "--resolutions",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Waivers (YAML): finding id, scope, reason, approved by, date, expiry. A waived finding is still "
        "shown; expired and unused waivers are findings themselves.",
    )(command)


def cache_option(func: F) -> F:
    return click.option(
        "--cache",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Keep per-file partial results in DIR and scan only new or changed item files next time "
        "(DuckDB, Parquet items; the result is the same as without). See docs/incremental.md.",
    )(func)


def print_cache(evaluated: Run, quiet: bool) -> None:
    """What --cache did, one line on stderr."""
    stats = evaluated.cache
    if stats is None or quiet:
        return
    total = len(stats.scanned) + len(stats.reused)
    Console(stderr=True, highlight=False).print(
        f"cache: {len(stats.scanned):,} of {total:,} item files scanned, {len(stats.reused):,} from the cache",
        style="dim",
    )


def engine_options(func: F) -> F:
    """The engine options of every command that scans items, handed to it as one ``engine_config`` (and
    ``quiet``)."""

    @wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("spark_master") is not None and kwargs.get("engine") != "spark":
            raise click.BadParameter("only with --engine spark", param_hint="--spark-master")
        if not MEMORY.fullmatch(str(kwargs.get("memory_limit", "1GB"))):
            raise click.BadParameter(
                f"{kwargs.get('memory_limit')!r} is not an amount of memory; write e.g. 1GB, 512MB or 4GiB",
                param_hint="--memory-limit",
            )
        kwargs["engine_config"] = EngineConfig(**{name: kwargs.pop(name) for name in ENGINE_OPTIONS})
        return func(*args, **kwargs)

    command: F = checked  # type: ignore[assignment]
    for option in reversed(
        [
            click.option(
                "--memory-limit",
                default="1GB",
                show_default=True,
                help="DuckDB memory limit; spills to --temp-dir beyond it.",
            ),
            click.option(
                "--threads",
                type=click.IntRange(1, 256),
                default=None,
                help="Worker threads (default: all cores).",
            ),
            click.option(
                "--temp-dir",
                type=click.Path(file_okay=False, path_type=Path),
                default=None,
                help="Where scans spill.",
            ),
            click.option(
                "--max-rejected-rows",
                type=click.IntRange(0),
                default=0,
                show_default=True,
                help="Item rows that may break the column contract before the run stops with exit 2; "
                "accepted rejections are counted in the result.",
            ),
            click.option(
                "--engine",
                type=click.Choice(["duckdb", "spark"]),
                default="duckdb",
                show_default=True,
                help="Where the scans run: embedded DuckDB, or Apache Spark (pip install 'aireport[spark]').",
            ),
            click.option(
                "--spark-master",
                metavar="URL",
                default=None,
                help="With --engine spark: the master URL, e.g. spark://host:7077 (default: local mode, all cores).",
            ),
            click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
        ]
    ):
        command = option(command)
    return command


def short_count(n: float) -> str:
    """A count that fits an 80-column progress line: 9,999 / 510k / 7.8M / 1.2B."""
    # (from, unit, suffix): a count that would round to 1000k is already 1.0M.
    for start, unit, suffix in ((999_500_000, 1e9, "B"), (999_500, 1e6, "M"), (10_000, 1e3, "k")):
        if n >= start:
            value = n / unit
            return f"{value:.1f}{suffix}" if value < 10 and suffix != "k" else f"{value:.0f}{suffix}"
    return f"{n:,.0f}"


def progress_bar(quiet: bool, label: str = "scanning items") -> tuple[ProgressFn | None, Progress | None]:
    """Rows done, rate and time left on a terminal; nothing when piped or with --quiet."""
    if quiet or not sys.stderr.isatty():
        return None, None
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(label, total=100.0, rows="")

    def update(percent: float, total_rows: int | None) -> None:
        rows = ""
        elapsed = bar.tasks[0].elapsed or 0.0
        if total_rows:
            done = int(total_rows * percent / 100)
            rate = f", {short_count(done / elapsed)}/s" if elapsed > 0 else ""
            rows = f"{short_count(done)}/{short_count(total_rows)} rows{rate}"
        bar.update(task, completed=percent, rows=rows)

    return update, bar


def run_with_progress(request: RunRequest, quiet: bool) -> Run:
    """The pipeline's run, under a progress bar on a terminal."""
    progress, bar = progress_bar(quiet)
    with bar if bar is not None else contextlib.nullcontext():
        return run(request, progress)
