"""The parts of a copy for someone outside the program that come from outside the plan,
one per kind of information a consent may cover, and the lines that open every copy.

    to_whom(consent, kinds)      to whom, why, under which consent, what it covers
    pages(vault, person)         {kind: blocks} for attendance, notes summary, contact

Counts, dates and kinds of contact only: never what a note says.
"""

from __future__ import annotations

import datetime as dt

from coachdesk.export.document import Block, Facts, Heading, Para, Table
from coachdesk.models.consent import ConsentRow
from coachdesk.models.consent_kinds import labels
from coachdesk.models.participant import ParticipantRow
from coachdesk.store.vault import Vault

WINDOW_DAYS = 90
"""How far back attendance and the notes summary look."""
MAX_CONTACTS = 40


def consent_line(consent: ConsentRow) -> str:
    until = consent.expires_on.isoformat() if consent.expires_on else consent.expiry_event
    return (f"consent signed {consent.signed_on.isoformat()}, to {consent.recipient}, "
            f"for {consent.purpose}, until {until}")


def to_whom(consent: ConsentRow, kinds: list[str]) -> list[Block]:
    """The first lines of a copy for a recipient."""
    return [Facts([("For", consent.recipient), ("Purpose", consent.purpose),
                   ("Under the consent", f"signed {consent.signed_on.isoformat()}"),
                   ("It holds", labels(kinds))]),
            Para("Only what the person's consent covers is in this copy.", "muted")]


def _contacts(vault: Vault, participant_id: str, since: dt.date) -> list[tuple[str, str, str, int]]:
    """(day, contact type, setting, minutes) of finalized contacts since `since`, newest first."""
    rows = vault.conn.execute(
        "SELECT substr(occurred_at, 1, 10), contact_type, setting, coalesce(duration_min, 0) "
        "FROM note WHERE participant_id = ? AND deleted = 0 AND status = 'final' AND "
        "substr(occurred_at, 1, 10) >= ? ORDER BY occurred_at DESC", (participant_id,
                                                                     since.isoformat()))
    return [(str(d), str(t), str(s), int(m)) for d, t, s, m in rows]


def pages(vault: Vault, person: ParticipantRow, today: dt.date | None = None
          ) -> dict[str, list[Block]]:
    today = today or dt.date.today()
    since = today - dt.timedelta(days=WINDOW_DAYS)
    contacts = _contacts(vault, person.id, since)
    reached = [c for c in contacts if c[1] != "outreach attempt"]
    months: dict[str, int] = {}
    for day, *_ in reached:
        months[day[:7]] = months.get(day[:7], 0) + 1
    last = reached[0][0] if reached else "none in this time"
    attendance: list[Block] = [
        Heading("Attendance"),
        Para(f"Taking part in peer recovery coaching since {person.intake_date.isoformat()}"
             f" ({person.status.value})."),
        Facts([("Contacts in the last 90 days", str(len(reached))), ("Last contact", last)]),
        Table(["Month", "Contacts"], [[m, str(n)] for m, n in sorted(months.items())],
              empty="no contacts in the last 90 days")]
    notes: list[Block] = [
        Heading("Recent contacts"),
        Para("Date, kind and length of each contact: what was said stays with the coach.",
             "muted"),
        Table(["Date", "Kind of contact", "Setting", "Minutes"],
              [[d, t, s, str(m)] for d, t, s, m in contacts[:MAX_CONTACTS]],
              empty="no contacts in the last 90 days")]
    contact: list[Block] = [Heading("Contact details"),
                            Facts([("Phone", person.phone or "not on file")])]
    return {"attendance": attendance, "notes_summary": notes, "contact": contact}
