"""Consents to disclose (42 CFR Part 2): per-field records through the op log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import ValidationFailed
from coachdesk.models.consent import Consent, ConsentRow
from coachdesk.models.validation import first_problem
from coachdesk.store import people, records
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

TABLE = "consent"
_COLUMNS = "id, origin, " + ", ".join(Consent.model_fields)


def validate(data: dict[str, Any]) -> Consent:
    try:
        return Consent.model_validate(data)
    except ValidationError as exc:
        message = first_problem(exc).removeprefix("value: ")
        raise ValidationFailed(message.replace("String should have at least 1 character",
                                               "write something here")) from None


def add(vault: Vault, participant_id: str, data: dict[str, Any]) -> str:
    consent = validate({**data, "participant_id": participant_id})
    return records.create(vault, TABLE, consent.model_dump(mode="json"),
                          action="consent added", detail=f"participant={participant_id}")


def get(vault: Vault, consent_id: str) -> ConsentRow:
    return _row(one_row(vault.conn, f"SELECT {_COLUMNS} FROM {TABLE} WHERE id = ? AND deleted = 0",
                        (consent_id,), "no such consent"))


def revoke(vault: Vault, consent_id: str, on: dt.date | str) -> None:
    """Record that the consent was revoked (or its expiry event happened) on `on`."""
    consent = get(vault, consent_id)
    if consent.revoked_on is not None:
        raise ValidationFailed(f"already revoked on {consent.revoked_on.isoformat()}")
    data = consent.model_dump(mode="json", include=set(Consent.model_fields))
    data["revoked_on"] = on.isoformat() if isinstance(on, dt.date) else str(on).strip()
    checked = validate(data)
    records.update(vault, TABLE, consent_id,
                   {"revoked_on": checked.model_dump(mode="json")["revoked_on"]},
                   action="consent revoked", detail=f"participant={consent.participant_id}")


def set_kinds(vault: Vault, consent_id: str, kinds: list[str]) -> list[str]:
    """Record which kinds of information the consent covers (from the signed form)."""
    consent = get(vault, consent_id)
    checked = validate({**consent.model_dump(mode="json", include=set(Consent.model_fields)),
                        "kinds": kinds})
    return records.update(vault, TABLE, consent_id, {"kinds": checked.kinds},
                          current={"kinds": consent.kinds}, action="consent kinds set",
                          detail=f"participant={consent.participant_id}")


def _row(values: tuple[Any, ...]) -> ConsentRow:
    names = ["id", "origin", *Consent.model_fields]
    return ConsentRow.model_validate(dict(zip(names, values, strict=True)))


def for_participant(vault: Vault, participant_id: str) -> list[ConsentRow]:
    """Newest signed first."""
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    return [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE {same} AND deleted = 0 "
        "ORDER BY signed_on DESC, id DESC", ids)]
