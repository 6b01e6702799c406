"""Who may review a note and comment on it (issue 18); the entries are store/reviews.py's.

    mark(vault, note_id, "reviewed" | "follow_up", text)   a supervisor of the note's team
    close(vault, note_id, text="")                         a supervisor: the follow-up is done
    comment(vault, note_id, text)                          a supervisor, or the note's coach
    is_supervisor(vault)                                   may this vault review

A note is in the team when one of its person's coaches (primary, secondary) is a current
member of the team this vault holds. Every refusal is one line and writes nothing; an
entry never changes the note (append-only rows under it).
"""

from __future__ import annotations

from coachdesk.errors import CoachdeskError
from coachdesk.models.note import NoteRow
from coachdesk.store import notes, participants, reviews
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, team, team_flow
from coachdesk.sync.team import TeamFile

DECISIONS = ("reviewed", "follow_up")


class NotAllowed(CoachdeskError):
    """A review or comment this vault may not write; nothing was written."""


def is_supervisor(vault: Vault) -> bool:
    held = team.current(vault.conn)
    return held is not None and held.supervisor(vault.device) is not None


def _final(vault: Vault, note_id: str) -> NoteRow:
    note = notes.get(vault, note_id)
    if not note.is_final:
        raise reviews.NoteNotFinal()
    return note


def coaches_of(vault: Vault, note: NoteRow) -> set[str]:
    """The note's person's coaches (devices): primary and secondary."""
    person = participants.get(vault, note.participant_id, audited=False)
    return {c for c in (caseload.primary_of(person), person.secondary_coach) if c}


def _in_team(vault: Vault, held: TeamFile, note: NoteRow) -> None:
    members = {m.device for m in held.active_members()}
    if not coaches_of(vault, note) & members:
        raise NotAllowed("this note's person is coached outside your team: "
                         "you cannot review or comment on it")


def _supervising(vault: Vault, note_id: str, refusal: str) -> None:
    note = _final(vault, note_id)
    try:
        held = team_flow.require_supervisor(vault, refusal)
    except CoachdeskError as exc:
        raise NotAllowed(str(exc)) from None
    _in_team(vault, held, note)


def mark(vault: Vault, note_id: str, kind: str, text: str = "") -> str:
    """Reviewed (text optional) or needs follow-up (text: what). Returns the entry's id."""
    if kind not in DECISIONS:
        raise CoachdeskError(f"a review is one of {', '.join(DECISIONS)}")
    _supervising(vault, note_id, "only a supervisor reviews notes")
    return reviews.append(vault, note_id, "reviewed" if kind == "reviewed" else "follow_up",
                          text)


def close(vault: Vault, note_id: str, text: str = "") -> str:
    """The follow-up asked on this note is done (a supervisor's)."""
    _supervising(vault, note_id, "only a supervisor closes a follow-up")
    if reviews.state_of(vault, note_id) != "follow_up":
        raise CoachdeskError("this note has no open follow-up to close")
    return reviews.append(vault, note_id, "closed", text)


def comment(vault: Vault, note_id: str, text: str) -> str:
    """A line in the note's thread: by a supervisor of its team, or by its coach (who
    wrote it, or coaches its person)."""
    note = _final(vault, note_id)
    held = team.current(vault.conn)
    if held is not None and held.supervisor(vault.device) is not None:
        _in_team(vault, held, note)
    elif vault.device != note.origin and vault.device not in coaches_of(vault, note):
        raise NotAllowed("only a supervisor or the note's coach can comment on it")
    return reviews.append(vault, note_id, "comment", text)
