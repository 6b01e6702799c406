"""A full disk is said as such ("the disk is full"), never as a damaged vault, and
nothing is recorded for what could not be written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from coachdesk.errors import DISK_FULL, CoachdeskError, NotAVault, disk_full
from coachdesk.store import participants
from coachdesk.store.vault import Vault, slot_path, vault_path
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import CLI, PASSPHRASE, cli_env, person


def make_vault(home: Path) -> None:
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    participants.create(vault, person("Rosa Delgado"))
    vault.close()


def audit_actions(home: Path) -> list[str]:
    vault = Vault.open(home, PASSPHRASE)
    try:
        return [a for (a,) in vault.conn.execute("SELECT action FROM audit") if a != "unlock"]
    finally:
        vault.close()


def real_sqlite_full(tmp_path: Path) -> sqlcipher3.OperationalError:
    """SQLite's own SQLITE_FULL: a database that may not grow past its pages."""
    conn = sqlcipher3.connect(str(tmp_path / "small.db"))
    try:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("PRAGMA max_page_count = 2")
        with pytest.raises(sqlcipher3.OperationalError) as caught:
            conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
        return caught.value
    finally:
        conn.close()


def test_disk_full_is_told_from_damage(tmp_path: Path) -> None:
    full = real_sqlite_full(tmp_path)
    assert disk_full(full)
    try:
        try:
            raise full
        except sqlcipher3.DatabaseError:
            raise NotAVault("coachdesk.vault is damaged or is not a coachdesk vault") from None
    except CoachdeskError as wrapped:
        assert disk_full(wrapped)
    assert disk_full(OSError(28, "No space left on device"))
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 200)
    conn = sqlcipher3.connect(str(damaged))
    with pytest.raises(sqlcipher3.DatabaseError) as caught:
        conn.execute("SELECT * FROM sqlite_master")
    conn.close()
    assert not disk_full(caught.value, tmp_path)
    assert not disk_full(OSError(2, "No such file or directory"))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("report",), ("disclosures", "Rosa")])
def test_output_to_a_full_device_is_one_line_and_records_nothing(tmp_path: Path, args: tuple[str, ...]
                                                                 ) -> None:
    home = tmp_path / "home"
    make_vault(home)
    before = audit_actions(home)
    with open("/dev/full", "w") as full:
        result = subprocess.run([*CLI, *args], env=cli_env(home, COACHDESK_PASSPHRASE=PASSPHRASE),
                                stdout=full, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, timeout=60)
    result.stdout = ""
    assert_user_error(result, DISK_FULL)
    assert audit_actions(home) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs, where mounting is allowed (root); skipped elsewhere."""
    where = tmp_path / "small"
    where.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(where)],
            capture_output=True, timeout=30).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], capture_output=True, timeout=30)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def digest(*paths: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()


def test_check_report_and_export_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    make_vault(home)
    fill(small_disk)
    before = digest(vault_path(home), slot_path(home))
    for args in (("check",), ("report",), ("report", "--out", str(small_disk / "r.md")),
                 ("export", str(small_disk / "b.cdbundle")), ("export", str(tmp_path / "b.cdbundle"))):
        assert_user_error(run(home, *args, COACHDESK_PASSPHRASE=PASSPHRASE), DISK_FULL)
    assert digest(vault_path(home), slot_path(home)) == before
    assert sorted(os.listdir(small_disk)) == ["filler", "home"]
    assert not (tmp_path / "b.cdbundle").exists()
    (small_disk / "filler").unlink()
    assert run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0
