"""Follow-ups: check-in schedules (recurring or one-off) and outreach attempts.

A schedule is a rule; its due dates are computed (`due_dates`), never stored. An attempt
records one try to reach the person, for one due date of one schedule (or for none: an
extra call). Attempts are append-only, so editing a schedule never rewrites history.
"""

from __future__ import annotations

import bisect
import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_DATES = 520
"""No schedule expands to more dates than this (ten years of weekly calls)."""


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
"""Outcomes where nobody was spoken to. Three in a row raise the 'hard to reach' flag."""

CLOSING = frozenset({Outcome.REACHED, Outcome.DECLINED})
"""Outcomes that settle a due check-in: the person was spoken to."""

UNREACHED_IN_A_ROW = 3


def _blank_is_none(value: object) -> object:
    return None if value in ("", None) else value


class CheckinSchedule(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1)
    label: str = Field("check-in", min_length=1, max_length=60)
    starts_on: dt.date
    every: int = Field(1, le=366)
    unit: Unit = Unit.WEEKS
    times: int | None = Field(None, ge=1, le=MAX_DATES)
    until: dt.date | None = None
    active: bool = True

    _none = field_validator("times", "until", mode="before")(_blank_is_none)

    @model_validator(mode="after")
    def _a_schedule_that_ends(self) -> CheckinSchedule:
        if self.unit == Unit.ONCE:
            return self
        if self.every < 1:
            raise ValueError("the interval must be 1 or more")
        if self.times is None and self.until is None:
            raise ValueError("say how many times or until when")
        if self.until is not None and self.until < self.starts_on:
            raise ValueError("the end is before the start")
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


def due_dates(schedule: CheckinSchedule, through: dt.date | None = None) -> list[dt.date]:
    """The schedule's due dates in order (at most MAX_DATES); only those on or before
    `through` when it is given (what is due today needs no more)."""
    start, every = schedule.starts_on, schedule.every
    if schedule.unit == Unit.ONCE:
        return [start] if through is None or start <= through else []
    limit = min(schedule.times or MAX_DATES, MAX_DATES)
    if through is not None:
        days = (through - start).days
        if days < 0:
            return []
        limit = min(limit, days // (every * 28 if schedule.unit == Unit.MONTHS else
                                    every * (7 if schedule.unit == Unit.WEEKS else 1)) + 1)
    if schedule.unit == Unit.MONTHS:
        dates = [add_months(start, n * every) for n in range(limit)]
    else:
        step = dt.timedelta(days=every * (7 if schedule.unit == Unit.WEEKS else 1))
        dates = [start + step * n for n in range(limit)]
    end = min(d for d in (schedule.until, through) if d is not None) if (
        schedule.until or through) else None
    if end is not None:
        dates = dates[:bisect.bisect_right(dates, end)]
    return dates


def describe(schedule: CheckinSchedule) -> str:
    """'every 1 week, 12 times from 2026-11-24' in a coach's words."""
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


def _interval_after(schedule: CheckinSchedule, day: dt.date) -> dt.date:
    """Where the next due date would fall after `day`, had the schedule not ended."""
    if schedule.unit == Unit.MONTHS:
        return add_months(day, schedule.every)
    return day + dt.timedelta(days=schedule.every * (7 if schedule.unit == Unit.WEEKS else 1))


def latest_due(schedule: CheckinSchedule, day: dt.date) -> dt.date | None:
    """The last due date on or before `day` (worked out, not listed: it runs per
    schedule each time the roster shows)."""
    start = schedule.starts_on
    if day < start:
        return None
    if schedule.unit in (Unit.ONCE, Unit.MONTHS):
        dates = due_dates(schedule, day)
        return dates[-1] if dates else None
    end = min(day, schedule.until) if schedule.until else day
    step = schedule.every * (7 if schedule.unit == Unit.WEEKS else 1)
    n = (end - start).days // step
    if schedule.times is not None:
        n = min(n, schedule.times - 1, MAX_DATES - 1)
    return start + dt.timedelta(days=n * step) if n >= 0 else None


def waiting(schedule: CheckinSchedule, settled: set[dt.date], today: dt.date) -> dt.date | None:
    """The due date waiting for a call today, if any.

    It is the latest due date on or before today, unless someone spoke with the person
    for it. A recurring check-in waits until the next one falls due (one interval after
    the last date); a one-off waits until it is settled. A stopped schedule waits for
    nothing.
    """
    if not schedule.active:
        return None
    latest = latest_due(schedule, today)
    if latest is None or latest in settled:
        return None
    if schedule.unit != Unit.ONCE and _interval_after(schedule, latest) <= today:
        return None
    return latest
