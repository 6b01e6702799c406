"""A sync folder: a folder that an existing sync engine (Syncthing, a network share, a USB
stick) carries between machines. Bundles are already encrypted, addressed and signed, so
the engine needs no trust at all.

    sync_once(vault, folder, log)   write what is new for each reader group, import every
                                    bundle addressed to this vault not yet imported, and
                                    remove this vault's bundles every reader acknowledged
    watch(vault, folders, log, ...) the same in a loop until stopped (the headless hub)

Names are `cd-<device>-<number>.cdbundle`: never a person's name. What sync engines leave
behind is ignored: temporary and hidden files (Syncthing's `.syncthing.*.tmp`), conflict
copies (`*.sync-conflict-*`), other formats, and a bundle still being copied (shorter than
its header says: taken up at the next pass). A bundle imported once is known by its
manifest digest (local table folder_in) and never opened again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk.errors import CoachdeskError, disk_full
from coachdesk.store import audit
from coachdesk.store.oplog import get_meta, set_meta
from coachdesk.store.vault import Vault
from coachdesk.sync import bundle, envelope, merge, peers, service, team

Log = Callable[[str], None]
PREFIX = "cd-"
CONFLICT_MARK = ".sync-conflict-"
_SEQ_KEY = "folder_seq"
_VIEW_KEY = "folder_view "


@dataclass
class Pass:
    """What one pass over a folder did."""

    written: list[str] = field(default_factory=list)
    imported: list[merge.ImportSummary] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    removed: int = 0


def check_folder(folder: Path) -> Path:
    """The folder, absolute; one line if it is missing or not writable."""
    folder = folder.expanduser().absolute()
    if not folder.is_dir():
        raise CoachdeskError(f"sync folder {folder} does not exist (or is not a folder)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CoachdeskError(f"sync folder {folder} is not writable")
    return folder


def _now() -> str:
    return audit.now_iso()


def is_candidate(path: Path) -> bool:
    """A name a finished bundle can have (not hidden, temporary or a conflict copy)."""
    name = path.name
    return (name.endswith(bundle.SUFFIX) and not name.startswith(".")
            and CONFLICT_MARK not in name and path.is_file())


# ---- in ---------------------------------------------------------------------------------


def _incoming(vault: Vault, folder: Path, log: Log, quiet: set[str]) -> list[tuple[Path, str]]:
    """(path, manifest digest) of the bundles in `folder` addressed to this vault, complete
    and not imported yet, oldest first. A file that is not a bundle is logged once (`quiet`
    remembers it); one still being copied is left for the next pass."""
    found = []
    for path in folder.iterdir():
        if not is_candidate(path):
            continue
        try:
            header = envelope.read(path)
            size = path.stat().st_size
        except (CoachdeskError, OSError) as exc:
            if "truncated" not in str(exc) and path.name not in quiet:
                quiet.add(path.name)
                log(f"skipped {path.name}: {_short(exc, path)}")
            continue
        if header.sender == vault.device:
            continue
        vault.conn.execute("INSERT OR IGNORE INTO folder_peer (folder, device) VALUES (?, ?)",
                           (str(folder), header.sender))
        if vault.device not in header.recipients:
            continue  # addressed to someone else: left alone
        digest = str(header.body["manifest_sha256"])
        if size < header.payload_offset + header.body["payload_bytes"]:
            continue
        if not vault.conn.execute("SELECT 1 FROM folder_in WHERE bundle = ?", (digest,)).fetchone():
            found.append((header.body["created"], path.name, path, digest))
    return [(path, digest) for _, _, path, digest in sorted(found)]


def _short(exc: BaseException, path: Path) -> str:
    text = str(exc)
    return text[len(str(path)) + 2:] if text.startswith(f"{path}: ") else text


def _import_all(vault: Vault, folder: Path, log: Log, done: Pass, quiet: set[str],
                stop: Callable[[], bool]) -> None:
    for path, digest in _incoming(vault, folder, log, quiet):
        if stop():
            return
        try:
            summary = merge.import_bundle(vault, path)
            with vault.transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO folder_in (bundle, at) VALUES (?, ?)",
                             (digest, _now()))
        except CoachdeskError as exc:
            if "truncated" in str(exc):
                continue  # still arriving
            done.refused.append(path.name)
            if path.name not in quiet:
                quiet.add(path.name)
                log(f"refused {path.name}: {_short(exc, path)}")
            continue
        done.imported.append(summary)
        log(f"imported {summary.line()}")


# ---- out --------------------------------------------------------------------------------


def _name(vault: Vault) -> str:
    with vault.transaction() as conn:
        number = int(get_meta(conn, _SEQ_KEY, "0")) + 1
        set_meta(conn, _SEQ_KEY, str(number))
    return f"{PREFIX}{vault.device[:12]}-{number:06d}{bundle.SUFFIX}"


def _view(vault: Vault, group: service.Group) -> str:
    view = bundle.reader_view(vault.conn, group.reach, set(group.devices), group.supervisors,
                              vault.device)
    return hashlib.sha256(json.dumps(peers.to_wire(view)).encode()).hexdigest()


def _groups_here(vault: Vault, held: team.TeamFile, folder: Path) -> list[service.Group]:
    """The reader groups of this folder: the members seen writing into it; in a folder no
    one else wrote into yet, a coach's supervisors (the hub answers there)."""
    seen = {r[0] for r in vault.conn.execute("SELECT device FROM folder_peer WHERE folder = ?",
                                             (str(folder),))}
    if not seen and held.supervisor(vault.device) is None:
        seen = {m.device for m in held.active_members() if m.role == "supervisor"}
    found = []
    for group in service.groups(vault, held):
        readers = tuple(m for m in group.readers if m.device in seen)
        if readers:
            found.append(service.Group(readers, group.reach, group.supervisors))
    return found


def _write_all(vault: Vault, folder: Path, log: Log, done: Pass) -> None:
    held = service.team_of(vault)
    for group in _groups_here(vault, held, folder):
        key = _VIEW_KEY + ",".join(sorted(group.devices))
        view = _view(vault, group)
        if not service.has_news(vault, group) and get_meta(vault.conn, key, "") == view:
            continue
        target = folder / _name(vault)
        try:
            written = service.write_group(vault, held, group, target)
        except CoachdeskError as exc:
            if disk_full(exc, folder):
                raise CoachdeskError(f"the disk of {folder} is full: nothing was written; "
                                     "free some space") from None
            raise
        tops = bundle.last_carried(vault.conn, vault.device, group.supervisors)
        with vault.transaction() as conn:
            set_meta(conn, key, view)
            conn.execute("INSERT INTO folder_out (folder, name, readers, tops, at) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (str(folder), target.name, json.dumps(list(group.devices)),
                          json.dumps(peers.to_wire(tops)), _now()))
        done.written.append(target.name)
        log(f"wrote {target.name} for {', '.join(written.readers)}: "
            f"{written.manifest.op_count} changes")


def _acknowledged(vault: Vault, readers: list[str], tops: peers.VersionVector,
                  held: team.TeamFile) -> bool:
    """Every current reader holds every chain the bundle carried (a chain of a person no
    longer in a coach's reach does not count: that coach let them go)."""
    for device in readers:
        member = held.member(device)
        if member is None or not member.active:
            continue
        known = peers.known_by(vault.conn, device)
        reach = service.reach_of(vault, member)
        for (origin, scope), top in tops.items():
            if (reach is None or scope in reach) and known.get((origin, scope), 0) < top:
                return False
    return True


def _clean(vault: Vault, folder: Path, done: Pass) -> None:
    """Remove this vault's bundles that every reader acknowledged, or that carried no
    change, once a newer one for the same readers is there. The newest for each group of
    readers stays: it carries this vault's latest acknowledgement, which its readers
    need to let their own bundles go (it is replaced by the next one)."""
    held = team.current(vault.conn)
    if held is None:
        return
    rows = vault.conn.execute("SELECT name, readers, tops FROM folder_out WHERE folder = ? "
                              "ORDER BY at, name", (str(folder),)).fetchall()
    newest: dict[str, str] = {r[1]: r[0] for r in rows}
    gone = []
    for name, readers, tops_json in rows:
        tops = peers.from_wire(json.loads(tops_json))
        if newest[readers] != name and (not tops or _acknowledged(vault, json.loads(readers),
                                                                  tops, held)):
            gone.append(name)
    with vault.transaction() as conn:
        for name in gone:
            try:
                (folder / name).unlink(missing_ok=True)
            except OSError:
                continue
            conn.execute("DELETE FROM folder_out WHERE folder = ? AND name = ?", (str(folder), name))
            done.removed += 1


# ---- a pass, and the loop ------------------------------------------------------------------


def sync_once(vault: Vault, folder: Path, log: Log, *, quiet: set[str] | None = None,
              stop: Callable[[], bool] = lambda: False) -> Pass:
    folder = check_folder(folder)
    done = Pass()
    quiet = set() if quiet is None else quiet
    _import_all(vault, folder, log, done, quiet, stop)
    if not stop():
        _write_all(vault, folder, log, done)
        _clean(vault, folder, done)
    return done


def _signature(folders: list[Path]) -> tuple[tuple[str, float, int], ...]:
    """What changed in the folders, cheaply (names, sizes, times of candidate files)."""
    seen = []
    for folder in folders:
        try:
            for path in folder.iterdir():
                if path.name.endswith(bundle.SUFFIX):
                    st = path.stat()
                    seen.append((str(path), st.st_mtime, st.st_size))
        except OSError:
            continue
    return tuple(sorted(seen))


def watch(vault: Vault, folders: list[Path], log: Log, *, stop: Callable[[], bool],
          interval: float = 2.0, heartbeat: float = 60.0) -> None:
    """Pass over every folder, then again whenever a folder changes (polled every
    `interval` seconds) or the vault has news, at least every `heartbeat` seconds, until
    `stop()`. A pass finishes the bundle it is in before stopping."""
    folders = [check_folder(f) for f in folders]
    quiet: set[str] = set()
    last_marker: object = None
    last_seen: object = None
    last_pass = 0.0
    while not stop():
        seen = _signature(folders)
        marker = service.change_marker(vault)
        if seen != last_seen or marker != last_marker or time.monotonic() - last_pass > heartbeat:
            for folder in folders:
                if stop():
                    break
                try:
                    sync_once(vault, folder, log, quiet=quiet, stop=stop)
                except CoachdeskError as exc:
                    log(f"error: {exc}")
            last_seen, last_marker, last_pass = _signature(folders), service.change_marker(vault), \
                time.monotonic()
        deadline = time.monotonic() + interval
        while not stop() and time.monotonic() < deadline:
            time.sleep(0.1)
