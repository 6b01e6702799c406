"""Session notes: a draft's header is a synced record, its body autosaves locally
(table note_draft, never an op) and goes to the op log when the note is finalized.
A finalized note never changes (the store refuses, and so does an SQL trigger);
corrections are addenda (append-only).

A note opened in the editor is first only `blank()` (nothing written); `start()` writes
its header at the first change, so an untouched note leaves nothing behind. A draft can
be `discard()`ed on purpose (a tombstone, as its header may have travelled already).
Finalizing leaves template guidance out and writes relative due dates as dates.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.ids import uuid7
from coachdesk.models import Status, action_syntax, templates
from coachdesk.models.note import (
    REPORT_FIELDS,
    Addendum,
    AddendumRow,
    Note,
    NoteRow,
    NoteStatus,
)
from coachdesk.models.validation import first_problem, validated
from coachdesk.store import participants, people, records, search
from coachdesk.store.db import disk_full_is_an_error, one_row
from coachdesk.store.vault import Vault

TABLE = "note"
_FIELDS = tuple(Note.model_fields)
_COLUMNS = "n.id, n.origin, " + ", ".join("n." + f for f in _FIELDS) + ", d.body"
_FROM = "FROM note n LEFT JOIN note_draft d ON d.note_id = n.id"
HEADER_FIELDS = ("occurred_at", "duration_min", "setting", "contact_type", "read_back", "template")
LAST_USED_SETTING = "note_last_used"
"""Local (setting table): the minutes, setting and contact type of this vault's last
finalized note, the defaults when finalizing asks for them."""


class NoteIsFinal(CoachdeskError):
    def __init__(self) -> None:
        super().__init__("this note is finalized and cannot change: add an addendum (a)")


def now_text() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _row(values: tuple[Any, ...]) -> NoteRow:
    names = ("id", "origin", *_FIELDS, "draft_body")
    data = dict(zip(names, values, strict=True))
    data["read_back"] = bool(data["read_back"])
    try:
        return NoteRow.model_validate(data)
    except ValidationError:  # a peer's odd value must not hide the note
        return NoteRow.model_construct(**data)


def _validate(data: dict[str, Any]) -> Note:
    return validated(Note, data)


def _open_participant(vault: Vault, participant_id: str) -> None:
    person = participants.get(vault, participant_id, audited=False)
    if person.status == Status.CLOSED:
        raise CoachdeskError("this participant is closed: reopen them (e on their page) "
                             "before writing a note")


def blank(vault: Vault, participant_id: str, text: str = "", *, template: str = "free",
          occurred_at: str | None = None, **header: Any) -> NoteRow:
    """A new note as the editor first shows it: checked, but nothing is written (its
    id is ''). `start()` with the same values writes it."""
    _open_participant(vault, participant_id)
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not header fields: {sorted(unknown)}")
    note = _validate({"participant_id": participant_id, "occurred_at": occurred_at or now_text(),
                      "template": template, "author": vault.coach, **header})
    return NoteRow(**note.model_dump(), id="", draft_body=text)


def carried_draft(vault: Vault, participant_id: str, body: str) -> dict[str, Any]:
    """The fields of a new draft note holding `body` (a draft addendum or plan that must
    travel when its person leaves this vault: sync/scope_guard.py), validated."""
    note = _validate({"participant_id": participant_id, "occurred_at": now_text(),
                      "template": "free", "author": vault.coach})
    fields = note.model_dump(mode="json", include=set(_FIELDS) - {"finalized_at"})
    fields["body"] = body
    return fields


def start(vault: Vault, participant_id: str, text: str = "", *, template: str = "free",
          occurred_at: str | None = None, **header: Any) -> str:
    """A new draft for a participant; returns its id. Its body starts as `text`;
    `header` may set the setting and contact type."""
    note = blank(vault, participant_id, text, template=template, occurred_at=occurred_at,
                 **header)
    row_id = uuid7()
    fields = note.model_dump(mode="json", include=set(_FIELDS) - {"body", "finalized_at"})
    with vault.transaction() as conn:
        records.create(vault, TABLE, fields, row_id=row_id, action="note started",
                       detail=f"participant={participant_id}")
        conn.execute("INSERT INTO note_draft (note_id, body, saved_at) VALUES (?, ?, ?)",
                     (row_id, text, now_text()))
    return row_id


def get(vault: Vault, note_id: str) -> NoteRow:
    return _row(one_row(vault.conn, f"SELECT {_COLUMNS} {_FROM} WHERE n.id = ? AND n.deleted = 0",
                        (note_id,), "no such note (it may have been deleted)"))


def viewed(vault: Vault, note_id: str) -> None:
    vault.audit("note viewed", TABLE, note_id)


def for_participant(vault: Vault, participant_id: str) -> list[NoteRow]:
    """The participant's notes, newest contact first."""
    same, ids = people.matching(vault.conn, "n.participant_id", participant_id)
    return [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE {same} AND n.deleted = 0 "
        "ORDER BY n.occurred_at DESC, n.id DESC", ids)]


def drafts(vault: Vault) -> list[NoteRow]:
    """Unfinished notes with a body saved on this device, most recently saved first.
    (From the few drafts to their notes: the other way round reads every note.)"""
    return [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM note_draft d CROSS JOIN note n ON n.id = d.note_id "
        "WHERE n.deleted = 0 AND n.status = 'draft' ORDER BY d.saved_at DESC")]


def _editable(vault: Vault, note_id: str) -> NoteRow:
    note = get(vault, note_id)
    if note.is_final:
        raise NoteIsFinal()
    return note


def save_draft(vault: Vault, note_id: str, body: str) -> None:
    """Autosave: the body into the local draft table (one statement; no op, no audit).
    DiskFull when there is no room (nothing changed)."""
    if len(body) > 200_000:
        raise ValidationFailed("body: the note is longer than 200,000 characters")
    with disk_full_is_an_error():  # a full disk: "Not saved", retried; never a crash
        cur = vault.conn.execute(
            "INSERT INTO note_draft (note_id, body, saved_at) SELECT ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM note WHERE id = ? AND status = 'draft' AND deleted = 0) "
            "ON CONFLICT (note_id) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
            (note_id, body, now_text(), note_id))
    if cur.rowcount == 0:
        _editable(vault, note_id)  # says why (final or gone)
        raise CoachdeskError("the draft could not be saved")


def save_header(vault: Vault, note_id: str, changes: dict[str, Any]) -> list[str]:
    """Validate and write the header fields that changed (date, duration, setting...)."""
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not header fields: {sorted(unknown)}")
    note = _editable(vault, note_id)
    current = note.model_dump(mode="json", include=set(_FIELDS))
    merged = {**current, **changes}
    new = _validate(merged).model_dump(mode="json")
    return records.update(vault, TABLE, note_id, {k: new[k] for k in HEADER_FIELDS},
                          current=current, action="note changed")


def check_finalizable(vault: Vault, note: NoteRow, body: str,
                      today: dt.date) -> list[action_syntax.ParsedItem]:
    if note.is_final:
        raise NoteIsFinal()
    if not templates.strip_guidance(body).strip():
        raise ValidationFailed("the note is empty: write what happened before finalizing")
    _open_participant(vault, note.participant_id)
    parsed = action_syntax.parse(body, today)
    if parsed.problems:
        more = f" (and {len(parsed.problems) - 1} more)" if len(parsed.problems) > 1 else ""
        raise ValidationFailed(parsed.problems[0] + more + "; the draft is saved")
    return parsed.items


def final_text(body: str, today: dt.date) -> str:
    """The body as it is finalized: template guidance left out, relative due dates
    (`due:tomorrow`, `due:+7d`) written as dates counted from `today`."""
    return action_syntax.absolute_dates(templates.strip_guidance(body), today)


def last_used(vault: Vault) -> dict[str, Any]:
    """Minutes, setting and contact type of this vault's last finalized note ({} if none)."""
    row = vault.conn.execute("SELECT value FROM setting WHERE key = ?",
                             (LAST_USED_SETTING,)).fetchone()
    try:
        found = json.loads(row[0]) if row else {}
    except ValueError:
        return {}
    return {k: found[k] for k in REPORT_FIELDS if isinstance(found, dict) and found.get(k)}


def finalize(vault: Vault, note_id: str, body: str, today: dt.date | None = None) -> list[str]:
    """Lock the note with this body; creates its action items. Returns their ids."""
    note = get(vault, note_id)
    day = today or dt.date.fromisoformat(note.occurred_at[:10])
    items = check_finalizable(vault, note, body, day)
    body = final_text(body, day)
    _validate({**note.model_dump(mode="json", include=set(_FIELDS)), "body": body})
    item_ids = []
    with vault.transaction() as conn:
        records.update(vault, TABLE, note_id, {"body": body, "status": NoteStatus.FINAL.value,
                                               "finalized_at": now_text()}, action=None)
        conn.execute("DELETE FROM note_draft WHERE note_id = ?", (note_id,))
        for item in items:
            item_ids.append(records.create(vault, "action_item", {
                "participant_id": note.participant_id, "note_id": note_id, "text": item.text,
                "owner": item.owner.value, "due": item.due.isoformat() if item.due else "",
                "done_at": now_text() if item.done else ""}, action=None))
        search.index_text(conn, "note", note_id, note.participant_id, body, note_id)
        used = {k: getattr(note, k) for k in REPORT_FIELDS if getattr(note, k)}
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value",
                     (LAST_USED_SETTING, json.dumps({**last_used(vault), **used})))
        records.audited(vault, "note finalized", TABLE, note_id,
                        f"participant={note.participant_id} action_items={len(item_ids)}")
    return item_ids


def delete(vault: Vault, note_id: str) -> None:
    """A tombstone (the ops keep the history); the note leaves lists and search."""
    get(vault, note_id)
    with vault.transaction() as conn:
        records.tombstone(vault, TABLE, note_id)
        conn.execute("DELETE FROM note_draft WHERE note_id = ?", (note_id,))
        search.forget_note(conn, note_id)


def discard(vault: Vault, note_id: str) -> None:
    """Throw a draft away on purpose: its header (which a bundle may have carried
    already) gets a tombstone, and the local draft body goes."""
    _editable(vault, note_id)
    with vault.transaction() as conn:
        records.tombstone(vault, TABLE, note_id, action="note discarded")
        conn.execute("DELETE FROM note_draft WHERE note_id = ?", (note_id,))


def add_addendum(vault: Vault, note_id: str, body: str) -> str:
    note = get(vault, note_id)
    if not note.is_final:
        raise CoachdeskError("a draft can still be edited: addenda are for finalized notes")
    try:
        addendum = Addendum(note_id=note_id, body=body.strip(), at=now_text(), author=vault.coach)
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None
    with vault.transaction() as conn:
        row_id = records.append(vault, "addendum", addendum.model_dump(mode="json"),
                                action="addendum added", detail=f"note={note_id}")
        search.index_text(conn, "addendum", row_id, note.participant_id, addendum.body, note_id)
    return row_id


def addenda(vault: Vault, note_id: str) -> list[AddendumRow]:
    names = ("id", "origin", *Addendum.model_fields)
    return [AddendumRow.model_construct(**dict(zip(names, r, strict=True))) for r in vault.conn.execute(
        "SELECT id, origin, note_id, body, at, author FROM addendum WHERE note_id = ? "
        "AND deleted = 0 ORDER BY at, id", (note_id,))]
