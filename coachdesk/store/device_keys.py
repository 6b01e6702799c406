"""This vault's own key pairs, kept inside the encrypted vault (table device_key)."""

from __future__ import annotations

from coachdesk import identity
from coachdesk.identity import DeviceKeys, PublicIdentity
from coachdesk.store import audit
from coachdesk.store.db import Connection


def load(conn: Connection, device: str) -> DeviceKeys | None:
    row = conn.execute("SELECT enc_private, sign_private FROM device_key WHERE device = ?",
                       (device,)).fetchone()
    return DeviceKeys(bytes(row[0]), bytes(row[1])) if row else None


def ensure(conn: Connection, device: str) -> DeviceKeys:
    """The keys of `device`, made (and stored in the caller's transaction) when missing."""
    keys = load(conn, device)
    if keys is None:
        keys = identity.generate()
        conn.execute("INSERT INTO device_key (device, enc_private, sign_private, created) "
                     "VALUES (?, ?, ?, ?)", (device, keys.enc_private, keys.sign_private,
                                             audit.now_iso()))
    return keys


def public(conn: Connection, device: str, name: str) -> PublicIdentity:
    keys = load(conn, device)
    if keys is None:
        raise LookupError(f"no keys for device {device}")
    return keys.public(device, name)
