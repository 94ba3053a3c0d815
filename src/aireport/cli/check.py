"""``aireport check``: evaluate a dataset against rule packs; findings on the terminal, the result as JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from aireport.cli.common import (
    cache_option,
    document_date,
    engine_options,
    pack_option,
    print_cache,
    print_warnings,
    reports_errors,
    resolution_options,
    run_with_progress,
)
from aireport.cli.exit_codes import exit_code_for
from aireport.guards.terminal import printable
from aireport.models.results import REJECTED_ROWS_CSV
from aireport.models.rules import Severity
from aireport.pipeline import EngineConfig, RunRequest, rejected_files, result_json, write
from aireport.render.table import print_findings


@click.command()
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@pack_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default="error",
    show_default=True,
    help="Lowest severity of a failing rule that makes the exit code 1.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Missing evidence at or above --fail-on (a rule not evaluable, or rows without evidence inside a rule) also "
    "exits 1; an input value that cannot be read (a licence that does not parse) exits 2.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the JSON result here."
)
@click.option(
    "--failing-items",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every failing and every not-evaluable item of each item rule to DIR/failing-items.parquet "
    "(rule_id, outcome, source_id, item_id), in the same scan.",
)
@click.option("--date", "date", default=None, help="Document date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the table.")
@resolution_options
@cache_option
@engine_options
def check(
    manifest: Path,
    packs: tuple[str, ...],
    fmt: str,
    fail_on: str,
    strict: bool,
    out: Path | None,
    failing_items: Path | None,
    date: str | None,
    lang: str,
    resolutions: Path | None,
    apply_resolutions: bool,
    cache: Path | None,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Evaluate MANIFEST against rule packs; print findings, optionally write the JSON result."""
    request = RunRequest(
        manifest=manifest,
        packs=packs,
        document_date=document_date(date),
        engine=engine_config,
        resolutions=resolutions,
        apply_resolutions=apply_resolutions,
        failing_items=failing_items,
        strict_inputs=strict,
        cache=cache,
    )
    evaluated = run_with_progress(request, quiet)  # with --strict, unreadable input values are exit 2 there
    print_cache(evaluated, quiet)
    result = evaluated.result
    print_warnings(result)
    payload = result_json(result)
    if out is not None:
        # Every rejected row beside the result (X.json -> X.rejected-rows.csv); both files or neither.
        side = rejected_files(evaluated, f"{out.stem}.{REJECTED_ROWS_CSV}")
        write(out.parent, {out.name: payload, **side})
    if fmt == "json":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        # Logs (CI) are wide; a real terminal keeps its own width.
        print_findings(result, Console() if sys.stdout.isatty() else Console(width=140), lang)
        if out is not None:
            Console(stderr=True).print(f"wrote {printable(str(out))}", style="dim", markup=False)
    sys.exit(exit_code_for(result, Severity(fail_on), strict))
