"""Caseloads: a coach's profile for matching, and the note left when a person is
transferred to another coach. Matching tags are `category:item` (assets/caseload/matching.toml)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from coachdesk import shipped

MAX_TAGS = 40
_TAG = re.compile(r"^[a-z_]{1,30}:[^\x00-\x1f]{1,60}$")


def json_list(value: object) -> object:
    if isinstance(value, str):
        return json.loads(value) if value else []
    return value


def checked_tags(value: list[str]) -> list[str]:
    """Tags well-formed (`category:item`), at most MAX_TAGS, sorted and unique. Whether the
    item is on this agency's list is the form's business: a peer's newer list is kept."""
    if len(value) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} matching tags")
    for tag in value:
        check_shape(tag)
    return sorted(set(value))


def check_shape(tag: object) -> None:
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise ValueError(f"not a matching tag: {str(tag)[:40]!r}")


Tags = Annotated[list[str], BeforeValidator(json_list)]


class CoachProfile(BaseModel):
    """A coach's lived experience and skills (its id is the coach's device id)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    tags: Tags = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return checked_tags(value)


class Caseload(BaseModel):
    """Who coaches a person (its id is the person's): team-wide, so every member's vault
    works out the same scopes (store/scope.py) and holds only its own people."""

    primary_coach: str = Field("", max_length=100)
    """A team member's device id; "" = whoever added the person."""
    secondary_coach: str = Field("", max_length=100)


class Handoff(BaseModel):
    """What the supervisor tells the new primary coach when a person is transferred."""

    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1, max_length=100)
    from_coach: str = Field("", max_length=100)
    to_coach: str = Field(min_length=1, max_length=100)
    note: str = Field(min_length=1, max_length=4000)
    at: dt.datetime


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    items: tuple[str, ...]

    def tags(self) -> list[str]:
        return [f"{self.id}:{item}" for item in self.items]


@cache
def categories() -> tuple[Category, ...]:
    """The agency's matching list (assets/caseload/matching.toml), or one AssetError line."""
    try:
        data = tomllib.loads(shipped.text("caseload", "matching.toml"))
        found = tuple(Category(c["id"], c["label"], tuple(c["items"])) for c in data["category"])
        for tag in (tag for c in found for tag in c.tags()):
            check_shape(tag)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise shipped.AssetError(f"assets/caseload/matching.toml is damaged ({exc})") from None
    return found


def label(tag: str) -> str:
    """How a tag reads: its item, after its category's label."""
    category, _, item = tag.partition(":")
    names = {c.id: c.label for c in categories()}
    return f"{names.get(category, category)}: {item}"
