"""A device's identity: an X25519 key pair (bundles are addressed to it) and an Ed25519
key pair (what it writes is signed). Every primitive comes from PyCA `cryptography`.

    generate()                      new private keys (kept only inside the vault)
    DeviceKeys.public(device, name) what others learn: the two public keys
    PublicIdentity.fingerprint      30 digits in groups of five, read aloud to compare
    sign(keys, data) / verify(...)  Ed25519 over bytes
    wrap(file_key, identity)        a stanza: the key sealed for one recipient (as age does)
    unwrap(keys, stanza)            the key, or None when the stanza is not ours or damaged
    canonical(obj)                  the bytes that are signed: sorted keys, UTF-8, no spaces

`cryptography` is imported on first use, not at start-up.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

KEY_BYTES = 32
_WRAP_INFO = b"coachdesk bundle key v1"
_FINGERPRINT_LABEL = b"coachdesk identity v1"


class BadKey(ValueError):
    """A public key or stanza that is not well-formed."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes:
    """Strict base64 (of `size` bytes if given), else BadKey."""
    if not isinstance(text, str):
        raise BadKey("not text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise BadKey("not base64") from None
    if size is not None and len(data) != size:
        raise BadKey(f"expected {size} bytes, got {len(data)}")
    return data


def canonical(obj: Any) -> bytes:
    """The one byte form of a JSON value that is signed and hashed."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class PublicIdentity:
    """A device as others know it."""

    device: str
    name: str
    enc_pub: bytes
    sign_pub: bytes

    @property
    def fingerprint(self) -> str:
        """Six groups of five digits over both public keys (Signal's safety-number style)."""
        digest = hashlib.sha256(_FINGERPRINT_LABEL + self.sign_pub + self.enc_pub).digest()
        return " ".join(f"{int.from_bytes(digest[i * 5:i * 5 + 5], 'big') % 100000:05d}"
                        for i in range(6))

    def to_json(self) -> dict[str, str]:
        return {"device": self.device, "name": self.name, "enc_pub": b64(self.enc_pub),
                "sign_pub": b64(self.sign_pub)}

    @classmethod
    def from_json(cls, data: object) -> PublicIdentity:
        if not isinstance(data, dict):
            raise BadKey("not an identity")
        device, name = data.get("device"), data.get("name")
        if not isinstance(device, str) or not device or not isinstance(name, str):
            raise BadKey("identity without a device or name")
        return cls(device, name, unb64(data.get("enc_pub"), KEY_BYTES),
                   unb64(data.get("sign_pub"), KEY_BYTES))


@dataclass(frozen=True, slots=True)
class DeviceKeys:
    """This vault's private keys (raw 32-byte seeds), as stored inside the vault."""

    enc_private: bytes
    sign_private: bytes

    def _enc(self) -> X25519PrivateKey:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        return X25519PrivateKey.from_private_bytes(self.enc_private)

    def _sign(self) -> Ed25519PrivateKey:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.sign_private)

    def public(self, device: str, name: str) -> PublicIdentity:
        return PublicIdentity(device, name, _raw_public(self._enc()), _raw_public(self._sign()))


def _raw_public(private: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(private: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def generate() -> DeviceKeys:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return DeviceKeys(_raw_private(X25519PrivateKey.generate()),
                      _raw_private(Ed25519PrivateKey.generate()))


def sign(keys: DeviceKeys, data: bytes) -> bytes:
    return keys._sign().sign(data)


def verify(sign_pub: bytes, signature: bytes, data: bytes) -> bool:
    """True only for a valid Ed25519 signature of `data` by `sign_pub`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(sign_pub).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _wrap_key(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient_pub,
                info=_WRAP_INFO).derive(shared)


def wrap(file_key: bytes, recipient: PublicIdentity) -> dict[str, str]:
    """Seal `file_key` for one recipient: an ephemeral X25519 agreement, HKDF-SHA256, then
    ChaCha20-Poly1305 (age's X25519 recipient stanza, with our own label)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw_public(ephemeral)
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.enc_pub))
    except ValueError:
        raise BadKey(f"the public key of {recipient.name} is not usable") from None
    sealed = ChaCha20Poly1305(_wrap_key(shared, eph_pub, recipient.enc_pub)).encrypt(
        bytes(12), file_key, None)
    return {"to": recipient.device, "eph": b64(eph_pub), "key": b64(sealed)}


def unwrap(keys: DeviceKeys, stanza: object) -> bytes | None:
    """The sealed key if this stanza was made for `keys`; None otherwise."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    if not isinstance(stanza, dict):
        return None
    try:
        eph_pub = unb64(stanza.get("eph"), KEY_BYTES)
        sealed = unb64(stanza.get("key"))
        private = keys._enc()
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        return ChaCha20Poly1305(_wrap_key(shared, eph_pub, _raw_public(private))).decrypt(
            bytes(12), sealed, None)
    except (BadKey, InvalidTag, ValueError):
        return None
