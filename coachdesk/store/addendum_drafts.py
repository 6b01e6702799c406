"""Unsaved addendum text (table addendum_draft: local, inside the encrypted vault, never
an op, never synced). The addendum form autosaves into it while the coach types; adding
the addendum or discarding on purpose removes it. One draft a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from coachdesk.errors import ValidationFailed
from coachdesk.store import notes
from coachdesk.store.db import disk_full_is_an_error
from coachdesk.store.local_drafts import DraftTable, now
from coachdesk.store.vault import Vault

MAX_CHARS = 200_000


@dataclass(frozen=True)
class AddendumDraft:
    note_id: str
    body: str
    saved_at: str
    """Local time, ISO 8601."""


TABLE = DraftTable("addendum_draft", "note_id", "note")


def save(vault: Vault, note_id: str, body: str) -> None:
    """Autosave: one statement (no op, no audit). DiskFull when there is no room."""
    if len(body) > MAX_CHARS:
        raise ValidationFailed("the addendum is longer than 200,000 characters")
    TABLE.save(
        vault,
        "INSERT INTO addendum_draft (note_id, body, saved_at) SELECT ?, ?, ? WHERE EXISTS "
        "(SELECT 1 FROM note WHERE id = ? AND status = 'final' AND deleted = 0) "
        "ON CONFLICT (note_id) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
        (note_id, body, now(), note_id), "no such finalized note (it may have been deleted)")


def get(vault: Vault, note_id: str) -> AddendumDraft | None:
    row = vault.conn.execute(
        "SELECT note_id, body, saved_at FROM addendum_draft WHERE note_id = ?",
        (note_id,)).fetchone()
    return AddendumDraft(*row) if row else None


def discard(vault: Vault, note_id: str) -> None:
    TABLE.discard(vault, note_id)


def count(vault: Vault) -> int:
    """Notes with an unsaved addendum on this device (of notes still in the vault)."""
    return TABLE.count(vault)


def add(vault: Vault, note_id: str, body: str) -> str:
    """notes.add_addendum, and the draft goes in the same transaction (all or nothing)."""
    with disk_full_is_an_error(), vault.transaction() as conn:
        row_id = notes.add_addendum(vault, note_id, body)
        conn.execute("DELETE FROM addendum_draft WHERE note_id = ?", (note_id,))
    return row_id
