"""Unsaved wellness-plan text (table plan_draft: local, inside the encrypted vault, never
an op, never synced). The plan editor autosaves into it while the coach types; saving a
revision or discarding on purpose removes it. One draft a participant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachdesk.errors import ValidationFailed
from coachdesk.store.db import disk_full_is_an_error
from coachdesk.store.local_drafts import DraftTable, now
from coachdesk.store.vault import Vault

if TYPE_CHECKING:
    from coachdesk.models.plan import Plan

MAX_CHARS = 200_000


@dataclass(frozen=True)
class PlanDraft:
    participant_id: str
    parent_id: str
    """The revision the text was edited from ('' for a first plan)."""
    body: str
    saved_at: str
    """Local time, ISO 8601."""


TABLE = DraftTable("plan_draft", "participant_id", "participant")


def save(vault: Vault, participant_id: str, parent_id: str, body: str) -> None:
    """Autosave: one statement (no op, no audit). DiskFull when there is no room."""
    if len(body) > MAX_CHARS:
        raise ValidationFailed("the plan is longer than 200,000 characters")
    TABLE.save(
        vault,
        "INSERT INTO plan_draft (participant_id, parent_id, body, saved_at) "
        "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM participant WHERE id = ? AND deleted = 0) "
        "ON CONFLICT (participant_id) DO UPDATE SET parent_id = excluded.parent_id, "
        "body = excluded.body, saved_at = excluded.saved_at",
        (participant_id, parent_id, body, now(), participant_id),
        "no such participant (they may have been deleted)")


def get(vault: Vault, participant_id: str) -> PlanDraft | None:
    row = vault.conn.execute(
        "SELECT participant_id, parent_id, body, saved_at FROM plan_draft "
        "WHERE participant_id = ?", (participant_id,)).fetchone()
    return PlanDraft(*row) if row else None


def discard(vault: Vault, participant_id: str) -> None:
    TABLE.discard(vault, participant_id)


def count(vault: Vault) -> int:
    """Participants with unsaved plan text on this device (of people still in the vault)."""
    return TABLE.count(vault)


def save_revision(vault: Vault, participant_id: str, plan: Plan, parent_id: str) -> str:
    """plans.save, and the draft goes in the same transaction (all or nothing)."""
    from coachdesk.store import plans  # not at import: the unlock notice counts drafts

    with disk_full_is_an_error(), vault.transaction() as conn:
        revision = plans.save(vault, participant_id, plan, parent_id)
        conn.execute("DELETE FROM plan_draft WHERE participant_id = ?", (participant_id,))
    return revision
