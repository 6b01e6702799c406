"""Follow-ups: check-in schedules (recurring or one-off) and outreach attempts.

A schedule is a rule; its due dates are computed (`due_dates`), never stored. An attempt
records one try to reach the person, for one due date of one schedule (or for none: an
extra call). Attempts are append-only, so editing a schedule never rewrites history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

MAX_DATES = 520
"""No schedule has more due dates than this (ten years of weekly calls)."""
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2199, 12, 31)
"""Schedule dates fall in these years (a typo like 9999 would overflow the date math)."""
MAX_EVERY = {"days": 366, "weeks": 52, "months": 24}


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    ONCE = "once"
    """A one-off follow-up on `starts_on` (e.g. six months after intake)."""


class Outcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no answer"
    LEFT_MESSAGE = "left message"
    WRONG_NUMBER = "wrong number"
    DECLINED = "declined"


UNREACHED = frozenset({Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE, Outcome.WRONG_NUMBER})
"""Outcomes where nobody was spoken to. Three in a row make a person 'hard to reach'."""

CLOSING = frozenset({Outcome.REACHED, Outcome.DECLINED})
"""Outcomes that settle a due check-in: the person was spoken to."""

UNREACHED_IN_A_ROW = 3
HARD_TO_REACH = "hard to reach"
"""The flag worked out from the calls (never stored: every synced device agrees on it)."""


def _blank_is_none(value: object) -> object:
    return None if value in ("", None) else value


class CheckinSchedule(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1)
    label: str = Field("check-in", min_length=1, max_length=60)
    starts_on: dt.date
    every: int = 1
    unit: Unit = Unit.WEEKS
    times: int | None = Field(None, ge=1, le=MAX_DATES)
    until: dt.date | None = None
    active: bool = True
    stopped_on: dt.date | None = None
    """The day `s` stopped it: nothing falls due from then on (cleared on a restart)."""

    _none = field_validator("times", "until", "stopped_on", mode="before")(_blank_is_none)

    @classmethod
    def from_stored(cls, data: dict[str, object]) -> CheckinSchedule:
        """A schedule as the vault holds it: the date math must be safe, but limits added
        after it was saved (the interval caps, at most 520 dates) are not applied again:
        a schedule an earlier version accepted keeps its dates (cut at 520)."""
        return cls.model_validate(data, context={"stored": True})

    @model_validator(mode="after")
    def _a_schedule_that_ends(self, info: ValidationInfo) -> CheckinSchedule:
        for day in (self.starts_on, self.until, self.stopped_on):
            if day is not None and not EARLIEST <= day <= LATEST:
                raise ValueError(f"dates must fall between {EARLIEST.year} and {LATEST.year}")
        if self.unit == Unit.ONCE:
            return self
        if self.every < 1:
            raise ValueError("the interval must be 1 or more")
        if self.times is None and self.until is None:
            raise ValueError("say how many times or until when")
        if self.until is not None and self.until < self.starts_on:
            raise ValueError("the end is before the start")
        stored = bool(info.context and info.context.get("stored"))
        most = 366 if stored else MAX_EVERY[self.unit.value]
        if self.every > most:
            raise ValueError(f"the interval is at most {most} {self.unit.value}")
        if self.times is not None and self.until is None and _beyond_latest(self, self.times - 1):
            raise ValueError(f"the last check-in would fall after {LATEST.year}")
        if (not stored and self.times is None and self.until is not None
                and _index_on_or_before(self, self.until) >= MAX_DATES):
            raise ValueError(f"a schedule has at most {MAX_DATES} check-ins: "
                             "give a number of times or an earlier end")
        return self


class CheckinAttempt(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1)
    schedule_id: str = ""
    due_on: dt.date | None = None
    at: str = Field(min_length=16, max_length=40)
    outcome: Outcome
    note: str = Field("", max_length=200)
    note_id: str = ""
    author: str = ""

    _none = field_validator("due_on", mode="before")(_blank_is_none)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (Jan 31 + 1 month: Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# ---- the date math: the n-th due date of a schedule, worked out, never listed ---------

def _step_days(schedule: CheckinSchedule) -> int:
    return schedule.every * (7 if schedule.unit == Unit.WEEKS else 1)


def _limit(schedule: CheckinSchedule) -> int:
    """How many due dates the schedule may have."""
    return 1 if schedule.unit == Unit.ONCE else min(schedule.times or MAX_DATES, MAX_DATES)


def _beyond_latest(schedule: CheckinSchedule, n: int) -> bool:
    """Whether the n-th date would fall after LATEST (checked without making the date)."""
    start = schedule.starts_on
    if schedule.unit == Unit.MONTHS:
        return start.year + (start.month - 1 + n * schedule.every) // 12 > LATEST.year
    return start.toordinal() + n * _step_days(schedule) > LATEST.toordinal()


def _nth(schedule: CheckinSchedule, n: int) -> dt.date:
    """The n-th due date (from 0), ignoring how the schedule ends."""
    if schedule.unit == Unit.ONCE:
        return schedule.starts_on
    if schedule.unit == Unit.MONTHS:
        return add_months(schedule.starts_on, n * schedule.every)
    return schedule.starts_on + dt.timedelta(days=n * _step_days(schedule))


def _index_on_or_before(schedule: CheckinSchedule, day: dt.date) -> int:
    """The index of the last date of the endless series on or before `day`; -1 if none."""
    start = schedule.starts_on
    if day < start:
        return -1
    if schedule.unit == Unit.ONCE:
        return 0
    if schedule.unit == Unit.MONTHS:
        n = ((day.year - start.year) * 12 + day.month - start.month) // schedule.every
        while n >= 0 and _nth(schedule, n) > day:
            n -= 1
        return n
    return (day - start).days // _step_days(schedule)


def last_day(schedule: CheckinSchedule) -> dt.date | None:
    """The last day a check-in may fall on: its end date, or the day before it was
    stopped, whichever is earlier (None: it ends by its number of times alone)."""
    ends = [schedule.until] if schedule.until else []
    if not schedule.active and schedule.stopped_on is not None:
        ends.append(schedule.stopped_on - dt.timedelta(days=1))
    return min(ends) if ends else None


def latest_due(schedule: CheckinSchedule, day: dt.date) -> dt.date | None:
    """The last due date on or before `day` (worked out, not listed: it runs per
    schedule each time the roster shows)."""
    end = last_day(schedule)
    n = min(_index_on_or_before(schedule, min(day, end) if end else day), _limit(schedule) - 1)
    return _nth(schedule, n) if n >= 0 else None


def next_due(schedule: CheckinSchedule, day: dt.date) -> dt.date | None:
    """The first due date after `day`, if the schedule has one."""
    n = _index_on_or_before(schedule, day) + 1
    if n >= _limit(schedule):
        return None
    found, end = _nth(schedule, n), last_day(schedule)
    return None if end is not None and found > end else found


def due_dates(schedule: CheckinSchedule, through: dt.date | None = None) -> list[dt.date]:
    """The schedule's due dates in order (at most MAX_DATES); only those on or before
    `through` when it is given (what is due today needs no more)."""
    last = latest_due(schedule, through or LATEST)
    if last is None:
        return []
    return [_nth(schedule, n) for n in range(_index_on_or_before(schedule, last) + 1)]


def resumed(schedule: CheckinSchedule, today: dt.date) -> CheckinSchedule | None:
    """What is left of a stopped schedule, as a schedule of its own from `today`: the
    same rhythm and end, starting on the next date of its old rhythm, with the times
    left. None when it would have ended by now."""
    running = schedule.model_copy(update={"active": True, "stopped_on": None})
    first = next_due(running, today - dt.timedelta(days=1))
    if first is None:
        return None
    done = _index_on_or_before(running, first)
    return running.model_copy(update={
        "starts_on": first, "times": schedule.times - done if schedule.times else None})


def describe(schedule: CheckinSchedule) -> str:
    """'every week, 12 times from 2026-11-24' in a coach's words."""
    if schedule.unit == Unit.ONCE:
        return f"once, on {schedule.starts_on.isoformat()}"
    unit = schedule.unit.value.rstrip("s") if schedule.every == 1 else schedule.unit.value
    every = f"every {unit}" if schedule.every == 1 else f"every {schedule.every} {unit}"
    end = []
    if schedule.times is not None:
        end.append(f"{schedule.times} time{'s' * (schedule.times != 1)}")
    if schedule.until is not None:
        end.append(f"until {schedule.until.isoformat()}")
    return f"{every}, {' or '.join(end)} from {schedule.starts_on.isoformat()}"


def _half_interval(schedule: CheckinSchedule) -> int:
    if schedule.unit == Unit.ONCE:
        return 14
    if schedule.unit == Unit.MONTHS:
        return 14 * schedule.every
    return _step_days(schedule) // 2


def counted_for(schedule: CheckinSchedule, day: dt.date) -> dt.date:
    """The due date a call logged for `day` counts for: `day` itself when it is one.
    After an edit moved the dates, the nearest new date at most half an interval away;
    failing that, `day` stays a check-in of its own (one of the earlier version)."""
    half = _half_interval(schedule)
    near = [d for d in (latest_due(schedule, day), next_due(schedule, day))
            if d is not None and abs((d - day).days) <= half]
    return min(near, key=lambda d: (abs((d - day).days), d)) if near else day


def checkins(schedule: CheckinSchedule, calls: Iterable[tuple[dt.date, str]],
             through: dt.date) -> dict[dt.date, set[str]]:
    """Every check-in of the schedule up to `through`, with the outcomes of the calls
    made for it (none: not made). The page and the monthly report both count these."""
    found: dict[dt.date, set[str]] = {d: set() for d in due_dates(schedule, through)}
    for day, outcome in calls:
        key = counted_for(schedule, day)
        if key <= through:
            found.setdefault(key, set()).add(outcome)
    return found


def waiting(schedule: CheckinSchedule, settled: Iterable[dt.date],
            today: dt.date) -> dt.date | None:
    """The due date waiting for a call today, if any.

    It is the latest due date on or before today, unless someone spoke with the person
    for it. A recurring check-in waits until the next one falls due; a one-off waits
    until it is settled. A stopped schedule waits for nothing.
    """
    if not schedule.active:
        return None
    latest = latest_due(schedule, today)
    if latest is None:
        return None
    half = _half_interval(schedule)  # a call further away never counts for it (counted_for)
    if any(day == latest or (abs((day - latest).days) <= half
                             and counted_for(schedule, day) == latest) for day in settled):
        return None
    if (schedule.unit != Unit.ONCE
            and _nth(schedule, _index_on_or_before(schedule, latest) + 1) <= today):
        return None
    return latest


def at_now() -> str:
    """The time of a call as stored: UTC to the microsecond, so calls logged on devices
    in other time zones, or across a clock change, sort in the order they happened."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def stored_at(text: str) -> str:
    """A given time (ISO 8601; local when it names no offset) as stored: UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {text!r}") from None
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def local_at(text: str) -> str:
    """A stored time as the coach reads it: local 'YYYY-MM-DD HH:MM'."""
    try:
        return dt.datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text[:16].replace("T", " ")
