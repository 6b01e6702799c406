"""The team flows, as the CLI and the TUI both run them (the rules are in sync/team.py).

    create_team(vault, name)                  a new team led by this vault (version 1)
    write_request(vault, dest)                a join request: this vault's public keys, self-signed
    read_request(path)                        the identity in a join request, or BadJoinRequest
    accept_request(vault, path, role=...)     a supervisor adds the requester: a new signed version
    write_team_file(vault, dest)              the current signed team file, to carry back
    preview_team_file(vault, path)            what joining would do, checked, nothing stored
    join_team(vault, path)                    keep a team file (first use, or a newer version)
    find_member / remove(vault, member)       a new version without that member
    members(vault)                            rows for `team show` and the Sync screen

Every change runs in one vault transaction and is audited; a refused input changes nothing.
Files are written as every file is (files.write_file: temp name, fsync, rename, 0600).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import identity
from coachdesk.errors import CoachdeskError
from coachdesk.files import write_recorded
from coachdesk.identity import BadKey, PublicIdentity
from coachdesk.store import audit
from coachdesk.sync import peers, team
from coachdesk.sync.team import BadTeamFile, Member, TeamFile

if TYPE_CHECKING:
    from coachdesk.store.vault import Vault

REQUEST_FORMAT = 1
REQUEST_KEY = "coachdesk_join_request"
MAX_REQUEST_BYTES = 64 * 1024
"""A join request is a few hundred bytes; anything far larger is not one."""
REQUEST_SUFFIX = ".cdjoin"
TEAM_SUFFIX = ".cdteam"


class BadJoinRequest(CoachdeskError):
    """A join request refused; nothing was changed."""


MAX_NAME = 200
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS


def printable(name: str) -> str:
    """`name` with every character `shown_safely` refuses replaced by U+FFFD (for a team
    file that arrived by another path, e.g. inside a bundle)."""
    return "".join("\ufffd" if _unsafe(ch) else ch for ch in name[:MAX_NAME])


def shown_safely(name: str) -> bool:
    """A name from another vault that may be printed beside a fingerprint: no control
    characters (a terminal escape could redraw the line the person compares), no
    direction overrides (they could reorder its digits), not empty, not too long."""
    return (bool(name.strip()) and len(name) <= MAX_NAME
            and not any(_unsafe(ch) for ch in name))


# ---- reading the files that travel ----------------------------------------------------


def _read_text(path: Path, limit: int, what: str) -> str:
    """The file's text (at most `limit` bytes, valid UTF-8), else one line saying why not."""
    path = path.expanduser()
    if path.is_dir():
        raise CoachdeskError(f"{path} is a folder, not {what}")
    if path.exists() and not path.is_file():  # a pipe would wait forever, a device never ends
        raise CoachdeskError(f"{path} is not a regular file, not {what}")
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise CoachdeskError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise CoachdeskError(f"{path} is not {what} (too large)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CoachdeskError(f"{path} is not {what} (not UTF-8 text)") from None


def _named(dest: Path, default_name: str) -> Path:
    """`dest` itself, or a new file named `default_name` in it when it is a folder."""
    dest = dest.expanduser()
    return dest / default_name if dest.is_dir() else dest


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "team"


# ---- a new team ------------------------------------------------------------------------


def create_team(vault: Vault, name: str) -> TeamFile:
    if name.strip() and not shown_safely(name):
        raise CoachdeskError("the team name is too long or holds control characters")
    with vault.transaction() as conn:
        created = team.create(conn, vault.keys, vault.identity(), name)
        audit.record(conn, vault.device, vault.coach, "team created",
                     detail=f"team={created.team_id}")
    return created


# ---- join requests -----------------------------------------------------------------------


def request_text(vault: Vault) -> str:
    me = vault.identity()
    body = {REQUEST_KEY: REQUEST_FORMAT, "identity": me.to_json(), "created": audit.now_iso()}
    signature = identity.sign(vault.keys, identity.canonical(body))
    return json.dumps({**body, "signature": identity.b64(signature)}, indent=1,
                      ensure_ascii=False) + "\n"


def write_request(vault: Vault, dest: Path, *, force: bool = False) -> Path:
    """Write this vault's join request to `dest` (a folder: a new file in it)."""
    path = _named(dest, f"join-{_slug(vault.coach)}{REQUEST_SUFFIX}")
    return write_recorded(vault, path, request_text(vault), lambda: audit.record(
        vault.conn, vault.device, vault.coach, "team join request written"), force=force)


def parse_request(text: str) -> PublicIdentity:
    try:
        outer = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise BadJoinRequest("not a coachdesk join request (not JSON)") from None
    if not isinstance(outer, dict) or REQUEST_KEY not in outer:
        raise BadJoinRequest("not a coachdesk join request")
    if outer[REQUEST_KEY] != REQUEST_FORMAT:
        raise BadJoinRequest("a join request of another coachdesk version: update coachdesk")
    if set(outer) != {REQUEST_KEY, "identity", "created", "signature"} or not isinstance(
            outer["created"], str):
        raise BadJoinRequest("the join request is malformed")
    try:
        who = PublicIdentity.from_json(outer["identity"])
        signature = identity.unb64(outer["signature"], 64)
    except BadKey as exc:
        raise BadJoinRequest(f"the join request is malformed ({exc})") from None
    if not (shown_safely(who.name) and shown_safely(who.device)):
        raise BadJoinRequest("the join request's name is empty, too long or holds control "
                             "characters")
    body = {k: v for k, v in outer.items() if k != "signature"}
    if not identity.verify(who.sign_pub, signature, identity.canonical(body)):
        raise BadJoinRequest("the join request's signature is not valid: it was changed after "
                             "it was written; ask for a new one")
    return who


def read_request(path: Path) -> PublicIdentity:
    """The identity a join request names, verified against its own signature."""
    try:
        text = _read_text(path, MAX_REQUEST_BYTES, "a coachdesk join request")
    except CoachdeskError as exc:
        raise BadJoinRequest(str(exc)) from None
    return parse_request(text)


def require_supervisor(vault: Vault, refusal: str = "only a supervisor of the team can "
                       "change it") -> TeamFile:
    """The team this vault leads, else one line saying why it cannot (`refusal`)."""
    held = team.current(vault.conn)
    if held is None:
        raise CoachdeskError("this vault belongs to no team: `coachdesk team create NAME` first")
    if held.supervisor(vault.device) is None:
        raise CoachdeskError(refusal)
    return held


def accept_request(vault: Vault, path: Path, role: str = "coach", *,
                   expected: PublicIdentity | None = None) -> TeamFile:
    """Add the requester as a member: a new version signed by this (supervisor) vault.
    `expected`: the identity shown to the person who confirmed; a file changed since is refused."""
    who = read_request(path)
    if expected is not None and who != expected:
        raise BadJoinRequest("the join request changed since it was shown: run the command again")
    with vault.transaction() as conn:
        newer = team.add_member(conn, vault.keys, vault.identity(), who, role)
        audit.record(conn, vault.device, vault.coach, "team member added",
                     detail=f"device={who.device} role={role} version={newer.version}")
    return newer


# ---- team files ------------------------------------------------------------------------------


def current(vault: Vault) -> TeamFile:
    held = team.current(vault.conn)
    if held is None:
        raise CoachdeskError("this vault belongs to no team: `coachdesk team create NAME` "
                             "or `coachdesk team join FILE`")
    return held


def write_team_file(vault: Vault, dest: Path, *, force: bool = False) -> Path:
    """Write the current signed team file to `dest` (a folder: a new file in it)."""
    held = current(vault)
    path = _named(dest, f"{_slug(held.name)}-v{held.version}{TEAM_SUFFIX}")
    return write_recorded(vault, path, held.text(), lambda: audit.record(
        vault.conn, vault.device, vault.coach, "team file written",
        detail=f"team={held.team_id} version={held.version}"), force=force)


def read_team_file(path: Path) -> TeamFile:
    try:
        text = _read_text(path, team.MAX_FILE_BYTES, "a coachdesk team file")
    except CoachdeskError as exc:
        raise BadTeamFile(str(exc)) from None
    return TeamFile.parse(text)


@dataclass(frozen=True, slots=True)
class TeamPreview:
    """A team file checked against what this vault holds; nothing stored yet."""

    team: TeamFile
    signer: PublicIdentity
    """The supervisor who signed it (the key this vault trusts, or will trust)."""
    first_use: bool
    """No team held yet: the person confirms the signer's fingerprint first."""
    already_held: bool
    """This exact version is held already: joining changes nothing."""


def preview_team_file(vault: Vault, path: Path) -> TeamPreview:
    new = read_team_file(path)
    if not all(shown_safely(n) for n in (new.name, *(m.identity.name for m in new.members),
                                         *(m.device for m in new.members))):
        raise BadTeamFile("the team file holds a name that is empty, too long or holds "
                          "control characters")
    held = team.current(vault.conn)
    if held is not None and held.version == new.version and held.signed_bytes() == new.signed_bytes():
        known = held.member(new.signer)
        if known is None:
            raise BadTeamFile("the team file is not signed by a member of this team")
        return TeamPreview(new, known.identity, False, True)
    team.check(held, new, device=vault.device, own=vault.identity())
    signer = (held or new).supervisor(new.signer)
    assert signer is not None  # check() verified the signature with this member's key
    return TeamPreview(new, signer.identity, held is None, False)


def join_team(vault: Vault, path: Path, *,
              expected: TeamFile | None = None) -> tuple[TeamFile, PublicIdentity]:
    """Keep the team file at `path` (trust on first use; later only the team's supervisors).
    `expected`: the file shown to the person who confirmed; a file changed since is refused."""
    preview = preview_team_file(vault, path)
    if expected is not None and preview.team != expected:
        raise BadTeamFile("the team file changed since it was shown: run the command again")
    if not preview.already_held:
        with vault.transaction() as conn:
            team.accept(conn, preview.team, device=vault.device, coach=vault.coach,
                        own=vault.identity())
    return preview.team, preview.signer


# ---- removal ------------------------------------------------------------------------------------


def find_member(held: TeamFile, query: str) -> Member:
    """A current member by name (any case), device id, or a unique prefix of either."""
    wanted = query.strip().casefold()
    if not wanted:
        raise CoachdeskError("name the member to remove")

    def matches(m: Member, exact: bool) -> bool:
        keys = (m.identity.name.casefold(), m.device.casefold())
        return wanted in keys if exact else any(k.startswith(wanted) for k in keys)

    for exact in (True, False):
        hits = [m for m in held.members if matches(m, exact)]
        active = [m for m in hits if m.active]
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            raise CoachdeskError(f"{len(active)} members match {query!r}: use the device id")
        if hits:
            gone = hits[0]
            raise CoachdeskError(f"{gone.identity.name} was already removed "
                                 f"(version {gone.removed})")
    raise CoachdeskError(f"no member {query!r} in {held.name}")


def remove(vault: Vault, member: str) -> TeamFile:
    """A new version in which `member` is removed; the ops of theirs this vault holds
    (a gapless prefix) stay valid, later ones are refused."""
    held = require_supervisor(vault)
    gone = find_member(held, member)
    last_seq = peers.seq_prefix(vault.conn, gone.device)
    with vault.transaction() as conn:
        newer = team.remove_member(conn, vault.keys, vault.identity(), gone.device, last_seq)
        audit.record(conn, vault.device, vault.coach, "team member removed",
                     detail=f"device={gone.device} last_seq={last_seq} version={newer.version}")
    return newer


REMOVAL_NOTE = ("Removal cannot undo what that device already holds: the records and bundles "
                "it has stay readable to whoever can unlock it. From this version on, new "
                "bundles are not addressed to it and its later changes are refused.")


# ---- showing the team ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberRow:
    name: str
    role: str
    device: str
    """The device id, shortened to its first 8 characters."""
    fingerprint: str
    status: str
    """"active", or "removed in version N"."""
    last_bundle: str
    """When a bundle from them was last imported, "this vault", or "none yet"."""
    you: bool


def members(vault: Vault) -> list[MemberRow]:
    held = team.current(vault.conn)
    if held is None:
        return []
    seen = {p.device: p.last_import for p in peers.list_peers(vault.conn)}
    rows = []
    for m in held.members:
        you = m.device == vault.device
        last = "this vault" if you else _when(seen.get(m.device, ""))
        status = "active" if m.active else f"removed in version {m.removed}"
        rows.append(MemberRow(printable(m.identity.name), m.role, printable(m.device[:8]),
                              m.identity.fingerprint, status, last, you))
    return rows


def _when(stamp: str) -> str:
    """An ISO time as "YYYY-MM-DD HH:MM" (UTC), or "none yet"."""
    return stamp[:16].replace("T", " ") if stamp else "none yet"
