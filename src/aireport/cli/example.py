"""``aireport example``: write the bundled example dataset, items generated deterministically."""

from __future__ import annotations

from pathlib import Path

import click

from aireport.example import write_example


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--items", "n_items", type=click.IntRange(1, 2**31), default=1_000_000, show_default=True)
@click.option(
    "--clean",
    is_flag=True,
    help="Without the planted contradictions between the items and the statements: its Summary is final "
    "(the other planted gaps stay; see examples/lumen/PLANTED.md).",
)
def example(out_dir: Path, n_items: int, clean: bool) -> None:
    """Write the Lumen Imaging example (manifest, sources, item manifests) into OUT_DIR."""
    manifest = write_example(out_dir, n_items, clean=clean)
    click.echo(str(manifest))
