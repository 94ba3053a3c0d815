"""``aireport clear``: every item cleared (or not) for commercial AI training, and the creators' ledger."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from aireport.cli.common import document_date, engine_options, reports_errors
from aireport.pipeline import (
    LISTING_FILE,
    Cleared,
    ClearRequest,
    EngineConfig,
    clear,
    ledger_files,
    staging_path,
    write_delivery,
)


def clearance_options(func: click.decorators.FC) -> click.decorators.FC:
    """Options shared with ``certify``: date, territory, pack, amount, currency, basis."""
    for option in reversed(
        [
            click.option(
                "--date",
                "date",
                default=None,
                help="Clearance date YYYY-MM-DD: licences must be in term on it "
                "(default: SOURCE_DATE_EPOCH, else today).",
            ),
            click.option(
                "--territory",
                default="worldwide",
                show_default=True,
                help="Where the buyer will use the items: worldwide, or ISO 3166-1 alpha-2 codes (CN,HK).",
            ),
            click.option(
                "--pack",
                default="clearance",
                show_default=True,
                help="The clearance rule pack (name or folder): one rule per condition of clearance.",
            ),
            click.option("--amount", default=None, help="Amount to allocate to creators, a positive decimal."),
            click.option("--currency", default=None, help="ISO 4217 currency of --amount, e.g. CNY."),
            click.option(
                "--basis",
                type=click.Choice(["count", "bytes", "weight"]),
                default="count",
                show_default=True,
                help="Allocate by cleared items, cleared bytes or cleared usage_weight.",
            ),
        ]
    ):
        func = option(func)
    return func


@click.command()
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder.")
@clearance_options
@engine_options
def clear_command(
    manifest: Path,
    out: Path,
    date: str | None,
    territory: str,
    pack: str,
    amount: str | None,
    currency: str | None,
    basis: str,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Clear every item of MANIFEST for commercial AI training into OUT.

    Writes clearance.parquet (one row per item: id, content hash, source, resolved licence, class verdicts,
    cleared yes/no/unknown and its reason codes) and the ledgers per creator and per rights holder (CSV,
    Parquet). Exit 0, or 2 on bad input (nothing written).
    """
    request = ClearRequest(
        manifest=manifest,
        date=document_date(date),
        territories=territory,
        pack=pack,
        amount=amount,
        currency=currency,
        basis=basis,
        engine=engine_config,
    )
    cleared = clear(request, staging_path(out, LISTING_FILE))
    for path in write_delivery(out, {LISTING_FILE: cleared.listing}, ledger_files(cleared)):
        click.echo(str(path))
    if not quiet:
        print_totals(cleared)


def print_totals(cleared: Cleared) -> None:
    """Verdict counts and the row accounting (every row read is in the listing: none is set aside)."""
    t = cleared.totals
    Console(stderr=True, highlight=False).print(
        f"{t.cleared_items:,} cleared, {t.not_cleared_items:,} not cleared, {t.unknown_items:,} unknown. "
        f"Rows read {cleared.rows:,} = evaluated {cleared.rows:,} + rejected 0.",
        style="dim",
    )


clear_command.name = "clear"
