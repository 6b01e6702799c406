"""Caseloads: each person's primary coach and optional secondary coach, both members of
the team; what the supervisor decides (assign, transfer with a handoff note, share);
coaches' profiles and the ranking a supervisor sees when matching.

    assign(vault, person, primary=, secondary=)   supervisor only
    transfer(vault, person, to, note)             a new primary coach + a handoff note
    share / unshare(vault, person[, coach])       the secondary coach
    primary_of(row)                               "" primary = whoever added the person
    caseloads(vault)                              per member: (primary, secondary) counts
    ranked(vault, person)                         members by shared tags, then caseload
    roster_views(vault) / mark(row, focus)        the roster's scopes and its P / S marks
    require_assigner(vault) / coach_names(vault)  may this vault assign; members' names
    set_profile(vault, tags) / profile(vault, device)

Every refusal is one line and changes nothing. Who coaches whom is a team-wide record
(`caseload`); from it each vault works out which people it may hold (store/scope.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from coachdesk.errors import CoachdeskError
from coachdesk.models import ParticipantRow, Status
from coachdesk.models.caseload import CoachProfile, Handoff, checked_tags
from coachdesk.models.validation import validated
from coachdesk.store import participants, records
from coachdesk.store.vault import Vault
from coachdesk.sync import team, team_flow
from coachdesk.sync.team import Member, TeamFile

PROFILE = "coach_profile"
HANDOFF = "handoff"


def primary_of(row: ParticipantRow) -> str:
    return row.primary_coach or row.origin


def _member(held: TeamFile, query: str, what: str) -> Member:
    try:
        return team_flow.find_member(held, query)
    except CoachdeskError as exc:
        raise CoachdeskError(f"cannot make them {what}: {exc}") from None


def require_assigner(vault: Vault) -> TeamFile:
    """The team, when this vault may assign coaches (a supervisor's), else one line."""
    return team_flow.require_supervisor(vault, "only a supervisor assigns coaches")


def coach_names(vault: Vault) -> dict[str, str]:
    """Every member of the team (removed ones too) by device id: their name."""
    held = team.current(vault.conn)
    return {m.device: m.identity.name for m in held.members} if held else {}


def _person(vault: Vault, person: str) -> ParticipantRow:
    return participants.find(vault, person)


def assign(vault: Vault, person: str, *, primary: str | None = None,
           secondary: str | None = None) -> ParticipantRow:
    """Set the primary and/or secondary coach ("" secondary: none). Supervisor only."""
    held = require_assigner(vault)
    row = _person(vault, person)
    new_primary = _member(held, primary, "primary coach").device if primary else primary_of(row)
    new_secondary = row.secondary_coach
    if secondary is not None:
        new_secondary = _member(held, secondary, "secondary coach").device if secondary else ""
    if new_secondary and new_secondary == new_primary:
        raise CoachdeskError("the primary and the secondary coach must be two people")
    participants.set_coaches(vault, row.id, new_primary, new_secondary)
    return participants.get(vault, row.id, audited=False)


def transfer(vault: Vault, person: str, to: str, note: str) -> ParticipantRow:
    """A new primary coach, with a handoff note they see first. Supervisor only."""
    held = require_assigner(vault)
    row = _person(vault, person)
    new = _member(held, to, "primary coach")
    old = primary_of(row)
    if new.device == old:
        raise CoachdeskError(f"{new.identity.name} is already {row.alias}'s primary coach")
    handoff = validated(Handoff, {"participant_id": row.id, "from_coach": old,
                                  "to_coach": new.device, "note": note,
                                  "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    secondary = "" if row.secondary_coach == new.device else row.secondary_coach
    with vault.transaction():
        records.append(vault, HANDOFF, handoff.model_dump(mode="json"))
        participants.set_coaches(vault, row.id, new.device, secondary)
    return participants.get(vault, row.id, audited=False)


def share(vault: Vault, person: str, coach: str) -> ParticipantRow:
    return assign(vault, person, secondary=coach)


def unshare(vault: Vault, person: str) -> ParticipantRow:
    return assign(vault, person, secondary="")


def handoffs(vault: Vault, participant_id: str) -> list[Handoff]:
    """The person's handoff notes, newest first."""
    rows = vault.conn.execute(
        "SELECT participant_id, from_coach, to_coach, note, at FROM handoff "
        "WHERE participant_id = ? AND deleted = 0 ORDER BY at DESC", (participant_id,))
    return [Handoff.model_construct(participant_id=r[0], from_coach=r[1], to_coach=r[2],
                                    note=r[3], at=dt.datetime.fromisoformat(r[4]))
            for r in rows]


def caseloads(vault: Vault) -> dict[str, tuple[int, int]]:
    """Active people per coach (device): (as primary, as secondary)."""
    return participants.coach_counts(vault, Status.ACTIVE)


@dataclass(frozen=True)
class RosterView:
    """One scope of the roster: whose people it lists and whose P / S it marks."""

    name: str
    focus: str
    """The coach (device id) the rows are marked for: P primary, S secondary."""
    coach: str = ""
    """Only this coach's people ("": everyone)."""
    role: str = "either"
    """As "primary", "secondary" or "either" (participants.COACH_ROLES)."""
    who: str = "you"
    """How the header names the coach whose counts it gives."""


def roster_views(vault: Vault) -> list[RosterView]:
    """What the roster's view key cycles through: a supervisor's whole team, then each
    current member by name; a coach's everyone, mine (primary), shared with me."""
    me = vault.device
    held = team.current(vault.conn)
    if held is not None and held.supervisor(me) is not None:
        members = sorted(held.active_members(), key=lambda m: m.identity.name.casefold())
        return [RosterView("whole team", me),
                *(RosterView(m.identity.name, m.device, m.device, who=m.identity.name)
                  for m in members)]
    return [RosterView("everyone", me), RosterView("mine", me, me, "primary"),
            RosterView("shared with me", me, me, "secondary")]


def mark(row: ParticipantRow, focus: str) -> str:
    """"P" when `focus` is the person's primary coach, "S" the secondary, else ""."""
    if primary_of(row) == focus:
        return "P"
    return "S" if row.secondary_coach == focus else ""


def set_profile(vault: Vault, tags: list[str]) -> list[str]:
    """This coach's own profile (replaces the tags)."""
    checked = validated(CoachProfile, {"tags": tags}).tags
    exists = vault.conn.execute("SELECT 1 FROM coach_profile WHERE id = ? AND deleted = 0",
                                (vault.device,)).fetchone()
    if exists:
        records.update(vault, PROFILE, vault.device, {"tags": checked},
                       current={"tags": profile(vault, vault.device)})
    else:
        records.create(vault, PROFILE, {"tags": checked}, row_id=vault.device)
    return checked


def profile(vault: Vault, device: str) -> list[str]:
    row = vault.conn.execute("SELECT tags FROM coach_profile WHERE id = ? AND deleted = 0",
                             (device,)).fetchone()
    try:
        return checked_tags(json.loads(row[0])) if row else []
    except ValueError:
        return []


@dataclass(frozen=True)
class Match:
    member: Member
    shared: tuple[str, ...]
    primary: int
    secondary: int

    @property
    def caseload(self) -> int:
        return self.primary + self.secondary


def ranked(vault: Vault, person: str) -> list[Match]:
    """Current members, most tags shared with the person's preferences first, then the
    lightest caseload, then by name: what the supervisor chooses from."""
    held = team.current(vault.conn)
    if held is None:
        raise CoachdeskError("this vault belongs to no team: there is no one to match")
    row = _person(vault, person)
    wanted = set(row.preferences)
    loads = caseloads(vault)
    found = [Match(m, tuple(sorted(wanted & set(profile(vault, m.device)))),
                   *loads.get(m.device, (0, 0))) for m in held.active_members()]
    return sorted(found, key=lambda m: (-len(m.shared), m.caseload,
                                        m.member.identity.name.casefold()))


def merge_people(vault: Vault, merged: str, into: str, reason: str = "") -> ParticipantRow:
    """Merge the record `merged` into `into` (two records of one person; both histories
    stay, store/people.py). In a team, the supervisor's, or a coach's who is the primary
    coach of both (it moves nobody between caseloads); refused in one line otherwise."""
    from coachdesk.store import people

    gone, kept = _person(vault, merged), _person(vault, into)
    held = team.current(vault.conn)
    if held is not None and held.supervisor(vault.device) is None and not (
            primary_of(gone) == vault.device == primary_of(kept)):
        raise CoachdeskError("only a supervisor, or the primary coach of both, merges two "
                             "records of one person")
    people.merge(vault, gone.id, kept.id, reason)
    return participants.get(vault, kept.id, audited=False)
