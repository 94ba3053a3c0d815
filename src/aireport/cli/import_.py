"""``aireport import FORMAT FILE --out DIR``: a dataset card, Croissant file, Data Provenance summary, SPDX 3 or
CycloneDX document as an editable ``manifest.yaml`` and ``sources.csv``."""

from __future__ import annotations

from pathlib import Path

import click

from aireport.cli.common import reports_errors
from aireport.pipeline import import_dataset, write

FORMATS = ("hf-card", "croissant", "dpi", "spdx", "cyclonedx")  # the importers but the native one (tested)


@click.command(name="import")
@reports_errors
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the manifest.")
@click.option("--force", is_flag=True, help="Replace a manifest.yaml or sources.csv already in OUT.")
def import_command(fmt: str, file: Path, out: Path, force: bool) -> None:
    """Read FILE in FORMAT and write OUT/manifest.yaml and OUT/sources.csv to complete by hand.

    Every field the file does not give is written empty with a comment saying so; `aireport check` then
    reports what is still missing as missing evidence. FORMAT is one of: hf-card (Hugging Face dataset card),
    croissant (Croissant JSON-LD with RAI), dpi (Data Provenance Initiative summary), spdx (SPDX 3.0.1 Dataset
    profile), cyclonedx (CycloneDX 1.5/1.6 data components).
    """
    files = import_dataset(fmt, file)
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise click.UsageError(f"{out} already has {', '.join(existing)}; give --force to replace it")
    for path in write(out, files):
        click.echo(str(path))
