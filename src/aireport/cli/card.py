"""``aireport card SUMMARY.json --readme README.md``: the EU Summary's key figures and links as a section of a
Hugging Face model card, merged into the README between markers (run it again: the same README)."""

from __future__ import annotations

from pathlib import Path

import click

from aireport.cli.common import reports_errors
from aireport.pipeline import model_card, write_file

LANGUAGES = {"en": ("en",), "en+zh": ("en", "zh")}


@click.command()
@reports_errors
@click.argument("summary", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--readme",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The model card (README.md) to merge into; created if absent.",
)
@click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default="en", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the merged card here instead of replacing --readme.",
)
def card(summary: Path, readme: Path, lang: str, out: Path | None) -> None:
    """Merge the model-card section made from SUMMARY (an eu-training-summary.json) into --readme.

    The front matter gets an `eu_training_data_summary` key (the Summary's version, links, modalities, size
    ranges, languages); the Markdown section sits between `<!-- aireport:eu-training-data:start -->` and
    `<!-- aireport:eu-training-data:end -->`. Everything else in the card is left as it was.
    """
    target = out or readme
    write_file(target, model_card(summary, readme, LANGUAGES[lang]))
    click.echo(str(target))
