"""A 42 CFR Part 2 consent to disclose: who may receive what, why, and until when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from coachdesk.models.consent_kinds import labels, parse_kinds


def _blank_is_none(value: object) -> object:
    return None if value in ("", None) else value


OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_is_none)]
Kinds = Annotated[list[str], BeforeValidator(parse_kinds)]


class Consent(BaseModel):
    """The fields of a consent record (one op per field)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    participant_id: str = Field(min_length=1)
    recipient: str = Field(min_length=1, max_length=120)
    purpose: str = Field(min_length=1, max_length=200)
    information: str = Field(min_length=1, max_length=300)
    signed_on: dt.date
    expires_on: OptionalDate = None
    expiry_event: str = Field("", max_length=200)
    revoked_on: OptionalDate = None
    kinds: Kinds = Field(default_factory=list)
    """What the consent covers, from the fixed kinds (assets/consent/kinds.toml). A consent
    saved before kinds existed has none: it covers nothing until the coach picks them."""

    @model_validator(mode="after")
    def _dates_make_sense(self) -> Consent:
        if self.signed_on > dt.date.today() + dt.timedelta(days=1):
            raise ValueError("signed on: the date is in the future")
        if self.expires_on is None and not self.expiry_event:
            raise ValueError("expiry: give an expiry date or the event that ends the consent")
        if self.expires_on is not None and self.expires_on < self.signed_on:
            raise ValueError("expires on: the consent would expire before it was signed")
        if self.revoked_on is not None and self.revoked_on < self.signed_on:
            raise ValueError("revoked on: the date is before the consent was signed")
        return self


class ConsentRow(Consent):
    id: str
    origin: str = ""

    def covers(self, kind: str) -> bool:
        return kind in self.kinds

    def covered_text(self) -> str:
        """'attendance, plan goals', or what an old consent's page says."""
        return labels(self.kinds) if self.kinds else NO_KINDS_YET


NO_KINDS_YET = "nothing yet: pick the kinds of information this consent covers"


def is_current(consent: Consent, today: dt.date) -> bool:
    """Signed, not revoked, and not past its expiry date (an expiry event ends it by revoking)."""
    if consent.signed_on > today:
        return False
    if consent.revoked_on is not None and consent.revoked_on <= today:
        return False
    return consent.expires_on is None or today <= consent.expires_on


def status_text(consent: Consent, today: dt.date) -> str:
    """'current until 2026-05-01', 'expired 2025-12-31', 'revoked 2026-01-04', ..."""
    if consent.revoked_on is not None and consent.revoked_on <= today:
        return f"revoked {consent.revoked_on.isoformat()}"
    if consent.expires_on is not None and today > consent.expires_on:
        return f"expired {consent.expires_on.isoformat()}"
    if consent.signed_on > today:
        return f"from {consent.signed_on.isoformat()}"
    if consent.expires_on is not None:
        return f"current until {consent.expires_on.isoformat()}"
    return f"current until {consent.expiry_event}"


def consent_warning(consents: Sequence[Consent], today: dt.date) -> str:
    """One line for the participant page, or '' when a consent is current."""
    if any(is_current(c, today) for c in consents):
        return ""
    expired = [c for c in consents if c.expires_on is not None and c.expires_on < today
               and c.revoked_on is None]
    if expired:
        last = max(c.expires_on for c in expired if c.expires_on is not None)
        return f"No current consent: the last one expired {last.isoformat()}"
    if consents:
        return "No current consent: every consent on file was revoked"
    return "No consent to disclose on file"
