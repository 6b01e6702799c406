"""Who may send this vault a bundle: the team it holds (or a newer one the bundle
carries), the sender a current member of it, the header signed by the sender.

A removed member's own bundles are refused wherever the removal is known. Its changes
relayed by a current member (who took them before hearing of the removal) still merge:
refusing them would stop that member's sync for good, and the team file that carries
the removal travels in every bundle, so the window closes with the next exchange.

    team_for(conn, opened, ...)   the team to judge the bundle by, and a team file to keep
    check_sender(opened, team)    refuse a bundle from outside the team or badly signed
    check_writers(conn, team)     the three below, over one read of the bundle:
    check_assignments(conn, team) only a supervisor moves a person between coaches
    check_supervision(conn, team) only a supervisor logs sessions; a coach writes only
                                  their own ledger, shares, and items marked done
    check_merges(conn, team)      only a supervisor, or the primary coach of both,
                                  merges two records of one person
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coachdesk.identity import PublicIdentity
from coachdesk.store.db import Connection
from coachdesk.sync import team
from coachdesk.sync.bundle import BadBundle, Opened
from coachdesk.sync.team import BadTeamFile, TeamFile

TrustFirst = Callable[[TeamFile], bool]
"""Asked before a vault with no team trusts the first team file (shows the signer's
fingerprint); True = trust it."""


def team_for(conn: Connection, opened: Opened, path: Path, *, own: PublicIdentity,
             trust_first: TrustFirst | None) -> tuple[TeamFile, TeamFile | None]:
    """(the team to judge by, the carried team file to keep or None)."""
    held = team.current(conn)
    carried = opened.team
    if carried is not None and (held is None or carried.version > held.version):
        try:
            team.check(held, carried, device=own.device, own=own)
        except BadTeamFile as exc:
            if held is None:
                raise BadBundle(f"{path}: {exc}") from None
            return held, None  # an older or foreign team file: judge by the one we hold
        if held is None and (trust_first is None or not trust_first(carried)):
            raise BadBundle(f"{path}: this vault belongs to no team yet; join the team "
                            f"{carried.name!r} first (confirm its supervisor's fingerprint)")
        return carried, carried
    if held is None:
        raise BadBundle(f"{path}: this vault belongs to no team yet: join a team first")
    return held, None


def check_sender(conn: Connection, opened: Opened, held: TeamFile, path: Path) -> None:
    sender = held.member(opened.envelope.sender)
    if sender is None:
        raise BadBundle(f"{path}: the sender is not a member of the team {held.name!r}")
    if not sender.active:
        raise BadBundle(f"{path}: {sender.identity.name} was removed from the team (version "
                        f"{sender.removed}); bundles from that device are refused")
    if not opened.envelope.signed_by(sender.identity):
        raise BadBundle(f"{path}: the bundle's signature is not valid (changed after it was "
                        "signed, or not made by its sender)")
    for (device,) in conn.execute("SELECT DISTINCT device FROM bundle.ops").fetchall():
        if held.member(device) is None and not _held_before(conn, device):
            raise BadBundle(f"{path}: refused: changes under device {device[:6]}, which is not "
                            "a member of the team")


def _held_before(conn: Connection, device: str) -> bool:
    """Ops of a device this vault already holds (written before the team existed)."""
    return conn.execute("SELECT 1 FROM main.ops WHERE device = ? LIMIT 1",
                        (device,)).fetchone() is not None



def sign_key_of(held: TeamFile) -> Callable[[str], bytes | None]:
    """Each member's signing key, removed members' too (what they wrote while members
    stays theirs); None for a device outside the team."""
    keys = {m.device: m.identity.sign_pub for m in held.members}
    return keys.get


_RULED = ("caseload", "supervision_session", "supervision_item", "training_entry",
          "selfcare_share", "person_merge")
"""The records only some members may write (the checks below)."""
_RULED_OPS = (
    "CREATE TEMP TABLE IF NOT EXISTS ruled_op (op_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "DELETE FROM temp.ruled_op",
    f"INSERT INTO temp.ruled_op SELECT b.op_id FROM bundle.ops b WHERE b.tbl IN "
    f"({', '.join(repr(t) for t in _RULED)}) AND NOT EXISTS (SELECT 1 FROM main.ops m "
    "WHERE m.op_id = b.op_id)",
)
_NEW_RULED = "temp.ruled_op r CROSS JOIN bundle.ops b ON b.op_id = r.op_id"
"""The bundle's new ops on those records, as the checks read them (b)."""


def check_writers(conn: Connection, held: TeamFile, path: Path) -> None:
    """check_assignments, check_supervision and check_merges, in that order, over the
    new ops on those records found in one read of the bundle (a read each, before)."""
    for sql in _RULED_OPS:
        conn.execute(sql)
    try:
        _assignments(conn, held, path, _NEW_RULED)
        _supervision(conn, held, path, _NEW_RULED)
        _merges(conn, held, path, _NEW_RULED)
    finally:
        conn.execute("DELETE FROM temp.ruled_op")


_NEW_IN_BUNDLE = "bundle.ops b WHERE NOT EXISTS (SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)"
"""Every new op of the bundle (b), for a check run on its own."""


def check_assignments(conn: Connection, held: TeamFile, path: Path) -> None:
    """Refuse a change of a person's coaches written by anyone but a supervisor (a delete
    too). A coach writes them only when adding a person: itself as primary, no secondary."""
    _assignments(conn, held, path, _NEW_IN_BUNDLE)


def check_supervision(conn: Connection, held: TeamFile, path: Path) -> None:
    """Refuse a supervision record written by anyone but a supervisor, except what a coach
    writes about themselves: their ledger lines, a self-care summary they share, and an item
    of theirs marked done (or open again)."""
    _supervision(conn, held, path, _NEW_IN_BUNDLE)


def check_merges(conn: Connection, held: TeamFile, path: Path) -> None:
    """Refuse a merge of two people's records written by a coach who is not the primary
    coach of both, as this vault knows them (a merge moves a record to the other's
    caseload, which only a supervisor decides). A record this vault does not hold is the
    supervisor's vault to judge."""
    _merges(conn, held, path, _NEW_IN_BUNDLE)


def _where(new_ops: str, condition: str) -> str:
    """`new_ops` (a FROM clause, with or without WHERE) narrowed by `condition`."""
    return f"{new_ops} {'AND' if ' WHERE ' in new_ops else 'WHERE'} {condition}"


_ASSIGNMENT_OPS = (
    "SELECT b.device, b.field, b.value, b.parents, b.device IN (SELECT value FROM json_each(?1)) "
    "OR NOT EXISTS (SELECT 1 FROM bundle.ops p WHERE p.scope = b.row_id AND p.tbl = 'participant' "
    "AND p.device != b.device) AND NOT EXISTS (SELECT 1 FROM main.ops p WHERE p.scope = b.row_id "
    "AND p.tbl = 'participant' AND p.device != b.device) FROM ")
"""Followed by the new ops (where b.tbl = 'caseload'): every new op on who coaches whom,
and whether its writer may have added the person: no one else wrote the person's
record, as far as this vault sees (a coach's vault may not hold the person at all; a
supervisor's holds every person and judges strictly). A person's ops have the person's
id as scope: found through the (scope, device, sseq) index, never a scan. Not asked of
a supervisor's op (?1: their devices, JSON): asked of every op, it was most of a full
import's checks."""


def _assignments(conn: Connection, held: TeamFile, path: Path, new_ops: str) -> None:
    import json

    supervisors = json.dumps([m.device for m in held.members if m.role == "supervisor"])
    for device, field, value, parents, wrote_person in conn.execute(
            _ASSIGNMENT_OPS + _where(new_ops, "b.tbl = 'caseload'"), (supervisors,)).fetchall():
        member = held.member(device)
        if member is not None and member.role == "supervisor":
            continue
        creating = (wrote_person and parents == "[]" and field in ("primary_coach", "secondary_coach")
                    and value == json.dumps(device if field == "primary_coach" else ""))
        if not creating:
            name = member.identity.name if member else device[:6]
            raise BadBundle(f"{path}: refused: {name} changed who coaches a person, which only "
                            "a supervisor may do")


_SUPERVISION_OPS = "SELECT b.device, b.tbl, b.field, b.scope FROM "
_SUPERVISION_TABLES = ("b.tbl IN ('supervision_session', 'supervision_item', 'training_entry', "
                       "'selfcare_share')")
"""Every new op on a record naming a coach (its scope: '@' and the coach's device)."""


def _supervision(conn: Connection, held: TeamFile, path: Path, new_ops: str) -> None:
    for device, tbl, field, scope in conn.execute(
            _SUPERVISION_OPS + _where(new_ops, _SUPERVISION_TABLES)).fetchall():
        member = held.member(device)
        if member is not None and member.role == "supervisor":
            continue
        own = scope == "@" + device
        allowed = own and (tbl in ("training_entry", "selfcare_share")
                           or (tbl == "supervision_item" and field == "done_at"))
        if not allowed:
            name = member.identity.name if member else device[:6]
            what = "logged a supervision session" if tbl == "supervision_session" else \
                f"wrote a {tbl.replace('_', ' ')} that is not theirs to write"
            raise BadBundle(f"{path}: refused: {name} {what}; only a supervisor may")


_MERGE_OPS = (
    "SELECT b.device, max(CASE WHEN b.field = 'merged_id' THEN json_extract(b.value, '$') END), "
    "max(CASE WHEN b.field = 'into_id' THEN json_extract(b.value, '$') END) FROM ")
"""Followed by the new ops (where b.tbl = 'person_merge', grouped by device and row):
every new merge of two records of one person, who wrote it, and the two records."""


def _merges(conn: Connection, held: TeamFile, path: Path, new_ops: str) -> None:
    for device, merged, into in conn.execute(
            _MERGE_OPS + _where(new_ops, "b.tbl = 'person_merge'") + " GROUP BY b.device, b.row_id"
    ).fetchall():
        member = held.member(device)
        if member is not None and member.role == "supervisor":
            continue
        primaries = [row[0] for row in conn.execute(
            "SELECT CASE WHEN coalesce(c.primary_coach, '') = '' THEN p.origin ELSE "
            "c.primary_coach END FROM main.participant p LEFT JOIN main.caseload c "
            "ON c.id = p.id AND c.deleted = 0 WHERE p.id IN (?, ?)",
            (merged, into))]
        if any(primary != device for primary in primaries):
            name = member.identity.name if member else str(device)[:6]
            raise BadBundle(f"{path}: refused: {name} merged a person's record they do not "
                            "coach; only a supervisor may")
