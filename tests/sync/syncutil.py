"""Helpers for sync tests: real vaults, real bundles, content snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coachdesk.identity import DeviceKeys
from coachdesk.models import SYNCED_RECORDS
from coachdesk.store import oplog
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service

KEYS: dict[str, DeviceKeys] = {}
"""The keys of every vault the tests made or put in a team, by device id (forge() opens a
bundle as its reader and signs it again as its real sender)."""


def make_vault(root: Path, name: str) -> Vault:
    vault = Vault.create(root / name, "passphrase " + name, name.title(), enforce_strength=False)
    KEYS[vault.device] = vault.keys
    return vault


def make_vaults(root: Path, *names: str, scoped: bool = False) -> list[Vault]:
    """Vaults in one team, the first its supervisor. `scoped`: the others are coaches,
    each holding only its own people; else supervisors too, so that every vault holds
    every record (what the tests of merging need: a supervisor's view)."""
    vaults = [make_vault(root, name) for name in names]
    make_team(*vaults, role="coach" if scoped else "supervisor")
    return vaults


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


def sync_to(sender: Vault, receiver: Vault, path: Path, **how: Any) -> merge.ImportSummary:
    """A bundle from `sender` for `receiver` alone (written at `path`, a file or a folder),
    imported there."""
    result = service.export_bundle(sender, path, peer=receiver.device, **how)
    return merge.import_bundle(receiver, result.path)


def final_note(vault: Vault, participant_id: str, body: str) -> str:
    """A note for the person, finalized with `body`; its id."""
    from coachdesk.store import notes

    note_id = notes.start(vault, participant_id, body)
    notes.finalize(vault, note_id, body)
    return note_id


def send(sender: Vault, receiver: Vault, path: Path, **how: Any) -> merge.ImportSummary:
    result = service.export_bundle(sender, path, **how)
    return merge.import_bundle(receiver, result.path)


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


def forge(path: Path, *statements: tuple[str, tuple[Any, ...]] | str, manifest: bool = True) -> None:
    """Edit a bundle's payload and seal it again, as its sender could: the payload's
    manifest count, SHA-256 and sender holdings recomputed with the project's own code
    (unless not `manifest`), the header re-signed with the sender's real keys."""
    import contextlib
    import json
    import secrets
    from dataclasses import asdict

    from coachdesk.store.db import open_keyed, raw_key
    from coachdesk.sync import bundle, envelope

    header = envelope.read(path)
    reader = next(d for d in header.recipients if d in KEYS)
    file_key = header.open_key(KEYS[reader], reader, path)
    payload = path.with_name(path.name + f".{secrets.token_hex(3)}.payload")
    header.copy_payload(path, payload)
    conn = open_keyed(payload, raw_key(file_key.hex()))
    raw: dict[str, Any] = {}
    try:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            conn.execute(sql, params)
        if manifest:
            _chain_again(conn, header.sender, KEYS[header.sender])
        if not manifest:
            with contextlib.suppress(ValueError, RecursionError):
                raw = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM manifest")}
            return
        conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(payload), f"x'{file_key.hex()}'"))
        count, sha = bundle._digest_ops(conn)
        conn.execute("DETACH DATABASE bundle")
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'op_count'", (json.dumps(count),))
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'ops_sha256'", (json.dumps(sha),))
        top = conn.execute("SELECT value FROM manifest WHERE key = 'sender_device'").fetchone()[0]
        held = {(o, sc): n for o, sc, n in json.loads(conn.execute(
            "SELECT value FROM manifest WHERE key = 'sender_vv'").fetchone()[0])}
        device = json.loads(top)
        for scope, sseq in conn.execute("SELECT scope, max(sseq) FROM ops WHERE device = ? "
                                        "GROUP BY scope", (device,)).fetchall():
            if type(sseq) is int and sseq > held.get((device, scope), 0):
                held[(device, scope)] = sseq
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'sender_vv'",
                     (json.dumps([[o, sc, n] for (o, sc), n in sorted(held.items())]),))
        with contextlib.suppress(ValueError, RecursionError):
            raw = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM manifest")}
    finally:
        conn.close()
        try:
            fields = asdict(bundle.Manifest(**raw))
        except TypeError:
            fields = raw
        body = {k: v for k, v in header.body.items() if k in ("sender", "created", "recipients")}
        body["manifest_sha256"] = envelope.manifest_digest(fields)
        path.unlink()
        envelope.seal(path, payload, body, KEYS[header.sender])
        payload.unlink()


def _chain_again(conn: Any, device: str, keys: DeviceKeys) -> None:
    """Chain the sender's own ops in a payload again, per scope, and sign a new head over
    each chain, as a member can with its own keys (ops under other devices' ids it cannot
    sign)."""
    from coachdesk import identity
    from coachdesk.store import chain

    scopes = [r[0] for r in conn.execute("SELECT DISTINCT scope FROM ops WHERE device = ?",
                                         (device,)).fetchall()]
    conn.execute("DELETE FROM heads WHERE device = ?", (device,))
    for scope in scopes:
        rows = conn.execute(
            f"SELECT CAST(op_id AS BLOB), seq, sseq, prev, {chain.canonical_sql()} FROM ops "
            "WHERE device = ? AND scope IS ? ORDER BY sseq", (device, scope)).fetchall()
        if not rows or not all(type(r[1]) is int and type(r[2]) is int for r in rows):
            continue
        prev = rows[0][3]
        for op_id, _, _, _, data in rows:
            link = chain.link_bytes(prev, data)
            conn.execute("UPDATE ops SET prev = ?, chain = ? WHERE CAST(op_id AS BLOB) = ?",
                         (prev, link, op_id))
            prev = link
        _, seq, sseq, _, _ = rows[-1]
        head = chain.Head(device, scope, sseq, seq, prev,
                          identity.sign(keys, chain.head_bytes(device, scope, sseq, seq, prev)))
        conn.execute(f"INSERT INTO heads ({chain.HEAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                     head.row())


def make_team(supervisor: Vault, *coaches: Vault, name: str = "Harbor team",
              role: str = "coach") -> None:
    """A team led by `supervisor` with `coaches` as members (as `role`); every vault holds
    the newest team file (as after `team create`, `request`, `accept` and the way back)."""
    from coachdesk.demo.sync_peer import make_team as build

    build(name, supervisor, *coaches, role=role)
    KEYS.update((vault.device, vault.keys) for vault in (supervisor, *coaches))


def own_chains(vault: Vault) -> dict[tuple[str, str], int]:
    """(vault's device, scope) -> how many ops of its own it holds in that scope: its
    version vector's entries for itself (each chain numbered from 1 without gaps)."""
    return {(vault.device, scope): n for scope, n in vault.conn.execute(
        "SELECT scope, count(*) FROM ops WHERE device = ? GROUP BY scope", (vault.device,))}
