"""Referrals (per participant, to a service in the directory) and the disclosure log.

A disclosure outside the program needs a CURRENT consent; it is recorded, append-only,
in the same transaction as the audit entry, and every disclosed document carries the
redisclosure notice (assets/notices/redisclosure.txt).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from coachdesk import shipped
from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.consent import ConsentRow, is_current
from coachdesk.models.referral import Disclosure, Referral, ReferralStatus
from coachdesk.models.validation import validated
from coachdesk.store import consents, people, records
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

TABLE = "referral"
DISCLOSURE = "disclosure"


@dataclass(frozen=True)
class ReferralView:
    id: str
    participant_id: str
    resource_id: str
    resource_name: str
    resource_kind: str
    referred_on: str
    status: str
    follow_up_on: str
    note: str
    reason: str = ""
    message_ok: str = ""
    best_time: str = ""


def _validated(model: type[Referral] | type[Disclosure], data: dict[str, Any]) -> Any:
    return validated(model, data)


def _stored(referral: Referral) -> dict[str, Any]:
    data = referral.model_dump(mode="json")
    data["follow_up_on"] = data["follow_up_on"] or ""
    return data


def add(vault: Vault, participant_id: str, resource_id: str, *, status: str = "suggested",
        follow_up_on: str | dt.date | None = None, note: str = "",
        referred_on: dt.date | None = None) -> str:
    referral = _validated(Referral, {
        "participant_id": participant_id, "resource_id": resource_id,
        "referred_on": referred_on or dt.date.today(), "status": status,
        "follow_up_on": follow_up_on, "note": note})
    if not vault.conn.execute("SELECT 1 FROM resource WHERE id = ? AND deleted = 0",
                              (resource_id,)).fetchone():
        raise ValidationFailed("choose a service from the directory")
    return records.create(vault, TABLE, _stored(referral))


def update(vault: Vault, referral_id: str, **changes: Any) -> list[str]:
    """Change status, follow-up date, note or the handoff details (reason, message_ok,
    best_time); validated as a whole, written per field."""
    current = get(vault, referral_id)
    data = {"participant_id": current.participant_id, "resource_id": current.resource_id,
            "referred_on": current.referred_on, "status": current.status,
            "follow_up_on": current.follow_up_on, "note": current.note,
            "reason": current.reason, "message_ok": current.message_ok,
            "best_time": current.best_time}
    old = _stored(_validated(Referral, data))
    data.update(changes)
    new = _stored(_validated(Referral, data))
    return records.update(vault, TABLE, referral_id, new, current=old)


_VIEW = ("SELECT r.id, r.participant_id, r.resource_id, coalesce(s.name, '(removed service)'), "
         "coalesce(s.kind, 'other'), r.referred_on, r.status, r.follow_up_on, r.note, "
         "r.reason, r.message_ok, r.best_time "
         "FROM referral r LEFT JOIN resource s ON s.id = r.resource_id WHERE r.deleted = 0")


def get(vault: Vault, referral_id: str) -> ReferralView:
    row = one_row(vault.conn, _VIEW + " AND r.id = ?", (referral_id,), "no such referral")
    return ReferralView(*row)


def for_participant(vault: Vault, participant_id: str) -> list[ReferralView]:
    same, ids = people.matching(vault.conn, "r.participant_id", participant_id)
    return [ReferralView(*r) for r in vault.conn.execute(
        _VIEW + f" AND {same} ORDER BY r.referred_on DESC, r.id DESC", ids)]


def due_followups(vault: Vault, until: dt.date) -> list[ReferralView]:
    """Open referrals (not attended or declined) whose follow-up date is on or before `until`."""
    return [ReferralView(*r) for r in vault.conn.execute(
        _VIEW + " AND r.follow_up_on != '' AND r.follow_up_on <= ? AND r.status NOT IN "
        "('attended', 'declined') ORDER BY r.follow_up_on", (until.isoformat(),))]


STATUSES = [s.value for s in ReferralStatus]


# ---- disclosures ----------------------------------------------------------------------

def redisclosure_notice() -> str:
    text = shipped.text("notices", "redisclosure.txt")
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()


def current_consents(vault: Vault, participant_id: str, today: dt.date | None = None
                     ) -> list[ConsentRow]:
    today = today or dt.date.today()
    return [c for c in consents.for_participant(vault, participant_id) if is_current(c, today)]


def _current_consent(vault: Vault, participant_id: str, consent_id: str,
                     today: dt.date) -> ConsentRow:
    """The consent, if it is this person's and current; else one line."""
    consent = next((c for c in consents.for_participant(vault, participant_id)
                    if c.id == consent_id), None)
    if consent is None:
        raise CoachdeskError("that consent does not belong to this person")
    if not is_current(consent, today):
        raise CoachdeskError("that consent is not current: nothing may be disclosed under it")
    return consent


def consent_for_disclosure(vault: Vault, participant_id: str, consent_id: str,
                           today: dt.date | None = None) -> ConsentRow:
    """The consent, if it is this person's, current, and covers at least one kind."""
    consent = _current_consent(vault, participant_id, consent_id, today or dt.date.today())
    if not consent.kinds:
        raise CoachdeskError(f"the consent to {consent.recipient} covers no kind of information "
                             "yet: pick what it covers on the Consents page first")
    return consent


def record_disclosure(vault: Vault, participant_id: str, consent_id: str, what: str,
                      today: dt.date | None = None) -> str:
    """Refuse unless the consent is this person's and current; then log it (append-only).
    `what` names the document and the kinds of information it carried."""
    today = today or dt.date.today()
    consent = _current_consent(vault, participant_id, consent_id, today)
    disclosure = _validated(Disclosure, {
        "participant_id": participant_id, "consent_id": consent_id, "what": what,
        "recipient": consent.recipient, "purpose": consent.purpose, "disclosed_on": today,
        "author": vault.coach})
    return records.append(vault, DISCLOSURE, disclosure.model_dump(mode="json"))


def disclosures(vault: Vault, participant_id: str) -> list[tuple[str, str, str, str]]:
    """(date, recipient, what, purpose), newest first: the accounting of disclosures."""
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    return vault.conn.execute(
        "SELECT disclosed_on, recipient, what, purpose FROM disclosure WHERE deleted = 0 AND "
        f"{same} ORDER BY disclosed_on DESC, id DESC", ids).fetchall()
