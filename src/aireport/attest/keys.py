"""Ed25519 signing keys: made offline, stored as PEM, loaded with errors that say what the file holds.

Files: the private key is PKCS#8 PEM, unencrypted (``-----BEGIN PRIVATE KEY-----``, as ``openssl genpkey
-algorithm ed25519`` writes it), created with mode 0600; the public key is SubjectPublicKeyInfo PEM
(``-----BEGIN PUBLIC KEY-----``). Only Ed25519 is accepted: RSA, EC, DSA, X25519, Ed448, encrypted and OpenSSH-format
keys are refused with an :class:`~aireport.errors.InputError` naming the file, what was found and what is allowed.

Key id: the lowercase hex SHA-256 of the 32 raw bytes of the Ed25519 public key (RFC 8032 encoding). It is a DSSE
``keyid`` hint only; a verifier decides trust by the public key it was given, never by the key id.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dh, dsa, ec, ed448, ed25519, rsa, x448, x25519

from aireport.errors import InputError, Problem

__all__ = [
    "KeyPairFiles",
    "default_public_path",
    "generate_private_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "private_key_pem",
    "public_key_pem",
    "read_private_key",
    "read_public_key",
    "write_keypair",
]

PrivateKey = ed25519.Ed25519PrivateKey
PublicKey = ed25519.Ed25519PublicKey

_ALLOWED_PRIVATE = (
    "an unencrypted Ed25519 private key in PKCS#8 PEM ('-----BEGIN PRIVATE KEY-----', as `aireport keygen` writes)"
)
_ALLOWED_PUBLIC = (
    "an Ed25519 public key in SubjectPublicKeyInfo PEM ('-----BEGIN PUBLIC KEY-----', as `aireport keygen` writes)"
)
_MAX_KEY_FILE = 64 * 1024


def generate_private_key() -> PrivateKey:
    """A new Ed25519 private key from the operating system's random source."""
    return ed25519.Ed25519PrivateKey.generate()


def private_key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(key: PublicKey | PrivateKey) -> bytes:
    public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: PublicKey | PrivateKey) -> str:
    """Lowercase hex SHA-256 of the 32 raw public-key bytes."""
    public = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class KeyPairFiles:
    private: Path
    public: Path
    key_id: str


def default_public_path(private_path: Path) -> Path:
    """``supplier.key.pem`` -> ``supplier.pub.pem``; ``supplier.pem`` -> ``supplier.pub.pem``."""
    name = private_path.name
    for suffix in (".key.pem", ".pem", ".key"):
        if name.endswith(suffix):
            return private_path.with_name(name[: -len(suffix)] + ".pub.pem")
    return private_path.with_name(name + ".pub.pem")


def write_keypair(private_path: Path, public_path: Path | None = None) -> KeyPairFiles:
    """Make a key pair and write both files; never overwrites (an existing file is an InputError, nothing written)."""
    public_path = public_path or default_public_path(private_path)
    if private_path.resolve() == public_path.resolve():
        raise InputError([Problem(file=str(public_path), message="the public key needs a path of its own")])
    for path in (private_path, public_path):
        if path.exists():
            raise InputError([Problem(file=str(path), message="exists already; aireport never overwrites a key")])
        if not path.parent.is_dir():
            raise InputError([Problem(file=str(path), message=f"folder {path.parent} does not exist")])
    key = generate_private_key()
    _write_new(private_path, private_key_pem(key), 0o600)
    try:
        _write_new(public_path, public_key_pem(key), 0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return KeyPairFiles(private=private_path, public=public_path, key_id=key_id(key))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as exc:
        raise InputError([Problem(file=str(path), message="exists already; aireport never overwrites a key")]) from exc
    except OSError as exc:
        raise InputError([Problem(file=str(path), message=f"cannot be created: {exc.strerror}")]) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def load_private_key(path: Path | str) -> PrivateKey:
    """The Ed25519 private key in ``path``; anything else is an InputError saying what the file holds."""
    return read_private_key(_read(Path(path)), str(path))


def load_public_key(path: Path | str) -> PublicKey:
    """The Ed25519 public key in ``path``; a private key, certificate or other algorithm is an InputError."""
    return read_public_key(_read(Path(path)), str(path))


def _read(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError([Problem(file=str(path), message="is a folder, not a key file")])
        size = path.stat().st_size
        if size > _MAX_KEY_FILE:
            raise InputError([Problem(file=str(path), message=f"is {size} bytes, too large for a key file")])
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError([Problem(file=str(path), message="key file not found")]) from exc
    except OSError as exc:
        raise InputError([Problem(file=str(path), message=f"cannot be read: {exc.strerror}")]) from exc


def _pem_label(data: bytes) -> str | None:
    start = data.find(b"-----BEGIN ")
    if start < 0:
        return None
    end = data.find(b"-----", start + 11)
    if end < 0:
        return None
    return data[start + 11 : end].decode("ascii", "replace")


def _describe(key: object) -> str:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return f"an RSA key ({key.key_size} bits)"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return f"an EC key on curve {key.curve.name}"
    if isinstance(key, dsa.DSAPrivateKey | dsa.DSAPublicKey):
        return "a DSA key"
    if isinstance(key, ed448.Ed448PrivateKey | ed448.Ed448PublicKey):
        return "an Ed448 key"
    if isinstance(key, x25519.X25519PrivateKey | x25519.X25519PublicKey):
        return "an X25519 key (key agreement, not signing)"
    if isinstance(key, x448.X448PrivateKey | x448.X448PublicKey):
        return "an X448 key (key agreement, not signing)"
    if isinstance(key, dh.DHPrivateKey | dh.DHPublicKey):
        return "a Diffie-Hellman key"
    return f"a {type(key).__name__}"


def _refuse(source: str, found: str, allowed: str) -> InputError:
    return InputError([Problem(file=source, message=f"found {found}; allowed: {allowed}")])


def _unpem(data: bytes, source: str, allowed: str) -> str:
    """The PEM label, or an InputError for a file that is not a PEM key at all."""
    label = _pem_label(data)
    if label is None:
        if data.startswith(b"ssh-ed25519 ") or data.startswith(b"ssh-"):
            raise _refuse(source, "an OpenSSH public key line", allowed)
        if data[:1] == b"\x30":
            raise _refuse(source, "binary (DER) data, not PEM", allowed)
        raise _refuse(source, "no PEM block (not a key file)", allowed)
    if label == "OPENSSH PRIVATE KEY":
        raise _refuse(source, "an OpenSSH-format private key", allowed)
    if label == "ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in data:
        raise _refuse(
            source,
            "a passphrase-encrypted private key",
            allowed + "; decrypt a copy with `openssl pkey -in KEY -out PLAIN.pem` and keep it offline",
        )
    if label == "CERTIFICATE":
        raise _refuse(source, "an X.509 certificate", allowed)
    return label


def read_private_key(data: bytes, source: str) -> PrivateKey:
    label = _unpem(data, source, _ALLOWED_PRIVATE)
    if label == "PUBLIC KEY":
        raise _refuse(source, "a public key where the private (signing) key is needed", _ALLOWED_PRIVATE)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:  # encrypted in a way the label did not show
        raise _refuse(source, "a passphrase-encrypted private key", _ALLOWED_PRIVATE) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _refuse(source, f"a '{label}' PEM block that is not a readable private key", _ALLOWED_PRIVATE) from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise _refuse(source, _describe(key), _ALLOWED_PRIVATE)
    return key


def read_public_key(data: bytes, source: str) -> PublicKey:
    label = _unpem(data, source, _ALLOWED_PUBLIC)
    if "PRIVATE KEY" in label:
        raise _refuse(
            source, "a private key; give the public key (the .pub.pem file) to whoever verifies", _ALLOWED_PUBLIC
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _refuse(source, f"a '{label}' PEM block that is not a readable public key", _ALLOWED_PUBLIC) from exc
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise _refuse(source, _describe(key), _ALLOWED_PUBLIC)
    return key
