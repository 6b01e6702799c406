"""Key slots: small SQLCipher files that hold the vault's raw key under a passphrase.

The passphrase only ever goes through SQLCipher's KDF (PBKDF2-HMAC-SHA512,
256,000 iterations). Changing it rewrites this small file; the vault itself is
never re-encrypted. A slot is written to a temp name, verified, fsynced and renamed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from coachdesk.errors import NotAVault, WrongPassphrase
from coachdesk.store.db import DatabaseError, open_keyed, passphrase_key, refuse_plaintext

SLOT_APPLICATION_ID = 0x43444B53  # "CDKS"


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path, passphrase: str) -> tuple[str, str]:
    """(vault_id, raw key hex) from a slot; WrongPassphrase if it does not open."""
    refuse_plaintext(path, "coachdesk key slot")
    try:
        conn = open_keyed(path, passphrase_key(passphrase))
    except DatabaseError:
        raise WrongPassphrase() from None
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != SLOT_APPLICATION_ID:
            raise NotAVault(f"{path} is not a coachdesk key slot")
        row = conn.execute("SELECT vault_id, key_hex FROM slot").fetchone()
    except DatabaseError:
        raise NotAVault(f"{path} is damaged") from None
    finally:
        conn.close()
    if row is None:
        raise NotAVault(f"{path} is empty")
    return row[0], row[1]


def write(path: Path, passphrase: str, vault_id: str, key_hex: str) -> None:
    """Write (or replace) a slot atomically; the old slot stays valid until the rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = open_keyed(tmp, passphrase_key(passphrase))
        try:
            conn.execute(f"PRAGMA application_id = {SLOT_APPLICATION_ID}")
            conn.execute("CREATE TABLE slot (vault_id TEXT NOT NULL, key_hex TEXT NOT NULL)")
            conn.execute("INSERT INTO slot VALUES (?, ?)", (vault_id, key_hex))
        finally:
            conn.close()
        os.chmod(tmp, 0o600)
        if read(tmp, passphrase) != (vault_id, key_hex):
            raise RuntimeError("the new key slot did not read back")
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
