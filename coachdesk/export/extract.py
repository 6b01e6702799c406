"""The de-identified extract for a funder's system (issue 22, item 4): one row per
person-interview (`interviews`) or per billable contact (`contacts`) of a month, keyed by
a stable participant code. The header and every code come from the data files (the
funder's `[extract]`, the billing rule's `[extract]`, the recovery lists' codes).

Never a name, a phone number or any free text: each cell is a code, a date or a count.
The participant code is the same in every month and on every laptop of the team (it is
worked out from the person's record id and the funder's id, and tells nothing back).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from coachdesk.errors import CoachdeskError
from coachdesk.export.program_report import billed
from coachdesk.models.billing import BillingRule
from coachdesk.models.funder import Funder, Window
from coachdesk.models.program import RecoveryLists, RecoverySupport
from coachdesk.store import program
from coachdesk.store.db import Connection

KINDS = ("interviews", "contacts")


def participant_code(participant_id: str, scheme: str) -> str:
    """A stable code for a person in one funder's (or payer's) files: 12 characters of a
    hash of the scheme and the record id (the same on every laptop, never the name)."""
    digest = hashlib.sha256(f"coachdesk:{scheme}:{participant_id}".encode()).hexdigest()
    return "P" + digest[:11].upper()


def _in_month(window: Window, month: str) -> bool:
    outcome = window.outcome
    return window.due.isoformat()[:7] == month or (
        outcome is not None and outcome.on.isoformat()[:7] == month)


def interview_rows(conn: Connection, grant: Funder, lists: RecoveryLists, month: str,
                   today: dt.date) -> list[list[str]]:
    """The header, then one row per window due in the month or recorded in it."""
    if not grant.extract:
        raise CoachdeskError(f"the funder file {grant.id} has no [extract] columns")
    supports = program.supports_of(conn)
    codes = grant.extract_codes
    rows = [list(grant.extract.values())]
    for person, window in program.all_windows(conn, grant):
        if not _in_month(window, month):
            continue
        values = supports.get(person.id, RecoverySupport())
        outcome = window.outcome
        state = window.state(today)
        status = (codes.done if outcome is not None and outcome.status == "done" else
                  codes.missed if state in ("missed", "lapsed") else codes.open)
        reason = ""
        if outcome is not None and outcome.status == "missed":
            found = grant.missed_reasons.get(outcome.reason)
            reason = found.code if found else ""
        cells = {
            "participant_code": participant_code(person.id, grant.id),
            "client_type": (grant.client_type_loved_one if person.kind == "loved_one"
                            else grant.client_type_person),
            "episode": str(window.episode.number),
            "interview_type": window.spec.code,
            "window_opens": window.opens.isoformat(),
            "window_due": window.due.isoformat(),
            "window_closes": window.closes.isoformat(),
            "status": status,
            "interview_date": outcome.on.isoformat() if outcome is not None else "",
            "missed_reason": reason,
            "engagement": lists.code("engagement", values.engagement),
            "living_situation": lists.code("living_situation", values.living_situation),
            "pathways": ";".join(sorted(lists.code("pathways", p) for p in values.pathways)),
            "supports": str(values.supports),
            "no_shows": str(values.no_shows),
            "naloxone_given": str(values.naloxone_given),
            "ed_visits": str(values.ed_visits),
        }
        rows.append([cells[column] for column in grant.extract])
    return rows


def contact_rows(conn: Connection, billing: BillingRule, month: str) -> list[list[str]]:
    """The header, then one row per billable contact of the month."""
    if not billing.extract:
        raise CoachdeskError(f"the billing file {billing.id} has no [extract] columns")
    rows = [list(billing.extract.values())]
    for b in billed(conn, month, billing):
        cells = {
            "participant_code": participant_code(b.contact.participant_id, billing.id),
            "service_date": b.contact.day,
            "service_code": b.code,
            "minutes": str(b.contact.minutes),
            "units": str(b.units),
            "billable_units": str(b.billable),
            "over_cap": "1" if b.over_cap else "0",
        }
        rows.append([cells[column] for column in billing.extract])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
