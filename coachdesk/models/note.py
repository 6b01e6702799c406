"""Session notes, their addenda and action items: one definition of each record."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Setting(StrEnum):
    ED = "emergency department"
    COURT = "court"
    OUTPATIENT = "outpatient"
    COMMUNITY = "community/outreach"
    PHONE = "phone"
    VIDEO = "video"
    OTHER = "other"


class ContactType(StrEnum):
    """The four functions of peer support (in our words), a check-in, an outreach attempt,
    and support during or right after a crisis (a note started from a crisis checklist)."""

    DAILY = "recovery day to day"
    SUPPORT = "social & emotional support"
    LINKAGE = "linking to care & resources"
    ONGOING = "ongoing support"
    CHECK_IN = "check-in"
    OUTREACH = "outreach attempt"
    CRISIS = "crisis support"


class NoteStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Owner(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    OTHER = "other"


MAX_DURATION_MIN = 24 * 60


class Note(BaseModel):
    """The fields of a note record (one op per field). The draft body lives locally."""

    model_config = ConfigDict(str_strip_whitespace=False)

    participant_id: str = Field(min_length=1)
    occurred_at: str = Field(min_length=16, max_length=40)
    duration_min: int = Field(0, ge=0, le=MAX_DURATION_MIN)
    setting: Setting | Literal[""] = ""
    """'' until chosen: finalizing asks for it (reports count contacts by setting)."""
    contact_type: ContactType | Literal[""] = ""
    read_back: bool = False
    template: str = Field("free", max_length=40)
    body: str = Field("", max_length=200_000)
    status: NoteStatus = NoteStatus.DRAFT
    finalized_at: str = ""
    author: str = ""


class NoteRow(Note):
    id: str
    origin: str = ""
    draft_body: str | None = None
    """The locally autosaved body of a draft (None: no local draft)."""

    @property
    def is_final(self) -> bool:
        return self.status == NoteStatus.FINAL

    @property
    def text(self) -> str:
        return self.body if self.is_final or self.draft_body is None else self.draft_body


REPORT_FIELDS = ("duration_min", "setting", "contact_type")
"""What the monthly report needs of a note: finalizing asks for those still missing."""


def missing_for_report(note: Note) -> list[str]:
    """The report fields this note has not set yet (0 minutes counts as not set)."""
    return [name for name in REPORT_FIELDS if not getattr(note, name)]


class Addendum(BaseModel):
    note_id: str = Field(min_length=1)
    body: str = Field(min_length=1, max_length=50_000)
    at: str
    author: str = ""


class AddendumRow(Addendum):
    id: str
    origin: str = ""


class ActionItem(BaseModel):
    participant_id: str = Field(min_length=1)
    note_id: str = ""
    text: str = Field(min_length=1, max_length=500)
    owner: Owner = Owner.COACH
    due: str = ""
    done_at: str = ""


class ActionItemRow(ActionItem):
    id: str
    origin: str = ""
