"""The team file: who belongs to the team, their public keys and roles, signed by a
supervisor. Every vault keeps the newest valid version it has seen (table team_file).

    TeamFile.parse(text) / .text()    the file as it travels (JSON; the body is signed)
    current(conn)                     the team this vault belongs to now, or None
    accept(conn, team, device=...)    keep a newer valid version; refuse anything else
    create / add_member / remove_member   a supervisor's new signed version

Rules (a careful reading of "trust on first use, then only the team's supervisors"):
- a vault with no team accepts the first valid file that names its own device (its
  keys exactly) and is signed by a supervisor the file itself lists (the caller shows
  that supervisor's fingerprint to confirm first);
- from then on a file is accepted only for the same team, with a higher version, signed
  by a supervisor who is a member (not removed) of the version this vault holds, with the
  key that version lists. An older, equal, unsigned or foreign file is refused.
- a removed member keeps its entry with `removed` (the version) and `last_seq`: its ops up
  to that seq stay valid (they were written while it belonged), later ones are refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from coachdesk import identity
from coachdesk.errors import CoachdeskError
from coachdesk.identity import BadKey, DeviceKeys, PublicIdentity
from coachdesk.ids import uuid7
from coachdesk.store import audit
from coachdesk.store.db import Connection

FILE_FORMAT = 1
ROLES = ("coach", "supervisor")
MAX_FILE_BYTES = 1_000_000


class BadTeamFile(CoachdeskError):
    """A team file refused; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Member:
    identity: PublicIdentity
    role: str
    added: int
    removed: int = 0
    """The team-file version that removed it; 0 while a member."""
    last_seq: int = 0
    """When removed: its ops up to this seq stay valid."""

    @property
    def device(self) -> str:
        return self.identity.device

    @property
    def active(self) -> bool:
        return not self.removed

    def to_json(self) -> dict[str, Any]:
        return {**self.identity.to_json(), "role": self.role, "added": self.added,
                "removed": self.removed, "last_seq": self.last_seq}

    @classmethod
    def from_json(cls, data: object) -> Member:
        if not isinstance(data, dict):
            raise BadTeamFile("a member entry is malformed")
        try:
            who = PublicIdentity.from_json(data)
        except BadKey as exc:
            raise BadTeamFile(f"a member entry is malformed ({exc})") from None
        role, added = data.get("role"), data.get("added")
        removed, last_seq = data.get("removed", 0), data.get("last_seq", 0)
        if role not in ROLES or not all(type(n) is int and n >= 0
                                        for n in (added, removed, last_seq)):
            raise BadTeamFile(f"the member entry of {who.name!r} is malformed")
        assert isinstance(role, str) and isinstance(added, int)
        assert isinstance(removed, int) and isinstance(last_seq, int)
        return cls(who, role, added, removed, last_seq)


@dataclass(frozen=True, slots=True)
class TeamFile:
    team_id: str
    name: str
    version: int
    created: str
    signer: str
    members: tuple[Member, ...] = field(default=())
    signature: bytes = b""

    def body(self) -> dict[str, Any]:
        return {"format": FILE_FORMAT, "team_id": self.team_id, "name": self.name,
                "version": self.version, "created": self.created, "signer": self.signer,
                "members": [m.to_json() for m in self.members]}

    def signed_bytes(self) -> bytes:
        return identity.canonical(self.body())

    def text(self) -> str:
        return json.dumps({"coachdesk_team_file": FILE_FORMAT, "body": self.body(),
                           "signature": identity.b64(self.signature)}, indent=1,
                          ensure_ascii=False) + "\n"

    def member(self, device: str) -> Member | None:
        return next((m for m in self.members if m.device == device), None)

    def active_members(self) -> list[Member]:
        return [m for m in self.members if m.active]

    def supervisor(self, device: str) -> Member | None:
        found = self.member(device)
        return found if found and found.active and found.role == "supervisor" else None

    def signed_by(self, who: PublicIdentity) -> bool:
        return identity.verify(who.sign_pub, self.signature, self.signed_bytes())

    @classmethod
    def parse(cls, text: str) -> TeamFile:
        if len(text) > MAX_FILE_BYTES:
            raise BadTeamFile("not a coachdesk team file (too large)")
        try:
            outer = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise BadTeamFile("not a coachdesk team file") from None
        if not isinstance(outer, dict) or "coachdesk_team_file" not in outer:
            raise BadTeamFile("not a coachdesk team file")
        if outer["coachdesk_team_file"] != FILE_FORMAT:
            raise BadTeamFile("a team file of another coachdesk version: update coachdesk")
        return cls.from_parts(outer.get("body"), outer.get("signature"))

    @classmethod
    def from_parts(cls, body: object, signature: object) -> TeamFile:
        if not isinstance(body, dict) or body.get("format") != FILE_FORMAT:
            raise BadTeamFile("the team file is malformed")
        try:
            sig = identity.unb64(signature, 64)
        except BadKey:
            raise BadTeamFile("the team file is not signed") from None
        team_id, name, version = body.get("team_id"), body.get("name"), body.get("version")
        created, signer, members = body.get("created"), body.get("signer"), body.get("members")
        if not (isinstance(team_id, str) and team_id and isinstance(name, str)
                and type(version) is int and version >= 1 and isinstance(created, str)
                and isinstance(signer, str) and isinstance(members, list)):
            raise BadTeamFile("the team file is malformed")
        parsed = tuple(Member.from_json(m) for m in members)
        if len({m.device for m in parsed}) != len(parsed):
            raise BadTeamFile("the team file names a device twice")
        team = cls(team_id, name, version, created, signer, parsed, sig)
        if team.signed_bytes() != identity.canonical(body):
            raise BadTeamFile("the team file holds fields this coachdesk does not know")
        return team


def _sign(team: TeamFile, keys: DeviceKeys) -> TeamFile:
    return replace(team, signature=identity.sign(keys, team.signed_bytes()))


# ---- what this vault holds --------------------------------------------------------


def current(conn: Connection) -> TeamFile | None:
    row = conn.execute("SELECT body, signature FROM team_file "
                       "ORDER BY version DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return TeamFile.from_parts(json.loads(row[0]), identity.b64(bytes.fromhex(row[1])))


def check(held: TeamFile | None, new: TeamFile, *, device: str,
          own: PublicIdentity | None = None) -> None:
    """Raise BadTeamFile unless `new` may replace `held` in the vault of `device`.
    `own`: this vault's identity, which a first team file must name exactly."""
    if held is None:
        me = new.member(device)
        if me is None or not me.active or (own is not None and me.identity != own):
            raise BadTeamFile("this team file does not name this vault: ask the supervisor "
                              "to accept your join request first")
        signer = new.supervisor(new.signer)
        if signer is None or not new.signed_by(signer.identity):
            raise BadTeamFile("the team file's signature is not valid")
        return
    if new.team_id != held.team_id:
        raise BadTeamFile(f"the team file is for another team ({new.name!r}, not {held.name!r})")
    if new.version <= held.version:
        raise BadTeamFile(f"the team file is version {new.version}; this vault already holds "
                          f"version {held.version}")
    signer = held.supervisor(new.signer)
    if signer is None:
        raise BadTeamFile("the team file is not signed by a supervisor of this team")
    if not new.signed_by(signer.identity):
        raise BadTeamFile("the team file's signature is not valid")


def accept(conn: Connection, new: TeamFile, *, device: str, coach: str,
           own: PublicIdentity | None = None) -> bool:
    """Keep `new` if it is valid and newer (in the caller's transaction). False when this
    vault already holds exactly that version; BadTeamFile when it is refused."""
    held = current(conn)
    if held is not None and held.version == new.version and held.signed_bytes() == new.signed_bytes():
        return False
    check(held, new, device=device, own=own)
    conn.execute(
        "INSERT INTO team_file (team_id, version, body, signer, signature, accepted) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (new.team_id, new.version, new.signed_bytes().decode("utf-8"), new.signer,
         new.signature.hex(), audit.now_iso()))
    audit.record(conn, device, coach, "team file accepted",
                 detail=f"team={new.team_id} version={new.version} signer={new.signer}")
    return True


# ---- a supervisor's new versions ----------------------------------------------------


def create(conn: Connection, keys: DeviceKeys, me: PublicIdentity, name: str) -> TeamFile:
    name = name.strip()
    if not name:
        raise CoachdeskError("the team needs a name")
    if current(conn) is not None:
        raise CoachdeskError("this vault already belongs to a team")
    team = _sign(TeamFile(uuid7(), name, 1, audit.now_iso(), me.device,
                          (Member(me, "supervisor", 1),)), keys)
    accept(conn, team, device=me.device, coach=me.name, own=me)
    return team


def _next_version(conn: Connection, me: PublicIdentity) -> TeamFile:
    held = current(conn)
    if held is None:
        raise CoachdeskError("this vault belongs to no team: `coachdesk team create NAME` first")
    if held.supervisor(me.device) is None:
        raise CoachdeskError("only a supervisor of the team can change it")
    return held


def add_member(conn: Connection, keys: DeviceKeys, me: PublicIdentity,
               who: PublicIdentity, role: str = "coach") -> TeamFile:
    held = _next_version(conn, me)
    if role not in ROLES:
        raise CoachdeskError(f"role must be one of {', '.join(ROLES)}")
    found = held.member(who.device)
    if found is not None and found.active:
        raise CoachdeskError(f"{found.identity.name} is already a member")
    if found is not None:
        raise CoachdeskError(f"{found.identity.name} was removed; a removed device cannot "
                             "rejoin: make a new vault on it")
    version = held.version + 1
    team = _sign(replace(held, version=version, signer=me.device, created=audit.now_iso(),
                         members=(*held.members, Member(who, role, version))), keys)
    accept(conn, team, device=me.device, coach=me.name, own=me)
    return team


def remove_member(conn: Connection, keys: DeviceKeys, me: PublicIdentity, device: str,
                  last_seq: int) -> TeamFile:
    """A new version in which `device` is removed; its ops up to `last_seq` stay valid."""
    held = _next_version(conn, me)
    found = held.member(device)
    if found is None or not found.active:
        raise CoachdeskError(f"no current member {device}")
    if device == me.device and len([m for m in held.active_members()
                                    if m.role == "supervisor"]) == 1:
        raise CoachdeskError("the team's only supervisor cannot remove themselves")
    version = held.version + 1
    members = tuple(replace(m, removed=version, last_seq=last_seq) if m.device == device else m
                    for m in held.members)
    team = _sign(replace(held, version=version, signer=me.device, created=audit.now_iso(),
                         members=members), keys)
    accept(conn, team, device=me.device, coach=me.name, own=me)
    return team
