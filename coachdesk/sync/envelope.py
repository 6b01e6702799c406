"""The outside of a bundle file: who may read it, who wrote it, what it holds.

    MAGIC | header length (4 bytes, big-endian) | header (JSON) | payload

The payload is a SQLCipher file keyed with a fresh random 256-bit key. The header says
to whom that key is sealed (one stanza per recipient, identity.wrap) and carries the
digests of the manifest and of the payload bytes; the sender signs the header with
Ed25519. Reading checks, in order, before a byte of the payload is decrypted: the
magic, the header's form, that a stanza is ours, that the payload matches its digest.
The signature is checked once the sender's key is known (sync/merge.py, from the team).

    seal(dest, payload, body, keys)     write header + payload to `dest`
    read(path)                          the parsed header (Envelope), or BadBundle
    Envelope.open_key(keys, device)     the payload key sealed to us, or BadBundle
    Envelope.copy_payload(path, out)    the payload bytes, checked against the digest
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachdesk import identity
from coachdesk.errors import CoachdeskError, NewerSchema
from coachdesk.identity import BadKey, DeviceKeys, PublicIdentity

MAGIC = b"CDBUNDLE3\n"
FORMAT = 3
MAX_HEADER = 1 << 20
_CHUNK = 1 << 20
_FIELDS = frozenset({"format", "sender", "created", "recipients", "manifest_sha256",
                     "payload_sha256", "payload_bytes"})


class BadBundle(CoachdeskError):
    """A file that is not a bundle we can import; nothing was changed."""


@dataclass(frozen=True)
class Envelope:
    body: dict[str, Any]
    signature: bytes
    payload_offset: int

    @property
    def sender(self) -> str:
        return str(self.body["sender"])

    @property
    def recipients(self) -> list[str]:
        return [str(stanza["to"]) for stanza in self.body["recipients"]]

    def signed_by(self, who: PublicIdentity) -> bool:
        return identity.verify(who.sign_pub, self.signature, identity.canonical(self.body))

    def open_key(self, keys: DeviceKeys, device: str, path: Path) -> bytes:
        stanza = next((s for s in self.body["recipients"] if s["to"] == device), None)
        key = identity.unwrap(keys, stanza) if stanza is not None else None
        if key is None or len(key) != 32:
            raise BadBundle(f"{path}: this bundle is not addressed to this vault")
        return key

    def copy_payload(self, path: Path, out: Path) -> None:
        """Copy the payload to `out` (0600) and check it against the header's digest."""
        digest = hashlib.sha256()
        size = 0
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            src.seek(self.payload_offset)
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        if size < self.body["payload_bytes"]:
            raise BadBundle(f"{path}: the bundle is truncated ({size} of "
                            f"{self.body['payload_bytes']} bytes): copy it again")
        if size != self.body["payload_bytes"] or digest.hexdigest() != self.body["payload_sha256"]:
            raise BadBundle(f"{path}: the bundle's contents do not match its header")


def seal(dest: Path, payload: Path, body: dict[str, Any], keys: DeviceKeys) -> None:
    """Write MAGIC, the signed header and the payload to `dest` (which must not exist).

    One read of the payload: its digest is taken while it is copied behind a header of
    the final length (a digest and a signature have fixed lengths), and the real header
    is written over that one once the digest is known."""
    size = payload.stat().st_size

    def header(digest: str, signature: bytes) -> bytes:
        full = {**body, "format": FORMAT, "payload_sha256": digest, "payload_bytes": size}
        return identity.canonical({"body": full, "signature": identity.b64(signature)})

    placeholder = header("0" * 64, bytes(64))
    digest = hashlib.sha256()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, payload.open("rb") as src:
        out.write(MAGIC + struct.pack(">I", len(placeholder)) + placeholder)
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
        signed = {**body, "format": FORMAT, "payload_sha256": digest.hexdigest(),
                  "payload_bytes": size}
        final = header(digest.hexdigest(), identity.sign(keys, identity.canonical(signed)))
        if len(final) != len(placeholder):
            raise RuntimeError("a bundle header changed length when signed")
        out.seek(len(MAGIC) + 4)
        out.write(final)
        out.flush()
        os.fsync(out.fileno())


def read(path: Path) -> Envelope:
    """The header of the bundle at `path`; BadBundle for anything else."""
    with path.open("rb") as f:
        start = f.read(len(MAGIC) + 4)
        if not start.startswith(MAGIC):
            if start.startswith(b"CDBUNDLE"):
                raise NewerSchema(f"{path}: written by a newer coachdesk; update coachdesk to import it")
            raise BadBundle(_not_a_bundle(path))
        if len(start) < len(MAGIC) + 4:
            raise BadBundle(f"{path}: the bundle is truncated")
        (length,) = struct.unpack(">I", start[len(MAGIC):])
        if length > MAX_HEADER:
            raise BadBundle(f"{path}: the bundle's header is malformed (too large)")
        raw = f.read(length)
    if len(raw) != length:
        raise BadBundle(f"{path}: the bundle is truncated")
    try:
        outer = json.loads(raw.decode("utf-8"))
        body, signature = outer["body"], identity.unb64(outer["signature"], 64)
        if identity.canonical(outer) != raw or not isinstance(body, dict):
            raise ValueError
        _check_body(body)
    except (ValueError, KeyError, TypeError, RecursionError, BadKey):
        raise BadBundle(f"{path}: the bundle's header is malformed") from None
    return Envelope(body, signature, len(MAGIC) + 4 + length)


def _check_body(body: dict[str, Any]) -> None:
    if set(body) != _FIELDS or body["format"] != FORMAT:
        raise ValueError
    texts = ("sender", "created", "manifest_sha256", "payload_sha256")
    if not all(isinstance(body[name], str) and body[name] for name in texts):
        raise ValueError
    if type(body["payload_bytes"]) is not int or body["payload_bytes"] < 0:
        raise ValueError
    stanzas = body["recipients"]
    if not isinstance(stanzas, list) or not all(
            isinstance(s, dict) and set(s) == {"to", "eph", "key"}
            and all(isinstance(v, str) for v in s.values()) for s in stanzas):
        raise ValueError
    if len({s["to"] for s in stanzas}) != len(stanzas):
        raise ValueError


def _not_a_bundle(path: Path) -> str:
    size = path.stat().st_size
    if path.suffix == ".cdbundle" and size >= 1024 and size % 1024 == 0:  # whole SQLCipher pages
        return (f"{path}: a bundle in the old format (made with a shared team sync key), which "
                "this coachdesk no longer reads: ask the sender to update coachdesk, join the "
                "team and export again")
    return f"{path}: not a coachdesk bundle"


def manifest_digest(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(identity.canonical(manifest)).hexdigest()
