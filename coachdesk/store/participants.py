"""Participants: the roster. Writes go through the op log; reads are plain SQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from coachdesk.errors import CoachdeskError
from coachdesk.models import Participant, ParticipantRow, ParticipantType, Status, name_match
from coachdesk.models.participant import WORKED_OUT
from coachdesk.models.validation import validated
from coachdesk.store import people, records, scope
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

TABLE = "participant"
_COLUMNS = "id, origin, " + ", ".join(Participant.model_fields) + ", primary_coach, secondary_coach"
CARD = "participant_card"
"""The participant joined with its caseload record (migration 0017)."""
CASELOAD = "caseload"


def validate(data: dict[str, Any]) -> Participant:
    return validated(Participant, data)


def create(vault: Vault, data: dict[str, Any] | Participant) -> str:
    """A new person; the coach who adds them is their primary coach unless one is given."""
    participant = data if isinstance(data, Participant) else validate(data)
    with vault.transaction():
        row_id = records.create(vault, TABLE, participant.model_dump(mode="json"))
        records.create(vault, CASELOAD, {"primary_coach": vault.device}, row_id=row_id,
                       action=None)
    return row_id


def set_coaches(vault: Vault, row_id: str, primary: str, secondary: str) -> list[str]:
    """Write the person's caseload record (who coaches them), changed fields only."""
    row = vault.conn.execute("SELECT primary_coach, secondary_coach FROM caseload WHERE id = ?",
                             (row_id,)).fetchone()
    current = {"primary_coach": row[0], "secondary_coach": row[1]} if row else None
    return records.update(vault, CASELOAD, row_id,
                          {"primary_coach": primary, "secondary_coach": secondary},
                          current=current)


def update(vault: Vault, row_id: str, changes: dict[str, Any]) -> list[str]:
    """Validate the whole record with the changes applied; write only changed fields.
    A change that may close the record goes through `store.closing` (schedules stop)."""
    current = get(vault, row_id, audited=False)
    merged = current.model_dump(mode="json", include=set(Participant.model_fields))
    merged.update(changes)
    new = validate(merged).model_dump(mode="json")
    old = Participant.model_validate(
        current.model_dump(include=set(Participant.model_fields))
    ).model_dump(mode="json")
    return records.update(vault, TABLE, row_id, new, current=old)


def delete(vault: Vault, row_id: str) -> None:
    records.tombstone(vault, TABLE, row_id)


_NAMES = ("id", "origin", *Participant.model_fields, "primary_coach", "secondary_coach")


def _row(values: tuple[Any, ...]) -> ParticipantRow:
    """A stored row, without re-validation (values were validated when written; a bad
    value from a peer's bundle must not make the roster fail): fast and forgiving."""
    data = dict(zip(_NAMES, values, strict=True))
    try:
        data["intake_date"] = dt.date.fromisoformat(data["intake_date"])
    except (TypeError, ValueError):
        data["intake_date"] = dt.date.today()
    try:
        data["kind"] = ParticipantType(data["kind"])
    except ValueError:
        data["kind"] = ParticipantType.PERSON_IN_RECOVERY
    try:
        data["status"] = Status(data["status"])
    except ValueError:
        data["status"] = Status.ACTIVE
    try:
        flags = json.loads(data["safety_flags"] or "[]")
        data["safety_flags"] = [f for f in flags if isinstance(f, str) and f != WORKED_OUT]
    except (TypeError, ValueError):
        data["safety_flags"] = []
    try:
        tags = json.loads(data["preferences"] or "[]")
        data["preferences"] = [t for t in tags if isinstance(t, str)]
    except (TypeError, ValueError):
        data["preferences"] = []
    data["adult_confirmed"] = bool(data["adult_confirmed"])
    return ParticipantRow.model_construct(**data)


def get(vault: Vault, row_id: str, *, audited: bool = True) -> ParticipantRow:
    """The person by id; an id merged into another person gives that person."""
    row_id = people.person_of(vault.conn, row_id)
    found = one_row(vault.conn, f"SELECT {_COLUMNS} FROM {CARD} WHERE id = ? AND deleted = 0",
                    (row_id,), "no such participant")
    if audited:
        vault.audit("participant viewed", TABLE, row_id)
    return _row(found)


PRIMARY_SQL = scope.PRIMARY_SQL

COACH_ROLES = ("either", "primary", "secondary")


def aliases(vault: Vault) -> dict[str, str]:
    """id -> alias of every record, merged ones too (names for lists of other records:
    one light query, not a row object per person)."""
    return dict(vault.conn.execute(f"SELECT id, alias FROM {TABLE} WHERE deleted = 0"))


def names_and_status(vault: Vault) -> list[tuple[str, str, str, str]]:
    """(id, alias, status, pathway) of everyone on the roster, alias order (light)."""
    return vault.conn.execute(
        f"SELECT id, alias, status, pathway FROM {CARD} WHERE deleted = 0 "
        "ORDER BY alias COLLATE NOCASE").fetchall()


def may_hold_typo(text: str) -> bool:
    """Whether `roster` would look for near matches of `text` when none matches as typed."""
    return any(len(w) >= name_match.TYPO_MIN for w in name_match.words_of(text))


def roster(vault: Vault, text: str = "", status: Status | None = Status.ACTIVE,
           limit: int = 500, *, coach: str = "", role: str = "either",
           near: bool = True) -> list[ParticipantRow]:
    """Participants whose alias (or phone) holds every word of `text`, in any order, alias
    order; when none does (and `near`), those that match but for a typo
    (models/name_match), best first: that reads every name, so the roster asks for it
    off the UI thread. With `coach` (a device id) only that coach's people: as `role`
    "primary", "secondary" or "either"."""
    where = "deleted = 0"
    args: list[Any] = []
    if coach:
        if role not in COACH_ROLES:
            raise ValueError(f"role must be one of {COACH_ROLES}")
        wanted = {"primary": f"{PRIMARY_SQL} = ?", "secondary": "secondary_coach = ?",
                  "either": f"({PRIMARY_SQL} = ? OR secondary_coach = ?)"}[role]
        where += f" AND {wanted}"
        args += [coach] * wanted.count("?")
    if status is not None:
        where += " AND status = ?"
        args.append(status.value)
    words = text.split()
    found = _roster_where(vault, where, args, words, limit)
    if found or not near or not may_hold_typo(text):
        return found
    return _roster_near(vault, where, args, text, limit)


def _roster_where(vault: Vault, where: str, args: list[Any], words: list[str],
                  limit: int) -> list[ParticipantRow]:
    """Every word in the alias or the phone (`%` and `_` are letters here)."""
    sql = f"SELECT {_COLUMNS} FROM {CARD} WHERE {where}"
    args = list(args)
    for word in words:
        sql += " AND (alias LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\')"
        args += [name_match.like_pattern(word)] * 2
    sql += " ORDER BY alias COLLATE NOCASE LIMIT ?"
    args.append(limit)
    return [_row(r) for r in vault.conn.execute(sql, args)]


def _roster_near(vault: Vault, where: str, args: list[Any], text: str,
                 limit: int) -> list[ParticipantRow]:
    """Those matching `text` but for a typo, best first (only names and phones are read
    to score them, then the rows shown)."""
    scored = []
    for row_id, alias, phone in vault.conn.execute(
            f"SELECT id, alias, phone FROM {CARD} WHERE {where}", args):
        cost = name_match.score(text, alias or "", phone or "")
        if cost is not None:
            scored.append((cost, (alias or "").casefold(), row_id))
    ids = [row_id for *_, row_id in sorted(scored)[:limit]]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = {r[0]: _row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM {CARD} WHERE id IN ({marks})", ids)}
    return [rows[i] for i in ids if i in rows]


def find(vault: Vault, alias_or_id: str) -> ParticipantRow:
    """One participant by id, exact alias, or a unique alias prefix (for the CLI)."""
    conn = vault.conn
    hits = conn.execute(
        f"SELECT {_COLUMNS} FROM {CARD} WHERE deleted = 0 AND (id = ? OR alias = ? "
        "COLLATE NOCASE)", (alias_or_id, alias_or_id)).fetchall()
    if not hits:
        hits = conn.execute(
            f"SELECT {_COLUMNS} FROM {CARD} WHERE deleted = 0 AND alias LIKE ? || '%'",
            (alias_or_id,)).fetchall()
    if len(hits) != 1:
        raise CoachdeskError(
            f"no participant matches {alias_or_id!r}" if not hits
            else f"{len(hits)} participants match {alias_or_id!r}: be more specific")
    return _row(hits[0])


def coach_counts(vault: Vault, status: Status | None = Status.ACTIVE) -> dict[str, tuple[int, int]]:
    """People per coach (device id): (as primary, as secondary), in one pass."""
    where = "deleted = 0" + (" AND status = ?" if status is not None else "")
    args: tuple[Any, ...] = (status.value,) if status is not None else ()
    counts: dict[str, list[int]] = {}
    for device, n in vault.conn.execute(
            f"SELECT {PRIMARY_SQL}, count(*) FROM {CARD} WHERE {where} GROUP BY 1", args):
        counts.setdefault(device, [0, 0])[0] += n
    for device, n in vault.conn.execute(
            f"SELECT secondary_coach, count(*) FROM {CARD} WHERE {where} "
            "AND secondary_coach != '' GROUP BY 1", args):
        counts.setdefault(device, [0, 0])[1] += n
    return {device: (n[0], n[1]) for device, n in counts.items()}


def count(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM participant WHERE deleted = 0").fetchone()[0])


def look_alikes(vault: Vault, alias: str, phone: str = "",
                except_id: str = "") -> list[ParticipantRow]:
    """People already here (active or closed) whose name matches `alias` in any order
    with a typo, or whose phone is the same number: a new record may be a duplicate."""
    from coachdesk.models.look_alike import same_name, same_phone

    hits = [row_id for row_id, name, number in vault.conn.execute(
                "SELECT id, alias, phone FROM participant WHERE deleted = 0 AND id != ?",
                (except_id,))
            if same_name(alias, name) or (phone and same_phone(phone, number))]
    return [get(vault, row_id, audited=False) for row_id in hits[:5]]
