"""The coach's ledger: training and continuing-education lines (synced, private to the
coach and the supervisors), and the hours counted against a credential: supervision from
sessions, experience from the minutes of the coach's own finalized notes.

    add(vault, values, domains) -> id     one line; more than 24 hours in a day refused
    entries(vault, coach)                 newest first
    hours(vault, coach) -> CoachHours
    earned(vault, credential_id) / set_earned(...)   when the coach earned it (local)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from coachdesk.errors import ValidationFailed
from coachdesk.models.credential import CoachHours
from coachdesk.models.supervision import TrainingEntry
from coachdesk.models.validation import validated
from coachdesk.store import records, supervision
from coachdesk.store.vault import Vault

TABLE = "training_entry"
DAY_HOURS = 24.0
_COLUMNS = ", ".join(("id", "origin", *TrainingEntry.model_fields))
_EARNED_KEY = "credential_earned"


@dataclass(frozen=True)
class EntryRow:
    id: str
    entry: TrainingEntry


def add(vault: Vault, values: dict[str, Any], domains: Collection[str],
        today: dt.date | None = None) -> str:
    """A ledger line for this vault's coach. `domains`: the domain ids the credentials know
    ("" = none given). One line and nothing written on a bad value."""
    entry = validated(TrainingEntry, {**values, "coach": vault.device})
    if entry.domain and entry.domain not in domains:
        raise ValidationFailed(f"unknown domain {entry.domain[:40]!r}: one of "
                               f"{', '.join(sorted(domains))}")
    if entry.taken_on > (today or dt.date.today()):
        raise ValidationFailed(f"the date {entry.taken_on.isoformat()} is in the future")
    that_day = vault.conn.execute(
        f"SELECT coalesce(sum(hours), 0) FROM {TABLE} WHERE deleted = 0 AND coach = ? "
        "AND taken_on = ?", (vault.device, entry.taken_on.isoformat())).fetchone()[0]
    if float(that_day) + entry.hours > DAY_HOURS:
        raise ValidationFailed(f"hours: {entry.taken_on.isoformat()} would have more than "
                               f"{DAY_HOURS:g} hours (already {float(that_day):g})")
    return records.create(vault, TABLE, entry.model_dump(mode="json"),
                          action="ledger line added", detail=f"hours={entry.hours:g}")


def entries(vault: Vault, coach: str) -> list[EntryRow]:
    rows = vault.conn.execute(f"SELECT {_COLUMNS} FROM {TABLE} WHERE deleted = 0 AND coach = ? "
                              "ORDER BY taken_on DESC, id DESC", (coach,)).fetchall()
    return [EntryRow(r[0], TrainingEntry.model_validate(
        dict(zip(TrainingEntry.model_fields, r[2:], strict=True)))) for r in rows]


def experience_minutes(vault: Vault, coach: str) -> int:
    """Minutes of the coach's own finalized notes (written on their device)."""
    row = vault.conn.execute("SELECT coalesce(sum(duration_min), 0) FROM note WHERE deleted = 0 "
                             "AND status = 'final' AND origin = ?", (coach,)).fetchone()
    return int(row[0])


def hours(vault: Vault, coach: str) -> CoachHours:
    training: dict[str, float] = {}
    continuing: list[tuple[dt.date, str, float]] = []
    for row in entries(vault, coach):
        entry = row.entry
        if entry.kind == "training":
            training[entry.domain] = training.get(entry.domain, 0.0) + entry.hours
        continuing.append((entry.taken_on, entry.domain, entry.hours))
    return CoachHours(experience=experience_minutes(vault, coach) / 60,
                      supervision=supervision.minutes_of(vault, coach) / 60,
                      training=training, continuing=continuing)


def earned(vault: Vault) -> dict[str, dt.date]:
    """Credential id -> the day this coach earned it (kept in this vault only)."""
    row = vault.conn.execute("SELECT value FROM setting WHERE key = ?", (_EARNED_KEY,)).fetchone()
    if not row:
        return {}
    try:
        return {k: dt.date.fromisoformat(v) for k, v in json.loads(row[0]).items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def set_earned(vault: Vault, credential_id: str, day: dt.date, today: dt.date | None = None) -> None:
    if day > (today or dt.date.today()):
        raise ValidationFailed(f"the date {day.isoformat()} is in the future")
    held = {k: v.isoformat() for k, v in earned(vault).items()}
    held[credential_id] = day.isoformat()
    with vault.transaction() as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value", (_EARNED_KEY, json.dumps(held)))
        records.audited(vault, "credential date set", detail=credential_id)
