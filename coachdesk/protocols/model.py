"""Crisis protocols as data: one pydantic model per step kind, and the protocol itself.

A protocol file (assets/protocols/*.toml) holds `id`, `version`, `title` and an array
of `[[steps]]`. Steps without an explicit `next` go on to the step below them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

STEP_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"

NUMBERS: dict[str, str] = {
    "911": "Emergency: ambulance, police, fire",
    "988": "Suicide and crisis lifeline (call or text)",
    "crisis_line": "Local crisis line",
    "supervisor": "Your supervisor",
}
"""What a call step may show. The last two come from the vault's settings."""

Number = Literal["911", "988", "crisis_line", "supervisor"]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=STEP_ID)
    label: str = Field(min_length=1, max_length=70)
    """A short heading, also the step's name in the record."""
    text: str = Field("", max_length=900)
    """What the coach reads: the instruction or the question, in plain words."""

    @field_validator("text")
    @classmethod
    def _reflow(cls, text: str) -> str:
        """Lines in the file are joined; a blank line starts a new paragraph."""
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        return "\n\n".join(p for p in paragraphs if p)

    def targets(self) -> list[tuple[str, str]]:
        """(branch name, step id) for every way on from this step."""
        return []


class _Onward(_Step):
    next: str = ""
    """The step that follows; empty means the step below this one in the file."""

    def targets(self) -> list[tuple[str, str]]:
        return [("next", self.next)] if self.next else []


class Instruction(_Onward):
    kind: Literal["instruction"] = "instruction"


class FreeText(_Onward):
    kind: Literal["text"] = "text"
    placeholder: str = Field("", max_length=70)


class Call(_Onward):
    kind: Literal["call"] = "call"
    numbers: list[Number] = Field(min_length=1, max_length=4)


class Timer(_Onward):
    kind: Literal["timer"] = "timer"
    seconds: int = Field(ge=1, le=3600)


class YesNo(_Step):
    kind: Literal["yesno"] = "yesno"
    yes: str
    no: str

    def targets(self) -> list[tuple[str, str]]:
        return [("yes", self.yes), ("no", self.no)]


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    label: str = Field(min_length=1, max_length=60)
    next: str


class Choice(_Step):
    kind: Literal["choice"] = "choice"
    options: list[Option] = Field(min_length=2, max_length=9)

    @field_validator("options")
    @classmethod
    def _unique_labels(cls, options: list[Option]) -> list[Option]:
        labels = [o.label.casefold() for o in options]
        if len(set(labels)) != len(labels):
            raise ValueError("two options have the same label")
        return options

    def targets(self) -> list[tuple[str, str]]:
        return [(f"option {i}", o.next) for i, o in enumerate(self.options, 1)]


class End(_Step):
    kind: Literal["end"] = "end"
    outcome: str = Field(min_length=1, max_length=80)
    """What the record says happened when the checklist ends here."""


Step = Instruction | FreeText | Call | Timer | YesNo | Choice | End

STEP_KINDS: dict[str, type[_Step]] = {
    "instruction": Instruction,
    "yesno": YesNo,
    "choice": Choice,
    "text": FreeText,
    "call": Call,
    "timer": Timer,
    "end": End,
}


class Protocol(BaseModel):
    """A whole checklist. Built by protocols.loader, which checks every path."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=STEP_ID)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=60)
    summary: str = Field("", max_length=120)
    order: int = 100
    """Place in the crisis picker (lower first)."""
    followup: str = ""
    """The id of a protocol the summary screen offers next (e.g. care for the coach)."""
    start: str = ""
    steps: tuple[Step, ...]
    source: str = ""
    """The file it was loaded from (set by the loader)."""

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)
