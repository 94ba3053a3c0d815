"""The signed delivery: certificate and addendum predicates, the in-toto Statement and DSSE envelope around them,
and the inclusion proof of one item. Pydantic only, no I/O; ``aireport.attest`` builds, signs and checks them.

A certificate file is a DSSE envelope (``payloadType: application/vnd.in-toto+json``) whose payload is the RFC 8785
canonical JSON of an in-toto Statement v1 with predicate type :data:`CERTIFICATE_PREDICATE`. Both predicate types
are aireport's own (not registered with in-toto); the URIs name the schema and its version.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aireport.models.base import Strict

MERKLE_SCHEME: Final = "aireport-merkle-sha256-v1"
STATEMENT_TYPE: Final = "https://in-toto.io/Statement/v1"
INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
CERTIFICATE_PREDICATE = "https://aireport.dev/delivery-certificate/v1"
ADDENDUM_PREDICATE = "https://aireport.dev/delivery-addendum/v1"

Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="64 lowercase hexadecimal digits.")]
Count = Annotated[int, Field(ge=0, le=2**53 - 1)]  # RFC 8785 numbers are IEEE doubles: exact up to 2**53
NonEmpty = Annotated[str, Field(min_length=1)]


class Party(Strict):
    """A supplier or a buyer as the certificate names it."""

    name: NonEmpty = Field(description="Legal name.")
    identifier: str | None = Field(
        None, description="A registry identifier, e.g. an LEI or a unified social credit code."
    )
    contact: str | None = None


class Delivery(Strict):
    id: NonEmpty = Field(description="The supplier's identifier of this delivery.")
    description: str | None = None


class MerkleCommitment(Strict):
    """The root over (item id, content hash) of every delivered item; see docs/merkle.md."""

    scheme: Literal["aireport-merkle-sha256-v1"] = MERKLE_SCHEME
    root: Hex64
    size: Count = Field(description="Leaves in the tree: the delivered items.")


class ItemCounts(Strict):
    delivered: Count
    bytes: Count | None = Field(None, description="Total size of the delivered items, when every item states it.")


class Clearance(Strict):
    """How many delivered items are cleared for commercial AI training, and why the others are not."""

    cleared: Count
    not_cleared: Count
    unknown: Count
    not_cleared_by_reason: dict[str, Count] = Field(default_factory=dict, description="Reason code -> items.")
    unknown_by_reason: dict[str, Count] = Field(default_factory=dict, description="Reason code -> items.")
    territory: list[str] = Field(
        default_factory=lambda: ["worldwide"],
        description="Where the licences had to grant use: worldwide, or ISO 3166-1 alpha-2 codes.",
    )

    @model_validator(mode="after")
    def _reasons_within_totals(self) -> Clearance:
        for label, total, reasons in (
            ("not_cleared", self.not_cleared, self.not_cleared_by_reason),
            ("unknown", self.unknown, self.unknown_by_reason),
        ):
            over = {code: n for code, n in reasons.items() if n > total}
            if over:
                raise ValueError(f"{label}_by_reason counts {over} exceed {label} = {total}")
        return self


class PackDigest(Strict):
    id: NonEmpty
    version: NonEmpty
    sha256: Hex64


class InputDigest(Strict):
    role: NonEmpty = Field(description="manifest, sources, items, pack, licences, ...")
    path: NonEmpty = Field(description="Path relative to the manifest's folder, with forward slashes.")
    sha256: Hex64
    bytes: Count


class Tool(Strict):
    name: Literal["aireport"] = "aireport"
    version: NonEmpty


class DeliveryCertificate(Strict):
    """Predicate of ``https://aireport.dev/delivery-certificate/v1``: what a supplier certifies about a delivery."""

    supplier: Party
    buyer: Party
    delivery: Delivery
    date: dt.date = Field(description="The certificate's date (--date or SOURCE_DATE_EPOCH, UTC).")
    items: ItemCounts
    merkle: MerkleCommitment
    clearance: Clearance
    packs: list[PackDigest] = Field(default_factory=list)
    inputs: list[InputDigest] = Field(default_factory=list)
    tool: Tool

    @model_validator(mode="after")
    def _counts_agree(self) -> DeliveryCertificate:
        if self.merkle.size != self.items.delivered:
            raise ValueError(f"merkle.size {self.merkle.size} differs from items.delivered {self.items.delivered}")
        c = self.clearance
        if c.cleared + c.not_cleared + c.unknown != self.items.delivered:
            raise ValueError(
                f"clearance counts {c.cleared} + {c.not_cleared} + {c.unknown} differ from "
                f"items.delivered {self.items.delivered}"
            )
        return self


class CertificateRef(Strict):
    """Which certificate an addendum amends: the SHA-256 of its signed payload (the canonical Statement bytes)."""

    delivery_id: NonEmpty
    sha256: Hex64 = Field(description="SHA-256 of the certificate envelope's decoded payload.")
    merkle_root: Hex64


class Withdrawal(Strict):
    item_id: NonEmpty
    reason: NonEmpty = Field(description="Reason code, e.g. takedown_request, licence_revoked, rights_dispute.")
    detail: str | None = None
    content_hash: Hex64 | None = Field(
        None, description="The certified content hash, so a buyer who deleted the item can still re-derive the root."
    )


class DeliveryAddendum(Strict):
    """Predicate of ``https://aireport.dev/delivery-addendum/v1``: items withdrawn after delivery (a takedown)."""

    certificate: CertificateRef
    sequence: int = Field(ge=1, description="1 for the first addendum to this certificate, then 2, 3, ...")
    date: dt.date
    supplier: Party
    withdrawn: list[Withdrawal] = Field(min_length=1)
    tool: Tool

    @model_validator(mode="after")
    def _unique_items(self) -> DeliveryAddendum:
        counts = Counter(w.item_id for w in self.withdrawn)
        twice = sorted(item for item, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"items withdrawn twice in one addendum: {twice}")
        return self


class InclusionProof(Strict):
    """RFC 9162 audit path of one item: checkable against a certificate's root without the item list."""

    scheme: Literal["aireport-merkle-sha256-v1"] = MERKLE_SCHEME
    item_id: NonEmpty
    content_hash: Hex64
    leaf_index: int = Field(ge=0)
    tree_size: int = Field(ge=1)
    path: list[Hex64] = Field(description="Sibling subtree roots from the leaf up.")
    root: Hex64
    delivery_id: str | None = None
    certificate_sha256: Hex64 | None = Field(None, description="SHA-256 of the certificate's signed payload.")


# --- the in-toto Statement v1 and the DSSE envelope (formats defined elsewhere, modelled for parsing) ---------


class Lenient(BaseModel):
    """in-toto parsing rules: consumers ignore fields they do not know."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ResourceDescriptor(Lenient):
    name: str | None = None
    digest: dict[str, str] = Field(min_length=1)


class Statement(Lenient):
    type: Literal["https://in-toto.io/Statement/v1"] = Field(STATEMENT_TYPE, alias="_type")
    subject: list[ResourceDescriptor] = Field(min_length=1)
    predicate_type: NonEmpty = Field(alias="predicateType")
    predicate: dict[str, Any] = Field(default_factory=dict)


class DsseSignature(Lenient):
    keyid: str = ""
    sig: str = Field(description="Base64 (standard or URL-safe) of the signature over PAE(payloadType, payload).")


class DsseEnvelope(Lenient):
    payload: str = Field(description="Base64 (standard or URL-safe) of the serialized body.")
    payload_type: str = Field(alias="payloadType")
    signatures: list[DsseSignature] = Field(min_length=1)
