"""Service units (issue 22, item 1): how a contact's minutes become billable units, by a
payer's rule kept as data (assets/billing/*.toml; an agency's own in the config folder's
`billing/`), and the daily cap per person applied over a day's contacts.

    load_rules(extra_dir) / rule(extra_dir, id)   the billing rules
    units(rule, minutes)                          units of one contact (rounding)
    capped(rule, contacts)                        each contact's units, billable units and
                                                  whether it went over the day's cap
A contact over the cap is flagged, never cut: its units stay in every total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coachdesk.errors import ValidationFailed
from coachdesk.models.datafile import load, pick
from coachdesk.models.note import MAX_DURATION_MIN, ContactType

FOLDER = "billing"
_ID = r"^[a-z][a-z0-9_]{0,59}$"
_CODE = re.compile(r"^[A-Za-z0-9.\-]{0,20}$")

EXTRACT_COLUMNS = ("participant_code", "service_date", "service_code", "minutes", "units",
                   "billable_units", "over_cap")


class BillingRule(BaseModel):
    """One payer's rule: unit length, rounding of a partial unit, daily cap, codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    unit_minutes: int = Field(ge=1, le=240)
    partial_unit_from: int = Field(ge=1, le=240)
    """A partial unit counts once it has this many minutes."""
    daily_cap_units: int = Field(0, ge=0, le=1000)
    """0: no cap."""
    codes: dict[str, str] = Field(default_factory=dict)
    """Contact type -> service code ("" = not billable)."""
    extract: dict[str, str] = Field(default_factory=dict)
    """Column key -> header text, in order (EXTRACT_COLUMNS)."""

    @model_validator(mode="after")
    def _consistent(self) -> BillingRule:
        if self.partial_unit_from > self.unit_minutes:
            raise ValueError("partial_unit_from is longer than a unit")
        known = {c.value for c in ContactType}
        for kind, code in self.codes.items():
            if kind not in known:
                raise ValueError(f"unknown contact type {kind!r} under [codes]")
            if not _CODE.match(code):
                raise ValueError(f"service code {code[:30]!r} is not a code")
        for column in self.extract:
            if column not in EXTRACT_COLUMNS:
                raise ValueError(f"unknown field 'extract.{column}'")
        return self

    def code_for(self, contact_type: str) -> str:
        return self.codes.get(contact_type, "")


def load_rules(extra_dir: Path | None) -> dict[str, BillingRule]:
    return load(FOLDER, BillingRule, extra_dir)


def rule(extra_dir: Path | None, wanted: str | None = None) -> BillingRule:
    return pick(load_rules(extra_dir), wanted, "billing rule")


def check_minutes(minutes: int) -> int:
    """Minutes of a contact, or one line: never negative, never over 24 hours."""
    if minutes < 0:
        raise ValidationFailed(f"minutes cannot be negative ({minutes})")
    if minutes > MAX_DURATION_MIN:
        raise ValidationFailed(f"{minutes} minutes is more than 24 hours")
    return minutes


def units(rule: BillingRule, minutes: int) -> int:
    """Units of one contact: whole units, plus one for a partial unit of at least
    `partial_unit_from` minutes."""
    whole, rest = divmod(check_minutes(minutes), rule.unit_minutes)
    return whole + (1 if rest and rest >= rule.partial_unit_from else 0)


@dataclass(frozen=True)
class Contact:
    """A finalized contact as billing sees it (no text of it)."""

    id: str
    participant_id: str
    day: str
    """YYYY-MM-DD of the contact."""
    at: str
    """When it started (orders a day's contacts)."""
    minutes: int
    contact_type: str
    coach: str
    """The coach's name as the note was signed."""
    device: str = ""
    """The device that wrote the note (the dashboard counts per coach by it)."""


@dataclass(frozen=True)
class Billed:
    contact: Contact
    code: str
    units: int
    billable: int
    """Units within the day's cap (the rest are over it)."""

    @property
    def over_cap(self) -> bool:
        return self.billable < self.units


def capped(rule: BillingRule, contacts: Iterable[Contact]) -> list[Billed]:
    """Each billable contact (one with a service code), its units and the part of them
    within the person's daily cap, in the order of the day. Contacts with no code are left
    out; units over the cap are kept and flagged."""
    ordered = sorted(contacts, key=lambda c: (c.participant_id, c.day, c.at, c.id))
    used: dict[tuple[str, str], int] = {}
    out: list[Billed] = []
    for contact in ordered:
        code = rule.code_for(contact.contact_type)
        if not code:
            continue
        n = units(rule, contact.minutes)
        key = (contact.participant_id, contact.day)
        before = used.get(key, 0)
        used[key] = before + n
        room = n if not rule.daily_cap_units else max(0, min(n, rule.daily_cap_units - before))
        out.append(Billed(contact, code, n, room))
    return out
