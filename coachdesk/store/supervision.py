"""Supervision sessions and the items they leave a coach (records naming a `coach`, a
device id: private to that coach and the supervisors). Who may log a session is the team's
business (sync/supervision.py); this module writes and reads.

    log(vault, coaches, held_on=, minutes=, topics=, note=, items=)  one record per coach
    sessions(vault, coach=None) / items(vault, coach=None)            newest first / open first
    find_item(vault, query) / mark_done(vault, item_id)
    minutes_of(vault, coach)                                          supervision minutes
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coachdesk.errors import ValidationFailed
from coachdesk.ids import uuid7
from coachdesk.models.competency import checked_topics
from coachdesk.models.supervision import SupervisionItem, SupervisionSession
from coachdesk.models.validation import validated
from coachdesk.store import records
from coachdesk.store.vault import Vault

SESSION = "supervision_session"
ITEM = "supervision_item"
MAX_COACHES = 30
MAX_ITEMS = 20


@dataclass(frozen=True)
class SessionRow:
    id: str
    origin: str
    session: SupervisionSession


@dataclass(frozen=True)
class ItemRow:
    id: str
    origin: str
    item: SupervisionItem


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def log(vault: Vault, coaches: list[str], *, held_on: dt.date, minutes: int,
        topics: list[str], note: str = "", items: Sequence[str] = (), author: str = "",
        today: dt.date | None = None) -> list[str]:
    """A session with each coach (device ids; several: a group session, one record each
    sharing a group id) and its items for each coach. Everything checked first: a bad
    value is one line and nothing is written. Returns the session ids, in coach order."""
    coaches = list(dict.fromkeys(coaches))
    if not coaches:
        raise ValidationFailed("name the coach (or coaches) the session was with")
    if len(coaches) > MAX_COACHES:
        raise ValidationFailed(f"at most {MAX_COACHES} coaches in one session")
    if held_on > (today or dt.date.today()):
        raise ValidationFailed(f"the session date {held_on.isoformat()} is in the future")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(f"at most {MAX_ITEMS} items per session")
    group = len(coaches) > 1
    group_id = uuid7() if group else ""
    checked = checked_topics(list(topics))
    sessions = [validated(SupervisionSession, {
        "coach": coach, "held_on": held_on, "minutes": minutes,
        "format": "group" if group else "individual", "group_id": group_id,
        "topics": checked, "private_note": note, "author": author}) for coach in coaches]
    texts = [text for text in (t.strip() for t in items) if text]
    for text in texts:
        validated(SupervisionItem, {"coach": coaches[0], "text": text})
    ids: list[str] = []
    with vault.transaction():
        for session in sessions:
            session_id = records.create(vault, SESSION, session.model_dump(mode="json"),
                                        action="supervision session logged",
                                        detail=f"minutes={session.minutes}")
            ids.append(session_id)
            for text in texts:
                item = SupervisionItem(coach=session.coach, session_id=session_id, text=text)
                records.create(vault, ITEM, item.model_dump(mode="json"),
                               action="supervision item added", detail="")
    return ids


_SESSION_COLUMNS = ", ".join(("id", "origin", *SupervisionSession.model_fields))
_ITEM_COLUMNS = ", ".join(("id", "origin", *SupervisionItem.model_fields))


def _session(row: tuple[Any, ...]) -> SessionRow:
    fields = dict(zip(SupervisionSession.model_fields, row[2:], strict=True))
    return SessionRow(row[0], row[1], SupervisionSession.model_validate(fields))


def _item(row: tuple[Any, ...]) -> ItemRow:
    fields = dict(zip(SupervisionItem.model_fields, row[2:], strict=True))
    return ItemRow(row[0], row[1], SupervisionItem.model_construct(**fields))


def sessions(vault: Vault, coach: str | None = None) -> list[SessionRow]:
    """Sessions held here (all, or one coach's), newest first."""
    where, params = ("AND coach = ?", (coach,)) if coach else ("", ())
    return [_session(r) for r in vault.conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM {SESSION} WHERE deleted = 0 {where} "
        "ORDER BY held_on DESC, id DESC", params)]


def items(vault: Vault, coach: str | None = None) -> list[ItemRow]:
    """Items (all, or one coach's): open ones first, then done, oldest first within each."""
    where, params = ("AND coach = ?", (coach,)) if coach else ("", ())
    return [_item(r) for r in vault.conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM {ITEM} WHERE deleted = 0 {where} "
        "ORDER BY done_at != '', id", params)]


def find_item(vault: Vault, query: str) -> ItemRow:
    """An item by its id, or the unique end of it (`short_id`), else one line."""
    wanted = query.strip()
    if not wanted:
        raise ValidationFailed("name the item (its id or the end of it)")
    rows = vault.conn.execute(
        f"SELECT {_ITEM_COLUMNS} FROM {ITEM} WHERE deleted = 0 AND (id = ? OR substr(id, -?) = ?) "
        "LIMIT 2", (wanted, len(wanted), wanted)).fetchall()
    if not rows:
        raise ValidationFailed(f"no supervision item {wanted[:40]!r}")
    if len(rows) > 1:
        raise ValidationFailed(f"several items end with {wanted[:40]!r}: give more of the id")
    return _item(rows[0])


def short_id(row_id: str) -> str:
    """How an item is named on screen and on the command line (the random end of its id)."""
    return row_id[-8:]


def mark_done(vault: Vault, item_id: str, done: bool = True) -> None:
    records.update(vault, ITEM, item_id, {"done_at": _now() if done else ""},
                   action="supervision item done" if done else "supervision item reopened",
                   detail="")


def minutes_of(vault: Vault, coach: str) -> int:
    row = vault.conn.execute(f"SELECT coalesce(sum(minutes), 0) FROM {SESSION} "
                             "WHERE deleted = 0 AND coach = ?", (coach,)).fetchone()
    return int(row[0])
