"""The documents of a delivery: the statement for the delivery (certificate and ledger for people, the signed
certificate inside) and a creator's own statement. Pydantic only, no I/O; built by ``aireport.disclose.delivery``.

Both are bounded in size whatever the delivery: the statement lists the leading lines of each ledger and the
digests of the ledger files that hold every line; a creator's statement holds that creator's line and nothing of
any other creator.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from aireport.models.base import Bilingual
from aireport.models.doc_parts import Doc, InputRow, PackRow

STATEMENT_LINES = 50
"""Ledger lines a delivery statement lists per ledger (the ledger files hold every line)."""


class ReasonCount(Doc):
    """Items of one reason code (a clearance rule), with the rule's title."""

    code: str = Field(description="The clearance rule's id.")
    title: Bilingual = Field(description="What the rule requires.")
    items: int = Field(ge=0, description="Items with this reason code.")


class ClearanceFigures(Doc):
    """How many items are cleared for commercial AI training, and why the others are not (reasons overlap)."""

    items: int = Field(ge=0, description="Items counted.")
    bytes: int | None = Field(None, ge=0, description="Their size in bytes, when every item states it.")
    cleared: int = Field(ge=0, description="Items cleared: every applicable rule holds.")
    not_cleared: int = Field(ge=0, description="Items not cleared: a rule fails.")
    unknown: int = Field(ge=0, description="Items without a verdict: no rule fails, one lacks evidence.")
    not_cleared_by_reason: list[ReasonCount] = Field(description="Not-cleared items per failing rule, by rule id.")
    unknown_by_reason: list[ReasonCount] = Field(description="Unknown items per rule lacking evidence, by rule id.")


class Amount(Doc):
    """The amount allocated to the lines of the ledgers."""

    amount: str = Field(description="The amount as a decimal, e.g. 1000000.00.")
    currency: str = Field(description="ISO 4217 code.")
    minor_units: int = Field(ge=1, description="The amount in the currency's minor units.")
    basis: Literal["count", "bytes", "weight"] = Field(
        description="What it is allocated by: cleared items, cleared bytes or cleared usage weight."
    )


class StatementLine(Doc):
    """One creator's (or rights holder's) line of a ledger."""

    key: str | None = Field(description="The creator or rights holder; null for the items with none recorded.")
    items: int = Field(ge=0, description="Items of this line in the delivery.")
    bytes: int | None = Field(None, ge=0, description="Their size in bytes, when every item states it.")
    cleared_items: int = Field(ge=0, description="Of these, items cleared for commercial AI training.")
    not_cleared_items: int = Field(ge=0, description="Items not cleared.")
    unknown_items: int = Field(ge=0, description="Items without a verdict.")
    share_count: str | None = Field(description="Share of the delivery's cleared items, an exact fraction n/d.")
    share_bytes: str | None = Field(description="Share of the cleared bytes, an exact fraction.")
    share_weight: str | None = Field(description="Share of the cleared usage weight, an exact fraction.")
    allocation: str | None = Field(description="The line's allocation of the amount, a decimal; null without one.")
    allocation_minor_units: int | None = Field(description="The same in the currency's minor units.")


class FileRow(Doc):
    """A file written beside the document, with its digest."""

    name: str = Field(description="File name in the delivery folder.")
    bytes: int = Field(ge=0, description="Size in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file, hex.")


class LedgerSection(Doc):
    """The leading lines of one ledger."""

    key: Literal["creator", "rights_holder"] = Field(description="Whom the ledger accounts to.")
    lines_total: int = Field(ge=0, description="Lines in the ledger (its files list every one).")
    lines: list[StatementLine] = Field(
        description="The leading lines: by allocation (else cleared items) descending, then key."
    )
    lines_more: int = Field(ge=0, description="Lines not listed here.")
    files: list[FileRow] = Field(description="The ledger as CSV and Parquet.")


class Seal(Doc):
    """The signed certificate the document carries: a buyer checks it with `aireport verify`."""

    payload_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the signed Statement.")
    key_ids: list[str] = Field(description="Key ids of the signatures (SHA-256 of the Ed25519 public key).")
    envelope: dict[str, Any] = Field(description="The DSSE envelope (certificate.dsse.json) as JSON.")


class DeliveryTraceability(Doc):
    """What the document was computed from, and with which tool."""

    tool: str = Field(description="The program.")
    tool_version: str = Field(description="Its version.")
    inputs: list[InputRow] = Field(description="Every input file, by role then path.")
    packs: list[PackRow] = Field(description="The clearance pack.")


class DeliveryStatementDocument(Doc):
    """A delivery for people: the certificate's facts, clearance by reason, the ledgers' leading lines, the seal."""

    schema_version: Literal["1.0"] = Field("1.0", description="Version of this document schema.")
    document: Literal["delivery-statement"] = Field("delivery-statement", description="Which document this is.")
    audience: Literal["buyer"] = Field("buyer", description="The buyer of the delivery (and its supplier).")
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The certificate's date.")
    delivery_id: str = Field(description="The supplier's identifier of the delivery.")
    supplier: str = Field(description="The supplier's name.")
    buyer: str = Field(description="The buyer's name.")
    dataset: str = Field(description="The dataset the items come from.")
    merkle_scheme: str = Field(description="The Merkle scheme (docs/merkle.md).")
    merkle_root: str = Field(pattern=r"^[0-9a-f]{64}$", description="Root over (item id, content hash).")
    territory: list[str] = Field(description="Where the licences had to grant use.")
    clearance: ClearanceFigures = Field(description="Clearance of the delivered items.")
    amount: Amount | None = Field(description="The amount allocated, if one was given.")
    creators: LedgerSection = Field(description="The creators' ledger.")
    rights_holders: LedgerSection = Field(description="The rights holders' ledger.")
    seal: Seal = Field(description="The signed certificate.")
    traceability: DeliveryTraceability = Field(description="Inputs with digests, pack, tool.")


class CreatorStatementDocument(Doc):
    """One creator's statement of a delivery: their own line only."""

    schema_version: Literal["1.0"] = Field("1.0", description="Version of this document schema.")
    document: Literal["creator-statement"] = Field("creator-statement", description="Which document this is.")
    audience: Literal["creator"] = Field("creator", description="One creator: nothing of any other creator.")
    document_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The certificate's date.")
    delivery_id: str = Field(description="The delivery.")
    supplier: str = Field(description="The supplier's name.")
    buyer: str = Field(description="The buyer's name.")
    merkle_root: str = Field(pattern=r"^[0-9a-f]{64}$", description="The delivery's signed Merkle root.")
    certificate_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the signed certificate.")
    creator: str = Field(description="The creator this statement is for.")
    line: StatementLine = Field(description="The creator's line of the ledger.")
    not_cleared_by_reason: list[ReasonCount] = Field(description="The creator's items not cleared, per reason.")
    unknown_by_reason: list[ReasonCount] = Field(description="The creator's items without a verdict, per reason.")
    amount: Amount | None = Field(description="The amount the delivery allocated, and how.")
    traceability: DeliveryTraceability = Field(description="Tool and pack (no input of other creators).")
