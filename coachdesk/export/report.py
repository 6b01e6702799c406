"""Monthly service report for supervisors and funders: counts only.

No alias, no name, no note text ever enters a report: every figure is a COUNT, SUM or
AVG in SQL, grouped by fixed categories (setting, contact type, resource kind, status,
protocol, outcome). Every category is listed, zeros included, so a row never comes and
goes from one month to the next; a stored value outside the list (a newer peer's) is
added after them. Labels are plain words; the crisis section has protocol and outcome in
columns of their own. Sections whose records this vault does not have yet say so.
A contact is a finalized note: a draft (perhaps abandoned) counts for nothing.

    build(conn, month)                   the report
    suppressed(report)                   the same, small cells withheld (export/suppression.py)
    to_markdown / to_csv / to_lines      the report as a file or on screen
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from coachdesk.errors import CoachdeskError
from coachdesk.export.suppression import is_small, suppress_group
from coachdesk.models.followup import CheckinSchedule, checkins
from coachdesk.models.note import ContactType, Setting
from coachdesk.models.referral import ReferralStatus
from coachdesk.models.resource import KIND_LABELS
from coachdesk.store.db import Connection

FIRST_YEAR, LAST_YEAR = 1900, 2199  # the date module stops at 0001 and 9999
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


Value = int | float | None
"""A figure; None where it is withheld (small-cell suppression)."""
PART = "\t"
"""Joins the parts of a row's label that print in columns of their own (protocol, outcome)."""
WITHHELD = "withheld"


@dataclass
class Section:
    title: str
    rows: list[tuple[str, Value]] = field(default_factory=list)
    note: str = ""
    columns: tuple[str, ...] = ("Figure",)
    """The headers of a row label's parts (split on PART), then the value's is 'Count'."""
    shape: str = "single"
    """How suppression treats the rows: 'single' each count alone; 'parts' the rows add up
    to a whole (one small part withholds every part); 'tied' one figure withheld withholds
    the section (minutes beside a count, an average of the people counted)."""


@dataclass
class Report:
    month: str
    sections: list[Section]
    title: str = "Service report"
    made: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    suppressed: bool = False

    def period(self) -> str:
        return f"{self.month}-01 to {month_end(self.month)}"


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


def _grouped(conn: Connection, sql: str, args: tuple[object, ...], every: dict[str, str]
             ) -> list[tuple[str, Value]]:
    """Counts by category: every category of `every` (stored value -> label) in its order,
    zeros too, then any other stored value found (by its stored name)."""
    found = {str(value or ""): int(n) for value, n in conn.execute(sql, args)}
    rows: list[tuple[str, Value]] = [(label, found.pop(value, 0)) for value, label in every.items()]
    rows += [(value or "not recorded", n) for value, n in sorted(found.items())]
    return rows


def participants_section(conn: Connection, month: str) -> Section:
    end = month_end(month)
    # The card: a record merged into another person (store/people.py) is no person of its own.
    new = conn.execute("SELECT count(*) FROM participant_card WHERE deleted = 0 AND "
                       "substr(intake_date, 1, 7) = ?", (month,)).fetchone()[0]
    # When a person was closed is known from the op log: the op that set status = closed.
    closed = conn.execute(
        "SELECT count(DISTINCT o.row_id) FROM ops o JOIN participant_card p ON p.id = o.row_id "
        "WHERE o.tbl = 'participant' AND o.field = 'status' AND o.value = '\"closed\"' "
        "AND p.status = 'closed' AND p.deleted = 0 AND "
        "strftime('%Y-%m', CAST(substr(o.hlc, 1, 16) AS INTEGER) / 1000, 'unixepoch') = ?",
        (month,)).fetchone()[0]
    active = conn.execute("SELECT count(*) FROM participant_card WHERE deleted = 0 AND "
                          "status = 'active' AND intake_date <= ?", (end,)).fetchone()[0]
    rows: list[tuple[str, Value]] = [("new participants", new),
                                           ("closed participants", closed),
                                           ("active at month end", active)]
    if has_table(conn, "note"):
        served = conn.execute(
            "SELECT count(DISTINCT coalesce(m.person, n.participant_id)) FROM note n "
            "JOIN participant p ON p.id = n.participant_id LEFT JOIN merged_person m "
            "ON m.id = n.participant_id WHERE n.deleted = 0 AND p.deleted = 0 AND "
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
        Section("Contacts", [("contacts", int(total)), ("contact time (minutes)", int(minutes))],
                shape="tied"),
        Section("Contacts by setting", _grouped(
            conn, f"SELECT setting, count(*) {where} GROUP BY setting", (month,),
            {s.value: s.value for s in Setting}), columns=("Setting",), shape="parts"),
        Section("Contacts by type", _grouped(
            conn, f"SELECT contact_type, count(*) {where} GROUP BY contact_type", (month,),
            {t.value: t.value for t in ContactType}), columns=("Type of contact",), shape="parts"),
    ]


def referrals_sections(conn: Connection, month: str) -> list[Section]:
    if not has_table(conn, "referral"):
        return [Section("Referrals", note="no referrals in this vault yet")]
    base = ("FROM referral r LEFT JOIN resource s ON s.id = r.resource_id "
            "WHERE r.deleted = 0 AND substr(r.referred_on, 1, 7) = ?")
    return [
        Section("Referrals by kind of service", _grouped(
            conn, f"SELECT coalesce(s.kind, 'other'), count(*) {base} GROUP BY 1", (month,),
            {k.value: label for k, label in KIND_LABELS.items()}),
            columns=("Kind of service",), shape="parts"),
        Section("Referrals by status", _grouped(
            conn, f"SELECT r.status, count(*) {base} GROUP BY r.status", (month,),
            {s.value: s.value for s in ReferralStatus}), columns=("Status",), shape="parts"),
    ]


NOT_FINISHED = "not finished"
STOPPED_EARLY = "stopped early by the coach"


def protocol_outcomes() -> list[tuple[str, str]]:
    """(protocol title, outcome) for every shipped protocol and every way it can end."""
    from coachdesk.protocols.loader import load_all
    from coachdesk.protocols.model import End

    pairs: list[tuple[str, str]] = []
    for protocol in sorted(load_all(), key=lambda p: p.title):
        ends = [s.outcome for s in protocol.steps if isinstance(s, End)]
        for outcome in [*dict.fromkeys(ends), STOPPED_EARLY, NOT_FINISHED]:
            pairs.append((protocol.title, outcome))
    return pairs


def crisis_section(conn: Connection, month: str) -> Section:
    if not has_table(conn, "crisis_event"):
        return Section("Crisis events", note="no crisis checklists in this vault yet")
    found = {(str(t), str(o)): int(n) for t, o, n in conn.execute(
        "SELECT e.protocol_title, coalesce((SELECT s.answer FROM crisis_step s WHERE "
        "s.event_id = e.id AND s.kind = 'end' ORDER BY s.seq LIMIT 1), ?), "
        "count(*) FROM crisis_event e WHERE e.deleted = 0 AND substr(e.started_at, 1, 7) = ? "
        "GROUP BY 1, 2", (NOT_FINISHED, month))}
    rows: list[tuple[str, Value]] = [(f"{t}{PART}{o}", found.pop((t, o), 0))
                                     for t, o in protocol_outcomes()]
    rows += [(f"{t}{PART}{o}", n) for (t, o), n in sorted(found.items())]
    return Section("Crisis events by protocol and outcome", rows,
                   columns=("Protocol", "Outcome"), shape="parts")


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
    return Section("Recovery capital (BARC-10), first to latest check-in", shape="tied", rows=[
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
    return Section("Check-ins", shape="tied", rows=[
        ("check-ins due", due), ("check-ins made (at least one attempt)", made),
        ("check-ins that reached the person", reached),
        ("outreach attempts made", int(attempts)),
        ("attempts that reached the person", int(reached_attempts))])


Step = Callable[[float, str], None]
"""Progress: (fraction done, what is being counted), e.g. the CLI's bar on a terminal."""


def build(conn: Connection, month: str, step: Step | None = None) -> Report:
    parts: list[tuple[str, Callable[[], list[Section]]]] = [
        ("participants", lambda: [participants_section(conn, month)]),
        ("contacts", lambda: contacts_sections(conn, month)),
        ("referrals", lambda: referrals_sections(conn, month)),
        ("check-ins", lambda: [checkins_section(conn, month)]),
        ("crisis events", lambda: [crisis_section(conn, month)]),
        ("recovery capital", lambda: [recovery_capital_section(conn, month)])]
    sections: list[Section] = []
    for n, (what, make) in enumerate(parts):
        if step is not None:
            step(n / len(parts), f"counting {what}")
        sections += make()
    return Report(month, sections)


def _withheld(section: Section) -> Section:
    """The section with its small cells (1 to 10) and what would reveal them withheld."""
    counts = {label: int(v) for label, v in section.rows if isinstance(v, int)}
    if section.shape == "parts":
        hide = suppress_group(counts, sum(counts.values())).parts
    elif section.shape == "tied":
        hide = frozenset(label for label, _ in section.rows) if any(
            is_small(n) for n in counts.values()) else frozenset()
    else:
        hide = frozenset(label for label, n in counts.items() if is_small(n))
    return Section(section.title, [(label, None if label in hide else v)
                                   for label, v in section.rows],
                   section.note, section.columns, section.shape)


def suppressed(report: Report) -> Report:
    """For a report that leaves the program: counts of 1 to 10 withheld, and the cells that
    would give them away (the other parts of a whole, the figures tied to a count)."""
    return Report(report.month, [_withheld(s) for s in report.sections], report.title,
                  report.made, suppressed=True)


def _shown(value: Value) -> str:
    return WITHHELD if value is None else str(value)


def _about(report: Report) -> list[str]:
    lines = [f"Period: {report.period()}",
             f"Made: {report.made:%Y-%m-%d %H:%M} ({report.made:%Z})".replace(" ()", ""),
             "Counts only: no names and no note text."]
    if report.suppressed:
        lines.append("Small cells: counts of 1 to 10, and figures that would reveal them, "
                     f"are {WITHHELD}.")
    return lines


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}, {report.month}", ""]
    lines += [f"{line}  " for line in _about(report)]
    lines.append("")
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.note:
            lines += [f"_{section.note}_", ""]
            continue
        if not section.rows:
            lines += ["_none this month_", ""]
            continue
        header = [*section.columns, "Count"]
        lines += ["| " + " | ".join(header) + " |",
                  "|" + "|".join("---" for _ in section.columns) + "|---:|"]
        for label, value in section.rows:
            parts = [_md_cell(p) for p in label.split(PART)]
            lines.append("| " + " | ".join([*parts, _shown(value)]) + " |")
        lines.append("")
    return "\n".join(lines)


def to_lines(report: Report, width: int = 60) -> list[tuple[str, bool]]:
    """Plain lines for a screen: (text, is_heading)."""
    lines: list[tuple[str, bool]] = [(f"{report.title}, {report.month}  (counts only)", True),
                                     (f"{report.period()}", False)]
    for section in report.sections:
        lines += [("", False), (section.title, True)]
        if section.note or not section.rows:
            lines.append((f"  {section.note or 'none this month'}", False))
        group = ""
        for label, value in section.rows:
            shown = _shown(value)
            *parts, last = label.split(PART)
            indent = "  " * (len(parts) + 1)
            if parts and parts[0] != group:  # a protocol once, its outcomes under it
                group = parts[0]
                lines.append((f"  {group}", False))
            room = width - len(shown) - len(indent) - 1
            lines.append((f"{indent}{last[: room - 1]:.<{room}} {shown}", False))
    return lines


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "section", "figure", "value"])
    for section in report.sections:
        for label, value in section.rows:
            writer.writerow([report.month, section.title, label.replace(PART, ": "),
                             "" if value is None else value])
    return out.getvalue()
