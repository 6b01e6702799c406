"""The audit log names the person a record belongs to (store/audit.people_of)."""

from __future__ import annotations

import datetime as dt

from coachdesk.store import audit, followups, notes, participants
from coachdesk.store.vault import Vault
from tests.conftest import person


def test_records_lead_to_their_person(vault: Vault) -> None:
    pid = participants.create(vault, person("Rosa Delgado"))
    note_id = notes.start(vault, pid)
    notes.finalize(vault, note_id, "Talked.", dt.date.today())
    addendum = notes.add_addendum(vault, note_id, "Later fact.")
    attempt = followups.log_attempt(vault, pid, "no answer").attempt_id
    asked = [("participant", pid), ("note", note_id), ("addendum", addendum),
             ("checkin_attempt", attempt), ("note", "no-such-id"), ("no_such_table", pid),
             ('participant"; DROP TABLE audit; --', pid), ("", "")]
    assert audit.people_of(vault.conn, asked) == {
        ("participant", pid): pid, ("note", note_id): pid, ("addendum", addendum): pid,
        ("checkin_attempt", attempt): pid}
