"""Funder follow-up windows (issue 22, item 2): a grant's schedule of interviews as data
(assets/funders/*.toml; an agency's own in the config folder's `funders/`), the window of
each interview in each episode of a person, and the follow-up rate of a month.

    load_funders(extra_dir) / funder(extra_dir, id)
    windows(funder, episodes, outcomes)    every interview window of one person
    rate(windows, month, today)            due, reached within the window, missed, open

An episode starts at intake (or at re-enrolment: a new episode with a new baseline) and may
end (closing). A window opens, falls due and closes on dates worked out from its anchor;
one that closed with nothing recorded counts as missed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coachdesk.models.datafile import load, pick

FOLDER = "funders"
_ID = r"^[a-z][a-z0-9_]{0,59}$"
_CODE = r"^[A-Za-z0-9.\-]{0,20}$"
MAX_DAYS = 3660

EXTRACT_COLUMNS = ("participant_code", "client_type", "episode", "interview_type",
                   "window_opens", "window_due", "window_closes", "status", "interview_date",
                   "missed_reason", "engagement", "living_situation", "pathways", "supports",
                   "no_shows", "naloxone_given", "ed_visits")


class Coded(BaseModel):
    """A choice on a list: what a coach reads and the code an extract carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(min_length=1, max_length=80)
    code: str = Field(pattern=_CODE)


class InterviewSpec(BaseModel):
    """One interview of the schedule and the rule of its window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1, max_length=60)
    code: str = Field(pattern=_CODE)
    anchor: Literal["start", "end"]
    due_months: int = Field(0, ge=0, le=120)
    due_days: int = Field(0, ge=-MAX_DAYS, le=MAX_DAYS)
    opens_days: int = Field(0, ge=-MAX_DAYS, le=MAX_DAYS)
    closes_days: int = Field(0, ge=-MAX_DAYS, le=MAX_DAYS)
    follow_up: bool = False

    @model_validator(mode="after")
    def _window_in_order(self) -> InterviewSpec:
        if self.closes_days < self.opens_days:
            raise ValueError(f"the window of {self.id!r} ends before it opens "
                             f"(closes_days {self.closes_days} < opens_days {self.opens_days})")
        return self


class ExtractCodes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    done: str = Field("1", pattern=_CODE)
    missed: str = Field("0", pattern=_CODE)
    open: str = Field("", pattern=_CODE)


class Funder(BaseModel):
    """A grant's follow-up schedule, its target and its extract."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    target_rate: float = Field(0.8, ge=0, le=1)
    client_type_person: str = Field("", pattern=_CODE)
    client_type_loved_one: str = Field("", pattern=_CODE)
    interview: tuple[InterviewSpec, ...] = Field(min_length=1, max_length=20)
    missed_reasons: dict[str, Coded] = Field(default_factory=dict)
    extract: dict[str, str] = Field(default_factory=dict)
    extract_codes: ExtractCodes = Field(default_factory=ExtractCodes)

    @model_validator(mode="after")
    def _consistent(self) -> Funder:
        ids = [spec.id for spec in self.interview]
        if len(set(ids)) != len(ids):
            raise ValueError("two interviews share an id")
        for column in self.extract:
            if column not in EXTRACT_COLUMNS:
                raise ValueError(f"unknown field 'extract.{column}'")
        for reason in self.missed_reasons:
            if not re.match(_ID, reason):
                raise ValueError(f"missed reason id {reason[:30]!r} is not an id")
        return self

    def spec(self, interview_id: str) -> InterviewSpec | None:
        return next((s for s in self.interview if s.id == interview_id), None)


def load_funders(extra_dir: Path | None) -> dict[str, Funder]:
    return load(FOLDER, Funder, extra_dir)


def funder(extra_dir: Path | None, wanted: str | None = None) -> Funder:
    return pick(load_funders(extra_dir), wanted, "funder")


# ---- windows -------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st of a shorter month is its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Episode:
    number: int
    """1 for the first enrolment, 2 after a re-enrolment, ..."""
    start: dt.date
    end: dt.date | None = None


Status = Literal["done", "missed"]


@dataclass(frozen=True)
class Outcome:
    """What was recorded of one interview: done or missed, the date and the reason code."""

    status: Status
    on: dt.date
    reason: str = ""


State = Literal["upcoming", "open", "reached", "late", "missed", "lapsed"]
"""upcoming: not open yet; open: open, nothing recorded; reached: done within the window;
late: done outside it (not reached); missed: recorded as missed; lapsed: closed with
nothing recorded (a missed window)."""


@dataclass(frozen=True)
class Window:
    spec: InterviewSpec
    episode: Episode
    opens: dt.date
    due: dt.date
    closes: dt.date
    outcome: Outcome | None = None

    def state(self, today: dt.date) -> State:
        if self.outcome is not None:
            if self.outcome.status == "missed":
                return "missed"
            return "reached" if self.opens <= self.outcome.on <= self.closes else "late"
        if today < self.opens:
            return "upcoming"
        return "open" if today <= self.closes else "lapsed"

    @property
    def key(self) -> tuple[str, str]:
        """How an outcome names its window: the episode's start and the interview id."""
        return self.episode.start.isoformat(), self.spec.id


def window_of(spec: InterviewSpec, episode: Episode) -> Window | None:
    """The window of one interview in one episode (None: an end interview of an episode
    that has not ended)."""
    anchor = episode.start if spec.anchor == "start" else episode.end
    if anchor is None:
        return None
    due = add_months(anchor, spec.due_months) + dt.timedelta(days=spec.due_days)
    return Window(spec, episode, due + dt.timedelta(days=spec.opens_days), due,
                  due + dt.timedelta(days=spec.closes_days))


def windows(funder: Funder, episodes: Iterable[Episode],
            outcomes: dict[tuple[str, str], Outcome]) -> list[Window]:
    """Every window of one person, episode by episode in schedule order. A start-anchored
    window past the end of its episode is not due (the person left before it)."""
    out: list[Window] = []
    for episode in episodes:
        for spec in funder.interview:
            found = window_of(spec, episode)
            if found is None:
                continue
            if spec.anchor == "start" and episode.end is not None and found.opens > episode.end:
                continue
            out.append(Window(found.spec, found.episode, found.opens, found.due, found.closes,
                              outcomes.get(found.key)))
    return out


@dataclass(frozen=True)
class Rate:
    month: str
    due: int
    reached: int
    missed: int
    """Recorded as missed, or closed with nothing recorded."""
    open: int
    """Still open (or not yet open) with nothing recorded."""
    target: float

    @property
    def share(self) -> float | None:
        return None if not self.due else self.reached / self.due

    @property
    def text(self) -> str:
        if not self.due:
            return "no follow-up due"
        share = self.share or 0.0
        mark = "" if share >= self.target else " (below target)"
        return (f"{self.reached} of {self.due} reached ({round(share * 100)}%, target "
                f"{round(self.target * 100)}%){mark}")


def rate(found: Iterable[Window], month: str, today: dt.date, target: float) -> Rate:
    """The follow-up rate of `month`: follow-up windows due in it, reached within them."""
    due = reached = missed = still = 0
    for window in found:
        if not window.spec.follow_up or window.due.isoformat()[:7] != month:
            continue
        due += 1
        state = window.state(today)
        reached += state == "reached"
        missed += state in ("missed", "lapsed")
        still += state in ("open", "upcoming")
    return Rate(month, due, reached, missed, still, target)


STATE_TEXT: dict[str, str] = {"upcoming": "upcoming", "open": "OPEN", "reached": "done",
                              "late": "done late", "missed": "missed", "lapsed": "MISSED (lapsed)"}


def describe_window(window: Window, today: dt.date, reasons: dict[str, Coded] | None = None) -> str:
    """One line: the interview, its window and its state (with the date and reason)."""
    state = window.state(today)
    text = (f"{window.spec.label}: opens {window.opens.isoformat()}, due "
            f"{window.due.isoformat()}, closes {window.closes.isoformat()} - {STATE_TEXT[state]}")
    outcome = window.outcome
    if outcome is not None:
        text += f" {outcome.on.isoformat()}"
        if outcome.reason:
            found = (reasons or {}).get(outcome.reason)
            text += f" ({found.label if found else outcome.reason})"
    return text
