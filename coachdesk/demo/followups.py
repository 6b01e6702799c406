"""Demo follow-ups: Marcus Webb's weekly calls after his emergency department visit
(two unanswered in a row, one due today), Tam Nguyen's calls every two weeks (the last
three reached nobody: hard to reach) and Rosa Delgado's six-month follow-up."""

from __future__ import annotations

import datetime as dt

from coachdesk.models.followup import add_months
from coachdesk.store import followups, participants
from coachdesk.store.vault import Vault


def _at(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour)).astimezone().isoformat(timespec="microseconds")


def _calls(vault: Vault, pid: str, sid: str, start: dt.date, today: dt.date,
           calls: list[tuple[int, int, str, str]]) -> None:
    """(week of the check-in, days after it, outcome, note): those before today."""
    for week, later, outcome, note in calls:
        due = start + dt.timedelta(weeks=week)
        if due + dt.timedelta(days=later) >= today:
            continue
        followups.log_attempt(vault, pid, outcome, schedule_id=sid, due_on=due, note=note,
                              start_note=False, at=_at(due + dt.timedelta(days=later), 15))


def seed_followups(vault: Vault) -> None:
    people = {p.alias: p for p in participants.roster(vault, status=None)}
    today = dt.date.today()
    marcus = people.get("Marcus Webb")
    if marcus is not None:
        start = marcus.intake_date  # the day of his emergency department visit
        sid = followups.add_schedule(vault, marcus.id, {
            "label": "weekly call", "every": 1, "unit": "weeks", "times": 12,
            "starts_on": start})
        _calls(vault, marcus.id, sid, start, today, [
            (0, 1, "reached", "doing ok, went to a meeting"),
            (1, 0, "no answer", ""), (1, 1, "declined", "busy at work, call next week"),
            (2, 0, "no answer", ""), (2, 2, "left message", "voicemail, asked to call back")])
    tam = people.get("Tam Nguyen")
    if tam is not None:
        start = tam.intake_date
        sid = followups.add_schedule(vault, tam.id, {
            "label": "outreach call", "every": 2, "unit": "weeks", "times": 6,
            "starts_on": start})
        _calls(vault, tam.id, sid, start, today, [
            (0, 0, "reached", "wants help finding a shelter bed"),
            (2, 1, "reached", "on the shelter list, phone is shared"),
            (4, 0, "no answer", ""), (6, 0, "wrong number", "shared phone: someone else"),
            (6, 3, "left message", "asked the outreach van to pass on a message")])
    rosa = people.get("Rosa Delgado")
    if rosa is not None:
        followups.add_schedule(vault, rosa.id, {
            "label": "6-month follow-up", "unit": "once",
            "starts_on": add_months(rosa.intake_date, 6)})
