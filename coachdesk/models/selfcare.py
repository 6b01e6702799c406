"""The coach's self-care check-in: a data-defined instrument (assets/instruments/selfcare.toml:
a few scales and a line of text) and the summary a coach may choose to share."""

from __future__ import annotations

import tomllib
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coachdesk import shipped
from coachdesk.errors import ValidationFailed
from coachdesk.models.assessment import Item
from coachdesk.models.validation import first_problem

FILE = ("instruments", "selfcare.toml")
MAX_NOTE = 300


class SelfcareInstrument(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    version: int
    name: str
    about: str = ""
    text_prompt: str = ""
    scale: dict[int, str] = Field(min_length=2)
    items: list[Item] = Field(min_length=1, max_length=12)

    @property
    def lowest(self) -> int:
        return min(self.scale)

    @property
    def highest(self) -> int:
        return max(self.scale)

    def check(self, answers: list[int], note: str) -> str:
        """The note, stripped, when the answers fit the scales; else one line."""
        if len(answers) != len(self.items):
            raise ValidationFailed(f"answers: {len(self.items)} needed, {len(answers)} given")
        for number, answer in enumerate(answers, start=1):
            if answer not in self.scale:
                raise ValidationFailed(
                    f"question {number}: answer {self.lowest} to {self.highest}, not {answer}")
        note = note.strip()
        if len(note) > MAX_NOTE or any(ord(c) < 32 for c in note):
            raise ValidationFailed(f"the line of text: one line, at most {MAX_NOTE} characters")
        return note

    def summary(self, answers: list[int], note: str, with_note: bool) -> str:
        """What a shared check-in says: each scale's answer, and the line if chosen."""
        parts = [f"{item.id} {answer}/{self.highest}" for item, answer in
                 zip(self.items, answers, strict=True)]
        text = f"{self.name}: " + ", ".join(parts)
        return f"{text}. {note}" if with_note and note else text


@cache
def instrument() -> SelfcareInstrument:
    name = "assets/" + "/".join(FILE)
    try:
        data = tomllib.loads(shipped.text(*FILE))
        data["scale"] = {int(k): v for k, v in data.get("scale", {}).items()}
        return SelfcareInstrument.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise shipped.AssetError(f"{name} does not parse ({exc}): reinstall coachdesk") from None
    except (ValueError, AttributeError) as exc:
        detail = first_problem(exc) if isinstance(exc, ValidationError) else str(exc)
        raise shipped.AssetError(f"{name} is damaged ({detail}): reinstall coachdesk") from None
