"""``aireport verify`` (the buyer checks a delivery or an inclusion proof), ``prove`` and ``takedown``.

Exit codes: 0 verified; 1 verification failed (signature, root, count, items, recheck), with every failure named;
2 the input itself cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from aireport.cli.common import document_date, engine_options, reports_errors
from aireport.cli.exit_codes import ExitCode
from aireport.pipeline import (
    EngineConfig,
    Verification,
    canonical_bytes,
    prove_item,
    takedown,
    verify_delivery,
    verify_document_file,
    verify_proof_file,
    write_file,
)

_KEYS = click.option(
    "--public-key",
    "public_keys",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="The supplier's Ed25519 public key (PEM), obtained from the supplier. Repeatable.",
)


def _report(outcome: Verification) -> None:
    out = Console(highlight=False, soft_wrap=True)
    for line in outcome.checked:
        out.print(f"[green]ok:[/] {escape(line)}")
    for item_id, reason, sequence in outcome.withdrawn:
        out.print(f"[yellow]withdrawn:[/] item {escape(item_id)} ({escape(reason)}, addendum {sequence}): delete it")
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for problem in outcome.failures:
        err.print(f"[bold red]failed:[/] {escape(str(problem))}")
    if outcome.failures:
        sys.exit(ExitCode.FINDINGS)
    out.print("verified")


@click.command()
@reports_errors
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--items",
    "items",
    multiple=True,
    help="The delivered data: its manifest (YAML), or item files, "
    "folders or globs with item_id and content_hash. Repeatable.",
)
@_KEYS
@click.option(
    "--listing",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The certified clearance.parquet, to name differing items (default: beside the certificate).",
)
@click.option(
    "--addendum",
    "addenda",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A signed addendum (takedown after delivery). Repeatable.",
)
@click.option(
    "--certificate",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With an inclusion proof as FILE: the certificate it is checked against.",
)
@click.option("--recheck", is_flag=True, help="Clear the delivered data again and compare the clearance counts.")
@click.option(
    "--signature",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With a document as FILE: its signature (default: NAME.dsse.json beside it).",
)
@engine_options
def verify(
    file: Path,
    items: tuple[str, ...],
    public_keys: tuple[Path, ...],
    listing: Path | None,
    addenda: tuple[Path, ...],
    certificate: Path | None,
    recheck: bool,
    signature: Path | None,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Verify FILE: a delivery certificate against the delivered data (--items), an inclusion proof
    against its certificate (--certificate), or a signed JSON document (report --sign): its signature, its
    schema, and the PDFs beside it reproduced byte for byte from it.

    Checks the signature with --public-key, re-derives the Merkle root from the delivered data, compares it and the
    item count with the certificate and names every item that differs (changed hash, missing, extra). Exit 0
    verified, 1 verification failed, 2 unreadable input.
    """
    if certificate is not None:
        _report(verify_proof_file(file, certificate, public_keys))
        return
    if not items:
        _report(verify_document_file(file, public_keys, signature))
        return
    _report(verify_delivery(file, items, public_keys, listing, addenda, recheck, engine_config))


@click.command()
@reports_errors
@click.argument("certificate", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("item_id")
@click.option(
    "--items", "items", multiple=True, help="The certified data (default: clearance.parquet beside the certificate)."
)
@click.option(
    "--index",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The proof index (default: merkle-index.parquet beside the certificate).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the proof here.")
def prove(certificate: Path, item_id: str, items: tuple[str, ...], index: Path | None, out: Path | None) -> None:
    """An inclusion proof that ITEM_ID is in the delivery CERTIFICATE signs: anyone checks it against the
    certificate's root (`aireport verify PROOF --certificate CERT`, or docs/merkle.md with hashlib alone)."""
    payload = canonical_bytes(prove_item(certificate, item_id, items, index))
    if out is None:
        sys.stdout.buffer.write(payload)
    else:
        write_file(out, payload)
        click.echo(str(out))


@click.command(name="takedown")
@reports_errors
@click.argument("certificate", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("item_ids", nargs=-1, required=True)
@click.option("--reason", default="takedown_request", show_default=True, help="Reason code of the withdrawal.")
@click.option("--detail", default=None, help="A note on the withdrawal.")
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The private key that signed the certificate.",
)
@click.option("--sequence", type=click.IntRange(1), default=1, show_default=True, help="1 for the first addendum, ...")
@click.option(
    "--listing",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The certified clearance.parquet (default: beside the certificate).",
)
@click.option("--date", "date", default=None, help="Date of the addendum YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The addendum file.")
def takedown_command(
    certificate: Path,
    item_ids: tuple[str, ...],
    reason: str,
    detail: str | None,
    key: Path,
    sequence: int,
    listing: Path | None,
    date: str | None,
    out: Path,
) -> None:
    """Withdraw ITEM_IDS from a delivered CERTIFICATE after delivery: a signed addendum the buyer checks with
    `aireport verify CERT --items ... --addendum FILE`."""
    write_file(out, takedown(certificate, item_ids, reason, key, document_date(date), sequence, listing, detail))
    click.echo(str(out))
