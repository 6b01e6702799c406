"""A wellness plan: the four dimensions of recovery with goals and dated steps, plus the
lists a person keeps close (strengths, supports, triggers, ...) and a six-part safety plan.

The safety plan follows the structure of the Stanley-Brown safety plan (six steps in
order, then where the plan is kept); the wording here is our own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500,
                                        pattern=r"^[^\r\n]*$")]
"""One line of text: never empty, never more than one line."""


def _up_to(count: int) -> Any:
    """A list field: empty by default, at most `count` items."""
    return Field(default_factory=list, max_length=count)


DIMENSIONS: dict[str, str] = {
    "health": "Health",
    "home": "Home",
    "purpose": "Purpose",
    "community": "Community",
}
"""SAMHSA's four dimensions of recovery: field name -> heading."""

LISTS: dict[str, str] = {
    "strengths": "Strengths",
    "triggers": "Triggers",
    "warning_signs": "Warning signs",
    "coping": "Coping strategies",
    "reasons": "Reasons for recovery",
}
"""Plain lists of short items: field name -> heading."""

CONTACTS: dict[str, str] = {
    "supports": "Supports",
    "crisis_contacts": "Crisis contacts",
}
"""Lists of people or services and how to reach them: field name -> heading."""

SAFETY_STEPS: dict[str, str] = {
    "warning_signs": "1. Warning signs",
    "cope_alone": "2. Things I can do on my own",
    "distractions": "3. People and places that take my mind off things",
    "ask_for_help": "4. People I can ask for help",
    "professionals": "5. Professionals, agencies and crisis lines",
    "safe_surroundings": "6. Making my surroundings safer",
}
"""The six safety-plan steps, in order: field name -> heading."""


class Who(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    OTHER = "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Step(_Strict):
    """One concrete thing to do towards a goal: what, who does it, and by when."""

    what: Text
    who: Who = Who.PARTICIPANT
    by: dt.date | None = None


class Goal(_Strict):
    """A goal, phrased as what the person will do, broken into steps."""

    text: Text
    steps: list[Step] = _up_to(50)


class Contact(_Strict):
    """A person or service, and how to reach them."""

    name: Text
    reach: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                            pattern=r"^[^\r\n]*$")] = ""


    @field_validator("name")
    @classmethod
    def _no_colon(cls, value: str) -> str:
        if ":" in value:
            raise ValueError("a name may not contain ':' (it separates the name from how to reach)")
        return value


class SafetyPlan(_Strict):
    warning_signs: list[Text] = _up_to(50)
    cope_alone: list[Text] = _up_to(50)
    distractions: list[Text] = _up_to(50)
    ask_for_help: list[Text] = _up_to(50)
    professionals: list[Text] = _up_to(50)
    safe_surroundings: list[Text] = _up_to(50)
    kept_where: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                                 pattern=r"^[^\r\n]*$")] = ""

    def is_empty(self) -> bool:
        return not self.kept_where and not any(getattr(self, f) for f in SAFETY_STEPS)


class Plan(_Strict):
    """A whole wellness plan; each saved version is one plan revision."""

    health: list[Goal] = _up_to(30)
    home: list[Goal] = _up_to(30)
    purpose: list[Goal] = _up_to(30)
    community: list[Goal] = _up_to(30)
    strengths: list[Text] = _up_to(50)
    supports: list[Contact] = _up_to(50)
    triggers: list[Text] = _up_to(50)
    warning_signs: list[Text] = _up_to(50)
    coping: list[Text] = _up_to(50)
    reasons: list[Text] = _up_to(50)
    crisis_contacts: list[Contact] = _up_to(50)
    safety: SafetyPlan = Field(default_factory=SafetyPlan)

    def goals(self) -> list[tuple[str, Goal]]:
        """(dimension, goal) for every goal, in dimension order."""
        return [(dim, goal) for dim in DIMENSIONS for goal in getattr(self, dim)]

    def open_steps(self) -> list[tuple[Goal, Step]]:
        """Every step with a date, soonest first."""
        dated = [(g, s) for _, g in self.goals() for s in g.steps if s.by is not None]
        return sorted(dated, key=lambda gs: gs[1].by or dt.date.max)

    def is_empty(self) -> bool:
        return self == Plan()


def _json(value: object) -> object:
    if isinstance(value, str):
        import json

        return json.loads(value) if value else None
    return value


class PlanRevision(BaseModel):
    """One saved version of a participant's plan (append-only: never edited)."""

    participant_id: str = Field(min_length=1)
    parent_id: str = ""
    """The revision this one was edited from ('' for the first)."""
    superseded: Annotated[list[str], BeforeValidator(_json)] = Field(default_factory=list)
    """Other heads the author saw and chose to replace when versions had diverged."""
    plan: Annotated[Plan, BeforeValidator(_json)]
    created_at: str
    author: str = ""


class PlanRevisionRow(PlanRevision):
    id: str
    origin: str = ""
