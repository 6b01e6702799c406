"""The monthly supervision report (issue 18, item 7): counts only, as the service report.

    build(conn, month)   supervision hours per coach, notes reviewed and pending (in all
                         and per coach), continuing-education and training hours by domain

No participant's alias, no note text, no session's private note and no training title
enters it: every figure is a COUNT or SUM in SQL grouped by coach (the team's members by
the names the team file gives them) or by domain. Like the service report it suppresses
no small figure: it is for the team's own supervisor. Written as the service report is
(report.to_markdown / to_csv / to_lines), under its own title.
"""

from __future__ import annotations

from coachdesk.export.report import Report, Section, Value, has_table, month_end
from coachdesk.store.db import Connection
from coachdesk.store.team_members import members

TITLE = "Supervision report"
_DECISION = "('reviewed', 'follow_up', 'closed')"


def _hours(minutes: float) -> float:
    return round(minutes / 60, 1)


def _names(conn: Connection) -> dict[str, str]:
    """device -> the coach's name in the team file (active members and former ones)."""
    return {m.device: m.name for m in members(conn)}


def _coach_order(conn: Connection, devices: set[str]) -> list[tuple[str, str]]:
    """(device, name) of the team's active coaches and of every other device named in
    `devices`, by name; a device the team file does not name shows as its first 8
    characters."""
    names = _names(conn)
    wanted = {m.device for m in members(conn) if m.active and m.role == "coach"} | devices
    return sorted(((d, names.get(d, d[:8])) for d in wanted), key=lambda p: (p[1].casefold(), p[0]))


def supervision_section(conn: Connection, month: str) -> Section:
    found = {coach: (int(n), int(minutes), int(group)) for coach, n, minutes, group in conn.execute(
        "SELECT coach, count(*), coalesce(sum(minutes), 0), coalesce(sum(format = 'group'), 0) "
        "FROM supervision_session WHERE deleted = 0 AND substr(held_on, 1, 7) = ? "
        "GROUP BY coach", (month,))}
    rows: list[tuple[str, Value]] = []
    for device, name in _coach_order(conn, set(found)):
        n, minutes, group = found.get(device, (0, 0, 0))
        rows += [(f"{name}: hours", _hours(minutes)), (f"{name}: sessions", n),
                 (f"{name}: of them group sessions", group)]
    if not rows:
        return Section("Supervision hours by coach", note="no coaches and no sessions this month")
    total = sum(m for _, m, _ in found.values())
    rows.append(("all coaches: hours", _hours(total)))  # a group session counts for each coach
    return Section("Supervision hours by coach", rows)


def _per_origin(conn: Connection, sql: str, args: tuple[object, ...]) -> dict[str, int]:
    return {str(origin): int(n) for origin, n in conn.execute(sql, args)}


def review_sections(conn: Connection, month: str) -> list[Section]:
    """Notes finalized and reviewed in the month, and those still waiting at its end;
    in all and per coach (the device that wrote the note)."""
    end = month_end(month)
    notes = ("FROM note n JOIN participant p ON p.id = n.participant_id AND p.deleted = 0 "
             "WHERE n.deleted = 0 AND n.status = 'final'")
    decided_by_end = (f"SELECT 1 FROM review_entry r WHERE r.note_id = n.id AND r.deleted = 0 "
                      f"AND r.kind IN {_DECISION} AND substr(r.at, 1, 10) <= ?")
    last_by_end = (f"(SELECT r.kind FROM review_entry r WHERE r.note_id = n.id AND r.deleted = 0 "
                   f"AND r.kind IN {_DECISION} AND substr(r.at, 1, 10) <= ? "
                   "ORDER BY r.at DESC, r.id DESC LIMIT 1)")
    in_month = "substr(r.at, 1, 7) = ?"
    figures = {
        "finalized": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND "
                                       "substr(n.finalized_at, 1, 7) = ? GROUP BY 1", (month,)),
        "reviewed": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND EXISTS (SELECT 1 FROM "
                                      "review_entry r WHERE r.note_id = n.id AND r.deleted = 0 AND "
                                      f"r.kind IN ('reviewed', 'follow_up') AND {in_month}) GROUP BY 1",
                                (month,)),
        "asked": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND EXISTS (SELECT 1 FROM "
                                   "review_entry r WHERE r.note_id = n.id AND r.deleted = 0 AND "
                                   f"r.kind = 'follow_up' AND {in_month}) GROUP BY 1", (month,)),
        "closed": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND EXISTS (SELECT 1 FROM "
                                    "review_entry r WHERE r.note_id = n.id AND r.deleted = 0 AND "
                                    f"r.kind = 'closed' AND {in_month}) GROUP BY 1", (month,)),
        "waiting": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND "
                                     f"substr(n.finalized_at, 1, 10) <= ? AND NOT EXISTS "
                                     f"({decided_by_end}) GROUP BY 1", (end, end)),
        "open": _per_origin(conn, f"SELECT n.origin, count(*) {notes} AND {last_by_end} = "
                                  "'follow_up' GROUP BY 1", (end,)),
    }
    labels = {"finalized": "notes finalized this month",
              "reviewed": "notes reviewed this month",
              "asked": "notes marked needs follow-up this month",
              "closed": "follow-ups closed this month",
              "waiting": "notes waiting for review at month end",
              "open": "follow-ups still open at month end"}
    totals = Section("Notes reviewed and pending",
                     [(labels[k], sum(v.values())) for k, v in figures.items()])
    devices = {d for v in figures.values() for d in v}
    per_coach: list[tuple[str, Value]] = []
    for device, name in _coach_order(conn, devices):
        per_coach += [(f"{name}: reviewed this month", figures["reviewed"].get(device, 0)),
                      (f"{name}: waiting at month end", figures["waiting"].get(device, 0))]
    return [totals, Section("Notes reviewed and pending, by coach", per_coach)]


def training_sections(conn: Connection, month: str) -> list[Section]:
    sections = []
    for kind, title in (("continuing_education", "Continuing-education hours by domain"),
                        ("training", "Training hours by domain")):
        hours_by = [(str(domain or "no domain given"), round(float(hours), 1))
                    for domain, hours in conn.execute(
                        "SELECT domain, sum(hours) FROM training_entry WHERE deleted = 0 AND "
                        "kind = ? AND substr(taken_on, 1, 7) = ? GROUP BY domain ORDER BY 2 DESC, 1",
                        (kind, month))]
        rows: list[tuple[str, Value]] = list(hours_by)
        if rows:
            rows.append(("all domains", round(sum(h for _, h in hours_by), 1)))
        sections.append(Section(title, rows))
    return sections


def build(conn: Connection, month: str) -> Report:
    if not has_table(conn, "supervision_session"):
        return Report(month, [Section("Supervision", note="no supervision records in this vault yet")],
                      TITLE)
    return Report(month, [supervision_section(conn, month), *review_sections(conn, month),
                          *training_sections(conn, month)], TITLE)
