"""Sync as the CLI and the TUI use it: export to the team's members, status, import paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.store.vault import Vault
from coachdesk.sync import bundle, peers, team
from coachdesk.sync.bundle import Manifest
from coachdesk.sync.team import Member, TeamFile


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    readers: tuple[str, ...]  # the names of the members it is addressed to

    def line(self) -> str:
        kind = "full bundle" if not self.manifest.peer else "bundle"
        return (f"wrote {self.path}: {kind} for {', '.join(self.readers)}, "
                f"{self.manifest.op_count} changes")


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


def export_bundle(vault: Vault, dest: Path, *, peer: str | None = None,
                  full: bool = False) -> ExportResult:
    """A bundle addressed to every other member (or one `peer`), holding what not all of
    them are known to hold yet; `full`: everything."""
    held = team_of(vault)
    readers = recipients(held, vault.device, peer)
    target = bundle.destination(Path(dest).expanduser(), vault.device)
    conn = vault.conn
    if full:
        base: peers.VersionVector = {}
    else:
        vectors = [peers.known_by(conn, m.device) for m in readers]
        base = {o: min(v.get(o, 0) for v in vectors) for o in set().union(*vectors)}
        base = {o: s for o, s in base.items() if s > 0}
    marker = "" if full else (readers[0].device if len(readers) == 1 else "*")
    manifest = bundle.write(conn, target, keys=vault.keys, me=vault.identity(),
                            recipients=[m.identity for m in readers], team=held,
                            base_vv=base, peer=marker)
    vault.audit("bundle exported", detail=f"ops={manifest.op_count} "
                f"for={','.join(m.device for m in readers)}{' full' if full else ''}")
    return ExportResult(target, manifest, tuple(m.identity.name for m in readers))


def change_marker(vault: Vault) -> tuple[object, object]:
    """Moves whenever an op is written or a peer acknowledges more (cheap: two lookups)."""
    row = vault.conn.execute("SELECT (SELECT max(rowid) FROM ops), "
                             "(SELECT total(seq) FROM peer_vv)").fetchone()
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
