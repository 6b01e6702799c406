"""Sync as the CLI and the TUI use it: export to the team's members, status, import paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.store import scope as op_scope
from coachdesk.store.vault import Vault
from coachdesk.sync import bundle, peers, team
from coachdesk.sync.bundle import Manifest
from coachdesk.sync.team import Member, TeamFile


@dataclass(frozen=True)
class Written:
    path: Path
    manifest: Manifest
    readers: tuple[str, ...]  # the names of the members it is addressed to
    devices: tuple[str, ...]

    def line(self, full: bool) -> str:
        kind = "full bundle" if full else "bundle"
        return (f"wrote {self.path}: {kind} for {', '.join(self.readers)}, "
                f"{self.manifest.op_count} changes")


@dataclass(frozen=True)
class ExportResult:
    """One bundle per reader: each carries only what that reader may hold."""

    written: tuple[Written, ...]
    full: bool = False

    @property
    def path(self) -> Path:
        return self.written[0].path

    @property
    def paths(self) -> list[Path]:
        return [w.path for w in self.written]

    @property
    def manifest(self) -> Manifest:
        return self.written[0].manifest

    @property
    def readers(self) -> tuple[str, ...]:
        return tuple(name for w in self.written for name in w.readers)

    def for_reader(self, device: str) -> Path:
        """The bundle addressed to `device`."""
        return next(w.path for w in self.written if device in w.devices)

    def line(self) -> str:
        return "\n".join(w.line(self.full) for w in self.written)


def team_of(vault: Vault) -> TeamFile:
    held = team.current(vault.conn)
    if held is None:
        raise CoachdeskError("this vault belongs to no team yet: a supervisor makes one "
                             "(`coachdesk team create NAME`), a coach asks to join "
                             "(`coachdesk team request FILE`)")
    me = held.member(vault.device)
    if me is None:
        raise CoachdeskError(f"this vault is not a member of the team {held.name!r} (a copy "
                             "renews its device id): send the supervisor a join request "
                             "(`coachdesk team request FILE`)")
    if not me.active:
        raise CoachdeskError(f"this vault was removed from the team {held.name!r}: it can no "
                             "longer send bundles")
    return held


def recipients(held: TeamFile, me: str, peer: str | None) -> list[Member]:
    """Every other active member, or the one `peer` names (name, device or unique prefix)."""
    others = [m for m in held.active_members() if m.device != me]
    if peer is None:
        if not others:
            raise CoachdeskError("no one to send to: the team has no other member yet "
                                 "(`coachdesk team accept FILE` adds one)")
        return others
    wanted = peer.strip().casefold()
    exact = [m for m in others if wanted in (m.device.casefold(), m.identity.name.casefold())]
    hits = exact or [m for m in others if wanted and (
        m.device.casefold().startswith(wanted) or m.identity.name.casefold().startswith(wanted))]
    if len(hits) == 1:
        return hits
    if not hits:
        raise CoachdeskError(f"no current member {peer!r} in the team {held.name!r} "
                             "(`coachdesk team show` lists them)")
    raise CoachdeskError(f"{len(hits)} members match {peer!r}: use the device id")


def reach_of(vault: Vault, reader: Member) -> bundle.Reach:
    """The scopes `reader` may hold (store/scope.py): a supervisor every one; a coach the
    team's records, its own private ones and the people it coaches, as this vault knows."""
    scopes = op_scope.allowed(vault.conn, reader.device, reader.role == "supervisor")
    return None if scopes is None else frozenset(scopes)


def _bundle_path(dest: Path, me: str, first: Member, several: bool) -> Path:
    """A folder gets a fresh name per bundle; a file name gets a reader's device id added
    when there are several bundles (device ids, never a person's name)."""
    if dest.is_dir():
        return dest / bundle.default_name(me, first.device if several else "")
    if several:
        return dest.with_name(f"{dest.stem}-to-{first.device[:6]}{bundle.SUFFIX}")
    return dest


def _known(vault: Vault, device: str, reach: bundle.Reach) -> peers.VersionVector:
    """What `device` is known to hold, less the scopes that entered its reach since the
    last bundle to it (those go in full: it may have removed that person before)."""
    known = peers.known_by(vault.conn, device)
    if reach is None:
        return known
    fresh = peers.entering(vault.conn, device, reach)
    return {k: n for k, n in known.items() if k[1] not in fresh}


@dataclass(frozen=True)
class Group:
    """Readers who may hold the same (a bundle is written for them together)."""

    readers: tuple[Member, ...]
    reach: bundle.Reach
    supervisors: bool

    @property
    def devices(self) -> tuple[str, ...]:
        return tuple(m.device for m in self.readers)


def groups(vault: Vault, held: TeamFile, peer: str | None = None) -> list[Group]:
    """Every other current member (or the one `peer` names), grouped by what they may
    hold: all supervisors together, each coach alone (or with another of the same reach)."""
    found: dict[tuple[bundle.Reach, bool], list[Member]] = {}
    for reader in recipients(held, vault.device, peer):
        found.setdefault((reach_of(vault, reader), reader.role == "supervisor"), []).append(reader)
    return [Group(tuple(readers), reach, sup) for (reach, sup), readers in found.items()]


def _base(vault: Vault, group: Group) -> peers.VersionVector:
    """What every reader of `group` is known to hold (of what it may hold)."""
    vectors = [_known(vault, m.device, group.reach) for m in group.readers]
    base = {k: min(v.get(k, 0) for v in vectors) for k in set().union(*vectors)}
    return {k: n for k, n in base.items() if n > 0}


def has_news(vault: Vault, group: Group) -> bool:
    """Whether a bundle for `group` would carry a change its readers lack (cheap: the held
    prefixes against their acknowledgements; no bundle is written to find out)."""
    base = _base(vault, group)
    for (origin, scope), top in peers.holdings(vault.conn).items():
        if (group.reach is None or scope in group.reach) and top > base.get((origin, scope), 0):
            return True
    if group.supervisors:
        for scope, top in vault.conn.execute("SELECT scope, max(sseq) FROM ops_outbox "
                                             "GROUP BY scope"):
            if top > base.get((vault.device, scope), 0):
                return True
    return False


def write_group(vault: Vault, held: TeamFile, group: Group, target: Path, *,
                full: bool = False) -> Written:
    """One bundle at `target` (a file path) for `group`: what its readers may hold and are
    not all known to hold yet (`full`: all they may hold)."""
    base = {} if full else _base(vault, group)
    manifest = bundle.write(vault.conn, target, keys=vault.keys, me=vault.identity(),
                            readers=[m.identity for m in group.readers], team=held,
                            base_vv=base, reach=group.reach, outbox=group.supervisors)
    if group.reach is not None:
        with vault.transaction() as conn:
            for m in group.readers:
                peers.reach_moved(conn, m.device, group.reach)
    vault.audit("bundle exported", detail=f"ops={manifest.op_count} "
                f"for={','.join(group.devices)}{' full' if full else ''}")
    return Written(target, manifest, tuple(m.identity.name for m in group.readers), group.devices)


def export_bundle(vault: Vault, dest: Path, *, peer: str | None = None,
                  full: bool = False, progress: bundle.Progress | None = None) -> ExportResult:
    """Bundles for every other member (or the one `peer` names), each holding what its
    readers may hold and are not all known to hold yet (`full`: all they may hold).
    Readers who may hold the same (supervisors: everything) share one bundle."""
    held = team_of(vault)
    found = groups(vault, held, peer)
    dest = Path(dest).expanduser()
    written = []
    for n, group in enumerate(found):
        if progress is not None:
            progress(n / len(found), f"bundle {n + 1} of {len(found)}: for "
                     + ", ".join(m.identity.name for m in group.readers))
        target = bundle.destination(
            _bundle_path(dest, vault.device, group.readers[0], len(found) > 1), vault.device)
        written.append(write_group(vault, held, group, target, full=full))
    return ExportResult(tuple(written), full)


def change_marker(vault: Vault) -> tuple[object, object]:
    """Moves whenever an op is written or a peer acknowledges more (cheap: two lookups)."""
    row = vault.conn.execute("SELECT (SELECT max(rowid) FROM ops), "
                             "(SELECT total(seq) + count(*) FROM peer_vv)").fetchone()
    return row[0], row[1]


def unacknowledged(vault: Vault) -> int:
    """Changes in this vault that no known peer is known to hold yet."""
    return peers.unacknowledged(vault.conn, vault.device)


def import_paths(text: str) -> list[Path]:
    """A bundle, a folder (every *.cdbundle in it) or a pattern such as /media/usb/*.cdbundle."""
    import glob

    text = text.strip()
    if not text:
        raise CoachdeskError("type the path of a bundle, a folder or a pattern")
    path = Path(text).expanduser()
    if path.is_dir():
        found = sorted(path.glob("*" + bundle.SUFFIX))
        if not found:
            raise CoachdeskError(f"no {bundle.SUFFIX} files in {path}")
        return found
    if any(c in text for c in "*?["):
        found = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
        if not found:
            raise CoachdeskError(f"no file matches {text}")
        return found
    return [path]
