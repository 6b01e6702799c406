"""`coachdesk import` and `coachdesk check` in a subprocess: an import that breaks an SQL
rule or fills the disk is one `error:` line, exit 1, vault unchanged (issue #14.3/#14.4);
check reports records that differ from what the op log gives (#14.1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import service
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, cli_env, person
from tests.sync.syncutil import everything, make_team

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE}

FULL_DISK = """
import sys
from coachdesk.store import vault
plain = vault.harden
def harden(conn):
    plain(conn)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 1}")
vault.harden = harden
from coachdesk.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""The real CLI, on a vault that cannot grow: SQLite says 'database or disk is full'."""


@pytest.fixture
def bundle(tmp_path: Path) -> tuple[Path, Path]:
    """A receiver vault, and a bundle of 40 people for it."""
    sender = Vault.create(tmp_path / "sender", PASSPHRASE, "Ann")
    home = tmp_path / "home"
    receiver = Vault.create(home, PASSPHRASE, "Bob")
    make_team(sender, receiver, role="supervisor")  # the receiver holds every person
    receiver.close()
    for i in range(40):
        participants.create(sender, person(f"Bundle Person {i}", pathway="harm reduction"))
    path = service.export_bundle(sender, tmp_path / "in.cdbundle", full=True).path
    sender.close()
    return home, path


def _state(home: Path) -> dict:
    vault = Vault.open(home, PASSPHRASE)
    try:
        state = everything(vault)
        state["audit"] = [r for r in state["audit"] if "unlock" not in str(r)]
        return {k: v for k, v in state.items() if k != "audit"} | {"n": len(state["audit"])}
    finally:
        vault.close()


def test_an_import_breaking_an_sql_rule_is_one_line(bundle: tuple[Path, Path]) -> None:
    home, path = bundle
    vault = Vault.open(home, PASSPHRASE)
    vault.conn.execute("CREATE TRIGGER test_rule BEFORE INSERT ON participant "
                       "BEGIN SELECT RAISE(ABORT, 'refused by a test rule'); END")
    vault.close()
    before = _state(home)
    result = run(home, "import", str(path), **ENV)
    assert_user_error(result, "breaks a rule of this vault")
    assert "nothing was imported" in result.stderr
    assert _state(home) == before


def test_an_import_that_fills_the_disk_is_one_line(bundle: tuple[Path, Path]) -> None:
    home, path = bundle
    before = _state(home)
    result = subprocess.run([sys.executable, "-c", FULL_DISK, "import", str(path)],
                            env=cli_env(home, **ENV), capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert_user_error(result, "error: the disk is full")
    assert _state(home) == before
    assert run(home, "import", str(path), **ENV).returncode == 0  # room again: it goes in


def test_check_reports_records_that_differ_from_the_ops(bundle: tuple[Path, Path]) -> None:
    home, path = bundle
    assert run(home, "import", str(path), **ENV).returncode == 0
    ok = run(home, "check", **ENV)
    assert ok.returncode == 0, ok.stderr
    vault = Vault.open(home, PASSPHRASE)
    vault.conn.execute("UPDATE participant SET pathway = 'edited behind the log' "
                       "WHERE rowid = (SELECT min(rowid) FROM participant)")
    vault.close()
    bad = run(home, "check", **ENV)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "error: sync: participant: records differ" in bad.stderr


@pytest.mark.parametrize("statement", [
    ("UPDATE ops SET value = ? WHERE field = 'alias'", ("[" * 999 + "]" * 999,)),
    # (a team-wide record's change: a person's must also name the person as its scope)
    ("UPDATE ops SET row_id = CAST(X'61FF' AS TEXT) WHERE tbl = 'caseload'", ()),
])
def test_a_forged_bundle_that_crashed_or_went_in_is_one_line(bundle: tuple[Path, Path],
                                                             statement) -> None:
    """Deeply nested JSON ended in a RecursionError Traceback; an id that is not UTF-8
    went in and left rows that `check`, `disclosures` and the roster could not read."""
    from tests.sync.syncutil import forge

    home, path = bundle
    forge(path, statement)
    before = _state(home)
    assert_user_error(run(home, "import", str(path), **ENV), "refused")
    assert _state(home) == before
    assert run(home, "check", **ENV).returncode == 0
