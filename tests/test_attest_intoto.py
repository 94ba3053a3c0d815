"""Delivery certificates and addenda as DSSE-signed in-toto Statements in RFC 8785 canonical JSON."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from pydantic import ValidationError

from aireport.attest import dsse
from aireport.attest.errors import VerificationError
from aireport.attest.intoto import (
    canonical_json,
    certificate_statement,
    check_delivery,
    sign_addendum,
    sign_certificate,
    sign_document,
    verify_addendum,
    verify_certificate,
    verify_document,
)
from aireport.attest.merkle import merkle_root
from aireport.models.certificate import (
    CertificateRef,
    Clearance,
    Delivery,
    DeliveryAddendum,
    DeliveryCertificate,
    InclusionProof,
    InputDigest,
    ItemCounts,
    MerkleCommitment,
    PackDigest,
    Party,
    Tool,
    Withdrawal,
)

SUPPLIER = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
ITEMS = [(f"img-{i:03d}", hashlib.sha256(f"image {i}".encode()).hexdigest()) for i in range(10)]


def certificate(**changes: object) -> DeliveryCertificate:
    root = merkle_root(ITEMS).hex()
    data: dict[str, object] = {
        "supplier": Party(name="Lumen Images Ltd", identifier="LEI 5493001KJTIIGC8Y1R12"),
        "buyer": Party(name="Model Builder GmbH"),
        "delivery": Delivery(id="D-2026-001"),
        "date": dt.date(2026, 11, 24),
        "items": ItemCounts(delivered=10, bytes=123_456),
        "merkle": MerkleCommitment(root=root, size=10),
        "clearance": Clearance(
            cleared=7,
            not_cleared=2,
            unknown=1,
            not_cleared_by_reason={"no_model_release": 1, "licence_not_commercial": 1},
            unknown_by_reason={"licence_missing": 1},
        ),
        "packs": [PackDigest(id="eu-ai-act", version="1.2.0", sha256="ab" * 32)],
        "inputs": [InputDigest(role="items", path="items/part-0.parquet", sha256="cd" * 32, bytes=4096)],
        "tool": Tool(version="0.1.0"),
    }
    data.update(changes)
    return DeliveryCertificate.model_validate(data)


def test_rfc8785_canonical_bytes_of_the_rfc_example() -> None:
    # RFC 8785 section 3.2.2: numbers in ECMAScript form, minimal string escapes, keys sorted.
    value = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], '
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(value) == expected.encode("utf-8")


def test_rfc8785_sorts_keys_by_utf16_code_units() -> None:
    # RFC 8785 section 3.2.3: the emoji (surrogates D83D DE00) sorts before U+FB33.
    value = {"€": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001f600": 5, "\u0080": 6, "ö": 7, "n": -0.0, "big": 2**53 - 1}
    assert canonical_json(value) == (
        '{"\\r":2,"1":4,"big":9007199254740991,"n":0,"\u0080":6,"ö":7,"€":1,"\U0001f600":5,"\ufb33":3}'.encode()
    )


def test_certificate_statement_shape() -> None:
    cert = certificate()
    payload = certificate_statement(cert)
    statement = json.loads(payload)
    assert list(statement) == ["_type", "predicate", "predicateType", "subject"]  # canonical: sorted keys
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://aireport.dev/delivery-certificate/v1"
    assert statement["subject"] == [
        {"name": "delivery:D-2026-001", "digest": {"aireport-merkle-sha256-v1": merkle_root(ITEMS).hex()}}
    ]
    predicate = statement["predicate"]
    assert predicate["merkle"] == {"scheme": "aireport-merkle-sha256-v1", "root": merkle_root(ITEMS).hex(), "size": 10}
    assert predicate["date"] == "2026-11-24"
    assert predicate["clearance"]["not_cleared_by_reason"] == {"licence_not_commercial": 1, "no_model_release": 1}
    assert "contact" not in predicate["supplier"]  # nulls are left out
    assert payload == canonical_json(statement)  # already canonical
    assert b"\n" not in payload
    assert b": " not in payload


def test_sign_and_verify_a_certificate() -> None:
    signed = sign_certificate(certificate(), SUPPLIER)
    data = dsse.envelope_bytes(signed.envelope)
    checked = verify_certificate(data, SUPPLIER.public_key(), "cert.json")
    assert checked.certificate == certificate()
    assert checked.payload_sha256 == signed.payload_sha256
    assert checked.payload_sha256 == hashlib.sha256(certificate_statement(certificate())).hexdigest()
    assert checked.key_ids == (signed.envelope.signatures[0].keyid,)
    # Deterministic: same certificate, same key, same bytes.
    assert dsse.envelope_bytes(sign_certificate(certificate(), SUPPLIER).envelope) == data


def test_a_tampered_certificate_fails() -> None:
    signed = sign_certificate(certificate(), SUPPLIER)
    statement = json.loads(base64.b64decode(signed.envelope.payload))
    statement["predicate"]["clearance"]["cleared"] = 8
    statement["predicate"]["clearance"]["unknown"] = 0
    forged = signed.envelope.model_copy(update={"payload": base64.b64encode(canonical_json(statement)).decode()})
    with pytest.raises(VerificationError, match=r"cert.json: signatures: 0 of 1"):
        verify_certificate(dsse.envelope_bytes(forged), SUPPLIER.public_key(), "cert.json")
    with pytest.raises(VerificationError):
        verify_certificate(dsse.envelope_bytes(signed.envelope), OTHER.public_key(), "cert.json")


def test_a_signed_statement_of_another_kind_is_not_a_certificate() -> None:
    envelope = sign_document(
        {
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"digest": {"sha256": "00"}}],
            "predicateType": "https://slsa.dev/provenance/v1",
            "predicate": {},
        },
        "application/vnd.in-toto+json",
        SUPPLIER,
    )
    with pytest.raises(VerificationError, match=r"predicateType: is 'https://slsa.dev/provenance/v1'"):
        verify_certificate(dsse.envelope_bytes(envelope), SUPPLIER.public_key(), "cert.json")
    findings = sign_document({"findings": []}, "application/vnd.aireport.findings+json", SUPPLIER)
    with pytest.raises(VerificationError, match=r"payloadType"):
        verify_certificate(dsse.envelope_bytes(findings), SUPPLIER.public_key(), "cert.json")


def test_subject_and_predicate_must_name_the_same_root() -> None:
    cert = certificate()
    statement = json.loads(certificate_statement(cert))
    statement["subject"][0]["digest"]["aireport-merkle-sha256-v1"] = "00" * 32
    envelope = sign_document(statement, "application/vnd.in-toto+json", SUPPLIER)
    with pytest.raises(VerificationError, match=r"payload.subject: names Merkle root"):
        verify_certificate(dsse.envelope_bytes(envelope), SUPPLIER.public_key(), "cert.json")


def test_certificate_counts_must_agree() -> None:
    with pytest.raises(ValidationError, match=r"merkle.size 10 differs from items.delivered 11"):
        certificate(items=ItemCounts(delivered=11))
    with pytest.raises(ValidationError, match=r"clearance counts 7 \+ 2 \+ 0 differ"):
        certificate(clearance=Clearance(cleared=7, not_cleared=2, unknown=0))
    with pytest.raises(ValidationError, match=r"exceed not_cleared = 2"):
        Clearance(cleared=0, not_cleared=2, unknown=0, not_cleared_by_reason={"x": 3})
    with pytest.raises(ValidationError, match=r"pattern"):
        MerkleCommitment(root="AB" * 32, size=1)


def test_addendum_names_the_certificate_by_digest_and_is_checked_against_it() -> None:
    signed = sign_certificate(certificate(), SUPPLIER)
    addendum = DeliveryAddendum(
        certificate=CertificateRef(
            delivery_id="D-2026-001", sha256=signed.payload_sha256, merkle_root=signed.certificate.merkle.root
        ),
        sequence=1,
        date=dt.date(2026, 12, 1),
        supplier=Party(name="Lumen Images Ltd"),
        withdrawn=[Withdrawal(item_id="img-003", reason="takedown_request", detail="creator request of 2026-11-30")],
        tool=Tool(version="0.1.0"),
    )
    signed_addendum = sign_addendum(addendum, SUPPLIER)
    statement = json.loads(base64.b64decode(signed_addendum.envelope.payload))
    assert statement["predicateType"] == "https://aireport.dev/delivery-addendum/v1"
    assert statement["subject"] == [{"name": "certificate:D-2026-001", "digest": {"sha256": signed.payload_sha256}}]
    data = dsse.envelope_bytes(signed_addendum.envelope)
    checked = verify_addendum(data, SUPPLIER.public_key(), "takedown-1.json", certificate=signed)
    assert [w.item_id for w in checked.addendum.withdrawn] == ["img-003"]
    other = sign_certificate(certificate(delivery=Delivery(id="D-2026-002")), SUPPLIER)
    with pytest.raises(VerificationError, match=r"amends certificate .* not the one given"):
        verify_addendum(data, SUPPLIER.public_key(), "takedown-1.json", certificate=other)
    with pytest.raises(VerificationError, match=r"predicateType"):
        verify_certificate(data, SUPPLIER.public_key(), "takedown-1.json")
    with pytest.raises(ValidationError, match=r"withdrawn twice"):
        addendum.model_validate({**addendum.model_dump(), "withdrawn": [{"item_id": "a", "reason": "x"}] * 2})


def test_json_schemas_are_published() -> None:
    for model in (DeliveryCertificate, DeliveryAddendum, InclusionProof):
        schema = model.model_json_schema()
        assert schema["additionalProperties"] is False
    assert "merkle" in DeliveryCertificate.model_json_schema()["required"]


def test_check_delivery_names_count_and_root_mismatches() -> None:
    cert = certificate()
    check_delivery(cert, merkle_root(ITEMS), 10, "cert.json")
    changed = [*ITEMS[:3], (ITEMS[3][0], "00" * 32), *ITEMS[4:]]
    with pytest.raises(VerificationError, match=r"merkle.root: the certificate signs root .* an item was changed") as e:
        check_delivery(cert, merkle_root(changed), 10, "cert.json")
    assert len(e.value.problems) == 1
    with pytest.raises(VerificationError) as e:
        check_delivery(cert, merkle_root(ITEMS[:9]), 9, "cert.json")
    assert [p.field for p in e.value.problems] == ["items.delivered", "merkle.root"]
    assert "states 10 items; the delivered data holds 9" in str(e.value)


def test_any_document_signed_and_verified() -> None:
    document = {"findings": [{"id": "EU-1", "outcome": "fail", "share": 0.25}], "title": "Résumé"}
    envelope = sign_document(document, "application/vnd.aireport.findings+json", SUPPLIER)
    assert base64.b64decode(envelope.payload) == canonical_json(document)
    data = dsse.envelope_bytes(envelope)
    value, key_ids = verify_document(data, SUPPLIER.public_key(), ["application/vnd.aireport.findings+json"], "f.json")
    assert value == document
    assert len(key_ids) == 1
    with pytest.raises(VerificationError):
        verify_document(data, OTHER.public_key(), "application/vnd.aireport.findings+json", "f.json")
