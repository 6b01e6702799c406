"""The one write path (store.records): op log + audit entry, in one transaction."""

from __future__ import annotations

import pytest

from coachdesk.store import audit, records
from coachdesk.store.oplog import FrozenRecord
from coachdesk.store.vault import Vault

SERVICE = {"name": "Harbor House", "kind": "housing", "address": "1 Main St", "phone": "",
           "hours": "", "eligibility": "", "languages": "", "last_verified": ""}


def _ops(vault: Vault, row_id: str) -> list[tuple[str, str, str]]:
    return vault.conn.execute("SELECT tbl, field, value FROM ops WHERE row_id = ? ORDER BY seq",
                              (row_id,)).fetchall()


def _audit(vault: Vault) -> list[tuple[str, str, str, str]]:
    return vault.conn.execute("SELECT action, tbl, row_id, detail FROM audit ORDER BY seq"
                              ).fetchall()


def _counts(vault: Vault) -> tuple[int, int]:
    conn = vault.conn
    return (conn.execute("SELECT count(*) FROM ops").fetchone()[0],
            conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_create_writes_one_op_per_field_and_one_audit_entry(vault: Vault) -> None:
    before = len(_audit(vault))
    row_id = records.create(vault, "resource", SERVICE)
    assert [(t, f) for t, f, _ in _ops(vault, row_id)] == [("resource", f) for f in SERVICE]
    assert _audit(vault)[before:] == [("resource created", "resource", row_id, "")]
    assert vault.conn.execute("SELECT name FROM resource WHERE id = ?",
                              (row_id,)).fetchone() == ("Harbor House",)
    assert audit.verify_chain(vault.conn) is None


def test_update_writes_only_the_changed_fields(vault: Vault) -> None:
    row_id = records.create(vault, "resource", SERVICE)
    ops = len(_ops(vault, row_id))
    changed = records.update(vault, "resource", row_id,
                             {**SERVICE, "phone": "555-0100", "hours": "9-5"}, current=SERVICE)
    assert changed == ["hours", "phone"]
    assert [f for _, f, _ in _ops(vault, row_id)[ops:]] == ["phone", "hours"]
    assert _audit(vault)[-1] == ("resource changed", "resource", row_id, "hours,phone")


def test_an_update_that_changes_nothing_writes_and_audits_nothing(vault: Vault) -> None:
    row_id = records.create(vault, "resource", SERVICE)
    before = _counts(vault)
    assert records.update(vault, "resource", row_id, dict(SERVICE), current=SERVICE) == []
    assert records.update(vault, "resource", row_id, {}) == []
    assert _counts(vault) == before


def test_tombstone_deletes_and_audits(vault: Vault) -> None:
    row_id = records.create(vault, "action_item", {"participant_id": "p", "text": "call"},
                            action="action item added")
    records.tombstone(vault, "action_item", row_id)
    assert vault.conn.execute("SELECT deleted FROM action_item WHERE id = ?",
                              (row_id,)).fetchone() == (1,)
    assert [a for a, *_ in _audit(vault)[-2:]] == ["action item added", "action item deleted"]


def test_append_writes_a_whole_row_once(vault: Vault) -> None:
    row_id = records.append(vault, "addendum", {"note_id": "n", "body": "later", "at": "x",
                                                "author": "Coach"}, detail="note=n")
    assert len(_ops(vault, row_id)) == 4
    assert _audit(vault)[-1] == ("addendum recorded", "addendum", row_id, "note=n")


def test_action_none_leaves_the_audit_to_the_caller(vault: Vault) -> None:
    before = len(_audit(vault))
    with vault.transaction():
        first = records.create(vault, "resource", SERVICE, action=None)
        second = records.create(vault, "resource", {**SERVICE, "name": "Two"}, action=None)
        records.audited(vault, "resources imported", "resource", "", "added=2")
    assert _audit(vault)[before:] == [("resources imported", "resource", "", "added=2")]
    assert _ops(vault, first) and _ops(vault, second)


@pytest.mark.parametrize("call", [
    lambda v: records.create(v, "resource", {"name": "X", "nickname": "no such field"}),
    lambda v: records.create(v, "no_such_table", {"name": "X"}),
    lambda v: records.create(v, "addendum", {"note_id": "n", "body": "b"}),
    lambda v: records.append(v, "resource", SERVICE),
    lambda v: records.update(v, "resource", "r1", {"nickname": "x"}),
    lambda v: records.tombstone(v, "assessment", "a1"),
])
def test_a_refused_write_leaves_no_op_row_or_audit_entry(vault: Vault, call) -> None:
    before = _counts(vault)
    with pytest.raises(ValueError):
        call(vault)
    assert _counts(vault) == before
    assert vault.conn.execute("SELECT count(*) FROM resource").fetchone() == (0,)
    assert not vault.conn.in_transaction


def test_a_failure_later_in_the_same_transaction_takes_op_and_audit_back(vault: Vault) -> None:
    before = _counts(vault)
    with pytest.raises(RuntimeError), vault.transaction():
        records.create(vault, "resource", SERVICE)
        raise RuntimeError("disk full")
    assert _counts(vault) == before


def test_a_finalized_note_refuses_an_update_and_nothing_is_audited(vault: Vault) -> None:
    from coachdesk.store import notes, participants
    from tests.conftest import person

    pid = participants.create(vault, person())
    note_id = notes.start(vault, pid, "Met at the library.")
    notes.finalize(vault, note_id, "Met at the library.")
    before = _counts(vault)
    with pytest.raises(FrozenRecord):
        records.update(vault, "note", note_id, {"setting": "phone"})
    assert _counts(vault) == before
