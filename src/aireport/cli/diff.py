"""``aireport diff OLD.json NEW.json``: what changed between two versions of a document, field by field."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aireport.cli.common import reports_errors
from aireport.pipeline import diff_documents, write_file


@click.command()
@reports_errors
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here, not stdout.")
def diff(old: Path, new: Path, fmt: str, out: Path | None) -> None:
    """Compare two saved documents of the same kind (findings, EU Summary, Annex, CN assessment, ...).

    The comparison is semantic: lists of sources, rules, languages or domains are matched by their ids, and the
    document date, tool version and input digests are left out. Exit 0 whatever changed; 2 when the files cannot
    be read, do not match their schema or are documents of different kinds.
    """
    result = diff_documents(old, new)
    payload = result.json if fmt == "json" else result.markdown.encode("utf-8")
    if out is not None:
        write_file(out, payload)
        click.echo(str(out))
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
