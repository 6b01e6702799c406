"""Referrals to services in the resource directory, and the disclosure log (42 CFR Part 2)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ReferralStatus(StrEnum):
    SUGGESTED = "suggested"
    CONTACTED = "contacted"
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    DECLINED = "declined"


class MessageOk(StrEnum):
    """May a service leave a message for the person (voicemail, text, with whoever answers)?"""

    UNKNOWN = ""
    YES = "yes"
    NO = "no"


MESSAGE_OK_TEXT: dict[MessageOk, str] = {
    MessageOk.UNKNOWN: "not asked yet: do not leave a message",
    MessageOk.YES: "yes",
    MessageOk.NO: "no: do not leave a message",
}


class Referral(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1)
    resource_id: str = Field(min_length=1)
    referred_on: dt.date
    status: ReferralStatus = ReferralStatus.SUGGESTED
    follow_up_on: dt.date | None = None
    note: str = Field("", max_length=200)
    reason: str = Field("", max_length=300)
    """Why the person is referred (the warm-handoff packet's first line)."""
    message_ok: MessageOk = MessageOk.UNKNOWN
    best_time: str = Field("", max_length=60)
    """When the person is best reached, in their words ("weekday mornings")."""

    @field_validator("follow_up_on", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value


class Disclosure(BaseModel):
    """One consented disclosure outside the program: what, to whom, why, when, which consent."""

    participant_id: str = Field(min_length=1)
    consent_id: str = Field(min_length=1)
    what: str = Field(min_length=1, max_length=200)
    recipient: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=200)
    disclosed_on: dt.date
    author: str
