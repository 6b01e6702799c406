"""The team report a hub sends out of the program: counts per coach and for the team,
small cells suppressed (`coachdesk report --team`).

    build(conn, month, team)     the rows, suppressed (export/suppression.py)
    to_csv(rows)                 text, COLUMNS as its header
    parquet_writer(rows)         a function that writes the rows as Parquet (the agency extra)

One row per (month, team, coach or "all", measure): a long table, so a new measure is new
rows, never a new column, and every version's files read alike. The columns never change
(FORMAT_VERSION says which rules made a file). A withheld figure has an empty `value` and
`suppressed` true. A coach's figures are those of the people whose primary coach they are
now (store/scope.PRIMARY_SQL); a crisis checklist run for no one counts for the device that
ran it. So every team figure is the sum of its coaches' figures: one group per measure
for suppression (export/suppression.py: a small coach figure withholds all of them).

Measures: counts only, each a count of people or of events (or the minutes of those
events) that funders ask for, none a rate or an average (a rate over a small group, or an
average next to its count, gives the small count away):
    people_served        people with at least one finalized contact in the month
    new_participants     people whose intake date is in the month
    active_participants  people active now whose intake was by the month's end
    contacts             finalized contacts (session notes) in the month
    contact_minutes      their recorded minutes; withheld wherever contacts are
    referrals            referrals made in the month
    crisis_events        crisis checklists started in the month
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.export.report import month_end
from coachdesk.export.suppression import Withheld, suppress_group
from coachdesk.store.db import Connection
from coachdesk.store.scope import PRIMARY_SQL

FORMAT_VERSION = 1
COLUMNS = ("format_version", "month", "team_id", "team", "coach_id", "coach", "measure", "value",
           "suppressed")
ALL = "all"
"""The coach column of a team's own figure."""
MEASURES = ("people_served", "new_participants", "active_participants", "contacts",
            "contact_minutes", "referrals", "crisis_events")
UNKNOWN_COACH = "unknown coach"
INSTALL_HINT = "pip install 'coachdesk[agency]'"


class NeedsAgencyExtra(CoachdeskError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} needs the agency extra: {INSTALL_HINT}")


@dataclass(frozen=True)
class Team:
    team_id: str
    name: str
    coaches: Mapping[str, str]
    """Device id -> name, of everyone who is or was in the team."""
    members: tuple[str, ...] = ()
    """The devices now in the team: listed even with nothing to count."""


@dataclass(frozen=True)
class Row:
    month: str
    team_id: str
    team: str
    coach_id: str
    coach: str
    measure: str
    value: int | None
    suppressed: bool

    def cells(self) -> tuple[object, ...]:
        return (FORMAT_VERSION, self.month, self.team_id, self.team, self.coach_id, self.coach,
                self.measure, self.value, self.suppressed)


_OWNER = (f"WITH card AS (SELECT id, intake_date, status, {PRIMARY_SQL} AS coach "
          "FROM participant_card WHERE deleted = 0), "
          # A record merged into a person (store/people.py) counts as that person, theirs.
          "owner AS (SELECT id, id AS person, intake_date, status, coach FROM card UNION ALL "
          "SELECT m.id, m.person, c.intake_date, c.status, c.coach FROM merged_person m "
          "JOIN card c ON c.id = m.person) ")
_CONTACTS = ("FROM note n JOIN owner o ON o.id = n.participant_id WHERE n.deleted = 0 AND "
             "n.status = 'final' AND substr(n.occurred_at, 1, 7) = :month GROUP BY o.coach")
_SQL: dict[str, str] = {
    "people_served": f"SELECT o.coach, count(DISTINCT o.person) {_CONTACTS}",
    "new_participants": "SELECT coach, count(*) FROM owner WHERE id = person AND "
                        "substr(intake_date, 1, 7) = :month GROUP BY coach",
    "active_participants": "SELECT coach, count(*) FROM owner WHERE id = person AND status = 'active' AND "
                           "intake_date != '' AND intake_date <= :end GROUP BY coach",
    "contacts": f"SELECT o.coach, count(*) {_CONTACTS}",
    "contact_minutes": f"SELECT o.coach, coalesce(sum(max(n.duration_min, 0)), 0) {_CONTACTS}",
    "referrals": "SELECT o.coach, count(*) FROM referral r JOIN owner o ON o.id = r.participant_id "
                 "WHERE r.deleted = 0 AND substr(r.referred_on, 1, 7) = :month GROUP BY o.coach",
    "crisis_events": "SELECT coalesce(o.coach, e.origin), count(*) FROM crisis_event e "
                     "LEFT JOIN owner o ON o.id = e.participant_id WHERE e.deleted = 0 AND "
                     "substr(e.started_at, 1, 7) = :month GROUP BY 1",
}


def counts(conn: Connection, month: str) -> dict[str, dict[str, int]]:
    """measure -> coach device -> count, unsuppressed (never leaves this module as is)."""
    args = {"month": month, "end": month_end(month)}
    return {measure: {str(coach): int(n or 0)
                      for coach, n in conn.execute(_OWNER + sql, args)}
            for measure, sql in _SQL.items()}


def build(conn: Connection, month: str, team: Team) -> list[Row]:
    found = counts(conn, month)
    devices = set(team.members).union(*(c.keys() for c in found.values()))
    names = {d: team.coaches.get(d) or UNKNOWN_COACH for d in devices}
    order = sorted(devices, key=lambda d: (names[d].casefold(), d))
    rows: list[Row] = []
    contacts: Withheld[str] = Withheld(frozenset(), False)
    for measure in MEASURES:
        parts = {d: found[measure].get(d, 0) for d in order}
        total = sum(parts.values())
        tied = contacts if measure == "contact_minutes" else Withheld(frozenset(), False)
        withheld = suppress_group(parts, total, also=tied.parts, total_also=tied.total)
        if measure == "contacts":
            contacts = withheld
        for device in order:
            hidden = device in withheld.parts
            rows.append(Row(month, team.team_id, team.name, device, names[device], measure,
                            None if hidden else parts[device], hidden))
        rows.append(Row(month, team.team_id, team.name, "", ALL, measure,
                        None if withheld.total else total, withheld.total))
    return rows


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v
                         for v in row.cells()])
    return out.getvalue()


def require_duckdb(what: str) -> None:
    """Refuse early, in one line, when the agency extra is not installed."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise NeedsAgencyExtra(what) from None


def parquet_writer(rows: list[Row]) -> Callable[[Path], None]:
    """A function writing `rows` as Parquet at a path (for files.write_file)."""
    def write(path: Path) -> None:
        import duckdb

        con = duckdb.connect()
        try:
            con.execute("CREATE TABLE team_report (format_version INTEGER, month VARCHAR, "
                        "team_id VARCHAR, team VARCHAR, coach_id VARCHAR, coach VARCHAR, "
                        "measure VARCHAR, value BIGINT, suppressed BOOLEAN)")
            con.executemany("INSERT INTO team_report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [list(r.cells()) for r in rows])
            quoted = str(path).replace("'", "''")
            con.execute(f"COPY team_report TO '{quoted}' (FORMAT parquet)")
        except duckdb.IOException as exc:
            raise OSError(str(exc)) from None
        finally:
            con.close()
    return write
