"""The vault on real SQLCipher files: create, reopen, wrong passphrase, passwd, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coachdesk.errors import (
    CoachdeskError,
    NewerSchema,
    NotAVault,
    ValidationFailed,
    WrongPassphrase,
)
from coachdesk.store import audit, migrate, participants
from coachdesk.store.db import Connection, DatabaseError
from coachdesk.store.vault import Vault, slot_path, vault_path
from tests.conftest import PASSPHRASE, person


def test_create_and_reopen_keeps_records(vault: Vault, vault_dir: Path) -> None:
    pid = participants.create(vault, person("Rae Reopen"))
    vault.close()
    again = Vault.open(vault_dir, PASSPHRASE)
    assert participants.get(again, pid).alias == "Rae Reopen"
    assert again.coach == "Sam Coach"
    again.close()


def test_vault_is_encrypted_and_pragmas_hold(vault: Vault, vault_dir: Path) -> None:
    assert vault_path(vault_dir).read_bytes()[:16] != b"SQLite format 3\x00"
    conn = vault.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2
    assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrate.latest_version()


def test_wrong_passphrase_is_refused_and_audited_later(vault: Vault, vault_dir: Path) -> None:
    vault.close()
    before = vault_path(vault_dir).read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, "not the passphrase")
    assert vault_path(vault_dir).read_bytes() == before
    again = Vault.open(vault_dir, PASSPHRASE)
    actions = [row[2] for row in audit.recent(again.conn)]
    assert "failed unlock" in actions and actions[0] == "unlock"
    again.close()


def test_passphrase_change_then_only_the_new_one_opens(vault: Vault, vault_dir: Path) -> None:
    pid = participants.create(vault, person("Pat Passwd"))
    vault.close()
    vault_bytes = vault_path(vault_dir).stat().st_size
    Vault.change_passphrase(vault_dir, PASSPHRASE, "a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)
    again = Vault.open(vault_dir, "a brand new passphrase")
    assert participants.get(again, pid).alias == "Pat Passwd"
    assert vault_path(vault_dir).stat().st_size >= vault_bytes
    again.close()


def test_passphrase_change_refuses_wrong_old_and_short_new(vault: Vault, vault_dir: Path) -> None:
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.change_passphrase(vault_dir, "wrong old one", "a brand new passphrase")
    with pytest.raises(ValidationFailed):
        Vault.change_passphrase(vault_dir, PASSPHRASE, "short")
    Vault.open(vault_dir, PASSPHRASE).close()


def test_plaintext_sqlite_file_is_refused(vault: Vault, vault_dir: Path) -> None:
    vault.close()
    for leftover in vault_dir.glob("coachdesk.vault*"):
        leftover.unlink()
    plain = sqlite3.connect(vault_path(vault_dir))
    plain.execute("CREATE TABLE participant (alias TEXT)")
    plain.commit()
    plain.close()
    with pytest.raises(NotAVault, match="unencrypted"):
        Vault.open(vault_dir, PASSPHRASE)


def test_random_bytes_are_not_a_vault(vault: Vault, vault_dir: Path) -> None:
    vault.close()
    vault_path(vault_dir).write_bytes(b"\x13" * 8192)
    with pytest.raises(NotAVault):
        Vault.open(vault_dir, PASSPHRASE)


def test_newer_schema_is_refused_unchanged(vault: Vault, vault_dir: Path) -> None:
    vault.conn.execute(f"PRAGMA user_version = {migrate.latest_version() + 1}")
    vault.close()
    before = vault_path(vault_dir).read_bytes()
    with pytest.raises(NewerSchema, match="update coachdesk"):
        Vault.open(vault_dir, PASSPHRASE)
    assert vault_path(vault_dir).read_bytes() == before


def test_slot_of_another_vault_is_refused(tmp_path: Path) -> None:
    a = Vault.create(tmp_path / "a", PASSPHRASE, "A")
    b = Vault.create(tmp_path / "b", PASSPHRASE, "B")
    a.close()
    b.close()
    slot_path(tmp_path / "a").write_bytes(slot_path(tmp_path / "b").read_bytes())
    with pytest.raises(NotAVault):
        Vault.open(tmp_path / "a", PASSPHRASE)


def test_second_create_in_same_dir_is_refused(vault: Vault, vault_dir: Path) -> None:
    with pytest.raises(CoachdeskError, match="already exists"):
        Vault.create(vault_dir, PASSPHRASE, "Other")


def test_check_passes_and_finds_an_edited_audit_entry(vault: Vault) -> None:
    participants.create(vault, person())
    assert vault.check() == []
    conn = vault.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET action = 'nothing to see' WHERE seq = 2")
    assert any("audit entry 2" in p for p in vault.check())


def test_audit_and_ops_refuse_edits_at_the_sql_level(vault: Vault) -> None:
    participants.create(vault, person())
    for sql in ("UPDATE audit SET action = 'x'", "DELETE FROM audit",
                "UPDATE ops SET value = '\"x\"'", "DELETE FROM ops"):
        with pytest.raises(Exception, match="append-only"):
            vault.conn.execute(sql)


def test_settings_round_trip(vault: Vault) -> None:
    settings = vault.settings().model_copy(update={"idle_lock_minutes": 2.0, "discreet": True})
    vault.save_settings(settings)
    assert vault.settings().idle_lock_minutes == 2.0 and vault.settings().discreet


def test_vault_files_are_owner_only(vault: Vault, vault_dir: Path) -> None:
    for name in ("coachdesk.vault", "passphrase.keyslot"):
        assert (vault_dir / name).stat().st_mode & 0o077 == 0, name


def test_a_reader_sees_what_was_committed_and_cannot_write(vault: Vault) -> None:
    pid = participants.create(vault, person("Read Elsewhere"))
    with vault.reader() as reading:
        assert participants.get(reading, pid, audited=False).alias == "Read Elsewhere"
        with pytest.raises(DatabaseError, match="readonly"):
            reading.conn.execute("DELETE FROM setting")
        participants.update(vault, pid, {"phone": "555 0199"})  # the app writes meanwhile
        assert participants.get(reading, pid, audited=False).phone == "555 0199"
    assert not vault._readers  # closed on leaving


def test_a_locked_vault_gives_no_reader_and_stops_one_at_work(vault: Vault) -> None:
    import threading
    import time

    failed: list[str] = []

    def long_read(conn: Connection) -> None:
        try:  # minutes of work unless interrupted
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 2000000000) SELECT count(*) FROM n").fetchone()
        except DatabaseError as exc:
            failed.append(str(exc))

    with vault.reader() as reading:
        worker = threading.Thread(target=long_read, args=(reading.conn,))
        worker.start()
        time.sleep(0.3)
        vault.close()  # the app locks while a worker still reads
        worker.join(timeout=60)
        assert not worker.is_alive() and failed == ["interrupted"]
    with pytest.raises(CoachdeskError, match="locked"), vault.reader():
        pass
