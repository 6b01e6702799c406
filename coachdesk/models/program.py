"""Program data of a person (issue 22): their recovery-support fields, their episodes
(enrolments) and what was recorded of each funder interview. One definition of each record.

Scope (store/scope.py): every record here is the person's. `recovery_support` has the
person's id as its row id (one record a person, synced field by field, so two laptops that
each set a different field both keep theirs); the other two name `participant_id`.
The lists a field chooses from, with their extract codes, are data
(assets/program/recovery.toml; an agency's own in the config folder's `program/`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from coachdesk.models.caseload import json_list
from coachdesk.models.datafile import load, pick
from coachdesk.models.funder import Coded

FOLDER = "program"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_COUNT = 10_000


def _key(value: str) -> str:
    if value and not _KEY.match(value):
        raise ValueError(f"not a choice id: {value[:40]!r}")
    return value


class RecoverySupport(BaseModel):
    """The recovery-support fields of one person (row id = the person's id). Choice fields
    hold ids from the lists (models RecoveryLists); '' = not recorded."""

    model_config = ConfigDict(str_strip_whitespace=True)

    pathways: Annotated[list[str], BeforeValidator(json_list)] = Field(default_factory=list)
    referral_reason: str = Field("", max_length=40)
    engagement: Literal["", "engaged", "not_engaged"] = ""
    engagement_on: str = Field("", max_length=10)
    """The date the engagement status was set (YYYY-MM-DD)."""
    engagement_reason: str = Field("", max_length=40)
    no_shows: int = Field(0, ge=0, le=MAX_COUNT)
    naloxone_given: int = Field(0, ge=0, le=MAX_COUNT)
    ed_visits: int = Field(0, ge=0, le=MAX_COUNT)
    living_situation: str = Field("", max_length=40)
    supports: int = Field(0, ge=0, le=MAX_COUNT)

    # Field validators (not one over the record): an imported op is checked field by field
    # (sync/validate.py), so every value read back has passed them.
    @field_validator("pathways")
    @classmethod
    def _pathways(cls, value: list[str]) -> list[str]:
        if len(value) > 20:
            raise ValueError("at most 20 pathways")
        for key in value:
            _key(key)
        return value

    @field_validator("referral_reason", "engagement_reason", "living_situation")
    @classmethod
    def _choice(cls, value: str) -> str:
        return _key(value)

    @field_validator("engagement_on")
    @classmethod
    def _date(cls, value: str) -> str:
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"engagement date {value!r} is not a date") from None
        return value


class ProgramEpisode(BaseModel):
    """One enrolment of a person: from intake (or re-enrolment) to discharge. A person with
    no episode record has one, worked out from their intake date and closing."""

    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1, max_length=100)
    started_on: dt.date
    ended_on: str = Field("", max_length=10)
    """'' while enrolled."""


InterviewStatus = Literal["done", "missed"]


class FunderInterview(BaseModel):
    """What was recorded of one funder interview: done or missed, when, and why (a reason
    id of the funder's list, never free text: it goes into the extract as a code)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1, max_length=100)
    funder: str = Field(min_length=1, max_length=60)
    episode_start: dt.date
    interview: str = Field(min_length=1, max_length=60)
    status: InterviewStatus
    on_date: dt.date
    reason: str = Field("", max_length=40)
    recorded_at: str = Field("", max_length=40)
    author: str = Field("", max_length=100)


class RecoveryLists(BaseModel):
    """The lists the recovery-support fields choose from (id -> label and code)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = "recovery"
    pathways: dict[str, Coded] = Field(min_length=1)
    referral_reasons: dict[str, Coded] = Field(min_length=1)
    living_situations: dict[str, Coded] = Field(min_length=1)
    engagement: dict[str, Coded] = Field(min_length=1)
    engagement_reasons: dict[str, Coded] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> RecoveryLists:
        for name in ("pathways", "referral_reasons", "living_situations", "engagement",
                     "engagement_reasons"):
            for key in getattr(self, name):
                if not _KEY.match(key):
                    raise ValueError(f"{name}: {key[:30]!r} is not an id")
        if set(self.engagement) != {"engaged", "not_engaged"}:
            raise ValueError("engagement lists exactly engaged and not_engaged")
        return self

    def label(self, field: str, key: str) -> str:
        found = self.choices(field).get(key)
        return found.label if found else (key or "not recorded")

    def code(self, field: str, key: str) -> str:
        found = self.choices(field).get(key)
        return found.code if found else ""

    def choices(self, field: str) -> dict[str, Coded]:
        lists: dict[str, dict[str, Coded]] = {
            "pathways": self.pathways, "referral_reason": self.referral_reasons,
            "living_situation": self.living_situations, "engagement": self.engagement,
            "engagement_reason": self.engagement_reasons}
        return lists[field]


def recovery_lists(extra_dir: Path | None) -> RecoveryLists:
    return pick(load(FOLDER, RecoveryLists, extra_dir), "recovery", "recovery list")


def checked_choices(lists: RecoveryLists, values: RecoverySupport) -> RecoverySupport:
    """`values` whose every choice is on the lists, else ValueError naming the first."""
    for field in ("referral_reason", "living_situation", "engagement_reason"):
        key = getattr(values, field)
        if key and key not in lists.choices(field):
            raise ValueError(f"{field.replace('_', ' ')}: {key!r} is not on the list "
                             f"({', '.join(lists.choices(field))})")
    for key in values.pathways:
        if key not in lists.pathways:
            raise ValueError(f"pathway {key!r} is not on the list ({', '.join(lists.pathways)})")
    return values


def recovery_lines(lists: RecoveryLists, values: RecoverySupport) -> list[str]:
    """The recovery-support fields as a few plain lines."""
    pathways = ", ".join(lists.label("pathways", p) for p in values.pathways) or "not recorded"
    engaged = lists.label("engagement", values.engagement)
    if values.engagement_on:
        engaged += f" since {values.engagement_on}"
    if values.engagement_reason:
        engaged += f" ({lists.label('engagement_reason', values.engagement_reason)})"
    return [f"pathways: {pathways}",
            f"referral: {lists.label('referral_reason', values.referral_reason)} · "
            f"engagement: {engaged}",
            f"living: {lists.label('living_situation', values.living_situation)} · "
            f"supports: {values.supports}",
            f"no-shows: {values.no_shows} · naloxone given: {values.naloxone_given} · "
            f"ED visits: {values.ed_visits}"]
