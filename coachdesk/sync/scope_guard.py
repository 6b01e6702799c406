"""Keep a coach's vault to its own people: after every import, a person who is no longer
this vault's to hold (transferred, unshared, or never its own) is removed from it.

    leaving(vault)              the people (and others' private records) to remove now
    enforce(vault, leaving)     remove them: drafts first go to the op log, own unsent
                                changes to the outbox; one audit entry each (who, when, why)
    release(vault)              drop outbox changes a supervisor has acknowledged

A supervisor's vault holds every scope and removes nothing. Runs in the import's
transaction, so a refused or cancelled import removes nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass

from coachdesk.ids import uuid7
from coachdesk.store import audit, notes, purge, scope
from coachdesk.store.vault import Vault
from coachdesk.sync import peers, team

CARRIED_DRAFT = "Draft carried to the supervisor when this person left {coach}'s caseload"


@dataclass(frozen=True)
class Leaving:
    scope: str
    alias: str  # "" for records about no person
    drafts: int
    to: str  # the primary coach's device now ("" unknown)


def _supervisors(vault: Vault) -> list[str]:
    held = team.current(vault.conn)
    return [m.device for m in held.active_members() if m.role == "supervisor"] if held else []


def is_supervisor(vault: Vault) -> bool:
    return vault.device in _supervisors(vault)


def leaving(vault: Vault) -> list[Leaving]:
    """What this vault holds and may not: none for a supervisor (or a vault in no team)."""
    held = team.current(vault.conn)
    if held is None or held.member(vault.device) is None or is_supervisor(vault):
        return []
    conn = vault.conn
    allowed = scope.allowed(conn, vault.device, False) or set()
    present = {r[0] for r in conn.execute("SELECT DISTINCT scope FROM held")}
    found = []
    for gone in sorted(present - allowed):
        row = conn.execute(  # participant, not the card: a merged record leaves too
            "SELECT p.alias, CASE WHEN coalesce(c.primary_coach, '') = '' THEN p.origin ELSE "
            "c.primary_coach END FROM participant p LEFT JOIN caseload c ON c.id = p.id "
            "AND c.deleted = 0 WHERE p.id = ?", (gone,)).fetchone()
        drafts = _draft_count(vault, gone)
        found.append(Leaving(gone, row[0] if row else "", drafts, row[1] if row else ""))
    return found


_DRAFTS = (
    "SELECT (SELECT count(*) FROM note_draft d CROSS JOIN note n ON n.id = d.note_id "
    "WHERE n.participant_id = ?1 AND n.status = 'draft' AND n.deleted = 0) + "
    "(SELECT count(*) FROM addendum_draft d CROSS JOIN note n ON n.id = d.note_id "
    "WHERE n.participant_id = ?1) + (SELECT count(*) FROM plan_draft WHERE participant_id = ?1)")


def _draft_count(vault: Vault, person: str) -> int:
    return int(vault.conn.execute(_DRAFTS, (person,)).fetchone()[0])


def _carry_drafts(vault: Vault, person: str) -> int:
    """Write this device's drafts for `person` into the op log, so that they travel to a
    supervisor: a draft note's text becomes its body (still a draft); a draft addendum or
    plan becomes a new draft note holding its text."""
    conn = vault.conn
    carried = 0
    for note_id, body in conn.execute(
            "SELECT d.note_id, d.body FROM note_draft d CROSS JOIN note n ON n.id = d.note_id WHERE "
            "n.participant_id = ? AND n.status = 'draft' AND n.deleted = 0", (person,)).fetchall():
        vault.ops.write("note", note_id, {"body": body})
        carried += 1
    texts = [body for (body,) in conn.execute(
        "SELECT d.body FROM addendum_draft d CROSS JOIN note n ON n.id = d.note_id "
        "WHERE n.participant_id = ?", (person,))]
    texts += [body for (body,) in conn.execute(
        "SELECT body FROM plan_draft WHERE participant_id = ?", (person,))]
    header = CARRIED_DRAFT.format(coach=vault.coach)
    for text in texts:
        vault.ops.write("note", uuid7(), notes.carried_draft(vault, person, f"{header}\n\n{text}"))
        carried += 1
    return carried


def enforce(vault: Vault, gone: list[Leaving]) -> int:
    """Remove every scope in `gone` (inside the caller's transaction); returns how many
    drafts were carried into the op log on their way to a supervisor."""
    if not gone:
        return 0
    conn = vault.conn
    acked = _supervisor_acks(vault)
    names = {m.device: m.identity.name for m in team.current(conn).members}  # type: ignore[union-attr]
    carried = 0
    for leave in gone:
        if scope.is_person(leave.scope):
            carried += _carry_drafts(vault, leave.scope)
        removed = purge.remove_scope(conn, leave.scope, vault.device, acked.get(leave.scope, 0))
        why = (f"now coached by {names.get(leave.to, leave.to[:6])}" if leave.to
               else "not in this vault's caseload")
        audit.record(conn, vault.device, vault.coach, "person removed from this vault",
                     "participant" if scope.is_person(leave.scope) else "",
                     leave.scope if scope.is_person(leave.scope) else "",
                     f"why={why} records={removed} drafts_carried={leave.drafts}")
    return carried


def _supervisor_acks(vault: Vault) -> dict[str, int]:
    """scope -> the highest sseq of this device's ops every... any supervisor holds."""
    found: dict[str, int] = {}
    for sup in _supervisors(vault):
        for (origin, sc), n in peers.known_by(vault.conn, sup).items():
            if origin == vault.device:
                found[sc] = max(found.get(sc, 0), n)
    return found


def release(vault: Vault) -> int:
    """Drop outbox changes a supervisor holds now (inside the caller's transaction)."""
    if not vault.conn.execute("SELECT 1 FROM ops_outbox LIMIT 1").fetchone():
        return 0
    return purge.release_outbox(vault.conn, _supervisor_acks(vault))


def outbox_count(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM ops_outbox").fetchone()[0])


