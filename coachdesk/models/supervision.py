"""Non-clinical supervision (issue 18): reviews of finalized notes and their comment
threads, supervision sessions and the items they leave the coach, the coach's training
ledger, and a self-care summary the coach chose to share. One definition of each record.

Scope (store/scope.py): a review entry goes with its note (the person's scope); every
record naming a `coach` is private to that coach and the supervisors (`@<device>`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from coachdesk.models.caseload import json_list

ReviewKind = Literal["reviewed", "follow_up", "comment", "closed"]
"""reviewed: read, nothing to add; follow_up: needs follow-up (an item for the coach until
closed); comment: a line in the note's thread (supervisor or coach); closed: the
follow-up is done."""


class ReviewEntry(BaseModel):
    """One entry under a finalized note (append-only: a review never changes the note)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    note_id: str = Field(min_length=1, max_length=100)
    kind: ReviewKind
    text: str = Field("", max_length=2000)
    at: str = Field(min_length=1, max_length=40)
    by: str = Field(min_length=1, max_length=100)
    """The writer's device id."""
    author: str = Field("", max_length=100)

    @model_validator(mode="after")
    def _said_something(self) -> ReviewEntry:
        if self.kind in ("follow_up", "comment") and not self.text:
            raise ValueError("say what needs follow-up" if self.kind == "follow_up"
                             else "a comment needs some text")
        return self


SessionFormat = Literal["individual", "group"]


class SupervisionSession(BaseModel):
    """A supervision session as the supervisor logs it, one record per coach (a group
    session writes one for each coach, sharing a group_id)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    coach: str = Field(min_length=1, max_length=100)
    held_on: dt.date
    minutes: int = Field(ge=1, le=24 * 60)
    format: SessionFormat = "individual"
    group_id: str = Field("", max_length=100)
    topics: Annotated[list[str], BeforeValidator(json_list)] = Field(default_factory=list)
    """Competency domain ids (assets/supervision/domains.toml)."""
    private_note: str = Field("", max_length=4000)
    """For the supervisor and this coach only."""
    author: str = Field("", max_length=100)


class SupervisionItem(BaseModel):
    """Something the coach takes away from a session, open until done."""

    model_config = ConfigDict(str_strip_whitespace=True)

    coach: str = Field(min_length=1, max_length=100)
    session_id: str = Field("", max_length=100)
    text: str = Field(min_length=1, max_length=500)
    due: str = Field("", max_length=10)
    done_at: str = Field("", max_length=40)


TrainingKind = Literal["training", "continuing_education"]


class TrainingEntry(BaseModel):
    """A line of the coach's ledger: training or continuing education taken."""

    model_config = ConfigDict(str_strip_whitespace=True)

    coach: str = Field(min_length=1, max_length=100)
    taken_on: dt.date
    title: str = Field(min_length=1, max_length=200)
    provider: str = Field("", max_length=200)
    hours: float = Field(gt=0, le=24)
    domain: str = Field("", max_length=60)
    """A domain id of the credential (assets/credentials/*.toml), e.g. ethics."""
    kind: TrainingKind = "training"


class SelfcareShare(BaseModel):
    """A self-care summary the coach chose to share with the supervisor for one session.
    The check-ins themselves stay on the coach's laptop (local table, never an op)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    coach: str = Field(min_length=1, max_length=100)
    session_id: str = Field("", max_length=100)
    summary: str = Field(min_length=1, max_length=1000)
    shared_on: dt.date
