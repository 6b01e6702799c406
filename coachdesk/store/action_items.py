"""Action items: follow-ups from notes (or added by hand), each with an owner and a due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import ValidationFailed
from coachdesk.models.note import ActionItem, ActionItemRow
from coachdesk.models.validation import first_problem
from coachdesk.store import people, records
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

TABLE = "action_item"
_NAMES = ("id", "origin", *ActionItem.model_fields)
_COLUMNS = ", ".join("a." + n for n in _NAMES)


@dataclass(frozen=True)
class Listed:
    item: ActionItemRow
    alias: str

    def group(self, today: dt.date) -> str:
        if self.item.done_at:
            return "done"
        if self.item.due and self.item.due < today.isoformat():
            return "overdue"
        if self.item.due == today.isoformat():
            return "today"
        return "upcoming"


GROUPS = ("overdue", "today", "upcoming", "done")


def _row(values: tuple[object, ...]) -> ActionItemRow:
    fields: dict[str, Any] = dict(zip(_NAMES, values, strict=True))
    return ActionItemRow.model_construct(**fields)


def add(vault: Vault, data: dict[str, object]) -> str:
    try:
        item = ActionItem.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None
    return records.create(vault, TABLE, item.model_dump(mode="json"), action="action item added")


def everything(vault: Vault, today: dt.date, done_days: int = 30) -> list[Listed]:
    """Open items of active people by due date (no date last), then items done lately."""
    since = (today - dt.timedelta(days=done_days)).isoformat()
    rows = vault.conn.execute(
        f"SELECT {_COLUMNS}, p.alias FROM action_item a JOIN participant p "
        "ON p.id = a.participant_id AND p.deleted = 0 LEFT JOIN note n ON n.id = a.note_id "
        "WHERE a.deleted = 0 AND (a.note_id = '' OR n.deleted = 0) "
        "AND (a.done_at = '' OR a.done_at >= ?) "
        "ORDER BY a.done_at != '', a.due = '', a.due, a.id", (since,)).fetchall()
    return [Listed(_row(r[:-1]), r[-1]) for r in rows]


def open_for(vault: Vault, participant_id: str) -> list[ActionItemRow]:
    same, ids = people.matching(vault.conn, "a.participant_id", participant_id)
    return [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM action_item a LEFT JOIN note n ON n.id = a.note_id "
        f"WHERE {same} AND a.deleted = 0 AND a.done_at = '' "
        "AND (a.note_id = '' OR n.deleted = 0) ORDER BY a.due = '', a.due", ids)]


def overdue_counts(vault: Vault, today: dt.date | None = None) -> dict[str, int]:
    """participant id -> number of open items past their due date (one query)."""
    day = (today or dt.date.today()).isoformat()
    return dict(vault.conn.execute(
        "SELECT a.participant_id, count(*) FROM action_item a LEFT JOIN note n ON n.id = a.note_id "
        "WHERE a.deleted = 0 AND a.done_at = '' AND a.due != '' AND a.due < ? "
        "AND (a.note_id = '' OR n.deleted = 0) GROUP BY a.participant_id", (day,)).fetchall())


def mark_done(vault: Vault, item_id: str, done: bool = True) -> None:
    one_row(vault.conn, "SELECT done_at FROM action_item WHERE id = ? AND deleted = 0",
            (item_id,), "no such action item")
    value = dt.datetime.now().astimezone().isoformat(timespec="seconds") if done else ""
    records.update(vault, TABLE, item_id, {"done_at": value},
                   action="action item done" if done else "action item reopened", detail="")
