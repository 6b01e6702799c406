"""Crisis protocols as data: one pydantic model per step kind, and the protocol itself.

A protocol file (assets/protocols/*.toml) holds `id`, `version`, `title` and an array
of `[[steps]]`. Steps without an explicit `next` go on to the step below them.

Each step kind is one class here, and the class holds all of the kind's behaviour:
its fields (checked when a file loads), the keys it takes, how a raw answer is
recorded (or refused), which step follows an answer, and how a recorded answer reads
in the timeline. A class with a `kind` field registers itself in `STEP_KINDS`, so the
loader, the walker and the incident summary know it; the checklist screen shows it
with its card (tui/widgets/crisis_cards.py).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SerializeAsAny, field_validator

from coachdesk.errors import CoachdeskError

STEP_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"
DONE = "done"
"""The answer recorded for a step that only asks the coach to do something."""
MAX_TEXT = 2000
LEFT_EMPTY = "(left empty)"

NUMBERS: dict[str, str] = {
    "911": "Emergency: ambulance, police, fire",
    "988": "Suicide and crisis lifeline (call or text)",
    "crisis_line": "Local crisis line",
    "supervisor": "Your supervisor",
}
"""What a call step may show. The last two come from the vault's settings."""

Number = Literal["911", "988", "crisis_line", "supervisor"]

YES, NO, CHOOSE, GO_ON = "yes", "no", "choose", "go_on"
"""The answer keys of the checklist screen: y, n, 1-9 and Enter."""


class InvalidAnswer(CoachdeskError):
    pass


class Step(BaseModel):
    """What every step has. A kind subclasses this (or `Onward`) and adds a `kind` field."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: str
    id: str = Field(pattern=STEP_ID)
    label: str = Field(min_length=1, max_length=70)
    """A short heading, also the step's name in the record."""
    text: str = Field("", max_length=900)
    """What the coach reads: the instruction or the question, in plain words."""

    keys: ClassVar[frozenset[str]] = frozenset()
    """The screen's answer keys this kind takes (YES, NO, CHOOSE, GO_ON)."""
    typed: ClassVar[bool] = False
    """The answer is typed: every letter key belongs to the answer field."""
    ends: ClassVar[bool] = False
    """The checklist ends at this step (it records the outcome)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        kind = cls.model_fields["kind"].default
        if not isinstance(kind, str) or not kind:
            return  # a shared base such as Onward, not a kind of its own
        if kind in STEP_KINDS:
            raise TypeError(f"step kind {kind!r} is already defined by "
                            f"{STEP_KINDS[kind].__name__}")
        STEP_KINDS[kind] = cls

    @field_validator("text")
    @classmethod
    def _reflow(cls, text: str) -> str:
        """Lines in the file are joined; a blank line starts a new paragraph."""
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        return "\n\n".join(p for p in paragraphs if p)

    def targets(self) -> list[tuple[str, str]]:
        """(branch name, step id) for every way on from this step."""
        return []

    def below(self, step_id: str) -> Self:
        """This step as loaded from a file where `step_id` is the step below it."""
        return self

    def takes(self, key: str, number: int = 0) -> bool:
        """Whether the answer key `key` (with its number, for CHOOSE) answers this step."""
        return key in self.keys

    def recorded(self, raw: str) -> str:
        """The answer as it is recorded, or InvalidAnswer saying what would do."""
        return DONE

    def next_after(self, answer: str) -> str | None:
        """The id of the step after a recorded answer; None when the checklist ends."""
        raise InvalidAnswer(f"step {self.id!r} has no way on")

    @classmethod
    def reads(cls, answer: str) -> str:
        """A recorded answer as the timeline and the incident summary show it."""
        return answer or LEFT_EMPTY


STEP_KINDS: dict[str, type[Step]] = {}
"""Every step kind by its name, in the order defined (filled by Step subclasses)."""


class Onward(Step):
    """A step with one way on: its `next`, or else the step below it in the file."""

    next: str = ""
    """The step that follows; empty means the step below this one in the file."""

    keys: ClassVar[frozenset[str]] = frozenset({GO_ON})

    def targets(self) -> list[tuple[str, str]]:
        return [("next", self.next)] if self.next else []

    def below(self, step_id: str) -> Self:
        return self if self.next else self.model_copy(update={"next": step_id})

    def next_after(self, answer: str) -> str | None:
        return self.next


class Instruction(Onward):
    kind: Literal["instruction"] = "instruction"

    @classmethod
    def reads(cls, answer: str) -> str:
        return DONE


class YesNo(Step):
    kind: Literal["yesno"] = "yesno"
    yes: str
    no: str

    keys: ClassVar[frozenset[str]] = frozenset({YES, NO})

    def targets(self) -> list[tuple[str, str]]:
        return [("yes", self.yes), ("no", self.no)]

    def recorded(self, raw: str) -> str:
        word = {"y": YES, "yes": YES, "n": NO, "no": NO}.get(raw.strip().casefold())
        if word is None:
            raise InvalidAnswer("answer yes or no")
        return word

    def next_after(self, answer: str) -> str | None:
        if answer not in (YES, NO):
            raise InvalidAnswer(f"{answer!r} is not yes or no")
        return self.yes if answer == YES else self.no


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    label: str = Field(min_length=1, max_length=60)
    next: str


class Choice(Step):
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

    def takes(self, key: str, number: int = 0) -> bool:
        return key == CHOOSE and 1 <= number <= len(self.options)

    def recorded(self, raw: str) -> str:
        value = raw.strip()
        if value.isdigit() and 1 <= int(value) <= len(self.options):
            return self.options[int(value) - 1].label
        for option in self.options:
            if option.label.casefold() == value.casefold():
                return option.label
        raise InvalidAnswer(f"choose 1 to {len(self.options)}")

    def next_after(self, answer: str) -> str | None:
        for option in self.options:
            if option.label == answer:
                return option.next
        raise InvalidAnswer(f"{answer!r} is not an option of step {self.id!r}")


class FreeText(Onward):
    kind: Literal["text"] = "text"
    placeholder: str = Field("", max_length=70)

    keys: ClassVar[frozenset[str]] = frozenset()  # Enter belongs to the field
    typed: ClassVar[bool] = True

    def recorded(self, raw: str) -> str:
        value = raw.strip()
        if len(value) > MAX_TEXT:
            raise InvalidAnswer(f"at most {MAX_TEXT} characters")
        return value


class Call(Onward):
    kind: Literal["call"] = "call"
    numbers: list[Number] = Field(min_length=1, max_length=4)

    @classmethod
    def reads(cls, answer: str) -> str:
        return DONE


class Timer(Onward):
    kind: Literal["timer"] = "timer"
    seconds: int = Field(ge=1, le=3600)

    def recorded(self, raw: str) -> str:
        return raw.strip() or DONE


class End(Step):
    kind: Literal["end"] = "end"
    outcome: str = Field(min_length=1, max_length=80)
    """What the record says happened when the checklist ends here."""

    keys: ClassVar[frozenset[str]] = frozenset({GO_ON})
    ends: ClassVar[bool] = True

    def recorded(self, raw: str) -> str:
        return self.outcome

    def next_after(self, answer: str) -> str | None:
        return None


def answer_text(kind: str, answer: str) -> str:
    """A recorded answer of a step of `kind` as the timeline shows it (any kind, even
    one this version does not know: a newer device may have recorded it)."""
    return STEP_KINDS.get(kind, Step).reads(answer)


def kind_named(kind: object) -> type[Step]:
    """The model of a step kind, or ValueError naming the kinds there are."""
    model = STEP_KINDS.get(str(kind))
    if model is None:
        raise ValueError(f"unknown step kind {kind!r} (known: {', '.join(STEP_KINDS)})")
    return model


def as_step(raw: object) -> object:
    """A step table (from a file or a dict) as the model of its kind; models pass as they are."""
    if isinstance(raw, dict):
        return kind_named(raw.get("kind")).model_validate(raw)
    return raw


AnyStep = Annotated[SerializeAsAny[Step], BeforeValidator(as_step)]


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
    steps: tuple[AnyStep, ...]
    source: str = ""
    """The file it was loaded from (set by the loader)."""

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)
