"""``aireport sample``: draw the reviewer's sample, deterministically, into XLSX, CSV or Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from aireport import __version__
from aireport.cli.common import reports_errors
from aireport.engine.evaluate import EngineConfig
from aireport.engine.sampling import draw_sample
from aireport.errors import InputError, Problem
from aireport.load.cn.profile import load_appendix_a
from aireport.load.files import sha256_file
from aireport.load.items import open_item_scan
from aireport.load.manifest import LoadedManifest, load_manifest
from aireport.models.cn.sample import DrawnSample, SampleSpec
from aireport.render.cn.sample_file import FORMATS, XLSX_MAX_ROWS, SampleContext, sample_file_bytes
from aireport.render.output import write_atomic

F = TypeVar("F", bound=Callable[..., Any])


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


def scan_options(func: F) -> F:
    for option in reversed(
        [
            click.option("--memory-limit", default="1GB", show_default=True, help="DuckDB memory limit."),
            click.option("--threads", type=click.IntRange(1, 256), default=None, help="Worker threads (default: all)."),
            click.option(
                "--temp-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where scans spill."
            ),
        ]
    ):
        func = option(func)
    return func


def draw(loaded: LoadedManifest, seed: int, per_source: int, corpus: int, config: EngineConfig) -> DrawnSample:
    """Open the item manifests of a loaded manifest and draw the sample (both commands use this)."""
    if per_source == 0 and corpus == 0:
        raise click.UsageError("give --per-source K, --corpus N or both (a positive number of items)")
    scan = open_item_scan(loaded.manifest.items, loaded.base_dir, loaded.display)
    if scan is None:
        raise InputError(
            [Problem(loaded.display(loaded.path), "lists no item manifests to sample from", field="items")]
        )
    return draw_sample(loaded.sources, scan, SampleSpec(seed=seed, per_source=per_source, corpus=corpus), config)


@click.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@sample_options(required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.xlsx (drop-down lists for the reviewer), FILE.csv or FILE.parquet.",
)
@scan_options
@reports_errors
def sample(
    manifest: Path,
    seed: int,
    per_source: int,
    corpus: int,
    out: Path,
    memory_limit: str,
    threads: int | None,
    temp_dir: Path | None,
) -> None:
    """Draw a deterministic sample of MANIFEST's items for the human safety review (TC260-003 §9.2, §5.1 a)).

    Bottom-k by a seeded hash: an item's key is the first 16 hex digits of SHA-256(seed, NUL, item_id); the
    K smallest per source and the N smallest overall are drawn. The same seed gives the same items on every
    run and whatever the order of the files; the file says how to re-derive it. The reviewer fills verdict
    (qualified / unqualified) and risk_code (Appendix A); `aireport cn-assess --reviewed FILE` reads it back.
    """
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(f"{out.name}: write .xlsx, .csv or .parquet", param_hint="--out")
    loaded = load_manifest(manifest)
    appendix = load_appendix_a()
    config = EngineConfig(memory_limit=memory_limit, threads=threads, temp_dir=temp_dir)
    drawn = draw(loaded, seed, per_source, corpus, config)
    if fmt == "xlsx" and len(drawn.rows) > XLSX_MAX_ROWS:
        raise InputError(
            [Problem(str(out), f"{len(drawn.rows):,} rows do not fit in one XLSX sheet; write .csv or .parquet")]
        )
    context = SampleContext(manifest=manifest.name, manifest_sha256=sha256_file(loaded.path), tool_version=__version__)
    write_atomic(out, sample_file_bytes(fmt, drawn, context, appendix))
    per = sum(1 for r in drawn.rows if r.sample.value == "per_source")
    Console(stderr=True, highlight=False).print(
        f"sampled {per:,} items from {len(drawn.sources)} sources (up to {per_source:,} each) and "
        f"{len(drawn.rows) - per:,} from the whole corpus of {drawn.rows_in_frame:,} items, seed {seed}; wrote {out}",
        style="dim",
    )
