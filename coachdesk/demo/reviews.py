"""Demo: the supervisor has reviewed one of this coach's notes and asked for follow-up on
another (assets/demo/sync_peer.json "reviews"), so a new user sees feedback (F7, F3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import reviews


def seed(supervisor: Vault, wanted: list[dict[str, Any]]) -> None:
    """In the supervisor's vault (which holds the coach's notes): each wanted review on
    the finalized note of that person nearest `days_ago`."""
    today = dt.date.today()
    for review in wanted:
        person = participants.find(supervisor, review["alias"])
        day = today - dt.timedelta(days=review["days_ago"])
        final = [n for n in notes.for_participant(supervisor, person.id) if n.is_final]
        note = min(final, key=lambda n: abs((dt.date.fromisoformat(n.occurred_at[:10]) - day).days))
        reviews.mark(supervisor, note.id, review["kind"], review["text"])
