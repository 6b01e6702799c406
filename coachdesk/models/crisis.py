"""Crisis checklists: an event (which protocol, when, by whom) and its steps, in order.

Both are append-only: attaching a person later, going back one step and ending are
themselves new step rows (kinds `attach`, `back`, `end`), never edits.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ATTACH = "attach"
BACK = "back"
END = "end"
STOPPED = "_stopped"
"""The step id of the end row written when a coach stops a checklist early."""

STEP_KIND_PATTERN = r"^[a-z][a-z_]{0,31}$"
"""A step row's kind: a step kind of the protocols (protocols/model.py defines them;
this layer lies below it and does not list them), or attach / back. A kind this
version does not know still reads (protocols.model.answer_text)."""


class CrisisEvent(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    protocol_id: str = Field(min_length=1, max_length=40)
    protocol_version: int = Field(ge=1)
    protocol_title: str = Field(min_length=1, max_length=60)
    participant_id: str = Field("", max_length=40)
    """The person, when known at the start; later ones are `attach` steps."""
    started_at: str = Field(min_length=1, max_length=40)
    started_by: str = Field(min_length=1, max_length=120)


class CrisisStep(BaseModel):
    event_id: str = Field(min_length=1, max_length=40)
    seq: int = Field(ge=1)
    step_id: str = Field(max_length=40)
    kind: str = Field(pattern=STEP_KIND_PATTERN)
    label: str = Field(max_length=120)
    answer: str = Field("", max_length=2000)
    at: str = Field(min_length=1, max_length=40)


class CrisisEventRow(CrisisEvent):
    id: str
    origin: str = ""


class CrisisStepRow(CrisisStep):
    id: str


class CrisisRecord(BaseModel):
    """One event with all of its steps, in order: what the summary and exports show."""

    event: CrisisEventRow
    steps: list[CrisisStepRow]

    @property
    def participant_id(self) -> str:
        attached = [s.answer for s in self.steps if s.kind == "attach"]
        return attached[-1] if attached else self.event.participant_id

    @property
    def end(self) -> CrisisStepRow | None:
        return next((s for s in self.steps if s.kind == "end"), None)

    @property
    def ended(self) -> bool:
        return self.end is not None

    @property
    def outcome(self) -> str:
        end = self.end
        return end.answer if end else ""

    @property
    def answers(self) -> list[CrisisStepRow]:
        """The steps that moved the checklist (everything but attach rows)."""
        return [s for s in self.steps if s.kind != "attach"]
