"""Plan and addendum drafts (local, never an op), and a full disk as a save error:
real SQLITE_FULL from SQLCipher (max_page_count), nothing changed, saved once there is room."""

from __future__ import annotations

import datetime as dt
import errno

import pytest
import sqlcipher3

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.plan import Goal, Plan
from coachdesk.store import addendum_drafts, notes, participants, plan_drafts, plans
from coachdesk.store.db import DiskFull, disk_full_is_an_error, is_disk_full, transaction
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person

TODAY = dt.date(2026, 3, 10)


def ops_count(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]


def a_plan(text: str = "Walk every day") -> Plan:
    return Plan(health=[Goal(text=text)])


def a_big_plan() -> Plan:
    """About 100 KB once written as an op, indexed and audited."""
    return Plan(health=[Goal(text=f"goal {i} " + "x" * 480) for i in range(30)],
                strengths=[f"strength {i} " + "y" * 480 for i in range(30)],
                warning_signs=[f"sign {i} " + "z" * 480 for i in range(50)])


def final_note(vault: Vault, pid: str) -> str:
    note_id = notes.start(vault, pid)
    notes.finalize(vault, note_id, "We met.", today=TODAY)
    return note_id


def test_plan_draft_is_local_survives_reopen_and_goes_with_the_revision(
        vault: Vault, vault_dir) -> None:  # type: ignore[no-untyped-def]
    pid = participants.create(vault, person())
    first = plans.save(vault, pid, a_plan())
    before = ops_count(vault)
    for n in range(5):
        plan_drafts.save(vault, pid, first, "## Health\n- Walk " * n)
    assert ops_count(vault) == before  # never an op: never in a bundle
    assert plan_drafts.count(vault) == 1
    vault.close()
    vault = Vault.open(vault_dir, PASSPHRASE)
    draft = plan_drafts.get(vault, pid)
    assert draft is not None and draft.parent_id == first and draft.body == "## Health\n- Walk " * 4
    second = plan_drafts.save_revision(vault, pid, a_plan("Swim"), first)
    assert plan_drafts.get(vault, pid) is None
    assert plans.state(vault, pid).current.id == second
    vault.close()


def test_a_refused_revision_keeps_the_draft(vault: Vault) -> None:
    pid = participants.create(vault, person())
    first = plans.save(vault, pid, a_plan())
    plan_drafts.save(vault, pid, first, "text")
    with pytest.raises(plans.NothingChanged):
        plan_drafts.save_revision(vault, pid, a_plan(), first)
    with pytest.raises(CoachdeskError):
        plan_drafts.save_revision(vault, pid, a_plan("Other"), "no-such-revision")
    assert plan_drafts.get(vault, pid) is not None
    assert len(plans.state(vault, pid).revisions) == 1
    plan_drafts.discard(vault, pid)
    assert plan_drafts.get(vault, pid) is None and plan_drafts.count(vault) == 0


def test_plan_draft_bad_inputs_change_nothing(vault: Vault) -> None:
    pid = participants.create(vault, person())
    with pytest.raises(CoachdeskError, match="no such participant"):
        plan_drafts.save(vault, "nobody", "", "text")
    with pytest.raises(ValidationFailed, match="longer than"):
        plan_drafts.save(vault, pid, "", "x" * 200_001)
    assert plan_drafts.get(vault, pid) is None and plan_drafts.get(vault, "nobody") is None


def test_addendum_draft_is_local_and_goes_when_added(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = final_note(vault, pid)
    before = ops_count(vault)
    addendum_drafts.save(vault, note_id, "She called back")
    addendum_drafts.save(vault, note_id, "She called back: the bakery.")
    assert ops_count(vault) == before and addendum_drafts.count(vault) == 1
    draft = addendum_drafts.get(vault, note_id)
    assert draft is not None and draft.body == "She called back: the bakery."
    with pytest.raises(ValidationFailed):  # an empty addendum is refused; the draft stays
        addendum_drafts.add(vault, note_id, "  ")
    assert addendum_drafts.get(vault, note_id) is not None
    addendum_drafts.add(vault, note_id, draft.body)
    assert addendum_drafts.get(vault, note_id) is None
    assert [a.body for a in notes.addenda(vault, note_id)] == [draft.body]


def test_addendum_draft_bad_inputs_change_nothing(vault: Vault) -> None:
    pid = participants.create(vault, person())
    draft_note = notes.start(vault, pid)
    with pytest.raises(CoachdeskError, match="no such finalized note"):
        addendum_drafts.save(vault, draft_note, "text")  # a draft note is edited, not amended
    with pytest.raises(CoachdeskError, match="no such finalized note"):
        addendum_drafts.save(vault, "nothing", "text")
    note_id = final_note(vault, pid)
    with pytest.raises(ValidationFailed):
        addendum_drafts.save(vault, note_id, "x" * 200_001)
    assert addendum_drafts.count(vault) == 0


def fill_the_vault(vault: Vault) -> None:
    """SQLite's own limit: growing the file fails exactly as on a full disk (SQLITE_FULL)."""
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = vault.conn.execute("PRAGMA page_count").fetchone()[0]
    assert vault.conn.execute("PRAGMA freelist_count").fetchone()[0] < 20
    vault.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_a_save_error_that_changes_nothing(vault: Vault) -> None:
    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid, "first words")
    first = plans.save(vault, pid, a_plan())
    done = final_note(vault, pid)
    big = "words " * 30_000  # far more than the free pages
    fill_the_vault(vault)
    with pytest.raises(DiskFull, match="the disk is full"):
        notes.save_draft(vault, note_id, big)
    with pytest.raises(DiskFull):
        plan_drafts.save(vault, pid, first, big)
    with pytest.raises(DiskFull):
        addendum_drafts.save(vault, done, big)
    with pytest.raises(DiskFull):
        plan_drafts.save_revision(vault, pid, a_big_plan(), first)
    assert not vault.conn.in_transaction
    assert notes.drafts(vault)[0].text == "first words"
    assert plan_drafts.get(vault, pid) is None and addendum_drafts.get(vault, done) is None
    assert len(plans.state(vault, pid).revisions) == 1
    vault.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed: it just works
    notes.save_draft(vault, note_id, big)
    plan_drafts.save(vault, pid, first, big)
    assert notes.drafts(vault)[0].text == big and plan_drafts.get(vault, pid).body == big
    assert vault.check() == []


def test_which_errors_are_a_full_disk() -> None:
    assert is_disk_full(sqlcipher3.OperationalError("database or disk is full"))
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_disk_full(DiskFull())
    assert not is_disk_full(sqlcipher3.OperationalError("database is locked"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(ValueError("database or disk is full"))  # a bug stays a bug
    assert not is_disk_full(None)
    with pytest.raises(DiskFull), disk_full_is_an_error():
        raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(sqlcipher3.OperationalError), disk_full_is_an_error():
        raise sqlcipher3.OperationalError("no such table: x")


class FailingCommit:
    """A connection whose COMMIT fails as it may on a full disk (the transaction stays open)."""

    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, *args: object) -> sqlcipher3.Cursor:
        if sql == "COMMIT":
            raise sqlcipher3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction


def test_a_failed_commit_rolls_back_so_the_next_write_works(vault: Vault) -> None:
    failing = FailingCommit(vault.conn)
    with pytest.raises(sqlcipher3.OperationalError), transaction(failing):  # type: ignore[arg-type]
        vault.conn.execute("INSERT INTO setting (key, value) VALUES ('x', '1')")
    assert not vault.conn.in_transaction
    assert vault.conn.execute("SELECT count(*) FROM setting WHERE key = 'x'").fetchone()[0] == 0
    with transaction(vault.conn):  # not "cannot start a transaction within a transaction"
        vault.conn.execute("INSERT INTO setting (key, value) VALUES ('x', '2')")
