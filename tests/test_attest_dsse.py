"""Ed25519 keys and DSSE envelopes: the spec's PAE example, the DSSE project's Ed25519 test vectors, tampering."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x25519

from aireport.attest import dsse
from aireport.attest.errors import VerificationError
from aireport.attest.keys import (
    default_public_path,
    key_id,
    load_private_key,
    load_public_key,
    private_key_pem,
    public_key_pem,
    write_keypair,
)
from aireport.errors import InputError
from aireport.models.certificate import DsseEnvelope

# RFC 8032 section 7.1 TEST 1 and TEST 2: the keys of the DSSE repository's testvectors/vectors.json.
SEED_A = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
PUBLIC_A = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
SEED_B = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
INTOTO = "application/vnd.in-toto+json"
STATEMENT_B64 = (
    "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ=="  # {"_type":"https://in-toto.io/Statement/v1"}
)
SIG_A = "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA=="
SIG_B = "c1+67/aT0yqEpwx8PsVY3MLHsj9D0CZ014/Fv/QlG59P+9CobUZ7xECJ/V3USG0Ob9CiE5LjReEZUzNF2l7eBw=="


def key(seed: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))


def envelope(payload: str, payload_type: str, *sigs: tuple[str, str]) -> DsseEnvelope:
    return DsseEnvelope.model_validate(
        {"payload": payload, "payloadType": payload_type, "signatures": [{"sig": s, "keyid": k} for s, k in sigs]}
    )


def test_pae_of_the_protocol_example() -> None:
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_pae_counts_bytes_not_characters_and_handles_empty() -> None:
    assert dsse.pae("application/vnd.exämple+json", b"x") == "DSSEv1 29 application/vnd.exämple+json 1 x".encode()
    assert dsse.pae(INTOTO, b"") == b"DSSEv1 28 application/vnd.in-toto+json 0 "
    assert dsse.pae("", b"ab") == b"DSSEv1 0  2 ab"


def test_vector_pae_and_signatures_are_reproduced() -> None:
    payload = base64.b64decode(STATEMENT_B64)
    assert dsse.pae(INTOTO, payload).hex() == (
        "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a22"
        "68747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d"
    )
    signed = dsse.sign(payload, INTOTO, [key(SEED_A), key(SEED_B)])
    assert [s.sig for s in signed.signatures] == [SIG_A, SIG_B]
    assert signed.payload == STATEMENT_B64
    raw_a = key(SEED_A).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw_a.hex() == PUBLIC_A
    assert signed.signatures[0].keyid == hashlib.sha256(bytes.fromhex(PUBLIC_A)).hexdigest() == key_id(key(SEED_A))


def test_vector_single_signature_accepts() -> None:
    env = envelope(STATEMENT_B64, INTOTO, (SIG_A, "A"))
    verified = dsse.verify(env, key(SEED_A).public_key(), INTOTO)
    assert verified.payload == b'{"_type":"https://in-toto.io/Statement/v1"}'
    assert verified.key_ids == (key_id(key(SEED_A)),)


def test_vector_url_safe_base64_accepts() -> None:
    sig = "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw=="
    verified = dsse.verify(envelope("-_-_Pj8=", INTOTO, (sig, "A")), key(SEED_A).public_key(), INTOTO)
    assert verified.payload == bytes.fromhex("fbffbf3e3f")


def test_vector_non_ascii_payload_type_accepts() -> None:
    sig = "xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw=="
    env = envelope(STATEMENT_B64, "application/vnd.exämple+json", (sig, "A"))
    dsse.verify(env, key(SEED_A).public_key(), "application/vnd.exämple+json")


def test_vector_empty_payload_accepts() -> None:
    sig = "gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg=="
    assert dsse.verify(envelope("", INTOTO, (sig, "A")), key(SEED_A).public_key(), INTOTO).payload == b""


def test_vector_payload_type_swapped_rejects() -> None:
    env = envelope(STATEMENT_B64, "application/vnd.example.other+json", (SIG_A, "A"))
    with pytest.raises(VerificationError, match=r"0 of 1 signature"):
        dsse.verify(env, key(SEED_A).public_key(), [INTOTO, "application/vnd.example.other+json"])


def test_vector_thresholds() -> None:
    a, b = key(SEED_A).public_key(), key(SEED_B).public_key()
    two = envelope(STATEMENT_B64, INTOTO, (SIG_A, "A"), (SIG_B, "B"))
    assert len(dsse.verify(two, [a, b], INTOTO, threshold=2).key_ids) == 2
    twice = envelope(STATEMENT_B64, INTOTO, (SIG_A, "A"), (SIG_A, "A"))
    with pytest.raises(VerificationError, match=r"1 of 2 signature"):
        dsse.verify(twice, [a, b], INTOTO, threshold=2)
    no_ids = envelope(STATEMENT_B64, INTOTO, (SIG_A, ""), (SIG_B, ""))
    assert len(dsse.verify(no_ids, [a, b], INTOTO, threshold=2).key_ids) == 2


def test_signature_valid_but_payload_type_not_accepted() -> None:
    signed = dsse.sign(b"{}", "application/vnd.other+json", key(SEED_A))
    with pytest.raises(VerificationError, match=r"payloadType.*not a payload type aireport accepts"):
        dsse.verify(signed, key(SEED_A).public_key(), INTOTO)


def test_tampered_payload_or_signature_fails() -> None:
    signed = dsse.sign(b'{"items": 10}', INTOTO, key(SEED_A))
    public = key(SEED_A).public_key()
    dsse.verify(signed, public, INTOTO)
    forged_payload = signed.model_copy(update={"payload": base64.b64encode(b'{"items": 11}').decode()})
    with pytest.raises(VerificationError, match=r"altered"):
        dsse.verify(forged_payload, public, INTOTO)
    sig = bytearray(base64.b64decode(signed.signatures[0].sig))
    sig[10] ^= 0x40
    forged_sig = signed.model_copy(
        update={"signatures": [signed.signatures[0].model_copy(update={"sig": base64.b64encode(sig).decode()})]}
    )
    with pytest.raises(VerificationError):
        dsse.verify(forged_sig, public, INTOTO)
    with pytest.raises(VerificationError, match=r"signed by another key"):
        dsse.verify(signed, key(SEED_B).public_key(), INTOTO)


def test_envelope_file_round_trip_and_unreadable_envelopes(tmp_path: Path) -> None:
    signed = dsse.sign(b"payload", INTOTO, key(SEED_A))
    data = dsse.envelope_bytes(signed)
    assert json.loads(data) == {
        "payload": base64.b64encode(b"payload").decode(),
        "payloadType": INTOTO,
        "signatures": [{"keyid": key_id(key(SEED_A)), "sig": signed.signatures[0].sig}],
    }
    assert dsse.parse_envelope(data, "cert.json") == signed
    with pytest.raises(InputError, match=r"cert.json:1: is not JSON"):
        dsse.parse_envelope(b"{not json", "cert.json")
    with pytest.raises(InputError, match=r"cert.json: payloadType: Field required"):
        dsse.parse_envelope(b'{"payload": "", "signatures": [{"sig": ""}]}', "cert.json")
    with pytest.raises(InputError, match=r"cert.json: signatures.0.sig: not base64"):
        dsse.parse_envelope(b'{"payload": "", "payloadType": "x", "signatures": [{"sig": "***"}]}', "cert.json")


# --- keys ------------------------------------------------------------------------------------------------------


def test_keygen_writes_pkcs8_and_spki_and_never_overwrites(tmp_path: Path) -> None:
    files = write_keypair(tmp_path / "supplier.key.pem")
    assert files.public == tmp_path / "supplier.pub.pem"
    assert files.private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert files.public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert stat.S_IMODE(files.private.stat().st_mode) == 0o600
    private = load_private_key(files.private)
    public = load_public_key(files.public)
    assert key_id(private) == key_id(public) == files.key_id
    assert public_key_pem(private) == files.public.read_bytes()
    signed = dsse.sign(b"x", INTOTO, private)
    dsse.verify(signed, public, INTOTO)
    before = files.private.read_bytes()
    with pytest.raises(InputError, match=r"exists already"):
        write_keypair(files.private)
    assert files.private.read_bytes() == before
    (tmp_path / "other.pub.pem").write_text("x")
    with pytest.raises(InputError, match=r"other.pub.pem: exists already"):
        write_keypair(tmp_path / "other.key.pem")
    assert not (tmp_path / "other.key.pem").exists()


def test_default_public_paths() -> None:
    assert default_public_path(Path("k/s.key.pem")) == Path("k/s.pub.pem")
    assert default_public_path(Path("s.pem")) == Path("s.pub.pem")
    assert default_public_path(Path("signing")) == Path("signing.pub.pem")


def _pkcs8(k: object) -> bytes:
    return k.private_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _spki(k: object) -> bytes:
    return k.public_key().public_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), "an RSA key (2048 bits)"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "an EC key on curve secp256r1"),
        (ed448.Ed448PrivateKey.generate, "an Ed448 key"),
        (x25519.X25519PrivateKey.generate, "an X25519 key"),
    ],
)
def test_keys_that_are_not_ed25519_are_refused(tmp_path: Path, make: object, found: str) -> None:
    k = make()  # type: ignore[operator]
    private = tmp_path / "k.pem"
    private.write_bytes(_pkcs8(k))
    with pytest.raises(
        InputError, match=rf"k.pem: found {re.escape(found)}.*; allowed: an unencrypted Ed25519 private key"
    ):
        load_private_key(private)
    public = tmp_path / "k.pub.pem"
    public.write_bytes(_spki(k))
    with pytest.raises(InputError, match=rf"k.pub.pem: found {re.escape(found)}.*; allowed: an Ed25519 public key"):
        load_public_key(public)


def test_encrypted_garbage_and_misplaced_keys_are_refused(tmp_path: Path) -> None:
    k = ed25519.Ed25519PrivateKey.generate()
    encrypted = tmp_path / "enc.pem"
    encrypted.write_bytes(
        k.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
        )
    )
    with pytest.raises(InputError, match=r"enc.pem: found a passphrase-encrypted private key; allowed: .*openssl pkey"):
        load_private_key(encrypted)
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"\x00\x01not a key at all")
    with pytest.raises(InputError, match=r"garbage.pem: found no PEM block"):
        load_private_key(garbage)
    broken = tmp_path / "broken.pem"
    broken.write_bytes(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(InputError, match=r"broken.pem: found a 'PRIVATE KEY' PEM block that is not a readable"):
        load_private_key(broken)
    public = tmp_path / "pub.pem"
    public.write_bytes(public_key_pem(k))
    with pytest.raises(InputError, match=r"pub.pem: found a public key where the private"):
        load_private_key(public)
    private = tmp_path / "priv.pem"
    private.write_bytes(private_key_pem(k))
    with pytest.raises(InputError, match=r"priv.pem: found a private key; give the public key"):
        load_public_key(private)
    ssh = tmp_path / "id_ed25519"
    ssh.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn==\n-----END OPENSSH PRIVATE KEY-----\n")
    with pytest.raises(InputError, match=r"found an OpenSSH-format private key"):
        load_private_key(ssh)
    with pytest.raises(InputError, match=r"missing.pem: key file not found"):
        load_private_key(tmp_path / "missing.pem")
    with pytest.raises(InputError, match=r"is a folder"):
        load_public_key(tmp_path)
