"""Monthly service report for supervisors and funders: counts only.

No alias, no name, no note text ever enters a report: every figure is a COUNT, SUM or
AVG in SQL, grouped by fixed categories (setting, contact type, resource kind, status,
protocol, outcome). Sections whose records this vault does not have yet say so.
A contact is a finalized note: a draft (perhaps abandoned) counts for nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from coachdesk.errors import CoachdeskError
from coachdesk.models.followup import CheckinSchedule, checkins
from coachdesk.store.db import Connection

FIRST_YEAR, LAST_YEAR = 1900, 2199  # the date module stops at 0001 and 9999
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@dataclass
class Section:
    title: str
    rows: list[tuple[str, int | float]] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    month: str
    sections: list[Section]
    title: str = "Service report"


def parse_month(text: str | None, today: dt.date | None = None) -> str:
    if text is None:
        return (today or dt.date.today()).strftime("%Y-%m")
    month = text.strip()
    if not MONTH.match(month) or not FIRST_YEAR <= int(month[:4]) <= LAST_YEAR:
        raise CoachdeskError(f"not a month: {text!r} (use YYYY-MM, years {FIRST_YEAR} to {LAST_YEAR})")
    return month


def has_table(conn: Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (table,)).fetchone() is not None


def month_end(month: str) -> str:
    year, mon = map(int, month.split("-"))
    nxt = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


def _grouped(conn: Connection, sql: str, args: tuple[object, ...]) -> list[tuple[str, int | float]]:
    return [(str(label or "not recorded"), int(n)) for label, n in conn.execute(sql, args)]


def participants_section(conn: Connection, month: str) -> Section:
    end = month_end(month)
    new = conn.execute("SELECT count(*) FROM participant WHERE deleted = 0 AND "
                       "substr(intake_date, 1, 7) = ?", (month,)).fetchone()[0]
    # When a person was closed is known from the op log: the op that set status = closed.
    closed = conn.execute(
        "SELECT count(DISTINCT o.row_id) FROM ops o JOIN participant p ON p.id = o.row_id "
        "WHERE o.tbl = 'participant' AND o.field = 'status' AND o.value = '\"closed\"' "
        "AND p.status = 'closed' AND p.deleted = 0 AND "
        "strftime('%Y-%m', CAST(substr(o.hlc, 1, 16) AS INTEGER) / 1000, 'unixepoch') = ?",
        (month,)).fetchone()[0]
    active = conn.execute("SELECT count(*) FROM participant WHERE deleted = 0 AND "
                          "status = 'active' AND intake_date <= ?", (end,)).fetchone()[0]
    rows: list[tuple[str, int | float]] = [("new participants", new),
                                           ("closed participants", closed),
                                           ("active at month end", active)]
    if has_table(conn, "note"):
        served = conn.execute(
            "SELECT count(DISTINCT n.participant_id) FROM note n JOIN participant p ON "
            "p.id = n.participant_id WHERE n.deleted = 0 AND p.deleted = 0 AND "
            "n.status = 'final' AND substr(n.occurred_at, 1, 7) = ?", (month,)).fetchone()[0]
        rows.insert(0, ("people served (at least one contact)", served))
    return Section("Participants", rows)


def contacts_sections(conn: Connection, month: str) -> list[Section]:
    if not has_table(conn, "note"):
        return [Section("Contacts", note="no session notes in this vault yet")]
    where = ("FROM note WHERE deleted = 0 AND status = 'final' "
             "AND substr(occurred_at, 1, 7) = ?")
    total, minutes = conn.execute(
        f"SELECT count(*), coalesce(sum(duration_min), 0) {where}", (month,)).fetchone()
    return [
        Section("Contacts", [("contacts", int(total)), ("contact time (minutes)", int(minutes))]),
        Section("Contacts by setting", _grouped(
            conn, f"SELECT setting, count(*) {where} GROUP BY setting ORDER BY 2 DESC, 1",
            (month,))),
        Section("Contacts by type", _grouped(
            conn, f"SELECT contact_type, count(*) {where} GROUP BY contact_type "
                  "ORDER BY 2 DESC, 1", (month,))),
    ]


def referrals_sections(conn: Connection, month: str) -> list[Section]:
    if not has_table(conn, "referral"):
        return [Section("Referrals", note="no referrals in this vault yet")]
    base = ("FROM referral r LEFT JOIN resource s ON s.id = r.resource_id "
            "WHERE r.deleted = 0 AND substr(r.referred_on, 1, 7) = ?")
    return [
        Section("Referrals by kind", _grouped(
            conn, f"SELECT s.kind, count(*) {base} GROUP BY s.kind ORDER BY 2 DESC, 1", (month,))),
        Section("Referrals by status", _grouped(
            conn, f"SELECT r.status, count(*) {base} GROUP BY r.status ORDER BY 2 DESC, 1",
            (month,))),
    ]


def crisis_section(conn: Connection, month: str) -> Section:
    if not has_table(conn, "crisis_event"):
        return Section("Crisis events", note="no crisis checklists in this vault yet")
    rows = conn.execute(
        "SELECT e.protocol_title, coalesce((SELECT s.answer FROM crisis_step s WHERE "
        "s.event_id = e.id AND s.kind = 'end' ORDER BY s.seq LIMIT 1), 'not finished'), "
        "count(*) FROM crisis_event e WHERE e.deleted = 0 AND substr(e.started_at, 1, 7) = ? "
        "GROUP BY 1, 2 ORDER BY 1, 3 DESC", (month,)).fetchall()
    return Section("Crisis events by protocol and outcome",
                   [(f"{title}: {outcome}", int(n)) for title, outcome, n in rows])


def recovery_capital_section(conn: Connection, month: str) -> Section:
    if not has_table(conn, "assessment"):
        return Section("Recovery capital (BARC-10)", note="no check-ins in this vault yet")
    end = month_end(month)
    changes = [int(c) for (c,) in conn.execute(
        "WITH a AS (SELECT participant_id, total, taken_on, "
        "row_number() OVER (PARTITION BY participant_id ORDER BY taken_on, id) AS first_n, "
        "row_number() OVER (PARTITION BY participant_id ORDER BY taken_on DESC, id DESC) "
        "AS last_n FROM assessment WHERE deleted = 0 AND instrument = 'barc10' "
        "AND taken_on <= ?) "
        "SELECT l.total - f.total FROM a f JOIN a l ON l.participant_id = f.participant_id "
        "WHERE f.first_n = 1 AND l.last_n = 1 AND l.first_n > 1", (end,))]
    if not changes:
        return Section("Recovery capital (BARC-10)",
                       note="nobody has two check-ins up to this month yet")
    return Section("Recovery capital (BARC-10), first to latest check-in", [
        ("people with two or more check-ins", len(changes)),
        ("average change in total", round(sum(changes) / len(changes), 1)),
        ("higher than at first", sum(c > 0 for c in changes)),
        ("same", sum(c == 0 for c in changes)),
        ("lower", sum(c < 0 for c in changes)),
    ])


def checkins_section(conn: Connection, month: str) -> Section:
    """Check-ins falling due in the month (dates computed from the schedules, counted as
    the person's page counts them), how many were tried and how many reached the person;
    and all outreach attempts made in it (by the coach's local month)."""
    if not has_table(conn, "checkin_schedule"):
        return Section("Check-ins", note="no check-in schedules in this vault yet")
    calls: dict[str, list[tuple[dt.date, str]]] = {}
    for sid, due_on, outcome in conn.execute(
            "SELECT schedule_id, due_on, outcome FROM checkin_attempt WHERE deleted = 0 "
            "AND schedule_id != '' AND due_on != ''"):
        calls.setdefault(sid, []).append((dt.date.fromisoformat(due_on), outcome))
    end = dt.date.fromisoformat(month_end(month))
    fields = tuple(CheckinSchedule.model_fields)
    due = made = reached = 0
    for sid, *values in conn.execute(
            f"SELECT s.id, {', '.join('s.' + f for f in fields)} FROM checkin_schedule s "
            "JOIN participant p ON p.id = s.participant_id AND p.deleted = 0 "
            "WHERE s.deleted = 0"):
        # Every schedule: one whose start an edit moved past the month may still have
        # calls counted in it (checkins() keeps dates on or before the month's end).
        data = dict(zip(fields, values, strict=True))
        try:
            rule = CheckinSchedule.from_stored(data)
        except ValueError:  # in need of fixing (its page says so): no dates to count
            continue
        for day, outcomes in checkins(rule, calls.get(sid, []), end).items():
            if day.isoformat()[:7] == month:
                due += 1
                made += bool(outcomes)
                reached += "reached" in outcomes
    attempts, reached_attempts = conn.execute(
        "SELECT count(*), coalesce(sum(outcome = 'reached'), 0) FROM checkin_attempt "
        "WHERE deleted = 0 AND strftime('%Y-%m', at, 'localtime') = ?", (month,)).fetchone()
    return Section("Check-ins", [
        ("check-ins due", due), ("check-ins made (at least one attempt)", made),
        ("check-ins that reached the person", reached),
        ("outreach attempts made", int(attempts)),
        ("attempts that reached the person", int(reached_attempts))])


def build(conn: Connection, month: str) -> Report:
    sections = [participants_section(conn, month), *contacts_sections(conn, month),
                *referrals_sections(conn, month), checkins_section(conn, month),
                crisis_section(conn, month),
                recovery_capital_section(conn, month)]
    return Report(month, sections)


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}, {report.month}", "",
             "Counts only: no names and no note text.", ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.note:
            lines += [f"_{section.note}_", ""]
            continue
        if not section.rows:
            lines += ["_none this month_", ""]
            continue
        lines += ["| | |", "|---|---:|"]
        lines += [f"| {label} | {value} |" for label, value in section.rows]
        lines.append("")
    return "\n".join(lines)


def to_lines(report: Report, width: int = 60) -> list[tuple[str, bool]]:
    """Plain lines for a screen: (text, is_heading)."""
    lines: list[tuple[str, bool]] = [(f"{report.title}, {report.month}  (counts only)", True)]
    for section in report.sections:
        lines += [("", False), (section.title, True)]
        if section.note or not section.rows:
            lines.append((f"  {section.note or 'none this month'}", False))
        for label, value in section.rows:
            shown = str(value)
            lines.append((f"  {label[: width - len(shown) - 4]:.<{width - len(shown) - 3}} {shown}",
                          False))
    return lines


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "section", "figure", "value"])
    for section in report.sections:
        for label, value in section.rows:
            writer.writerow([report.month, section.title, label, value])
    return out.getvalue()
