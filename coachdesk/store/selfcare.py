"""The coach's self-care check-ins: a local table (`selfcare_checkin`: never an op, never in
a bundle), and the summary a coach chooses to share with the supervisor for one of their
sessions (`selfcare_share`, synced, private to the coach and the supervisors).

    record(vault, answers, note) -> id     a check-in (the answers and the line stay here)
    checkins(vault)                        newest first
    share(vault, checkin_id, session_id, with_note=) -> id
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from coachdesk.errors import ValidationFailed
from coachdesk.ids import uuid7
from coachdesk.models.selfcare import instrument
from coachdesk.models.supervision import SelfcareShare
from coachdesk.models.validation import validated
from coachdesk.store import records, supervision
from coachdesk.store.vault import Vault

LOCAL = "selfcare_checkin"
SHARE = "selfcare_share"


@dataclass(frozen=True)
class Checkin:
    id: str
    taken_at: str
    answers: list[int]
    note: str


def record(vault: Vault, answers: list[int], note: str = "") -> str:
    """A check-in, kept in this vault only. The audit says one was taken, nothing of it."""
    note = instrument().check(answers, note)
    checkin_id = uuid7()
    with vault.transaction() as conn:
        conn.execute(f"INSERT INTO {LOCAL} (id, taken_at, answers, note) VALUES (?, ?, ?, ?)",
                     (checkin_id, dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                      json.dumps(answers), note))
        records.audited(vault, "self-care check-in taken")
    return checkin_id


def checkins(vault: Vault) -> list[Checkin]:
    return [Checkin(r[0], r[1], [int(a) for a in json.loads(r[2])], r[3])
            for r in vault.conn.execute(f"SELECT id, taken_at, answers, note FROM {LOCAL} "
                                        "ORDER BY taken_at DESC, id DESC")]


def _checkin(vault: Vault, checkin_id: str) -> Checkin:
    for found in checkins(vault):
        if found.id == checkin_id or (checkin_id and found.id.startswith(checkin_id)):
            return found
    raise ValidationFailed(f"no self-care check-in {checkin_id[:40]!r}")


def share(vault: Vault, checkin_id: str, session_id: str, *, with_note: bool = False,
          today: dt.date | None = None) -> str:
    """Share a check-in's summary with the supervisor, for one of this coach's sessions."""
    found = _checkin(vault, checkin_id)
    mine = {row.id for row in supervision.sessions(vault, vault.device)}
    if session_id not in mine:
        raise ValidationFailed("share with one of your own supervision sessions")
    summary = instrument().summary(found.answers, found.note, with_note)
    shared = validated(SelfcareShare, {"coach": vault.device, "session_id": session_id,
                                       "summary": summary,
                                       "shared_on": today or dt.date.today()})
    return records.create(vault, SHARE, shared.model_dump(mode="json"),
                          action="self-care summary shared", detail="")


def shared_for(vault: Vault, session_id: str) -> list[str]:
    return [r[0] for r in vault.conn.execute(
        f"SELECT summary FROM {SHARE} WHERE deleted = 0 AND session_id = ? ORDER BY id",
        (session_id,))]
