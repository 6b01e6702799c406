"""Demo: the supervisor logged two sessions with this coach (one a group session with the
peer coach) and left items; this coach marked one done and has a few ledger lines."""

from __future__ import annotations

import datetime as dt

from coachdesk import shipped
from coachdesk.store import ledger, supervision
from coachdesk.store.vault import Vault
from coachdesk.sync import supervision as sessions


def seed_sessions(supervisor: Vault, coach: Vault, peer: Vault) -> None:
    """On the supervisor's vault (a bundle then carries them to the coach)."""
    today = dt.date.today()
    for session in shipped.json_data("demo", "supervision.json")["sessions"]:
        coaches = [coach.device, peer.device] if session["with_peer"] else [coach.device]
        sessions.log_session(supervisor, coaches,
                             held_on=today - dt.timedelta(days=session["days_ago"]),
                             minutes=session["minutes"], topics=session["topics"],
                             note=session["note"], items=session["items"])


def seed_ledger(coach: Vault) -> None:
    """On the coach's own vault, once the sessions have arrived."""
    data = shipped.json_data("demo", "supervision.json")
    today = dt.date.today()
    if data["done_first_item"]:
        oldest = supervision.items(coach, coach.device)[:1]
        for item in oldest:
            supervision.mark_done(coach, item.id)
    for line in data["ledger"]:
        values = {k: v for k, v in line.items() if k != "days_ago"}
        values["taken_on"] = today - dt.timedelta(days=line["days_ago"])
        ledger.add(coach, values, {line["domain"] for line in data["ledger"]})
