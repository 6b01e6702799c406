"""Import: verify a bundle completely, then merge its ops in ONE transaction.

Ops merge by union (INSERT OR IGNORE on the op id); the touched fields are derived
again (several heads = a conflict, kept and listed); the sender's holdings become
its acknowledgement; the clock moves past the newest op seen; one audit entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from coachdesk.errors import CoachdeskError, disk_full
from coachdesk.ids import device_id
from coachdesk.models import SYNCED_RECORDS
from coachdesk.store import audit, chain, device_keys, oplog, people
from coachdesk.store.db import Connection, DatabaseError, transaction
from coachdesk.store.hlc import Timestamp
from coachdesk.store.oplog import Op
from coachdesk.store.vault import Vault
from coachdesk.sync import admission, authorship, bulk, bundle, peers, scope_guard, team, validate
from coachdesk.sync.bundle import Progress

_NEW = "SELECT op_id FROM temp.import_new"


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    sender_coach: str
    sender_device: str
    new_ops: int
    new_records: int
    updated_records: int
    conflicts: int
    acknowledged: bool
    clashes: int = 0
    renewed_device: bool = False
    incomplete: bool = False  # the bundle assumed changes this vault does not hold yet
    left: int = 0  # people who left this vault's caseload (removed here)
    drafts_carried: int = 0  # their drafts, now on their way to a supervisor
    purged: bool = False  # records were removed (the WAL is then checkpointed away)

    @property
    def nothing_new(self) -> bool:
        return self.new_ops == 0

    def line(self) -> str:
        who = f"{self.sender_coach} ({self.sender_device[:6]})"
        if self.nothing_new:
            text = f"{self.path.name}: nothing new from {who}"
            if self.incomplete:
                return text + f"; earlier changes are missing: ask {self.sender_coach} for a full bundle"
            return text + (" (their acknowledgement was recorded)" if self.acknowledged else "")
        text = (f"{self.path.name}: {_n(self.new_ops, 'change')} from {who}: "
                f"{_n(self.new_records, 'new record')}, {self.updated_records} updated, "
                f"{_n(self.conflicts, 'conflict')}")
        if self.clashes:
            text += f"; {self.clashes} clashing changes from a copy of this vault were skipped"
        if self.renewed_device:
            text += "; this vault is a copy, so it took a new device id"
        if self.incomplete:
            text += f"; some earlier changes are still missing: ask {self.sender_coach} for a full bundle"
        return text + self._leaving()

    def _leaving(self) -> str:
        if not self.left:
            return ""
        text = (f"; {_n(self.left, 'person')} left this vault's caseload and "
                f"{'was' if self.left == 1 else 'were'} removed here")
        if self.drafts_carried:
            text += (f" ({_n(self.drafts_carried, 'draft')} will go to the supervisor with "
                     "the next bundle)")
        return text


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


class _NothingChanged(Exception):
    pass


ConfirmLeaving = Callable[[list[scope_guard.Leaving]], bool]
"""Asked, inside the import, when people would leave this vault's caseload and some of
them have drafts here: True goes on, False cancels the import (nothing changes)."""


class Cancelled(CoachdeskError):
    pass


def import_bundle(vault: Vault, path: Path, progress: Progress | None = None, *,
                  trust_first: admission.TrustFirst | None = None,
                  confirm_leaving: ConfirmLeaving | None = None) -> ImportSummary:
    """Verify `path` and merge it; raises a CoachdeskError (vault unchanged) if refused.
    `trust_first` is asked before a vault with no team trusts the team file it carries;
    `confirm_leaving` before people with drafts here leave this vault's caseload."""
    step = progress or (lambda fraction, stage: None)
    conn = vault.conn
    if conn.in_transaction:
        raise RuntimeError("import_bundle runs its own transaction")
    opened = bundle.attach_verified(conn, path, keys=vault.keys, device=vault.device,
                                    progress=step)
    manifest = opened.manifest
    try:
        team_now, new_team = admission.team_for(conn, opened, path, own=vault.identity(),
                                            trust_first=trust_first)
        admission.check_sender(conn, opened, team_now, path)
        admission.check_writers(conn, team_now, path)
        heads = authorship.read_heads(conn)
        authorship.verify_new_ops(conn, heads, admission.sign_key_of(team_now), opened.new_ops)
        unknown_mine = conn.execute(
            "SELECT count(*) FROM bundle.ops b WHERE b.device = ? AND NOT EXISTS "
            "(SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)", (vault.device,)
        ).fetchone()[0]
        if manifest.sender_device == vault.device and not unknown_mine:
            raise bundle.BadBundle(f"{path}: this bundle was exported by this vault")
        try:
            opened.values.raise_first(conn)
        except validate.BadValue as exc:
            raise bundle.BadBundle(f"{path}: refused, a change holds a bad value: {exc}") from None
        held = peers.holdings(conn)
        incomplete = any(held.get(key, 0) < seq for key, seq in manifest.base().items())
        step(0.6, "merging")
        try:
            cache = bulk.roomy_cache(conn) if bulk.is_empty(conn) else contextlib.nullcontext()
            with cache, transaction(conn):
                if new_team is not None:
                    team.accept(conn, new_team, device=vault.device, coach=vault.coach,
                                own=vault.identity())
                held_heads = conn.total_changes
                chain.store_heads(conn, heads)
                new_heads = conn.total_changes > held_heads  # a head alone is news: it lets
                # this vault pass on ops it held without one (sync/bundle._plan)
                summary, new_device = _merge(vault, path, manifest, unknown_mine > 0, step,
                                             team_changed=new_team is not None or new_heads,
                                             newest_op=opened.newest)
                summary = _keep_to_scope(vault, summary, confirm_leaving)
            step(0.97, "saved")
            if summary.purged:  # the old pages of removed records leave the WAL file now
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except _NothingChanged:
            summary, new_device = _summary(path, manifest, 0, 0, 0, 0, False), None
        except DatabaseError as exc:
            if conn.in_transaction:  # a failed COMMIT may leave it open
                conn.execute("ROLLBACK")
            raise _database_error(path, exc) from None
        if incomplete:
            summary = replace(summary, incomplete=True)
    finally:
        opened.close(conn)
    if new_device:
        vault.device = new_device
        vault.ops.device = new_device
    vault.ops.clock.observe(Timestamp.decode(oplog.get_meta(conn, "hlc", "0" * 16 + ".000000")))
    step(1.0, "done")
    return summary


def _keep_to_scope(vault: Vault, summary: ImportSummary,
                   confirm: ConfirmLeaving | None) -> ImportSummary:
    """Remove the people this vault may no longer hold (after asking, when drafts of
    theirs are here), and outbox changes a supervisor now holds."""
    gone = scope_guard.leaving(vault)
    if gone and confirm is not None and any(g.drafts for g in gone) and not confirm(gone):
        raise Cancelled(f"{summary.path.name} was not imported: nothing changed")
    carried = scope_guard.enforce(vault, gone)
    scope_guard.release(vault)
    left = sum(1 for g in gone if g.alias)
    return replace(summary, left=left, drafts_carried=carried, purged=True) if gone else summary


def _database_error(path: Path, exc: DatabaseError) -> CoachdeskError:
    """One line for an SQL error while merging (the transaction was rolled back)."""
    text = str(exc)
    if disk_full(exc, path.parent):
        return CoachdeskError(f"the disk is full: {path.name} was not imported, the vault is "
                              "unchanged; free some space and import it again")
    if "interrupt" in text:
        return CoachdeskError(f"{path}: import stopped (the vault was locked)")
    kind = "breaks a rule of this vault" if "constraint" in type(exc).__name__.lower() or \
        "Integrity" in type(exc).__name__ else "could not be merged"
    return CoachdeskError(f"{path}: a change {kind} ({text}); nothing was imported")


def _summary(path: Path, manifest: bundle.Manifest, new: int, created: int, updated: int,
             conflicts: int, acknowledged: bool, **extra: object) -> ImportSummary:
    return ImportSummary(path, manifest.sender_coach, manifest.sender_device, new, created,
                         updated, conflicts, acknowledged, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Added:
    new: int  # ops new to this vault
    created: int  # records new to it
    updated: int  # records it held that the new ops change
    clashes: int = 0  # ops of a copy of this vault that clash with its own (skipped)


def _add_new(conn: Connection, path: Path, manifest: bundle.Manifest, step: Progress) -> _Added:
    """Insert the bundle's ops this vault lacks; temp.touched_field names their fields."""
    clashes = conn.execute(
        "SELECT count(*) FROM bundle.ops b JOIN main.ops m ON m.op_id = b.op_id "
        "WHERE (b.hlc, b.tbl, b.row_id, b.field, b.value, b.parents, b.author) IS NOT "
        "(m.hlc, m.tbl, m.row_id, m.field, m.value, m.parents, m.author)"
    ).fetchone()[0]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_new (op_id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.import_new")
    new = conn.execute(
        "INSERT INTO temp.import_new SELECT op_id FROM bundle.ops b "
        "WHERE NOT EXISTS (SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)"
    ).rowcount
    # Every op new (a first full import): no need to look each one up in the list.
    new_ops = "" if new == manifest.op_count else f" WHERE op_id IN ({_NEW})"
    # The fields the new ops touch, collected once (in key order: the temp B-tree is
    # appended to, not split at random); the records they name are counted (new or
    # updated) before the ops go in and the records are derived again.
    oplog.select_touched(conn, f"SELECT tbl, row_id, field FROM bundle.ops{new_ops} ORDER BY 1, 2, 3")
    created, updated = _count_records(conn, path)
    step(0.65, f"adding {new:,} changes")
    # OR IGNORE: an op of a copy of this vault that clashes with one it holds (counted).
    conn.execute(f"INSERT OR IGNORE INTO main.ops ({Op.WIRE_COLUMNS}) SELECT {Op.WIRE_COLUMNS} "
                 f"FROM bundle.ops{new_ops}")
    peers.refresh_held(conn, conn.execute("SELECT DISTINCT device, scope FROM bundle.ops"
                                          f"{new_ops}").fetchall())
    conn.execute("DELETE FROM temp.import_new")
    return _Added(new, created, updated, clashes)


def _add_all(conn: Connection, path: Path, manifest: bundle.Manifest, step: Progress) -> _Added:
    """_add_new for a vault that holds no op yet (sync/bulk.py): every op is new, none
    clashes, and the fields they touch are read from the log's own index once it is built."""
    step(0.65, f"adding {manifest.op_count:,} changes")
    new = bulk.copy_ops(conn)
    oplog.select_touched(conn, "SELECT DISTINCT tbl, row_id, field FROM main.ops")
    created, updated = _count_records(conn, path)
    peers.refresh_held(conn, conn.execute("SELECT DISTINCT device, scope FROM main.ops").fetchall())
    return _Added(new, created, updated)


def _count_records(conn: Connection, path: Path) -> tuple[int, int]:
    """(new, updated) records among those temp.touched_field names, before deriving."""
    created = updated = 0
    for tbl, rows in conn.execute("SELECT tbl, count(DISTINCT row_id) FROM temp.touched_field "
                                  "GROUP BY tbl").fetchall():
        if tbl not in SYNCED_RECORDS:  # checked in verification; never name it in SQL
            raise CoachdeskError(f"{path}: unknown record table")
        existing = conn.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT row_id FROM temp.touched_field "
            f"WHERE tbl = ?) r JOIN main.{tbl} t ON t.id = r.row_id", (tbl,)).fetchone()[0]
        created += rows - existing
        updated += existing
    return created, updated


def _merge(vault: Vault, path: Path, manifest: bundle.Manifest, copied: bool,
           step: Progress, *, team_changed: bool,
           newest_op: str | None) -> tuple[ImportSummary, str | None]:
    conn = vault.conn
    whole = bulk.is_empty(conn)  # inside the transaction: no other writer in between
    added = (_add_all if whole else _add_new)(conn, path, manifest, step)
    new, created, updated, clashes = added.new, added.created, added.updated, added.clashes
    step(0.75, f"updating {created + updated:,} records")
    oplog.derive_touched(conn, keep=True, whole_log=whole)
    people.refresh(conn)  # a merge of two records of one person may have come (few rows)
    step(0.92, "saving")
    conflicts = conn.execute(
        "SELECT count(*) FROM temp.touched_field t CROSS JOIN conflict c ON c.tbl = t.tbl "
        "AND c.row_id = t.row_id AND c.field = t.field").fetchone()[0]
    conn.execute("DELETE FROM temp.touched_field")
    now = audit.now_iso()
    acknowledged = peers.record_peer(conn, manifest.sender_device, manifest.sender_coach,
                                     manifest.holds(), now)
    if new == 0 and not acknowledged and not copied and not team_changed:
        raise _NothingChanged
    # Every op in the bundle, old ones too: those were observed when they first came
    # (`newest_op`, found in the read that took the bundle's digest). Never more than a
    # day past this computer's own clock (sync/validate.py).
    newest = validate.adoptable(newest_op) if newest_op else newest_op
    if newest and newest > oplog.get_meta(conn, "hlc", ""):
        oplog.set_meta(conn, "hlc", newest)
    new_device = None
    if copied:
        new_device = device_id()
        oplog.set_meta(conn, "device", new_device)
        oplog.set_meta(conn, "next_seq", "1")
        conn.execute("DELETE FROM own_scope")  # a new device starts its own chains
        device_keys.ensure(conn, new_device)  # a copy is not the original: new keys too
        audit.record(conn, vault.device, vault.coach, "device id renewed",
                     detail=f"copy detected; old={vault.device} new={new_device}")
    audit.record(conn, new_device or vault.device, vault.coach, "bundle imported",
                 detail=f"from={manifest.sender_device} ops={new} new={created} "
                        f"updated={updated} conflicts={conflicts} clashes={clashes}")
    return _summary(path, manifest, new, created, updated, conflicts, acknowledged,
                    clashes=clashes, renewed_device=copied), new_device
