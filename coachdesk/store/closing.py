"""Changing a participant's record, closing included: a closed person's check-in
schedules stop in the same transaction.

A use case above both aggregates: `participants` knows nothing of follow-ups (which
build on it), so every change that may close a record goes through here."""

from __future__ import annotations

from typing import Any

from coachdesk.models import Status
from coachdesk.store import followups, participants
from coachdesk.store.vault import Vault


def update(vault: Vault, row_id: str, changes: dict[str, Any]) -> list[str]:
    """`participants.update`, and when that closes the record, `followups.stop_all`."""
    with vault.transaction():
        changed = participants.update(vault, row_id, changes)
        if "status" in changed and (
                participants.get(vault, row_id, audited=False).status == Status.CLOSED):
            followups.stop_all(vault, row_id)  # no more check-ins fall due
    return changed
