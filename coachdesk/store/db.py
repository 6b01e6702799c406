"""Opening SQLCipher files safely: pragmas in the right order, keys quoted right."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from coachdesk.errors import CoachdeskError, DiskFull, NotAVault, disk_full

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError
PLAINTEXT_HEADER = b"SQLite format 3\x00"


def is_disk_full(exc: BaseException | None) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or the OS's ENOSPC / EDQUOT
    (errors.disk_full is the one place that tells)."""
    return exc is not None and disk_full(exc)


def one_row(conn: Connection, sql: str, args: tuple[object, ...], missing: str) -> Any:
    """The row `sql` finds; none: CoachdeskError(missing), the "no such ..." a person reads."""
    found = conn.execute(sql, args).fetchone()
    if found is None:
        raise CoachdeskError(missing)
    return found


@contextlib.contextmanager
def disk_full_is_an_error() -> Iterator[None]:
    """Turn a full disk into DiskFull (a user-facing error); everything else passes."""
    try:
        yield
    except DiskFull:
        raise
    except (sqlcipher3.DatabaseError, OSError) as exc:
        if is_disk_full(exc):
            raise DiskFull() from None
        raise


def passphrase_key(passphrase: str) -> str:
    """A passphrase as a SQL string literal for PRAGMA key (which takes no parameters)."""
    if "\x00" in passphrase:
        raise ValueError("a passphrase may not contain a NUL character")
    return "'" + passphrase.replace("'", "''") + "'"


def raw_key(hex_key: str) -> str:
    """A 256-bit raw key as a PRAGMA key literal (skips the KDF)."""
    if len(hex_key) != 64 or any(c not in "0123456789abcdef" for c in hex_key):
        raise ValueError("raw keys are 64 lowercase hex digits")
    return f"\"x'{hex_key}'\""


def refuse_plaintext(path: Path, what: str) -> None:
    """Never open an unencrypted SQLite file as a vault, key slot or bundle."""
    with contextlib.suppress(FileNotFoundError), path.open("rb") as f:
        if f.read(16) == PLAINTEXT_HEADER:
            raise NotAVault(f"{path} is an unencrypted SQLite file, not a {what}")


def open_keyed(path: Path, key_literal: str) -> Connection:
    """Open and key a SQLCipher file; raises DatabaseError if the key is wrong.

    A wrong key only shows at the first read, so read once right away.
    """
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key_literal}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def harden(conn: Connection) -> None:
    """The vault's pragmas (shared/DESIGN.md, Security)."""
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


@contextlib.contextmanager
def transaction(conn: Connection, immediate: bool = True) -> Iterator[Connection]:
    """One transaction; nested use joins the outer one."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # an interrupted statement may have rolled back already
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        # A COMMIT that failed (a full disk) may leave the transaction open: end it, so
        # the next write does not fail with "cannot start a transaction within a transaction".
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
