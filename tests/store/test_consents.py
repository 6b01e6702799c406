"""Consent records: expiry by date or event, revocation, and the page warning."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.models.consent import Consent, consent_warning, is_current, status_text
from coachdesk.store import consents, participants
from coachdesk.store.vault import Vault
from tests.conftest import person

TODAY = dt.date(2026, 6, 15)


def consent(**extra: object) -> Consent:
    data: dict[str, object] = {"participant_id": "p", "recipient": "Clinic", "purpose": "care",
                               "information": "attendance", "signed_on": "2026-01-10",
                               "expires_on": "2026-06-15"}
    data.update(extra)
    return Consent.model_validate(data)


def test_is_current_by_date_event_and_revocation() -> None:
    assert is_current(consent(), TODAY)  # the expiry day itself still counts
    assert not is_current(consent(), TODAY + dt.timedelta(days=1))
    assert not is_current(consent(signed_on="2026-06-16", expires_on="2026-12-01"), TODAY)
    by_event = consent(expires_on="", expiry_event="end of treatment")
    assert is_current(by_event, TODAY) and is_current(by_event, dt.date(2040, 1, 1))
    assert not is_current(consent(revoked_on="2026-06-15"), TODAY)
    assert is_current(consent(revoked_on="2026-06-16"), TODAY)
    assert status_text(consent(), TODAY + dt.timedelta(days=3)) == "expired 2026-06-15"
    assert status_text(by_event, TODAY) == "current until end of treatment"
    assert status_text(consent(revoked_on="2026-02-01"), TODAY) == "revoked 2026-02-01"


def test_warning_when_none_is_current() -> None:
    assert consent_warning([], TODAY) == "No consent to disclose on file"
    expired = consent(expires_on="2026-03-01")
    assert consent_warning([expired], TODAY) == "No current consent: the last one expired 2026-03-01"
    assert consent_warning([expired, consent()], TODAY) == ""
    assert "revoked" in consent_warning([consent(revoked_on="2026-02-01")], TODAY)


@pytest.mark.parametrize(("extra", "message"), [
    ({"expires_on": ""}, "give an expiry date or the event"),
    ({"expires_on": "2025-12-31"}, "expire before it was signed"),
    ({"expires_on": "2026-02-30"}, "expires on"),
    ({"signed_on": "yesterday"}, "signed on"),
    ({"recipient": "  "}, "recipient: write something here"),
    ({"signed_on": (dt.date.today() + dt.timedelta(days=9)).isoformat(),
      "expires_on": "2099-01-01"}, "in the future"),
])
def test_bad_consents_are_refused_and_nothing_is_written(vault: Vault, extra: dict[str, str],
                                                         message: str) -> None:
    pid = participants.create(vault, person())
    ops_before = vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    data = {"recipient": "Clinic", "purpose": "care", "information": "attendance",
            "signed_on": "2026-01-10", "expires_on": "2026-06-15", **extra}
    with pytest.raises(ValidationFailed, match=message):
        consents.add(vault, pid, data)
    assert vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == ops_before
    assert consents.for_participant(vault, pid) == []


def test_add_and_revoke_go_through_the_op_log(vault: Vault) -> None:
    pid = participants.create(vault, person())
    cid = consents.add(vault, pid, {"recipient": "Clinic", "purpose": "care",
                                    "information": "attendance", "signed_on": "2026-01-10",
                                    "expiry_event": "end of treatment"})
    [row] = consents.for_participant(vault, pid)
    assert row.id == cid and row.expires_on is None and row.revoked_on is None
    with pytest.raises(ValidationFailed, match="before the consent was signed"):
        consents.revoke(vault, cid, "2025-01-01")
    consents.revoke(vault, cid, dt.date(2026, 2, 1))
    assert consents.get(vault, cid).revoked_on == dt.date(2026, 2, 1)
    with pytest.raises(ValidationFailed, match="already revoked"):
        consents.revoke(vault, cid, dt.date(2026, 3, 1))
    fields = {r[0] for r in vault.conn.execute("SELECT field FROM ops WHERE tbl = 'consent'")}
    assert "revoked_on" in fields and "recipient" in fields
    actions = [r[0] for r in vault.conn.execute("SELECT action FROM audit WHERE tbl = 'consent'")]
    assert actions == ["consent added", "consent revoked"]
