"""in-toto Statements v1 for the delivery certificate and its addenda, canonical (RFC 8785) and DSSE-signed.

Certificate
    ``_type: https://in-toto.io/Statement/v1``, ``predicateType: https://aireport.dev/delivery-certificate/v1``
    (aireport's own type), ``predicate``: :class:`~aireport.models.certificate.DeliveryCertificate`. Its one subject
    is the delivery: ``{"name": "delivery:<id>", "digest": {"aireport-merkle-sha256-v1": <root>}}``. The digest key
    is the Merkle scheme's name, not ``sha256``: the root is not the SHA-256 of one file, and in-toto DigestSets
    allow a documented custom algorithm (docs/merkle.md documents it).

Addendum (a takedown after delivery)
    ``predicateType: https://aireport.dev/delivery-addendum/v1``, predicate
    :class:`~aireport.models.certificate.DeliveryAddendum`. Its subject is the certificate it amends:
    ``{"name": "certificate:<delivery id>", "digest": {"sha256": <SHA-256 of the certificate's signed payload>}}``;
    the payload (the canonical Statement bytes) is fixed by the signature, so this digest does not depend on how
    the envelope file was formatted or how many signatures it carries.

Everything signed is the RFC 8785 (JSON Canonicalization Scheme) serialisation of the Statement, fields whose value
is null left out. The DSSE payload type is ``application/vnd.in-toto+json``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic
import rfc8785
from cryptography.hazmat.primitives.asymmetric import ed25519
from pydantic import BaseModel

from aireport.attest import dsse
from aireport.attest.errors import VerificationError
from aireport.errors import InputError, Problem
from aireport.models.certificate import (
    ADDENDUM_PREDICATE,
    CERTIFICATE_PREDICATE,
    INTOTO_PAYLOAD_TYPE,
    MERKLE_SCHEME,
    STATEMENT_TYPE,
    DeliveryAddendum,
    DeliveryCertificate,
    DsseEnvelope,
    ResourceDescriptor,
    Statement,
)

__all__ = [
    "SignedAddendum",
    "SignedCertificate",
    "addendum_statement",
    "canonical_json",
    "certificate_statement",
    "check_delivery",
    "parse_addendum",
    "parse_certificate",
    "parse_statement",
    "payload_digest",
    "sign_addendum",
    "sign_certificate",
    "sign_document",
    "statement_bytes",
    "verify_addendum",
    "verify_certificate",
    "verify_document",
]

M = TypeVar("M", bound=BaseModel)


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of a JSON value or a pydantic model (nulls dropped from models)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return rfc8785.dumps(value)


def payload_digest(payload: bytes) -> str:
    """Lowercase hex SHA-256 of a signed payload: how an addendum names the certificate it amends."""
    return hashlib.sha256(payload).hexdigest()


def statement_bytes(subject: Sequence[ResourceDescriptor], predicate_type: str, predicate: BaseModel) -> bytes:
    """The canonical bytes of an in-toto Statement v1."""
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [d.model_dump(mode="json", exclude_none=True) for d in subject],
        "predicateType": predicate_type,
        "predicate": predicate.model_dump(mode="json", by_alias=True, exclude_none=True),
    }
    return canonical_json(statement)


def certificate_statement(certificate: DeliveryCertificate) -> bytes:
    subject = ResourceDescriptor(
        name=f"delivery:{certificate.delivery.id}", digest={MERKLE_SCHEME: certificate.merkle.root}
    )
    return statement_bytes([subject], CERTIFICATE_PREDICATE, certificate)


def addendum_statement(addendum: DeliveryAddendum) -> bytes:
    subject = ResourceDescriptor(
        name=f"certificate:{addendum.certificate.delivery_id}", digest={"sha256": addendum.certificate.sha256}
    )
    return statement_bytes([subject], ADDENDUM_PREDICATE, addendum)


def parse_statement(payload: bytes, source: str) -> Statement:
    """An in-toto Statement v1 from a (verified) payload; anything else is a VerificationError naming ``source``."""
    try:
        raw = json.loads(payload)
        return Statement.model_validate(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationError([Problem(file=source, field="payload", message=f"is not JSON: {exc}")]) from exc
    except pydantic.ValidationError as exc:
        raise VerificationError([_problem(source, "payload.", exc, "an in-toto Statement v1")]) from exc


def _problem(source: str, prefix: str, exc: pydantic.ValidationError, what: str) -> Problem:
    err = exc.errors()[0]
    field = prefix + ".".join(str(p) for p in err["loc"])
    return Problem(file=source, field=field.rstrip("."), message=f"{err['msg']} (expected {what})")


def _predicate(statement: Statement, predicate_type: str, model: type[M], source: str) -> M:
    if statement.predicate_type != predicate_type:
        raise VerificationError(
            [
                Problem(
                    file=source,
                    field="payload.predicateType",
                    message=f"is {statement.predicate_type!r}; expected {predicate_type!r}",
                )
            ]
        )
    try:
        return model.model_validate(statement.predicate)
    except pydantic.ValidationError as exc:
        raise VerificationError([_problem(source, "payload.predicate.", exc, predicate_type)]) from exc


def parse_certificate(payload: bytes, source: str) -> DeliveryCertificate:
    """The certificate predicate of a verified payload, after checking that its subject names the same root."""
    statement = parse_statement(payload, source)
    certificate = _predicate(statement, CERTIFICATE_PREDICATE, DeliveryCertificate, source)
    roots = {d.digest.get(MERKLE_SCHEME) for d in statement.subject}
    if roots != {certificate.merkle.root}:
        raise VerificationError(
            [
                Problem(
                    file=source,
                    field="payload.subject",
                    message=f"names Merkle root(s) {sorted(str(r) for r in roots)}, the predicate "
                    f"{certificate.merkle.root}",
                )
            ]
        )
    return certificate


def parse_addendum(payload: bytes, source: str) -> DeliveryAddendum:
    statement = parse_statement(payload, source)
    addendum = _predicate(statement, ADDENDUM_PREDICATE, DeliveryAddendum, source)
    digests = {d.digest.get("sha256") for d in statement.subject}
    if digests != {addendum.certificate.sha256}:
        raise VerificationError(
            [
                Problem(
                    file=source, field="payload.subject", message="does not name the certificate the predicate amends"
                )
            ]
        )
    return addendum


@dataclass(frozen=True)
class SignedCertificate:
    envelope: DsseEnvelope
    certificate: DeliveryCertificate
    payload_sha256: str  # what an addendum or an inclusion proof cites
    key_ids: tuple[str, ...]  # the trusted keys that signed (empty when just signed: the signer's are in envelope)


@dataclass(frozen=True)
class SignedAddendum:
    envelope: DsseEnvelope
    addendum: DeliveryAddendum
    payload_sha256: str
    key_ids: tuple[str, ...]


def sign_certificate(
    certificate: DeliveryCertificate, keys: ed25519.Ed25519PrivateKey | Sequence[ed25519.Ed25519PrivateKey]
) -> SignedCertificate:
    payload = certificate_statement(certificate)
    envelope = dsse.sign(payload, INTOTO_PAYLOAD_TYPE, keys)
    return SignedCertificate(envelope, certificate, payload_digest(payload), ())


def sign_addendum(
    addendum: DeliveryAddendum, keys: ed25519.Ed25519PrivateKey | Sequence[ed25519.Ed25519PrivateKey]
) -> SignedAddendum:
    payload = addendum_statement(addendum)
    envelope = dsse.sign(payload, INTOTO_PAYLOAD_TYPE, keys)
    return SignedAddendum(envelope, addendum, payload_digest(payload), ())


def verify_certificate(
    data: bytes,
    trusted: ed25519.Ed25519PublicKey | Sequence[ed25519.Ed25519PublicKey],
    source: str,
    *,
    threshold: int = 1,
) -> SignedCertificate:
    """Read, verify and parse a certificate file. Unreadable: InputError (2); not verifying: VerificationError (1)."""
    envelope = dsse.parse_envelope(data, source)
    verified = dsse.verify(envelope, trusted, INTOTO_PAYLOAD_TYPE, threshold=threshold, source=source)
    certificate = parse_certificate(verified.payload, source)
    return SignedCertificate(envelope, certificate, payload_digest(verified.payload), verified.key_ids)


def verify_addendum(
    data: bytes,
    trusted: ed25519.Ed25519PublicKey | Sequence[ed25519.Ed25519PublicKey],
    source: str,
    certificate: SignedCertificate | None = None,
    *,
    threshold: int = 1,
) -> SignedAddendum:
    """Read, verify and parse an addendum; with ``certificate``, also check that it amends that certificate."""
    envelope = dsse.parse_envelope(data, source)
    verified = dsse.verify(envelope, trusted, INTOTO_PAYLOAD_TYPE, threshold=threshold, source=source)
    addendum = parse_addendum(verified.payload, source)
    if certificate is not None and addendum.certificate.sha256 != certificate.payload_sha256:
        raise VerificationError(
            [
                Problem(
                    file=source,
                    field="payload.predicate.certificate.sha256",
                    message=f"amends certificate {addendum.certificate.sha256}, not the one given "
                    f"({certificate.payload_sha256}, delivery {certificate.certificate.delivery.id!r})",
                )
            ]
        )
    return SignedAddendum(envelope, addendum, payload_digest(verified.payload), verified.key_ids)


def check_delivery(certificate: DeliveryCertificate, root: bytes, count: int, source: str) -> None:
    """Compare the root and item count re-derived from the delivered data with what the certificate signs.

    Raises one VerificationError listing every mismatch; naming the items that differ is the job of a listing
    diff (:func:`aireport.attest.merkle.diff_listings` or a join), since a root cannot say which leaf changed.
    """
    problems: list[Problem] = []
    if count != certificate.items.delivered:
        problems.append(
            Problem(
                file=source,
                field="items.delivered",
                message=f"the certificate states {certificate.items.delivered:,} items; the delivered data holds "
                f"{count:,}",
            )
        )
    if root.hex() != certificate.merkle.root:
        problems.append(
            Problem(
                file=source,
                field="merkle.root",
                message=f"the certificate signs root {certificate.merkle.root}; the delivered data gives "
                f"{root.hex()}: an item was changed, added or removed",
            )
        )
    if problems:
        raise VerificationError(problems)


def verify_document(
    data: bytes,
    trusted: ed25519.Ed25519PublicKey | Sequence[ed25519.Ed25519PublicKey],
    payload_types: str | Sequence[str],
    source: str,
    *,
    threshold: int = 1,
) -> tuple[Any, tuple[str, ...]]:
    """A document signed with :func:`sign_document`: its JSON value and the key ids that signed it."""
    envelope = dsse.parse_envelope(data, source)
    verified = dsse.verify(envelope, trusted, payload_types, threshold=threshold, source=source)
    try:
        value = json.loads(verified.payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationError([Problem(file=source, field="payload", message=f"is not JSON: {exc}")]) from exc
    return value, verified.key_ids


def sign_document(
    document: Any, payload_type: str, keys: ed25519.Ed25519PrivateKey | Sequence[ed25519.Ed25519PrivateKey]
) -> DsseEnvelope:
    """Any JSON document (a pydantic model or a JSON value) signed as its RFC 8785 bytes (``--sign KEY``).

    ``payload_type`` names the document's schema, e.g. ``application/vnd.aireport.findings+json``.
    """
    try:
        payload = canonical_json(document)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise InputError([Problem(file="document", message=f"cannot be canonicalised (RFC 8785): {exc}")]) from exc
    return dsse.sign(payload, payload_type, keys)
