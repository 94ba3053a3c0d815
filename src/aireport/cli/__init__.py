"""Command line: parse, call, print, exit. Every expected failure exits 2 without a traceback."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from aireport import __version__
from aireport.cli.exit_codes import ExitCode, exit_code_for
from aireport.engine.evaluate import EngineConfig, ProgressFn
from aireport.engine.run import check_dataset
from aireport.errors import AireportError
from aireport.models.rules import Severity
from aireport.render.canonical import canonical_json
from aireport.render.output import write_atomic
from aireport.render.table import print_findings

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
                err.print(f"[bold red]error:[/] {problem}", markup=True, emoji=False)
            if len(exc.problems) > len(shown):
                err.print(f"... and {len(exc.problems) - len(shown)} more problems")
            sys.exit(ExitCode.BAD_INPUT)

    return wrapper  # type: ignore[return-value]


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
        except ValueError:
            raise click.BadParameter(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def engine_options(func: F) -> F:
    for option in reversed(
        [
            click.option("--memory-limit", default="1GB", show_default=True, help="DuckDB memory limit; spills to --temp-dir beyond it."),
            click.option("--threads", type=click.IntRange(1, 256), default=None, help="Worker threads (default: all cores)."),
            click.option("--temp-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where scans spill."),
            click.option("--max-rejected-rows", type=click.IntRange(0), default=0, show_default=True,
                         help="Item rows that may break the column contract before the run stops with exit 2; "
                         "accepted rejections are counted in the result."),
            click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
        ]
    ):
        func = option(func)
    return func


def progress_bar(quiet: bool) -> tuple[ProgressFn | None, Progress | None]:
    if quiet or not sys.stderr.isatty():
        return None, None
    bar = Progress(
        TextColumn("scanning items"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("scan", total=100.0)
    return (lambda pct: bar.update(task, completed=pct)), bar


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="aireport")
def main() -> None:
    """Turn a training dataset's provenance metadata into EU AI Act and China GenAI disclosures.

    Exit codes: 0 clean; 1 findings at or above --fail-on; 2 bad input or usage (nothing written).
    """


@main.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--pack", "packs", multiple=True, required=True, help="Rule pack name (eu-ai-act, cn-genai) or folder. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="error", show_default=True,
              help="Lowest severity of a failing rule that makes the exit code 1.")
@click.option("--strict", is_flag=True, help="Missing evidence at or above --fail-on also exits 1.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the JSON result here.")
@click.option("--date", "date", default=None, help="Document date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the table.")
@engine_options
@reports_errors
def check(
    manifest: Path,
    packs: tuple[str, ...],
    fmt: str,
    fail_on: str,
    strict: bool,
    out: Path | None,
    date: str | None,
    lang: str,
    memory_limit: str,
    threads: int | None,
    temp_dir: Path | None,
    max_rejected_rows: int,
    quiet: bool,
) -> None:
    """Evaluate MANIFEST against rule packs; print findings, optionally write the JSON result."""
    config = EngineConfig(memory_limit=memory_limit, threads=threads, temp_dir=temp_dir, max_rejected_rows=max_rejected_rows)
    progress, bar = progress_bar(quiet)
    if bar is not None:
        with bar:
            result = check_dataset(manifest, packs, config, document_date(date), progress)
    else:
        result = check_dataset(manifest, packs, config, document_date(date), progress)
    payload = canonical_json(result)
    if out is not None:
        write_atomic(out, payload)
    if fmt == "json":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        print_findings(result, Console(), lang)
        if out is not None:
            Console(stderr=True).print(f"wrote {out}", style="dim")
    sys.exit(exit_code_for(result, Severity(fail_on), strict))


def _register_subcommands() -> None:
    from aireport.cli import example, info, schema

    main.add_command(schema.schema)
    main.add_command(example.example)
    main.add_command(info.rules)
    main.add_command(info.fields)


_register_subcommands()
