"""``aireport certify`` (the supplier signs a delivery) and ``aireport keygen`` (an Ed25519 key pair)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from aireport.cli.clear import clearance_options, print_totals
from aireport.cli.common import document_date, engine_options, reports_errors
from aireport.pipeline import CertifyRequest, ClearRequest, EngineConfig, certify, write_keypair
from aireport.render.formats import RenderRequest, parse_list, prepare
from aireport.render.i18n import LANGUAGE_CHOICES


@click.command()
@reports_errors
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--delivery", required=True, help="Your identifier of this delivery, e.g. D-2026-001.")
@click.option("--buyer", required=True, help="The buyer's legal name.")
@click.option("--supplier", default=None, help="Your legal name (default: the manifest's provider).")
@click.option(
    "--key", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Ed25519 private key (PEM)."
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes hashing the Merkle tree (2 on an idle two-core machine).",
)
@click.option(
    "--format",
    "formats",
    default="json,pdf",
    show_default=True,
    help="Formats of the delivery statement, comma-separated: json, pdf, html.",
)
@click.option("--lang", "langs", default="en", show_default=True, help="en, zh or en+zh; several comma-separated.")
@click.option(
    "--creator-statement",
    "creator_statements",
    multiple=True,
    help="A creator who gets a statement of their own line only. Repeatable.",
)
@clearance_options
@engine_options
def certify_command(
    manifest: Path,
    delivery: str,
    buyer: str,
    supplier: str | None,
    key: Path,
    out: Path,
    workers: int,
    formats: str,
    langs: str,
    creator_statements: tuple[str, ...],
    date: str | None,
    territory: str,
    pack: str,
    amount: str | None,
    currency: str | None,
    basis: str,
    engine_config: EngineConfig,
    quiet: bool,
) -> None:
    """Certify the items of MANIFEST as a delivery to a buyer, signed with KEY, into OUT.

    Writes certificate.dsse.json (an in-toto Statement in a DSSE envelope, Ed25519: the Merkle root over every
    delivered item's id and content hash, counts, clearance counts by reason, packs, input digests), the listing
    clearance.parquet (one row per item), merkle-index.parquet (for `aireport prove`), the ledgers, and the
    delivery statement (JSON; PDF/A-3b with that JSON, the signed envelope inside, attached).
    """
    request = CertifyRequest(
        clear=ClearRequest(
            manifest=manifest,
            date=document_date(date),
            territories=territory,
            pack=pack,
            amount=amount,
            currency=currency,
            basis=basis,
            engine=engine_config,
        ),
        delivery=delivery,
        buyer=buyer,
        key=key,
        supplier=supplier,
        workers=workers,
        render=_render_request(formats, langs),
        creator_statements=creator_statements,
    )
    written, cleared, signed = certify(request, out)
    for path in written:
        click.echo(str(path))
    if not quiet:
        print_totals(cleared)
        c = signed.certificate
        Console(stderr=True, highlight=False).print(
            f"delivery {c.delivery.id}: {c.items.delivered:,} items, root {c.merkle.root}",
            style="dim",
        )


certify_command.name = "certify"


def _render_request(formats: str, langs: str) -> RenderRequest:
    """Checked before the scan: an unknown format or a missing font fails at once."""
    request = RenderRequest(
        formats=parse_list(formats, ("json", "pdf", "html"), "--format"),
        languages=parse_list(langs, LANGUAGE_CHOICES, "--lang"),
    )
    prepare(request)
    return request


@click.command()
@reports_errors
@click.argument("private", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where the public key goes (default: beside, NAME.pub.pem).",
)
def keygen(private: Path, public: Path | None) -> None:
    """Make an Ed25519 key pair: PRIVATE (PKCS#8 PEM, mode 0600) and its public key (SubjectPublicKeyInfo PEM).

    Never overwrites a file. Give the public key to your buyers; keep the private key offline.
    """
    pair = write_keypair(private, public)
    click.echo(f"{pair.private}\n{pair.public}\nkey id {pair.key_id}")
