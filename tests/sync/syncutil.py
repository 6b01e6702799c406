"""Helpers for sync tests: real vaults, real bundles, content snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coachdesk.models import SYNCED_RECORDS
from coachdesk.store import oplog
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service

KEY = "team sync key 1"


def make_vault(root: Path, name: str) -> Vault:
    return Vault.create(root / name, "passphrase " + name, name.title(), enforce_strength=False)


def content(vault: Vault) -> dict[str, Any]:
    """What sync must make equal: ops, records, heads and conflicts."""
    conn = vault.conn
    return {
        "ops": conn.execute(f"SELECT {oplog.Op.COLUMNS} FROM ops ORDER BY op_id").fetchall(),
        "records": {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                    for t in SYNCED_RECORDS},
        "heads": conn.execute("SELECT * FROM field_head ORDER BY tbl, row_id, field, op_id").fetchall(),
        "conflicts": conn.execute("SELECT * FROM conflict ORDER BY tbl, row_id, field").fetchall(),
    }


def everything(vault: Vault) -> dict[str, Any]:
    """Content plus local state: a refused import must change none of it."""
    conn = vault.conn
    state = content(vault)
    for table in ("peer_vv", "peer", "meta", "setting", "audit"):
        state[table] = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    return state


def op_ids(vault: Vault) -> set[str]:
    return {r[0] for r in vault.conn.execute("SELECT op_id FROM ops")}


def send(sender: Vault, receiver: Vault, path: Path, **how: Any) -> merge.ImportSummary:
    result = service.export_bundle(sender, path, KEY, **how)
    return merge.import_bundle(receiver, result.path, KEY)


def rebuilt_equals_live(vault: Vault) -> bool:
    live = content(vault)
    conn = vault.conn
    conn.execute("SAVEPOINT rebuild")
    try:
        oplog.rebuild_records(conn)
        return content(vault) == live
    finally:
        conn.execute("ROLLBACK TO rebuild")
        conn.execute("RELEASE rebuild")


def forge(path: Path, *statements: tuple[str, tuple[Any, ...]] | str) -> None:
    """Edit a bundle's ops with the real sync key and recompute its manifest's count and
    SHA-256 with the project's own digest, as a teammate holding the key could."""
    import json

    from coachdesk.store.db import open_keyed, passphrase_key
    from coachdesk.sync import bundle

    conn = open_keyed(path, passphrase_key(KEY))
    try:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            conn.execute(sql, params)
        conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(path), KEY))
        count, sha = bundle._digest_ops(conn)
        conn.execute("DETACH DATABASE bundle")
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'op_count'", (json.dumps(count),))
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'ops_sha256'", (json.dumps(sha),))
        top = conn.execute("SELECT value FROM manifest WHERE key = 'sender_device'").fetchone()[0]
        held = json.loads(conn.execute("SELECT value FROM manifest WHERE key = 'sender_vv'"
                                       ).fetchone()[0])
        device = json.loads(top)
        seq = conn.execute("SELECT max(seq) FROM ops WHERE device = ?", (device,)).fetchone()[0]
        if seq and seq > held.get(device, 0):
            held[device] = seq
            conn.execute("UPDATE manifest SET value = ? WHERE key = 'sender_vv'",
                         (json.dumps(held),))
    finally:
        conn.close()


def make_team(supervisor: Vault, *coaches: Vault, name: str = "Harbor team") -> None:
    """A team led by `supervisor` with `coaches` as members; every vault holds the
    newest team file (as after `team create`, `request`, `accept` and the way back)."""
    from coachdesk.sync import team

    with supervisor.transaction() as conn:
        team.create(conn, supervisor.keys, supervisor.identity(), name)
        for coach in coaches:
            latest = team.add_member(conn, supervisor.keys, supervisor.identity(),
                                     coach.identity())
    if coaches:
        for coach in coaches:
            with coach.transaction() as conn:
                team.accept(conn, latest, device=coach.device, coach=coach.coach,
                            own=coach.identity())
