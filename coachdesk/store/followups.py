"""Follow-ups: check-in schedules (synced per field) and outreach attempts (append-only).

Logging an attempt keeps the 'hard to reach' flag true to the record: three attempts
in a row that reached nobody raise it; speaking with the person clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coachdesk.errors import CoachdeskError
from coachdesk.ids import uuid7
from coachdesk.models import Status
from coachdesk.models.followup import (
    CLOSING,
    UNREACHED,
    UNREACHED_IN_A_ROW,
    CheckinAttempt,
    CheckinSchedule,
    Outcome,
    due_dates,
    waiting,
)
from coachdesk.models.validation import validated
from coachdesk.store import audit, notes, participants
from coachdesk.store.vault import Vault

SCHEDULE = "checkin_schedule"
ATTEMPT = "checkin_attempt"
FLAG = "unreached"
CHECKIN_TEMPLATE = "checkin"

_SCHEDULE_FIELDS = tuple(CheckinSchedule.model_fields)
_ATTEMPT_FIELDS = tuple(CheckinAttempt.model_fields)


@dataclass(frozen=True)
class Schedule:
    id: str
    rule: CheckinSchedule
    dates: list[dt.date]


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
        rule = CheckinSchedule.model_validate(data)
    except ValueError:  # a peer's odd value must not hide the schedule: it just has no dates
        return Schedule(row_id, CheckinSchedule.model_construct(**data), [])
    return Schedule(row_id, rule, due_dates(rule) if dates else [])


_SELECT = f"SELECT id, {', '.join(_SCHEDULE_FIELDS)} FROM {SCHEDULE} WHERE deleted = 0"


def add_schedule(vault: Vault, participant_id: str, data: dict[str, Any]) -> str:
    participants.get(vault, participant_id, audited=False)  # it must exist
    rule = validated(CheckinSchedule, {**data, "participant_id": participant_id})
    row_id = uuid7()
    with vault.transaction() as conn:
        vault.ops.write(SCHEDULE, row_id, _stored(rule))
        audit.record(conn, vault.device, vault.coach, "check-in schedule added", SCHEDULE, row_id)
    return row_id


def get_schedule(vault: Vault, schedule_id: str) -> Schedule:
    row = vault.conn.execute(_SELECT + " AND id = ?", (schedule_id,)).fetchone()
    if row is None:
        raise CoachdeskError("no such check-in schedule")
    return _schedule(row)


def update_schedule(vault: Vault, schedule_id: str, changes: dict[str, Any]) -> list[str]:
    """Validate the schedule with the changes applied; write the changed fields only.
    Past attempts are separate records and stay as they were."""
    current = get_schedule(vault, schedule_id)
    old = _stored(current.rule)
    new = _stored(validated(CheckinSchedule, {**old, **changes,
                                              "participant_id": current.rule.participant_id}))
    changed = {k: v for k, v in new.items() if old[k] != v}
    if changed:
        with vault.transaction() as conn:
            vault.ops.write(SCHEDULE, schedule_id, changed)
            audit.record(conn, vault.device, vault.coach, "check-in schedule changed", SCHEDULE,
                         schedule_id, ",".join(sorted(changed)))
    return sorted(changed)


def schedules(vault: Vault, participant_id: str) -> list[Schedule]:
    return [_schedule(r) for r in vault.conn.execute(
        _SELECT + " AND participant_id = ? ORDER BY active DESC, starts_on, id",
        (participant_id,))]


def _now() -> str:
    """Local time to the microsecond: attempts sort by it, on every device alike."""
    return dt.datetime.now().astimezone().isoformat(timespec="microseconds")


# ---- attempts -----------------------------------------------------------------------

def _attempt(values: tuple[Any, ...]) -> Attempt:
    data = dict(zip(("id", *_ATTEMPT_FIELDS), values, strict=True))
    row_id = data.pop("id")
    data["due_on"] = dt.date.fromisoformat(data["due_on"]) if data["due_on"] else None
    return Attempt(row_id, CheckinAttempt.model_construct(**data))


def attempts(vault: Vault, participant_id: str) -> list[Attempt]:
    """The person's outreach attempts, newest first."""
    return [_attempt(r) for r in vault.conn.execute(
        f"SELECT id, {', '.join(_ATTEMPT_FIELDS)} FROM {ATTEMPT} WHERE deleted = 0 AND "
        "participant_id = ? ORDER BY at DESC, id DESC", (participant_id,))]


def log_attempt(vault: Vault, participant_id: str, outcome: str, *, schedule_id: str = "",
                due_on: dt.date | str | None = None, note: str = "",
                start_note: bool = True, at: str | None = None) -> Logged:
    """Record one attempt (append-only). When the person was reached and is active,
    start a check-in note linked to the attempt, in the same transaction. Three
    unreached attempts in a row raise the 'hard to reach' flag; a reach clears it.
    `at` is for the demo and benchmarks: a coach's attempt is logged as it happens."""
    person = participants.get(vault, participant_id, audited=False)
    if schedule_id:
        get_schedule(vault, schedule_id)
    record = validated(CheckinAttempt, {
        "participant_id": participant_id, "schedule_id": schedule_id, "due_on": due_on,
        "at": at or _now(), "outcome": outcome, "note": note, "author": vault.coach})
    row_id = uuid7()
    with vault.transaction() as conn:
        note_id = ""
        if (record.outcome == Outcome.REACHED and start_note
                and person.status == Status.ACTIVE):
            from coachdesk.models import templates

            note_id = notes.start(vault, participant_id, templates.text_of(CHECKIN_TEMPLATE),
                                  template=CHECKIN_TEMPLATE, setting="phone",
                                  contact_type="check-in")
            record = record.model_copy(update={"note_id": note_id})
        vault.ops.append(ATTEMPT, row_id, record.model_dump(mode="json"))
        audit.record(conn, vault.device, vault.coach, "outreach attempt logged", ATTEMPT, row_id,
                     record.outcome.value)
        flag = _update_flag(vault, participant_id, person.safety_flags)
    return Logged(row_id, note_id, flag)


def _update_flag(vault: Vault, participant_id: str, flags: list[str]) -> str:
    recent = [Outcome(o) for (o,) in vault.conn.execute(
        f"SELECT outcome FROM {ATTEMPT} WHERE deleted = 0 AND participant_id = ? "
        "ORDER BY at DESC, id DESC LIMIT ?", (participant_id, UNREACHED_IN_A_ROW))]
    try:
        if FLAG not in flags and len(recent) == UNREACHED_IN_A_ROW and all(
                o in UNREACHED for o in recent):
            participants.update(vault, participant_id, {"safety_flags": [*flags, FLAG]})
            return "raised"
        if FLAG in flags and recent and recent[0] in CLOSING:
            participants.update(vault, participant_id,
                                {"safety_flags": [f for f in flags if f != FLAG]})
            return "cleared"
    except CoachdeskError:  # a profile a peer left invalid: keep the attempt, skip the flag
        pass
    return ""


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
        sql, args = sql + " AND participant_id = ?", (*args, participant_id)
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
        sql, args = sql + " AND s.participant_id = ?", (*args, participant_id)
    found = [_schedule(r, dates=False) for r in vault.conn.execute(sql, args)]
    settled = _settled(vault, [s.id for s in found], participant_id)
    waiting_now = []
    for s in found:
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
    """Due dates so far (of every schedule, stopped ones too), how many were tried and
    how many reached the person; plus what is waiting now."""
    today = today or dt.date.today()
    result = Summary()
    tried: dict[tuple[str, dt.date], set[Outcome]] = {}
    for a in attempts(vault, participant_id):
        result.attempts += 1
        if a.record.schedule_id and a.record.due_on is not None:
            tried.setdefault((a.record.schedule_id, a.record.due_on), set()).add(
                Outcome(a.record.outcome))
    for s in schedules(vault, participant_id):
        past = {d for d in s.dates if d <= today}
        past |= {d for sid, d in tried if sid == s.id}  # dates of an earlier version
        result.due += len(past)
        result.made += sum((s.id, d) in tried for d in past)
        result.reached += sum(Outcome.REACHED in tried.get((s.id, d), set()) for d in past)
    result.waiting = due(vault, today, participant_id)
    return result
