"""Reviews of finalized notes (issue 18): append-only entries under a note, read here.

    append(vault, note_id, kind, text)   one entry (the note must be finalized); the
                                         role and team checks are sync/reviews.py's
    thread(vault, note_id)               its entries, oldest first
    state_of(vault, note_id) / states    "none", "reviewed", "follow_up" or "closed"
    queue(vault, coach=None)             finalized notes of others not yet reviewed, oldest first
    open_follow_ups(vault, coach=None)   notes whose follow-up is not closed, oldest first
    feedback(vault)                      this vault's own notes with entries, newest first
    follow_up_people(vault)              people with a note needing follow-up

A note's state is its last entry that is not a comment (comments only add to the
thread). Nothing here writes to the note: an entry is a row of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pydantic import ValidationError

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.note import NoteStatus
from coachdesk.models.supervision import ReviewEntry, ReviewKind
from coachdesk.models.validation import first_problem
from coachdesk.store import notes, records
from coachdesk.store.vault import Vault

TABLE = "review_entry"
NONE = "none"
STATE_LABELS = {NONE: "", "reviewed": "reviewed", "follow_up": "needs follow-up",
                "closed": "closed"}
"""How each state reads on screen."""
VERBS = {"reviewed": "note reviewed", "follow_up": "note follow-up asked",
         "comment": "review comment added", "closed": "note follow-up closed"}
"""The audit action of each kind (the text stays out of the audit log)."""


class NoteNotFinal(CoachdeskError):
    def __init__(self) -> None:
        super().__init__("this note is not finalized: only finalized notes are reviewed")


@dataclass(frozen=True)
class Entry:
    id: str
    note_id: str
    kind: str
    text: str
    at: str
    by: str
    author: str


@dataclass(frozen=True)
class Listed:
    """A note as the review lists show it."""

    note_id: str
    participant_id: str
    alias: str
    coach: str
    """The device that wrote the note (its origin)."""
    author: str
    occurred_at: str
    finalized_at: str
    first_line: str
    state: str = NONE
    last_at: str = ""
    last_by: str = ""
    """The device of the newest entry (the coach's own: answered)."""
    asked: str = ""
    """What the newest follow-up entry asked ("" if none)."""


def now_text() -> str:
    """Entries are stamped in UTC to the millisecond: a thread written on laptops in
    other time zones keeps its order."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def append(vault: Vault, note_id: str, kind: ReviewKind, text: str) -> str:
    """One entry under a finalized note; returns its id. Nothing of the note changes."""
    note = notes.get(vault, note_id)
    if not note.is_final:
        raise NoteNotFinal()
    try:
        entry = ReviewEntry(note_id=note_id, kind=kind, text=text, at=now_text(),
                            by=vault.device, author=vault.coach)
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None
    return records.append(vault, TABLE, entry.model_dump(mode="json"), action=VERBS[kind],
                          detail=f"note={note_id}")


def thread(vault: Vault, note_id: str) -> list[Entry]:
    return [Entry(*row) for row in vault.conn.execute(
        "SELECT id, note_id, kind, text, at, by, author FROM review_entry "
        "WHERE note_id = ? AND deleted = 0 ORDER BY at, id", (note_id,))]


def _decided(entries: Iterable[tuple[str, str]]) -> dict[str, str]:
    """note id -> state, from (note id, kind) pairs in order (the last decision wins)."""
    found: dict[str, str] = {}
    for note_id, kind in entries:
        if kind != "comment":
            found[note_id] = kind
    return found


def states(vault: Vault) -> dict[str, str]:
    """Every note with a decision: its state (notes missing here: "none")."""
    return _decided(vault.conn.execute(
        "SELECT note_id, kind FROM review_entry WHERE deleted = 0 ORDER BY at, id"))


def state_of(vault: Vault, note_id: str) -> str:
    return _decided((e.note_id, e.kind) for e in thread(vault, note_id)).get(note_id, NONE)


_LISTED = ("SELECT n.id, n.participant_id, p.alias, n.origin, n.author, n.occurred_at, "
           "n.finalized_at, n.body FROM note n JOIN participant p ON p.id = n.participant_id "
           "AND p.deleted = 0 WHERE n.deleted = 0 AND n.status = ?")


def _first_line(body: str) -> str:
    """The first line of text (a template's headings skipped)."""
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    return next((ln for ln in lines if not ln.startswith("#")), lines[0] if lines else "")


def _listed(vault: Vault, where: str, params: tuple[object, ...],
            order: str = "n.finalized_at, n.id") -> list[Listed]:
    rows = vault.conn.execute(f"{_LISTED} {where} ORDER BY {order}",
                              (NoteStatus.FINAL.value, *params)).fetchall()
    return [Listed(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _first_line(r[7])) for r in rows]


def _with_state(vault: Vault, found: list[Listed], known: dict[str, str]) -> list[Listed]:
    last: dict[str, tuple[str, str]] = {}
    asked: dict[str, str] = {}
    for note_id, kind, text, at, by in vault.conn.execute(
            "SELECT note_id, kind, text, at, by FROM review_entry WHERE deleted = 0 "
            "ORDER BY at, id"):
        last[note_id] = (at, by)
        if kind == "follow_up":
            asked[note_id] = text
    return [replace(item, state=known.get(item.note_id, NONE),
                    last_at=last.get(item.note_id, ("", ""))[0],
                    last_by=last.get(item.note_id, ("", ""))[1],
                    asked=asked.get(item.note_id, ""))
            for item in found]


def queue(vault: Vault, coach: str | None = None) -> list[Listed]:
    """Finalized notes written on other devices with no review yet (comments do not
    count), the longest waiting first; `coach`: only that device's notes."""
    where = ("AND n.origin != ? AND NOT EXISTS (SELECT 1 FROM review_entry r WHERE "
             "r.note_id = n.id AND r.deleted = 0 AND r.kind != 'comment')")
    params: tuple[object, ...] = (vault.device,)
    if coach:
        where += " AND n.origin = ?"
        params += (coach,)
    return _with_state(vault, _listed(vault, where, params), {})


def open_follow_ups(vault: Vault, coach: str | None = None) -> list[Listed]:
    """Notes needing follow-up (not closed yet), the oldest note first; `coach`: only
    the notes that device wrote."""
    known = states(vault)
    waiting = [note_id for note_id, state in known.items() if state == "follow_up"]
    if not waiting:
        return []
    marks = ", ".join("?" * len(waiting))
    where = f"AND n.id IN ({marks})"
    params: tuple[object, ...] = tuple(waiting)
    if coach:
        where += " AND n.origin = ?"
        params += (coach,)
    return _with_state(vault, _listed(vault, where, params), known)


def feedback(vault: Vault) -> list[Listed]:
    """This vault's own finalized notes that have review entries, the newest entry first."""
    found = _listed(vault, "AND n.origin = ? AND EXISTS (SELECT 1 FROM review_entry r "
                           "WHERE r.note_id = n.id AND r.deleted = 0)", (vault.device,))
    listed = _with_state(vault, found, states(vault))
    return sorted(listed, key=lambda item: (item.last_at, item.note_id), reverse=True)


def follow_up_people(vault: Vault) -> set[str]:
    """The people with a note whose follow-up is open (the roster's mark)."""
    waiting = [note_id for note_id, state in states(vault).items() if state == "follow_up"]
    if not waiting:
        return set()
    marks = ", ".join("?" * len(waiting))
    return {r[0] for r in vault.conn.execute(
        f"SELECT DISTINCT participant_id FROM note WHERE deleted = 0 AND id IN ({marks})",
        waiting)}
