"""DSSE v1 (Dead Simple Signing Envelope) with Ed25519: sign any payload, verify against trusted public keys.

The signature covers the pre-authentication encoding of the DSSE protocol v1.0::

    PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

where SP is one ASCII space, ``type`` is the UTF-8 of the payload type, and LEN is the byte length in ASCII decimal
without leading zeros. The envelope is ``{"payload": b64(body), "payloadType": type, "signatures": [{"keyid",
"sig": b64(Ed25519 signature)}]}``. Signers here write standard base64 with padding; verifiers accept standard or
URL-safe, as the spec requires. ``keyid`` is :func:`aireport.attest.keys.key_id`, a hint only: every trusted key is
tried against every signature, and a signature counts once per distinct trusted key that verifies it.

A verification failure raises :class:`~aireport.attest.errors.VerificationError` (exit 1); an envelope that cannot
be read raises :class:`~aireport.errors.InputError` (exit 2).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pydantic
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from aireport.attest.errors import VerificationError
from aireport.attest.keys import key_id
from aireport.errors import InputError, Problem
from aireport.models.certificate import DsseEnvelope, DsseSignature

__all__ = [
    "DsseEnvelope",
    "Verified",
    "b64decode",
    "envelope_bytes",
    "pae",
    "parse_envelope",
    "sign",
    "verify",
]

_MAX_ENVELOPE = 256 * 1024 * 1024


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding of (payload type, payload)."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(type_bytes), type_bytes, len(payload), payload)


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padding optional; anything else raises ValueError."""
    normal = text.replace("-", "+").replace("_", "/")
    normal += "=" * (-len(normal) % 4)
    try:
        return base64.b64decode(normal, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"not base64: {exc}") from exc


def sign(
    payload: bytes, payload_type: str, keys: ed25519.Ed25519PrivateKey | Sequence[ed25519.Ed25519PrivateKey]
) -> DsseEnvelope:
    """An envelope carrying ``payload`` with one Ed25519 signature per key (Ed25519 is deterministic)."""
    signers = [keys] if isinstance(keys, ed25519.Ed25519PrivateKey) else list(keys)
    if not signers:
        raise ValueError("at least one signing key is needed")
    message = pae(payload_type, payload)
    return DsseEnvelope(
        payload=base64.b64encode(payload).decode("ascii"),
        payload_type=payload_type,
        signatures=[
            DsseSignature(keyid=key_id(k), sig=base64.b64encode(k.sign(message)).decode("ascii")) for k in signers
        ],
    )


def envelope_bytes(envelope: DsseEnvelope) -> bytes:
    """The envelope as a file: JSON, keys sorted, two-space indent, final newline (deterministic)."""
    data = envelope.model_dump(mode="json", by_alias=True)
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def parse_envelope(data: bytes, source: str) -> DsseEnvelope:
    """Read a DSSE envelope; malformed JSON, fields or base64 is an InputError naming ``source``."""
    if len(data) > _MAX_ENVELOPE:
        raise InputError([Problem(file=source, message=f"is {len(data)} bytes, too large for an envelope")])
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(file=source, line=line, message=f"is not JSON: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise InputError([Problem(file=source, message="is not a DSSE envelope: expected a JSON object")])
    try:
        envelope = DsseEnvelope.model_validate(raw)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError(
            [
                Problem(
                    file=source,
                    field=field,
                    message=f"{err['msg']} (a DSSE envelope has payload, payloadType, signatures[{{keyid, sig}}])",
                )
            ]
        ) from exc
    for field, value in [("payload", envelope.payload)] + [
        (f"signatures.{i}.sig", s.sig) for i, s in enumerate(envelope.signatures)
    ]:
        try:
            b64decode(value)
        except ValueError as exc:
            raise InputError([Problem(file=source, field=field, message=str(exc))]) from exc
    return envelope


@dataclass(frozen=True)
class Verified:
    """What a verified envelope holds, and which trusted keys signed it."""

    payload: bytes
    payload_type: str
    key_ids: tuple[str, ...]  # key ids of the distinct trusted keys whose signature verified, in the order given


def verify(
    envelope: DsseEnvelope,
    trusted: ed25519.Ed25519PublicKey | Sequence[ed25519.Ed25519PublicKey],
    payload_types: str | Collection[str],
    *,
    threshold: int = 1,
    source: str = "envelope",
) -> Verified:
    """Check the envelope's signatures against the trusted keys, then its payload type (DSSE protocol order)."""
    keys = [trusted] if isinstance(trusted, ed25519.Ed25519PublicKey) else list(trusted)
    if not keys:
        raise ValueError("at least one trusted public key is needed")
    if threshold < 1:
        raise ValueError("threshold is at least 1")
    try:
        payload = b64decode(envelope.payload)
    except ValueError as exc:
        raise InputError([Problem(file=source, field="payload", message=str(exc))]) from exc
    message = pae(envelope.payload_type, payload)
    accepted: list[str] = []
    for signature in envelope.signatures:
        try:
            sig = b64decode(signature.sig)
        except ValueError:
            continue
        for key in keys:
            kid = key_id(key)
            if kid in accepted:
                continue
            try:
                key.verify(sig, message)
            except InvalidSignature:
                continue
            accepted.append(kid)
            break
    if len(accepted) < threshold:
        trusted_ids = ", ".join(key_id(k)[:16] for k in keys)
        claimed = ", ".join(s.keyid[:16] or "(none)" for s in envelope.signatures)
        raise VerificationError(
            [
                Problem(
                    file=source,
                    field="signatures",
                    message=(
                        f"{len(accepted)} of {len(envelope.signatures)} signature(s) verify with the trusted key(s) "
                        f"{trusted_ids}, {threshold} needed: the payload or signature was altered, or it was signed "
                        f"by another key (key ids in the envelope: {claimed})"
                    ),
                )
            ]
        )
    allowed = {payload_types} if isinstance(payload_types, str) else set(payload_types)
    if envelope.payload_type not in allowed:
        raise VerificationError(
            [
                Problem(
                    file=source,
                    field="payloadType",
                    message=f"{envelope.payload_type!r} is not a payload type aireport accepts here "
                    f"(allowed: {', '.join(sorted(allowed))})",
                )
            ]
        )
    return Verified(payload=payload, payload_type=envelope.payload_type, key_ids=tuple(accepted))
