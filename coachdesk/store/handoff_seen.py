"""Which handoff notes this coach has seen here (table handoff_seen: local, never an op,
never synced). The participant page shows a note to this coach it does not list first."""

from __future__ import annotations

from dataclasses import dataclass

from coachdesk.store import audit
from coachdesk.store.vault import Vault


@dataclass(frozen=True)
class Unseen:
    id: str
    writer: str
    """The device that wrote it (the supervisor's)."""
    from_coach: str
    note: str
    at: str
    """UTC, ISO 8601."""


def unseen(vault: Vault, participant_id: str) -> list[Unseen]:
    """The person's handoff notes to this vault's coach not yet seen here, newest first."""
    rows = vault.conn.execute(
        "SELECT id, origin, from_coach, note, at FROM handoff WHERE participant_id = ? "
        "AND to_coach = ? AND deleted = 0 AND id NOT IN (SELECT id FROM handoff_seen) "
        "ORDER BY at DESC", (participant_id, vault.device))
    return [Unseen(*row) for row in rows]


def mark_seen(vault: Vault, participant_id: str, handoff_ids: list[str]) -> None:
    """Remember that the notes were shown (audited: "handoff note viewed")."""
    with vault.transaction() as conn:
        for handoff_id in handoff_ids:
            conn.execute("INSERT OR IGNORE INTO handoff_seen (id, seen_at) VALUES (?, ?)",
                         (handoff_id, audit.now_iso()))
            audit.record(conn, vault.device, vault.coach, "handoff note viewed", "handoff",
                         handoff_id, participant_id)
