"""Demo notes: fictional session notes (drafts and finalized), addenda and action items."""

from __future__ import annotations

import datetime as dt

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault


def seed_notes(vault: Vault) -> None:
    """Notes from assets/demo/notes.json; `days_ago` places each contact, so some of
    their action items are overdue whenever the demo is made."""
    data = shipped.json_data("demo", "notes.json")
    now = dt.datetime.now().astimezone().replace(second=0, microsecond=0)
    for entry in data:
        try:
            person = participants.find(vault, entry["alias"])
        except CoachdeskError:
            continue
        when = now - dt.timedelta(days=entry["days_ago"], hours=entry.get("hours_ago", 2))
        note_id = notes.start(vault, person.id, entry["body"], template=entry.get("template", "free"),
                              occurred_at=when.isoformat())
        notes.save_header(vault, note_id, {k: entry[k] for k in (
            "duration_min", "setting", "contact_type", "read_back") if k in entry})
        if entry.get("final", True):
            notes.finalize(vault, note_id, entry["body"], when.date())
            for text in entry.get("addenda", []):
                notes.add_addendum(vault, note_id, text)
