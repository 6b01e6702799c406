"""Program data of each person (issue 22): recovery-support fields, episodes (enrolments)
and funder interviews recorded done or missed. Writes go through store/records.py.

    recovery(vault, pid) / set_recovery(vault, pid, changes, lists)
    episodes_of(conn) -> {pid: Person}             episodes worked out for everyone
    enrol(vault, pid, on) / discharge(vault, pid, on)   re-enrolment: a new episode
    record_interview(vault, funder, pid, episode_start, interview, status, on, reason)
    person_windows(vault, funder, pid) / all_windows(conn, funder) -> [(pid, Window)]

A person with no episode record has one: from their intake date, ended when they were
closed (the op that closed them). Re-enrolment writes that first episode down and starts
a new one, with a new baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.billing import BillingRule, Contact, capped
from coachdesk.models.funder import Episode, Funder, Outcome, Rate, Window, rate, windows
from coachdesk.models.program import (
    FunderInterview,
    ProgramEpisode,
    RecoveryLists,
    RecoverySupport,
    checked_choices,
)
from coachdesk.models.validation import validated
from coachdesk.store import people as people_sql
from coachdesk.store import records
from coachdesk.store.db import Connection
from coachdesk.store.vault import Vault

SUPPORT = "recovery_support"
EPISODE = "program_episode"
INTERVIEW = "funder_interview"
_SUPPORT_FIELDS = tuple(RecoverySupport.model_fields)
COUNTS = ("no_shows", "naloxone_given", "ed_visits", "supports")


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# ---- recovery-support fields --------------------------------------------------------------


def recovery(conn: Connection, participant_id: str) -> RecoverySupport:
    """The person's fields ('' / 0 / [] where nothing is recorded)."""
    row = conn.execute(f"SELECT {', '.join(_SUPPORT_FIELDS)} FROM {SUPPORT} "
                       "WHERE id = ? AND deleted = 0", (participant_id,)).fetchone()
    if row is None:
        return RecoverySupport()
    return RecoverySupport.model_validate(dict(zip(_SUPPORT_FIELDS, row, strict=True)))


def set_recovery(vault: Vault, participant_id: str, changes: dict[str, Any],
                 lists: RecoveryLists, today: dt.date | None = None) -> list[str]:
    """Write the fields of `changes` that differ, each its own op. The whole record is
    checked first (a bad value: one line, nothing written). Setting the engagement status
    dates it today unless a date is given. Returns the changed field names."""
    _require_person(vault.conn, participant_id)
    unknown = sorted(set(changes) - set(_SUPPORT_FIELDS))
    if unknown:
        raise ValidationFailed(f"unknown field {unknown[0]!r}")
    current = recovery(vault.conn, participant_id)
    merged = current.model_dump(mode="json")
    merged.update(changes)
    if "engagement" in changes and changes["engagement"] != current.engagement \
            and "engagement_on" not in changes:
        merged["engagement_on"] = (today or dt.date.today()).isoformat()
    new = validated(RecoverySupport, merged)
    try:
        checked_choices(lists, new)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    if new.engagement_on and new.engagement_on > (today or dt.date.today()).isoformat():
        raise ValidationFailed(f"the engagement date {new.engagement_on} is in the future")
    wanted = new.model_dump(mode="json")
    wanted["pathways"] = sorted(set(new.pathways))
    return records.update(vault, SUPPORT, participant_id, wanted,
                          current=current.model_dump(mode="json"),
                          action="recovery support changed")


def _require_person(conn: Connection, participant_id: str) -> str:
    row = conn.execute("SELECT status FROM participant WHERE id = ? AND deleted = 0",
                       (participant_id,)).fetchone()
    if row is None:
        raise CoachdeskError("no such participant")
    return str(row[0])


# ---- episodes -----------------------------------------------------------------------------


@dataclass
class Person:
    """What the windows of one person are worked out from."""

    id: str
    kind: str
    intake: dt.date
    closed_on: dt.date | None
    episodes: list[Episode] = field(default_factory=list)
    episode_ids: dict[int, str] = field(default_factory=dict)
    """Episode number -> its record id (an episode worked out from intake has none)."""


def _day(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _closed_days(conn: Connection, participant_id: str | None) -> dict[str, dt.date]:
    """When each closed person was closed: the local date of the op that closed them."""
    where, args = ("AND p.id = ?", (participant_id,)) if participant_id else ("", ())
    rows = conn.execute(
        "SELECT o.row_id, max(o.hlc) FROM ops o JOIN participant p ON p.id = o.row_id "
        "WHERE o.tbl = 'participant' AND o.field = 'status' AND o.value = '\"closed\"' "
        f"AND p.status = 'closed' AND p.deleted = 0 {where} GROUP BY o.row_id", args)
    found: dict[str, dt.date] = {}
    for pid, hlc in rows:
        stamp = int(str(hlc)[:16]) / 1000
        found[str(pid)] = dt.datetime.fromtimestamp(stamp).date()
    return found


def episodes_of(conn: Connection, participant_id: str | None = None) -> dict[str, Person]:
    """Everyone (or one person) on the roster, with their episodes in order."""
    where, args = ("AND id = ?", (participant_id,)) if participant_id else ("", ())
    closed = _closed_days(conn, participant_id)
    people: dict[str, Person] = {}
    # The card: a record merged into another person is no person of its own (store/people.py)
    for pid, kind, intake, status in conn.execute(
            f"SELECT id, kind, intake_date, status FROM participant_card WHERE deleted = 0 {where}",
            args):
        start = _day(intake)
        if start is None:
            continue
        people[pid] = Person(pid, kind, start, closed.get(pid) if status == "closed" else None)
    explicit: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    same, ids = people_sql.matching(conn, "participant_id", participant_id) \
        if participant_id else ("1", ())
    merged = people_sql.moved(conn)
    for row_id, pid, started, ended in conn.execute(
            f"SELECT id, participant_id, started_on, ended_on FROM {EPISODE} "
            f"WHERE deleted = 0 AND {same} ORDER BY started_on, id", ids):
        pid = merged.get(pid, pid)
        start = _day(started)
        if start is not None and pid in people:
            explicit.setdefault(pid, []).append((start, _day(ended), row_id))
    for pid, person in people.items():
        found = explicit.get(pid) or [(person.intake, None, "")]
        for number, (start, end, row_id) in enumerate(found, start=1):
            last = number == len(found)
            if end is None and last and person.closed_on is not None and person.closed_on >= start:
                end = person.closed_on
            person.episodes.append(Episode(number, start, end))
            if row_id:
                person.episode_ids[number] = row_id
    return people


def _person(vault: Vault, participant_id: str) -> Person:
    found = episodes_of(vault.conn, participant_id).get(participant_id)
    if found is None:
        raise CoachdeskError("no such participant")
    return found


def _written(vault: Vault, person: Person) -> None:
    """Episodes worked out from the intake date, written down as records."""
    for episode in person.episodes:
        if episode.number not in person.episode_ids:
            ended = episode.end.isoformat() if episode.end else ""
            values = validated(ProgramEpisode, {"participant_id": person.id,
                                                "started_on": episode.start, "ended_on": ended})
            person.episode_ids[episode.number] = records.create(
                vault, EPISODE, values.model_dump(mode="json"), action=None)


def _not_future(day: dt.date, what: str, today: dt.date | None) -> None:
    if day > (today or dt.date.today()):
        raise ValidationFailed(f"{what} {day.isoformat()} is in the future")


def enrol(vault: Vault, participant_id: str, on: dt.date, today: dt.date | None = None) -> int:
    """Re-enrolment: a new episode from `on`, with a new baseline; the person is active
    again. The last episode must have ended before `on`. Returns the episode's number."""
    _not_future(on, "the enrolment date", today)
    person = _person(vault, participant_id)
    last = person.episodes[-1]
    if last.end is None:
        raise ValidationFailed(f"still enrolled since {last.start.isoformat()}: discharge "
                               "first (the episode ends), then enrol again")
    if on <= last.end:
        raise ValidationFailed(f"a new episode starts after the last one ended "
                               f"({last.end.isoformat()})")
    with vault.transaction():
        _written(vault, person)
        records.create(vault, EPISODE, validated(ProgramEpisode, {
            "participant_id": participant_id, "started_on": on}).model_dump(mode="json"),
            action="participant re-enrolled", detail=on.isoformat())
        status = vault.conn.execute("SELECT status FROM participant WHERE id = ?",
                                    (participant_id,)).fetchone()[0]
        if status == "closed":
            records.update(vault, "participant", participant_id, {"status": "active"},
                           action=None)
    return last.number + 1


def discharge(vault: Vault, participant_id: str, on: dt.date,
              today: dt.date | None = None) -> int:
    """The current episode ends on `on` (its discharge window follows). Returns its number."""
    _not_future(on, "the discharge date", today)
    person = _person(vault, participant_id)
    last = person.episodes[-1]
    if on < last.start:
        raise ValidationFailed(f"the discharge date is before the episode began "
                               f"({last.start.isoformat()})")
    with vault.transaction():
        _written(vault, person)
        records.update(vault, EPISODE, person.episode_ids[last.number],
                       {"ended_on": on.isoformat()}, action="participant discharged",
                       detail=on.isoformat())
    return last.number


# ---- interviews ---------------------------------------------------------------------------


def outcomes_of(conn: Connection, funder_id: str,
                participant_id: str | None = None) -> dict[str, dict[tuple[str, str], Outcome]]:
    """pid -> (episode start, interview) -> the latest outcome recorded."""
    same, ids = people_sql.matching(conn, "participant_id", participant_id) \
        if participant_id else ("1", ())
    merged = people_sql.moved(conn)
    found: dict[str, dict[tuple[str, str], Outcome]] = {}
    for pid, start, interview, status, on, reason in conn.execute(
            f"SELECT participant_id, episode_start, interview, status, on_date, reason "
            f"FROM {INTERVIEW} WHERE deleted = 0 AND funder = ? AND {same} "
            "ORDER BY recorded_at, id", (funder_id, *ids)):
        pid = merged.get(pid, pid)
        day = _day(on)
        if day is None or status not in ("done", "missed"):
            continue
        found.setdefault(pid, {})[(start, interview)] = Outcome(status, day, reason)
    return found


def record_interview(vault: Vault, funder: Funder, participant_id: str, episode_start: dt.date,
                     interview: str, status: str, on: dt.date, reason: str = "",
                     today: dt.date | None = None) -> str:
    """Record an interview of one of the person's windows as done or missed, with its date
    and (missed: required) a reason from the funder's list. Recording again replaces it."""
    spec = funder.spec(interview)
    if spec is None:
        raise ValidationFailed(f"{funder.id} has no interview {interview[:40]!r} "
                               f"({', '.join(s.id for s in funder.interview)})")
    if status not in ("done", "missed"):
        raise ValidationFailed(f"an interview is done or missed, not {status[:20]!r}")
    if status == "missed" and reason not in funder.missed_reasons:
        raise ValidationFailed("say why it was missed: "
                               + ", ".join(funder.missed_reasons))
    if status == "done" and reason:
        raise ValidationFailed("a reason is for a missed interview")
    _not_future(on, "the interview date", today)
    person = _person(vault, participant_id)
    episode = next((e for e in person.episodes if e.start == episode_start), None)
    if episode is None:
        raise ValidationFailed(f"no episode starting {episode_start.isoformat()} for this person")
    if spec.anchor == "end" and episode.end is None:
        raise ValidationFailed(f"the {spec.label.lower()} window opens when the episode ends")
    if on < episode.start:
        raise ValidationFailed(f"the interview date is before the episode began "
                               f"({episode.start.isoformat()})")
    values = validated(FunderInterview, {
        "participant_id": participant_id, "funder": funder.id, "episode_start": episode_start,
        "interview": interview, "status": status, "on_date": on, "reason": reason,
        "recorded_at": _now(), "author": vault.coach}).model_dump(mode="json")
    row = vault.conn.execute(
        f"SELECT id FROM {INTERVIEW} WHERE deleted = 0 AND participant_id = ? AND funder = ? "
        "AND episode_start = ? AND interview = ? ORDER BY recorded_at DESC, id DESC LIMIT 1",
        (participant_id, funder.id, episode_start.isoformat(), interview)).fetchone()
    detail = f"{funder.id} {interview} {status}"
    if row is None:
        return records.create(vault, INTERVIEW, values, action="funder interview recorded",
                              detail=detail)
    records.update(vault, INTERVIEW, row[0], values, action="funder interview recorded",
                   detail=detail)
    return str(row[0])


def person_windows(vault: Vault, funder: Funder, participant_id: str) -> list[Window]:
    person = _person(vault, participant_id)
    found = outcomes_of(vault.conn, funder.id, participant_id).get(participant_id, {})
    return windows(funder, person.episodes, found)


def all_windows(conn: Connection, funder: Funder) -> list[tuple[Person, Window]]:
    """Every window of everyone on the roster (closed people too), person by person."""
    outcomes = outcomes_of(conn, funder.id)
    return [(person, window) for person in episodes_of(conn).values()
            for window in windows(funder, person.episodes, outcomes.get(person.id, {}))]


def contacts(conn: Connection, month: str) -> list[Contact]:
    """Finalized contacts of the month (a draft bills nothing), of people on the roster;
    a merged record's contacts count as its person's (one daily cap)."""
    merged = people_sql.moved(conn)
    return [Contact(nid, merged.get(pid, pid), str(at)[:10], str(at), max(0, int(minutes or 0)),
                    kind or "", author or origin, origin)
            for nid, pid, at, minutes, kind, author, origin in conn.execute(
                "SELECT n.id, n.participant_id, n.occurred_at, n.duration_min, n.contact_type, "
                "n.author, n.origin FROM note n JOIN participant p ON p.id = n.participant_id "
                "AND p.deleted = 0 WHERE n.deleted = 0 AND n.status = 'final' "
                "AND substr(n.occurred_at, 1, 7) = ?", (month,))]


@dataclass(frozen=True)
class CoachProgram:
    """A coach's program figures this month (the supervisor's dashboard)."""

    units: int = 0
    over_cap: int = 0
    """Contacts over a person's daily cap (flagged, not cut)."""
    rate: Rate | None = None
    """Follow-ups of the coach's people due this month, reached, missed."""


def coach_figures(conn: Connection, today: dt.date, people: dict[str, list[str]],
                  billing: BillingRule, grant: Funder) -> dict[str, CoachProgram]:
    """Per coach (device): units of the notes they wrote this month, and the follow-up
    rate of their people (`people`: device -> active person ids) this month."""
    month = today.strftime("%Y-%m")
    units: dict[str, int] = {}
    over: dict[str, int] = {}
    for b in capped(billing, contacts(conn, month)):
        units[b.contact.device] = units.get(b.contact.device, 0) + b.units
        over[b.contact.device] = over.get(b.contact.device, 0) + b.over_cap
    by_person: dict[str, list[Window]] = {}
    for person, window in all_windows(conn, grant):
        by_person.setdefault(person.id, []).append(window)
    found: dict[str, CoachProgram] = {}
    for device in set(units) | set(people):
        mine = [w for pid in people.get(device, []) for w in by_person.get(pid, [])]
        found[device] = CoachProgram(units.get(device, 0), over.get(device, 0),
                                     rate(mine, month, today, grant.target_rate))
    return found


def supports_of(conn: Connection) -> dict[str, RecoverySupport]:
    """Everyone's recovery-support fields, by person id (only those with a record)."""
    return {row[0]: RecoverySupport.model_validate(
                dict(zip(_SUPPORT_FIELDS, row[1:], strict=True)))
            for row in conn.execute(f"SELECT id, {', '.join(_SUPPORT_FIELDS)} FROM {SUPPORT} "
                                    "WHERE deleted = 0")}

