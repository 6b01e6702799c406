"""The vault: one SQLCipher file per coach, keyed with a random raw key from a key slot.

    Vault.create(dir, passphrase, coach)   new vault + passphrase slot
    Vault.open(dir, passphrase)            unlock (audited; failures audited on next unlock)
    Vault.change_passphrase(dir, old, new) rewrap the key slot
    vault.close()                          lock: the key and connection are dropped
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import config
from coachdesk.errors import (
    CoachdeskError,
    DataDirError,
    NotAVault,
    NoVault,
    ValidationFailed,
    WrongPassphrase,
)
from coachdesk.ids import device_id, uuid7
from coachdesk.passphrase import MIN_PASSPHRASE, check_passphrase_strength, passphrase_hint  # noqa: F401
from coachdesk.store import audit, chain, device_keys, keyslot, migrate, oplog
from coachdesk.store.db import (
    Connection,
    DatabaseError,
    harden,
    open_keyed,
    raw_key,
    refuse_plaintext,
    transaction,
)
from coachdesk.store.oplog import OpLog

if TYPE_CHECKING:
    from coachdesk.identity import DeviceKeys, PublicIdentity
    from coachdesk.models.settings import Settings

VAULT_APPLICATION_ID = 0x43444B56  # "CDKV"


def vault_path(directory: Path) -> Path:
    return directory / config.VAULT_FILE


def slot_path(directory: Path) -> Path:
    return directory / config.KEYSLOT_FILE


exists = config.vault_exists


def require_writable(directory: Path) -> None:
    """Refuse a data dir we could not write to (checked before anything is changed)."""
    try:
        mode = directory.stat().st_mode
    except FileNotFoundError:
        raise NoVault(f"data dir {directory} does not exist") from None
    if not stat.S_ISDIR(mode):
        raise DataDirError(f"data dir {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK) or not mode & 0o222:
        raise DataDirError(f"data dir {directory} is read-only")


def ensure_data_dir(directory: Path) -> None:
    """A writable data dir, created (owner-only) when missing."""
    if directory.exists():
        require_writable(directory)
        return
    try:
        directory.mkdir(parents=True, mode=0o700)
    except OSError as exc:
        raise DataDirError(f"cannot create data dir {directory}: {exc.strerror}") from None


def require_vault(directory: Path) -> None:
    if not directory.exists():
        raise NoVault(f"data dir {directory} does not exist: run `coachdesk init` first")
    if not vault_path(directory).exists() or not slot_path(directory).exists():
        missing = "vault" if not vault_path(directory).exists() else "key slot"
        if not exists(directory):
            raise NoVault(f"no vault in {directory}: run `coachdesk init` to create one")
        raise NotAVault(f"the {missing} file is missing from {directory}")
    require_writable(directory)


class Vault:
    """An unlocked vault. All writes of synced records go through `self.ops`."""

    def __init__(self, directory: Path, conn: Connection, key_literal: str = ""):
        self.directory = directory
        self.conn = conn
        self._key_literal = key_literal  # for readers (below); dropped on close
        self._readers: set[Connection] = set()
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.device: str = meta["device"]
        self.coach: str = meta["coach"]
        self.vault_id: str = meta["vault_id"]
        self.ops = OpLog(conn, self.device, self.coach)

    # ---- lifecycle -------------------------------------------------------
    @classmethod
    def create(cls, directory: Path, passphrase: str, coach: str, *,
               enforce_strength: bool = True) -> Vault:
        coach = coach.strip()
        if not coach:
            raise ValidationFailed("coach name is empty")
        if enforce_strength:
            check_passphrase_strength(passphrase)
        ensure_data_dir(directory)
        if exists(directory):
            raise CoachdeskError(f"a vault already exists in {directory}")
        key_hex = secrets.token_bytes(32).hex()
        vault_id = uuid7()
        path = vault_path(directory)
        try:
            conn = open_keyed(path, raw_key(key_hex))
            os.chmod(path, 0o600)
            conn.execute(f"PRAGMA application_id = {VAULT_APPLICATION_ID}")
            harden(conn)
            migrate.upgrade(conn)
            device = device_id()
            with transaction(conn):
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("device", device), ("coach", coach), ("vault_id", vault_id),
                     ("created", audit.now_iso())],
                )
                device_keys.ensure(conn, device)
            keyslot.write(slot_path(directory), passphrase, vault_id, key_hex)
        except BaseException:
            with contextlib.suppress(Exception):
                conn.close()
            for leftover in directory.glob(config.VAULT_FILE + "*"):
                leftover.unlink(missing_ok=True)
            raise
        vault = cls(directory, conn, raw_key(key_hex))
        vault.audit("vault created")
        return vault

    @classmethod
    def open(cls, directory: Path, passphrase: str) -> Vault:
        require_vault(directory)
        path = vault_path(directory)
        refuse_plaintext(path, "coachdesk vault")
        try:
            vault_id, key_hex = keyslot.read(slot_path(directory), passphrase)
        except WrongPassphrase:
            _note_failed_unlock(directory)
            raise
        try:
            conn = open_keyed(path, raw_key(key_hex))
        except DatabaseError:
            raise NotAVault(f"{path} is damaged or is not a coachdesk vault") from None
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != VAULT_APPLICATION_ID:
                raise NotAVault(f"{path} is not a coachdesk vault")
            migrate.check_not_newer(conn)
            harden(conn)
            migrate.upgrade(conn)
            vault = cls(directory, conn, raw_key(key_hex))
            if vault.vault_id != vault_id:
                raise NotAVault("the key slot belongs to another vault")
        except DatabaseError as exc:
            conn.close()
            raise NotAVault(f"{path} is damaged: {exc}") from None
        except BaseException:
            conn.close()
            raise
        vault._audit_failed_unlocks()
        vault._ensure_keys()
        vault.audit("unlock")
        return vault

    def close(self) -> None:
        """Lock: drop the connection (and with it the key); readers still at work stop
        at their next statement."""
        self._key_literal = ""
        for reader in list(self._readers):
            reader.interrupt()
        with contextlib.suppress(Exception):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    @contextlib.contextmanager
    def reader(self) -> Iterator[Vault]:
        """This vault again, read-only, on a connection of its own: for reading off the
        UI thread (a worker thread) while the app goes on using `conn`. In WAL mode it
        reads what was committed; it is closed on leaving, and interrupted if the vault
        is locked first (its statements then raise DatabaseError)."""
        if not self._key_literal:
            raise CoachdeskError("the vault is locked")
        conn = open_keyed(vault_path(self.directory), self._key_literal)
        self._readers.add(conn)
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA trusted_schema = OFF")
            yield Vault(self.directory, conn)
        finally:
            self._readers.discard(conn)
            conn.close()

    @staticmethod
    def change_passphrase(directory: Path, old: str, new: str) -> None:
        check_passphrase_strength(new)
        vault = Vault.open(directory, old)
        try:
            vault_id, key_hex = keyslot.read(slot_path(directory), old)
            keyslot.write(slot_path(directory), new, vault_id, key_hex)
            vault.audit("passphrase changed")
        finally:
            vault.close()

    # ---- helpers -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        with transaction(self.conn) as conn:
            yield conn

    def audit(self, action: str, tbl: str = "", row_id: str = "", detail: str = "") -> None:
        with self.transaction():
            audit.record(self.conn, self.device, self.coach, action, tbl, row_id, detail)

    def settings(self) -> Settings:
        from coachdesk.models.settings import Settings  # pydantic after unlock: start-up speed

        row = self.conn.execute("SELECT value FROM setting WHERE key = 'settings'").fetchone()
        return Settings.model_validate_json(row[0]) if row else Settings()

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('settings', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (settings.model_dump_json(),),
            )
            audit.record(self.conn, self.device, self.coach, "settings changed")

    def check(self) -> list[str]:
        """Problems found by SQLCipher's and SQLite's integrity checks, schema and audit."""
        problems = [f"cipher: {row[0]}" for row in self.conn.execute(
            "PRAGMA cipher_integrity_check")]
        problems += [f"sqlite: {row[0]}" for row in self.conn.execute("PRAGMA integrity_check")
                     if row[0] != "ok"]
        version = migrate.schema_version(self.conn)
        if version != migrate.latest_version():
            problems.append(f"schema: version {version}, expected {migrate.latest_version()}")
        broken = audit.verify_chain(self.conn)
        if broken:
            problems.append(f"audit: {broken}")
        problems += [f"sync: {line}" for line in oplog.derived_mismatches(self.conn)]
        problems += [f"op chain: {line}" for line in chain.problems(self.conn)]
        return problems

    @property
    def keys(self) -> DeviceKeys:
        """This device's private keys (made at init; see store/device_keys.py)."""
        keys = device_keys.load(self.conn, self.device)
        if keys is None:
            raise CoachdeskError("this vault has no device keys: lock and unlock it again")
        return keys

    def identity(self) -> PublicIdentity:
        return self.keys.public(self.device, self.coach)

    def _ensure_keys(self) -> None:
        """A vault made before identities gets its keys at its first unlock, and one made
        before the op chain (migration 0014) the chain of its ops."""
        if device_keys.load(self.conn, self.device) is None:
            with self.transaction() as conn:
                device_keys.ensure(conn, self.device)
                audit.record(conn, self.device, self.coach, "device keys made")
        if self.conn.execute("SELECT 1 FROM ops WHERE chain = '' LIMIT 1").fetchone():
            with self.transaction() as conn:  # ops from before migration 0014 (store/chain.py)
                if filled := chain.backfill(conn):
                    audit.record(conn, self.device, self.coach, "op chain computed", detail=f"ops={filled}")

    def _audit_failed_unlocks(self) -> None:
        log = self.directory / config.FAILED_UNLOCKS_FILE
        try:
            stamps = log.read_text(encoding="ascii").split()
        except (FileNotFoundError, UnicodeDecodeError):
            return
        with self.transaction():
            for stamp in stamps:
                audit.record(self.conn, self.device, "", "failed unlock", at=stamp)
        log.unlink(missing_ok=True)


def _note_failed_unlock(directory: Path) -> None:
    """Failed unlocks cannot be written into a vault we cannot open: keep only the time
    (no participant data) beside it, and move it into the audit at the next unlock."""
    with contextlib.suppress(OSError), (directory / config.FAILED_UNLOCKS_FILE).open(
        "a", encoding="ascii"
    ) as f:
        f.write(audit.now_iso() + "\n")
