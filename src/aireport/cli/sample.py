"""``aireport sample``: draw the reviewer's sample, deterministically, into XLSX, CSV or Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from aireport.cli.common import document_date, engine_options, reports_errors
from aireport.guards.terminal import printable
from aireport.models.cn.sample import SampleSpec
from aireport.pipeline import EngineConfig, RunRequest, sample_file, write_file

F = TypeVar("F", bound=Callable[..., Any])

SAMPLE_FORMATS = ("xlsx", "csv", "parquet")


def sample_options(required: bool) -> Callable[[F], F]:
    """--seed, --per-source and --corpus, shared with ``aireport cn-assess`` (which re-draws the sample)."""

    def decorate(func: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--seed",
                    type=click.IntRange(0, 2**63 - 1),
                    required=required,
                    help="Seed of the sample: with the item ids it fixes the sample (write it down).",
                ),
                click.option(
                    "--per-source",
                    "per_source",
                    type=click.IntRange(0),
                    default=0,
                    show_default=True,
                    help="K: items drawn from every source (TC260-003 §5.1 a); 4,000 in the 2023 draft, unverified).",
                ),
                click.option(
                    "--corpus",
                    type=click.IntRange(0),
                    default=0,
                    show_default=True,
                    help="N: items drawn from the whole corpus (TC260-003 §9.2 a): at least 4,000).",
                ),
            ]
        ):
            func = option(func)
        return func

    return decorate


def sample_spec(seed: int | None, per_source: int, corpus: int) -> SampleSpec | None:
    if seed is None:
        return None
    if per_source == 0 and corpus == 0:
        raise click.UsageError("give --per-source K, --corpus N or both (a positive number of items)")
    return SampleSpec(seed=seed, per_source=per_source, corpus=corpus)


@click.command()
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@sample_options(required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.xlsx (drop-down lists for the reviewer), FILE.csv or FILE.parquet.",
)
@engine_options
def sample(
    manifest: Path,
    seed: int,
    per_source: int,
    corpus: int,
    out: Path,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Draw a deterministic sample of MANIFEST's items for the human safety review (TC260-003 §9.2, §5.1 a)).

    Bottom-k by a seeded hash: an item's key is the first 16 hex digits of SHA-256(seed, NUL, item_id); the
    K smallest per source and the N smallest overall are drawn. The same seed gives the same items on every
    run and whatever the order of the files; the file says how to re-derive it. The reviewer fills verdict
    (qualified / unqualified) and risk_code (Appendix A); `aireport cn-assess --reviewed FILE` reads it back.
    """
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in SAMPLE_FORMATS:
        raise click.BadParameter(f"{out.name}: write .xlsx, .csv or .parquet", param_hint="--out")
    request = RunRequest(
        manifest=manifest,
        packs=(),
        document_date=document_date(None),
        engine=engine_config,
        sample=sample_spec(seed, per_source, corpus),
    )
    data, drawn = sample_file(request, fmt)
    write_file(out, data)
    per = sum(1 for r in drawn.rows if r.sample.value == "per_source")
    if not quiet:
        Console(stderr=True, highlight=False).print(
            f"sampled {per:,} items from {len(drawn.sources)} sources (up to {per_source:,} each) and "
            f"{len(drawn.rows) - per:,} from the whole corpus of {drawn.rows_in_frame:,} items, seed {seed}; "
            f"wrote {printable(str(out))}",
            style="dim",
            markup=False,
        )
