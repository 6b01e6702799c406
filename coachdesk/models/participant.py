"""A participant: a person a coach works with."""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from coachdesk.models.caseload import Tags, checked_tags


class ParticipantType(StrEnum):
    PERSON_IN_RECOVERY = "person_in_recovery"
    LOVED_ONE = "loved_one"


class Status(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


PATHWAYS: tuple[str, ...] = (
    "mutual help",
    "medication (MOUD)",
    "treatment program",
    "harm reduction",
    "faith-based",
    "natural / self-directed",
    "family support",
    "other",
)

SAFETY_FLAGS: dict[str, str] = {
    "recent_overdose": "recent overdose",
    "harm_self": "risk of harm to self",
    "harm_others": "risk of harm to others",
}
"""The flags a coach sets. 'Hard to reach' is not one: it is worked out from the calls."""
WORKED_OUT = "unreached"
"""The stored flag 'hard to reach' was, before it was worked out from the calls: an old
record may still hold it; it is dropped on read and on save."""

_PHONE = re.compile(r"^[0-9+()\-. ]{3,24}$")


def _json_list(value: object) -> object:
    if isinstance(value, str):
        return json.loads(value) if value else []
    return value


class Participant(BaseModel):
    """The fields a coach keeps about a participant. One definition, used everywhere."""

    model_config = ConfigDict(str_strip_whitespace=True)

    alias: str = Field(min_length=1, max_length=60)
    pronouns: str = Field("", max_length=20)
    kind: ParticipantType = ParticipantType.PERSON_IN_RECOVERY
    adult_confirmed: bool = False
    pathway: str = Field("", max_length=40)
    status: Status = Status.ACTIVE
    intake_date: dt.date
    phone: str = Field("", max_length=24)
    safety_flags: Annotated[list[str], BeforeValidator(_json_list)] = Field(default_factory=list)
    preferences: Tags = Field(default_factory=list)
    """What the person asked for in a coach, as matching tags (models/caseload.py)."""

    @field_validator("adult_confirmed")
    @classmethod
    def _adults_only(cls, value: bool) -> bool:
        if not value:
            raise ValueError("coaching is for adults only: confirm the person is 18 or older")
        return value

    @field_validator("intake_date")
    @classmethod
    def _not_in_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("intake date is in the future")
        return value

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, value: str) -> str:
        if value and not _PHONE.match(value):
            raise ValueError("phone may hold digits, spaces and + ( ) - . only")
        return value

    @field_validator("preferences")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return checked_tags(value)

    @field_validator("safety_flags")
    @classmethod
    def _known_flags(cls, value: list[str]) -> list[str]:
        value = [f for f in value if f != WORKED_OUT]
        unknown = [f for f in value if f not in SAFETY_FLAGS]
        if unknown:
            raise ValueError(f"unknown safety flag: {unknown[0]}")
        return sorted(set(value))


def initials_of(alias: str) -> str:
    """Up to three initials of an alias (what discreet mode shows), '?' if none."""
    parts = [p for p in re.split(r"[\s\-_.]+", alias) if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


class ParticipantRow(Participant):
    """A participant as read back from the vault (validators already ran on write)."""

    id: str
    origin: str = ""
    primary_coach: str = ""
    """A team member's device id; "" = whoever added the person (the record's origin).
    Kept in the team-wide caseload record (models/caseload.Caseload)."""
    secondary_coach: str = ""

    @property
    def initials(self) -> str:
        return initials_of(self.alias)

    def shown_name(self, discreet: bool) -> str:
        return self.initials if discreet else self.alias
