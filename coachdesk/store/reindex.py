"""Rebuilding the search index from the records: finalized notes, addenda and each
person's current plan. Above both `search` (the index) and `plans` (which keeps the
index current as it writes)."""

from __future__ import annotations

from coachdesk.models.plan_text import format_plan
from coachdesk.store import plans, search
from coachdesk.store.vault import Vault


def rebuild(vault: Vault) -> int:
    """Index every finalized note, addendum and current plan again; returns #texts."""
    with vault.transaction() as conn:
        conn.execute("DELETE FROM search_text")
        conn.execute("DELETE FROM search_entry")
        conn.execute(
            "INSERT INTO search_text (text, kind, row_id, participant_id, note_id) "
            "SELECT body, 'note', id, participant_id, id FROM note "
            "WHERE deleted = 0 AND status = 'final' AND body != ''")
        conn.execute(
            "INSERT INTO search_text (text, kind, row_id, participant_id, note_id) "
            "SELECT a.body, 'addendum', a.id, n.participant_id, n.id FROM addendum a "
            "JOIN note n ON n.id = a.note_id WHERE n.deleted = 0")
        conn.execute(
            "INSERT INTO search_entry (fts_rowid, kind, row_id, participant_id, note_id) "
            "SELECT rowid, kind, row_id, participant_id, note_id FROM search_text")
        people = [r[0] for r in conn.execute("SELECT id FROM participant WHERE deleted = 0")]
        for pid in people:
            current = plans.state(vault, pid).current
            if current is not None:
                search.index_text(conn, "plan", current.id, pid, format_plan(current.plan))
    return int(vault.conn.execute("SELECT count(*) FROM search_text").fetchone()[0])
