"""Instruments (data files in assets/instruments/) and the assessments taken with them."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from coachdesk import shipped
from coachdesk.errors import ValidationFailed
from coachdesk.models.validation import first_problem


def _json_list(value: object) -> object:
    if isinstance(value, str):
        import json

        return json.loads(value) if value else []
    return value


class Item(BaseModel):
    id: str
    text: str = Field(min_length=1)


class Band(BaseModel):
    """Totals from `min` up (to the next band) mean `meaning`."""

    min: int
    meaning: str


class Instrument(BaseModel):
    """A scale: items, the answers each allows, and what the total means."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: int
    name: str
    about: str = ""
    scale: dict[int, str]
    items: list[Item] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1)

    @property
    def lowest(self) -> int:
        return min(self.scale)

    @property
    def highest(self) -> int:
        return max(self.scale)

    @property
    def total_range(self) -> tuple[int, int]:
        return self.lowest * len(self.items), self.highest * len(self.items)

    def score(self, answers: list[int]) -> int:
        """The total; refuses a missing or out-of-range answer."""
        if len(answers) != len(self.items):
            raise ValidationFailed(f"answers: {len(self.items)} needed, {len(answers)} given")
        for number, answer in enumerate(answers, start=1):
            if answer not in self.scale:
                raise ValidationFailed(
                    f"item {number}: answer {self.lowest} to {self.highest}, not {answer}")
        return sum(answers)

    def meaning(self, total: int) -> str:
        fitting = [b for b in sorted(self.bands, key=lambda b: b.min) if total >= b.min]
        return fitting[-1].meaning if fitting else ""


def load_instrument(instrument_id: str) -> Instrument:
    """assets/instruments/<id>.toml, validated."""
    if not instrument_id.isidentifier():
        raise ValidationFailed(f"no instrument {instrument_id!r}")
    path = shipped.path("instruments", f"{instrument_id}.toml")
    try:
        return _instrument(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed(f"no instrument {instrument_id!r}") from None
    except OSError as exc:
        raise ValidationFailed(f"cannot read instrument file {path.name}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, ValueError, ValidationError) as exc:
        detail = first_problem(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ValidationFailed(f"instrument file {path.name} is broken: {detail}") from None


@functools.lru_cache(maxsize=16)
def _instrument(text: str) -> Instrument:
    """An instrument file's text, parsed once (the participant page shows it each time)."""
    data = tomllib.loads(text)
    data["scale"] = {int(k): v for k, v in data.get("scale", {}).items()}
    return Instrument.model_validate(data)


class Assessment(BaseModel):
    """One completed check-in (append-only)."""

    participant_id: str = Field(min_length=1)
    instrument: str
    version: int
    answers: Annotated[list[int], BeforeValidator(_json_list)]
    total: int
    taken_on: dt.date

    @model_validator(mode="after")
    def _total_adds_up(self) -> Assessment:
        if self.total != sum(self.answers):
            raise ValueError("total does not match the answers")
        if self.taken_on > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("taken on: the date is in the future")
        return self


class AssessmentRow(Assessment):
    id: str
    origin: str = ""
