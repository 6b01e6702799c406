"""Follow-ups: check-in schedules (synced per field) and outreach attempts (append-only).

'Hard to reach' is worked out from the attempts, never stored: three attempts in a row
that reached nobody raise it, speaking with the person clears it, and every device that
holds the same attempts (after a sync) shows the same flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import CoachdeskError
from coachdesk.ids import uuid7
from coachdesk.models import Status, templates
from coachdesk.models.followup import (
    CLOSING,
    UNREACHED,
    UNREACHED_IN_A_ROW,
    CheckinAttempt,
    CheckinSchedule,
    Outcome,
    Unit,
    at_now,
    checkins,
    due_dates,
    resumed,
    stored_at,
    waiting,
)
from coachdesk.models.validation import first_problem, validated
from coachdesk.store import notes, participants, people, records
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

SCHEDULE = "checkin_schedule"
ATTEMPT = "checkin_attempt"
CHECKIN_TEMPLATE = "checkin"

_SCHEDULE_FIELDS = tuple(CheckinSchedule.model_fields)
_ATTEMPT_FIELDS = tuple(CheckinAttempt.model_fields)


@dataclass(frozen=True)
class Schedule:
    id: str
    rule: CheckinSchedule
    dates: list[dt.date]
    problem: str = ""
    """Why the stored values do not make a schedule (two devices each changed a field,
    and together they do not fit): it has no dates until the coach fixes it (e)."""


@dataclass(frozen=True)
class Attempt:
    id: str
    record: CheckinAttempt


@dataclass(frozen=True)
class Logged:
    attempt_id: str
    note_id: str = ""
    flag: str = ""
    """'raised' or 'cleared' when this attempt changed the 'hard to reach' flag."""


@dataclass(frozen=True)
class Due:
    participant_id: str
    schedule_id: str
    label: str
    due_on: dt.date


@dataclass
class Summary:
    """A person's follow-up record so far: check-ins due, made (tried), reached."""

    due: int = 0
    made: int = 0
    reached: int = 0
    attempts: int = 0
    waiting: list[Due] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list, compare=False)
    calls: list[Attempt] = field(default_factory=list, compare=False)
    """The schedules and attempts (newest first) it was counted from, for the screens."""

    @property
    def share_text(self) -> str:
        if not self.due:
            return "no check-ins due yet"
        return f"{self.reached} of {self.due} reached ({round(100 * self.reached / self.due)}%)"


# ---- schedules ----------------------------------------------------------------------

def _stored(rule: CheckinSchedule) -> dict[str, Any]:
    return rule.model_dump(mode="json")


def _schedule(values: tuple[Any, ...], dates: bool = True) -> Schedule:
    """A schedule and (unless not wanted) its due dates."""
    data = dict(zip(("id", *_SCHEDULE_FIELDS), values, strict=True))
    row_id = data.pop("id")
    data["active"] = bool(data["active"])
    try:
        rule = CheckinSchedule.from_stored(data)
    except ValidationError as exc:  # must not hide the schedule, nor break every screen
        return Schedule(row_id, CheckinSchedule.model_construct(**data), [], first_problem(exc))
    return Schedule(row_id, rule, due_dates(rule) if dates else [])


_SELECT = f"SELECT id, {', '.join(_SCHEDULE_FIELDS)} FROM {SCHEDULE} WHERE deleted = 0"


def add_schedule(vault: Vault, participant_id: str, data: dict[str, Any]) -> str:
    participants.get(vault, participant_id, audited=False)  # it must exist
    rule = validated(CheckinSchedule, {**data, "participant_id": participant_id})
    return records.create(vault, SCHEDULE, _stored(rule), action="check-in schedule added")


def get_schedule(vault: Vault, schedule_id: str) -> Schedule:
    row = one_row(vault.conn, _SELECT + " AND id = ?", (schedule_id,), "no such check-in schedule")
    return _schedule(row)


def update_schedule(vault: Vault, schedule_id: str, changes: dict[str, Any]) -> list[str]:
    """Validate the schedule with the changes applied; write the changed fields only.
    Past attempts are separate records and stay as they were."""
    current = get_schedule(vault, schedule_id)
    # A schedule in need of fixing holds raw values, not a schedule: every field is written.
    old = ({f: getattr(current.rule, f, None) for f in _SCHEDULE_FIELDS} if current.problem
           else _stored(current.rule))
    new = _stored(validated(CheckinSchedule, {**old, **changes,
                                              "participant_id": current.rule.participant_id}))
    return records.update(vault, SCHEDULE, schedule_id, new,
                          current=None if current.problem else old,
                          action="check-in schedule changed")


def schedules(vault: Vault, participant_id: str) -> list[Schedule]:
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    return [_schedule(r) for r in vault.conn.execute(
        _SELECT + f" AND {same} ORDER BY active DESC, starts_on, id", ids)]


def stop(vault: Vault, schedule_id: str, today: dt.date | None = None) -> None:
    """Stop a schedule: nothing falls due from `today` on; its past stays as it was."""
    update_schedule(vault, schedule_id, {"active": False,
                                         "stopped_on": today or dt.date.today()})


def restart(vault: Vault, schedule_id: str, today: dt.date | None = None) -> str:
    """Start a stopped schedule again; returns the id of the running schedule.

    A recurring one goes on as a new schedule from the next date of its rhythm with
    the times left, so the weeks it was stopped are not counted as missed calls; the
    stopped one keeps its history. A one-off (or one stopped before stops had a day)
    simply runs again."""
    today = today or dt.date.today()
    current = get_schedule(vault, schedule_id)
    if current.problem:
        raise CoachdeskError(f"fix it first (e): {current.problem}")
    rule = current.rule
    if rule.active:
        return schedule_id
    if rule.unit == Unit.ONCE or rule.stopped_on is None:
        update_schedule(vault, schedule_id, {"active": True, "stopped_on": None})
        return schedule_id
    rest = resumed(rule, today)
    if rest is None:
        raise CoachdeskError("it would have ended by now: n adds a new schedule")
    return add_schedule(vault, rule.participant_id, _stored(rest))


def stop_all(vault: Vault, participant_id: str, today: dt.date | None = None) -> int:
    """Stop every running schedule of a person (when their record is closed). Written
    without checking the rest of each schedule, so a schedule in need of fixing stops too."""
    day = (today or dt.date.today()).isoformat()
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    running = [sid for (sid,) in vault.conn.execute(
        f"SELECT id FROM {SCHEDULE} WHERE deleted = 0 AND active = 1 AND {same}", ids)]
    with vault.transaction():
        for sid in running:
            records.update(vault, SCHEDULE, sid, {"active": False, "stopped_on": day},
                           action="check-in schedule changed")
    return len(running)


# ---- attempts -----------------------------------------------------------------------

def _attempt(values: tuple[Any, ...]) -> Attempt:
    data = dict(zip(("id", *_ATTEMPT_FIELDS), values, strict=True))
    row_id = data.pop("id")
    data["due_on"] = dt.date.fromisoformat(data["due_on"]) if data["due_on"] else None
    return Attempt(row_id, CheckinAttempt.model_construct(**data))


def attempts(vault: Vault, participant_id: str) -> list[Attempt]:
    """The person's outreach attempts, newest first."""
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    return [_attempt(r) for r in vault.conn.execute(
        f"SELECT id, {', '.join(_ATTEMPT_FIELDS)} FROM {ATTEMPT} WHERE deleted = 0 AND "
        f"{same} ORDER BY julianday(at) DESC, id DESC", ids)]


def log_attempt(vault: Vault, participant_id: str, outcome: str, *, schedule_id: str = "",
                due_on: dt.date | str | None = None, note: str = "",
                start_note: bool = True, at: str | None = None) -> Logged:
    """Record one attempt (append-only). When the person was reached and is active,
    start a check-in note linked to the attempt, in the same transaction. `flag` in the
    result says whether this attempt raised or cleared 'hard to reach'.
    `at` is for the demo and benchmarks: a coach's attempt is logged as it happens."""
    person = participants.get(vault, participant_id, audited=False)
    if schedule_id:
        get_schedule(vault, schedule_id)
    try:
        when = stored_at(at) if at else at_now()
    except ValueError as exc:
        raise CoachdeskError(str(exc)) from None
    record = validated(CheckinAttempt, {
        "participant_id": participant_id, "schedule_id": schedule_id, "due_on": due_on,
        "at": when, "outcome": outcome, "note": note, "author": vault.coach})
    row_id = uuid7()
    was_hard = is_hard_to_reach(vault, participant_id)
    with vault.transaction():
        note_id = ""
        if (record.outcome == Outcome.REACHED and start_note
                and person.status == Status.ACTIVE):
            note_id = notes.start(vault, participant_id, templates.text_of(CHECKIN_TEMPLATE),
                                  template=CHECKIN_TEMPLATE, setting="phone",
                                  contact_type="check-in")
            record = record.model_copy(update={"note_id": note_id})
        records.append(vault, ATTEMPT, record.model_dump(mode="json"), row_id=row_id,
                       action="outreach attempt logged", detail=record.outcome.value)
    hard = is_hard_to_reach(vault, participant_id)
    return Logged(row_id, note_id, "raised" if hard and not was_hard else
                  "cleared" if was_hard and not hard else "")


_UNREACHED_SQL = ", ".join(f"'{o.value}'" for o in sorted(UNREACHED))
_LAST_ATTEMPTS = (f"SELECT outcome FROM {ATTEMPT} a WHERE a.deleted = 0 AND "
                  "a.participant_id = {person} ORDER BY julianday(a.at) DESC, a.id DESC "
                  f"LIMIT {UNREACHED_IN_A_ROW}")
_HARD = (f"(SELECT count(*) FROM ({_LAST_ATTEMPTS}) WHERE outcome IN ({_UNREACHED_SQL})) "
         f"= {UNREACHED_IN_A_ROW}")
"""SQL: the person's last three attempts all reached nobody (found through the
participant index, a few rows a person; sorted by the real moment, as calls stamped by
earlier versions carry a local offset)."""


def is_hard_to_reach(vault: Vault, participant_id: str) -> bool:
    return bool(vault.conn.execute(
        "SELECT " + _HARD.format(person="?"), (participant_id,)).fetchone()[0])


def hard_to_reach(vault: Vault) -> set[str]:
    """Everyone whose last three attempts reached nobody."""
    return {pid for (pid,) in vault.conn.execute(
        f"SELECT p.pid FROM (SELECT DISTINCT participant_id AS pid FROM {ATTEMPT} "
        f"WHERE deleted = 0 AND outcome IN ({_UNREACHED_SQL})) p "
        "WHERE " + _HARD.format(person="p.pid"))}


# ---- what is due --------------------------------------------------------------------

def _settled(vault: Vault, schedule_ids: list[str],
             participant_id: str = "") -> dict[str, set[dt.date]]:
    """schedule id -> the due dates someone spoke with the person for (one person's
    attempts only, through its index, when `participant_id` is given)."""
    found: dict[str, set[dt.date]] = {}
    closing = tuple(o.value for o in CLOSING)
    sql = (f"SELECT schedule_id, due_on FROM {ATTEMPT} WHERE deleted = 0 AND due_on != '' "
           f"AND outcome IN ({', '.join('?' * len(closing))})")
    args: tuple[str, ...] = closing
    if participant_id:
        same, ids = people.matching(vault.conn, "participant_id", participant_id)
        sql, args = sql + f" AND {same}", (*args, *ids)
    for sid, due_on in vault.conn.execute(sql, args):
        found.setdefault(sid, set()).add(dt.date.fromisoformat(due_on))
    return {sid: found.get(sid, set()) for sid in schedule_ids}


def due(vault: Vault, today: dt.date | None = None, participant_id: str = "") -> list[Due]:
    """Check-ins waiting for a call today (active people, active schedules), oldest first."""
    today = today or dt.date.today()
    sql = (f"SELECT s.id, {', '.join('s.' + f for f in _SCHEDULE_FIELDS)} FROM {SCHEDULE} s "
           "JOIN participant p ON p.id = s.participant_id AND p.deleted = 0 AND "
           "p.status = 'active' WHERE s.deleted = 0 AND s.active = 1 AND s.starts_on <= ?")
    args: tuple[str, ...] = (today.isoformat(),)
    if participant_id:
        same, ids = people.matching(vault.conn, "s.participant_id", participant_id)
        sql, args = sql + f" AND {same}", (*args, *ids)
    found = [_schedule(r, dates=False) for r in vault.conn.execute(sql, args)]
    settled = _settled(vault, [s.id for s in found], participant_id)
    waiting_now = []
    for s in found:
        if s.problem:
            continue
        day = waiting(s.rule, settled[s.id], today)
        if day is not None:
            waiting_now.append(Due(s.rule.participant_id, s.id, s.rule.label, day))
    return sorted(waiting_now, key=lambda d: (d.due_on, d.label))


def due_counts(vault: Vault, today: dt.date | None = None) -> dict[str, int]:
    """participant id -> number of check-ins waiting for a call."""
    counts: dict[str, int] = {}
    for d in due(vault, today):
        counts[d.participant_id] = counts.get(d.participant_id, 0) + 1
    return counts


def summary(vault: Vault, participant_id: str, today: dt.date | None = None) -> Summary:
    """Check-ins so far (of every schedule, up to where a stopped one stopped), how many
    were tried and how many reached the person; plus what is waiting now."""
    today = today or dt.date.today()
    result = Summary(schedules=schedules(vault, participant_id),
                     calls=attempts(vault, participant_id))
    result.attempts = len(result.calls)
    calls: dict[str, list[tuple[dt.date, str]]] = {}
    for a in result.calls:
        if a.record.schedule_id and a.record.due_on is not None:
            calls.setdefault(a.record.schedule_id, []).append(
                (a.record.due_on, a.record.outcome))
    for s in result.schedules:
        if s.problem:
            continue
        for outcomes in checkins(s.rule, calls.get(s.id, []), today).values():
            result.due += 1
            result.made += bool(outcomes)
            result.reached += Outcome.REACHED in outcomes
    result.waiting = due(vault, today, participant_id)
    return result
