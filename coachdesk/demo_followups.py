"""Demo follow-ups: Marcus Webb's weekly calls after his emergency department visit
(two unanswered in a row, one due today) and Rosa Delgado's six-month follow-up."""

from __future__ import annotations

import datetime as dt

from coachdesk.models.followup import add_months
from coachdesk.store import followups, participants
from coachdesk.store.vault import Vault


def _at(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour)).astimezone().isoformat(timespec="microseconds")


def seed_followups(vault: Vault) -> None:
    people = {p.alias: p for p in participants.roster(vault, status=None)}
    today = dt.date.today()
    marcus = people.get("Marcus Webb")
    if marcus is not None:
        start = marcus.intake_date  # the day of his emergency department visit
        sid = followups.add_schedule(vault, marcus.id, {
            "label": "weekly call", "every": 1, "unit": "weeks", "times": 12,
            "starts_on": start})
        calls = [(0, 1, "reached", "doing ok, went to a meeting"),
                 (1, 0, "no answer", ""), (1, 1, "declined", "busy at work, call next week"),
                 (2, 0, "no answer", ""), (2, 2, "left message", "voicemail, asked to call back")]
        for week, later, outcome, note in calls:
            due = start + dt.timedelta(weeks=week)
            if due + dt.timedelta(days=later) >= today:
                continue
            followups.log_attempt(vault, marcus.id, outcome, schedule_id=sid, due_on=due,
                                  note=note, start_note=False,
                                  at=_at(due + dt.timedelta(days=later), 15))
    rosa = people.get("Rosa Delgado")
    if rosa is not None:
        followups.add_schedule(vault, rosa.id, {
            "label": "6-month follow-up", "unit": "once",
            "starts_on": add_months(rosa.intake_date, 6)})
