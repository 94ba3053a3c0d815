"""``aireport validate DOC.json``: a received document checked against its schema, against itself, and against
its signature when it is signed. Exit 0 valid, 1 invalid, 2 unreadable or bad usage."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from aireport.cli.common import reports_errors
from aireport.cli.exit_codes import ExitCode
from aireport.pipeline import validate_document


@click.command()
@reports_errors
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "keys",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Public key (PEM) to verify a signed document with. Repeatable.",
)
def validate(document: Path, keys: tuple[Path, ...]) -> None:
    """Check DOCUMENT (any JSON document aireport writes, or its signed DSSE envelope).

    Checks: its JSON Schema; that its counts and fractions agree (rows read = evaluated + rejected, passed + failed
    + unknown = applicable, percentages, totals, the domain list); the signature, when it is signed. Exit 0 when
    all hold, 1 when one does not (every problem listed), 2 when the file cannot be read.
    """
    result = validate_document(document, keys)
    out = Console(highlight=False, soft_wrap=True)
    if result.problems:
        for problem in result.problems:
            out.print(f"[bold red]invalid:[/] {escape(str(problem))}")
        out.print(f"{document}: {len(result.problems)} problems")
        sys.exit(ExitCode.FINDINGS)
    signed = f", signed by {', '.join(result.signed_by)}" if result.signed_by else ""
    out.print(f"{document}: valid {result.document} of {escape(str(result.dataset))}{signed}")
    sys.exit(ExitCode.CLEAN)
