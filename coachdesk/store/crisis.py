"""Crisis checklists in the vault: append-only events and steps, each saved at once.

Every answer is its own transaction (op log + record + audit), stamped with its time.
Attaching a person, going back one step and ending are new rows, never edits; SQL
triggers refuse UPDATE and DELETE on both tables.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models import CrisisEvent, CrisisEventRow, CrisisRecord, CrisisStep, CrisisStepRow
from coachdesk.models.crisis import ATTACH, BACK, END, STEP_KIND_PATTERN, STOPPED
from coachdesk.models.validation import validated
from coachdesk.store import audit, participants, records
from coachdesk.store.db import one_row
from coachdesk.store.vault import Vault

EVENT = "crisis_event"
STEP = "crisis_step"
_EVENT_COLUMNS = "id, origin, " + ", ".join(CrisisEvent.model_fields)
_STEP_COLUMNS = "id, " + ", ".join(CrisisStep.model_fields)
STOPPED_LABEL = "Stopped before the end"


class _ProtocolLike(Protocol):
    """What the store needs of a crisis protocol (protocols.Protocol has it, read-only)."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def title(self) -> str: ...


def _validated(model: type[CrisisEvent] | type[CrisisStep], data: dict[str, Any]) -> Any:
    return validated(model, data)


def start(vault: Vault, protocol: _ProtocolLike, participant_id: str = "", *,
          at: str | None = None) -> str:
    """Open a new event for `protocol`; the person may be attached now or later."""
    if participant_id:
        participants.get(vault, participant_id, audited=False)
    event = _validated(CrisisEvent, {
        "protocol_id": protocol.id, "protocol_version": protocol.version,
        "protocol_title": protocol.title, "participant_id": participant_id,
        "started_at": at or audit.now_iso(), "started_by": vault.coach,
    })
    return records.append(vault, EVENT, event.model_dump(), action="crisis started",
                          detail=f"{protocol.id} v{protocol.version}")


def record(vault: Vault, event_id: str, step_id: str, kind: str, label: str, answer: str, *,
           at: str | None = None) -> CrisisStepRow:
    """Append one step row (an answer, a step back, an attach or the end) at once."""
    if not re.match(STEP_KIND_PATTERN, kind):
        raise ValidationFailed(f"kind: unknown step kind {kind!r}")
    with vault.transaction() as conn:
        if not conn.execute("SELECT 1 FROM crisis_event WHERE id = ?", (event_id,)).fetchone():
            raise CoachdeskError("no such crisis event")
        ended = conn.execute("SELECT 1 FROM crisis_step WHERE event_id = ? AND kind = ?",
                             (event_id, END)).fetchone()
        if ended and kind != ATTACH:
            raise CoachdeskError("this checklist has already ended")
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM crisis_step WHERE event_id = ?",
                           (event_id,)).fetchone()[0]
        step = _validated(CrisisStep, {
            "event_id": event_id, "seq": seq, "step_id": step_id, "kind": kind,
            "label": label, "answer": answer, "at": at or audit.now_iso(),
        })
        row_id = records.append(vault, STEP, step.model_dump(), action="crisis step",
                                detail=f"event {event_id} #{seq} {kind}")
    return CrisisStepRow(id=row_id, **step.model_dump())


def attach(vault: Vault, event_id: str, participant_id: str, *,
           at: str | None = None) -> CrisisStepRow:
    """Link the event to a person (an `attach` row; the latest one counts)."""
    participants.get(vault, participant_id, audited=False)
    return record(vault, event_id, "", ATTACH, "Person attached", participant_id, at=at)


def back(vault: Vault, event_id: str, left: str, left_label: str, to_label: str) -> CrisisStepRow:
    """Going back one step: the earlier answer stays, the new one will follow it."""
    return record(vault, event_id, left, BACK, "Went back one step",
                  f"from {left_label} to {to_label}")


def stop(vault: Vault, event_id: str, reason: str = "stopped early by the coach") -> CrisisStepRow:
    return record(vault, event_id, STOPPED, END, STOPPED_LABEL, reason)


def _event(values: tuple[Any, ...]) -> CrisisEventRow:
    names = ["id", "origin", *CrisisEvent.model_fields]
    return CrisisEventRow.model_validate(dict(zip(names, values, strict=True)))


def _step(values: tuple[Any, ...]) -> CrisisStepRow:
    names = ["id", *CrisisStep.model_fields]
    return CrisisStepRow.model_validate(dict(zip(names, values, strict=True)))


def steps_of(vault: Vault, event_id: str) -> list[CrisisStepRow]:
    return [_step(r) for r in vault.conn.execute(
        f"SELECT {_STEP_COLUMNS} FROM crisis_step WHERE event_id = ? ORDER BY seq, at, id",
        (event_id,))]


def get(vault: Vault, event_id: str, *, audited: bool = True) -> CrisisRecord:
    found = one_row(vault.conn, f"SELECT {_EVENT_COLUMNS} FROM crisis_event WHERE id = ?",
                    (event_id,), "no such crisis event")
    if audited:
        vault.audit("crisis viewed", EVENT, event_id)
    return CrisisRecord(event=_event(found), steps=steps_of(vault, event_id))


def ids_starting(vault: Vault, prefix: str) -> list[str]:
    """The ids of events whose id starts with `prefix` (a user types the first characters);
    with an empty prefix, the newest event's only."""
    if not prefix:
        return [r[0] for r in vault.conn.execute(
            "SELECT id FROM crisis_event ORDER BY started_at DESC, id DESC LIMIT 1")]
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [r[0] for r in vault.conn.execute(
        "SELECT id FROM crisis_event WHERE id LIKE ? || '%' ESCAPE '\\' LIMIT 2", (like,))]


def unfinished(vault: Vault) -> list[CrisisEventRow]:
    """Events started on this device that have no end yet, newest first."""
    return [_event(r) for r in vault.conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM crisis_event e WHERE origin = ? AND NOT EXISTS "
        f"(SELECT 1 FROM crisis_step s WHERE s.event_id = e.id AND s.kind = '{END}') "
        "ORDER BY started_at DESC, id DESC", (vault.device,))]  # the kind in the SQL
    # itself: so the planner may use the partial index of ends (migration 0023)


def history(vault: Vault, participant_id: str | None = None, limit: int = 200) -> list[CrisisRecord]:
    """Events, newest first (for one person when given: attached at the start or later)."""
    rows = [_event(r) for r in vault.conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM crisis_event ORDER BY started_at DESC, id DESC LIMIT ?",
        (limit,))]
    records = [CrisisRecord(event=e, steps=steps_of(vault, e.id)) for e in rows]
    if participant_id is not None:
        records = [r for r in records if r.participant_id == participant_id]
    return records
