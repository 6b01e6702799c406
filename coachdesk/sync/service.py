"""Sync as the CLI and the TUI use it: export for a peer, the stored sync key, status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.store import audit
from coachdesk.store.vault import Vault
from coachdesk.sync import bundle, peers
from coachdesk.sync.bundle import Manifest

SYNC_KEY_SETTING = "sync_key"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    peer_name: str  # "" for a full bundle, "every known peer" for the default

    def line(self) -> str:
        kind = "full bundle" if not self.manifest.peer else f"bundle for {self.peer_name}"
        return f"wrote {self.path}: {kind}, {self.manifest.op_count} changes"


def export_bundle(vault: Vault, dest: Path, sync_key: str, *, peer: str | None = None,
                  full: bool = False) -> ExportResult:
    """Full, for one named peer, or (default) everything some known peer has not acknowledged."""
    bundle.check_sync_key(sync_key, for_export=True)
    target = bundle.destination(Path(dest).expanduser(), vault.device)
    conn = vault.conn
    if full or (peer is None and not peers.list_peers(conn)):
        base, peer_device, name = {}, "", ""
    elif peer is not None:
        found = peers.find_peer(conn, peer)
        base, peer_device, name = peers.known_by(conn, found.device), found.device, found.coach
    else:
        base, peer_device, name = peers.known_by_all(conn), "*", "every known peer"
    manifest = bundle.write(conn, target, sync_key, device=vault.device, coach=vault.coach,
                            base_vv=base, peer=peer_device)
    vault.audit("bundle exported", detail=f"ops={manifest.op_count} for={peer_device or 'full'}")
    return ExportResult(target, manifest, name)


def stored_sync_key(vault: Vault) -> str | None:
    row = vault.conn.execute("SELECT value FROM setting WHERE key = ?", (SYNC_KEY_SETTING,)).fetchone()
    return row[0] if row else None


def save_sync_key(vault: Vault, key: str) -> None:
    """Keep the team sync key inside the (encrypted) vault, apart from the shown settings."""
    bundle.check_sync_key(key, for_export=True)
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (SYNC_KEY_SETTING, key))
        audit.record(conn, vault.device, vault.coach, "sync key changed")


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
