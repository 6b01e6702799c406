"""Export and import of real bundles between real vaults."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.store.hlc import Clock
from coachdesk.sync import bundle, caseload, conflicts, merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import (
    content,
    everything,
    forge,
    make_vaults,
    op_ids,
    own_chains,
    rebuilt_equals_live,
    send,
)


def _vaults(root: Path, names: tuple[str, ...]):
    vaults = make_vaults(root, *names)
    yield vaults
    for v in vaults:
        v.close()


@pytest.fixture
def trio(tmp_path: Path):
    yield from _vaults(tmp_path, ("ann", "bob", "cat"))


@pytest.fixture
def duo(tmp_path: Path):
    yield from _vaults(tmp_path, ("ann", "bob"))


def test_full_bundle_carries_everything_including_tombstones(duo, tmp_path: Path) -> None:
    a, b = duo
    keep = participants.create(a, person("Keep Me"))
    gone = participants.create(a, person("Delete Me"))
    participants.delete(a, gone)
    result = service.export_bundle(a, tmp_path / "a.cdbundle", full=True)
    assert result.manifest.op_count == len(op_ids(a))
    assert result.manifest.holds() == own_chains(a)
    assert sum(own_chains(a).values()) == len(op_ids(a))
    summary = merge.import_bundle(b, result.path)
    assert (summary.new_ops, summary.new_records, summary.conflicts) == (len(op_ids(a)), 2 * 2, 0)
    # (two people, each with its caseload record)
    assert content(b) == content(a)
    assert participants.get(b, keep, audited=False).origin == a.device
    with pytest.raises(CoachdeskError):
        participants.get(b, gone, audited=False)
    assert not list(tmp_path.glob(".*.tmp")), "no temp file is left behind"
    assert os.stat(result.path).st_mode & 0o077 == 0


def test_reimport_says_nothing_new_and_writes_nothing(duo, tmp_path: Path) -> None:
    a, b = duo
    participants.create(a, person("Once Only"))
    path = service.export_bundle(a, tmp_path / "a.cdbundle").path
    merge.import_bundle(b, path)
    before = everything(b)
    again = merge.import_bundle(b, path)
    assert again.nothing_new and "nothing new" in again.line()
    assert everything(b) == before


def test_incremental_bundles_carry_only_what_the_peer_has_not_acknowledged(
        duo, tmp_path: Path) -> None:
    a, b = duo
    for i in range(3):
        participants.create(a, person(f"First {i}"))
    send(a, b, tmp_path / "1.cdbundle")
    assert peers.unacknowledged(a.conn, a.device) == len(op_ids(a))  # b has not answered yet
    send(b, a, tmp_path / "ack.cdbundle")  # b's bundle acknowledges what it holds
    assert peers.unacknowledged(a.conn, a.device) == 0
    acknowledged = len(op_ids(a))
    pid = participants.create(a, person("Second"))
    participants.update(a, pid, {"phone": "555 0100"})
    result = service.export_bundle(a, tmp_path / "2.cdbundle", peer="bob")
    fresh = {r[0] for r in a.conn.execute("SELECT op_id FROM ops WHERE seq > ?", (acknowledged,))}
    assert result.manifest.op_count == peers.unacknowledged(a.conn, a.device) == len(fresh)
    merge.import_bundle(b, result.path)
    assert content(b) == content(a)


def test_a_lost_bundle_loses_nothing(duo, tmp_path: Path) -> None:
    a, b = duo
    participants.create(a, person("Before"))
    send(a, b, tmp_path / "1.cdbundle")
    send(b, a, tmp_path / "ack.cdbundle")
    participants.create(a, person("Lost On A Stick"))
    service.export_bundle(a, tmp_path / "lost.cdbundle", peer="bob")  # never imported
    participants.create(a, person("After"))
    send(a, b, tmp_path / "3.cdbundle", peer="bob")
    assert content(b) == content(a)


def test_relay_a_to_b_to_c(trio, tmp_path: Path) -> None:
    a, b, c = trio
    participants.create(a, person("From Ann"))
    participants.create(b, person("From Bob"))
    send(a, b, tmp_path / "ab.cdbundle")
    # b has never heard from c: its default bundle (addressed to a and c) holds what not
    # both are known to hold, so everything, a's changes relayed too.
    first = send(b, c, tmp_path / "bc.cdbundle")
    assert not first.incomplete
    assert op_ids(c) == op_ids(a) | op_ids(b)
    # A bundle addressed to a alone cannot be opened by c: refused, c unchanged.
    participants.create(b, person("Later From Bob"))
    for_ann = service.export_bundle(b, tmp_path / "b-for-ann.cdbundle", peer="ann").path
    before = everything(c)
    with pytest.raises(CoachdeskError, match="not addressed to this vault"):
        merge.import_bundle(c, for_ann)
    assert everything(c) == before
    origins = {r[0] for r in c.conn.execute("SELECT origin FROM participant")}
    assert origins == {a.device, b.device}


def test_concurrent_edits_conflict_on_both_sides_and_one_resolution_clears_both(
        duo, tmp_path: Path) -> None:
    a, b = duo
    pid = participants.create(a, person("Shared"))
    send(a, b, tmp_path / "0.cdbundle")
    # b's laptop thinks it is 2035: its value shows first, but a's is kept.
    b.ops.clock = Clock(b.ops.clock.last, now_ms=lambda: 2_051_222_400_000)
    participants.update(a, pid, {"phone": "555 0001"})
    participants.update(b, pid, {"phone": "555 0002"})
    assert send(a, b, tmp_path / "1.cdbundle").conflicts == 1
    assert send(b, a, tmp_path / "2.cdbundle").conflicts == 1
    assert content(a) == content(b)
    [conflict] = conflicts.open_conflicts(a)
    assert [v.value for v in conflict.versions] == ["555 0002", "555 0001"]
    assert participants.get(a, pid, audited=False).phone == "555 0002"
    conflicts.resolve(a, "participant", pid, "phone", conflict.versions[1].op_id)
    assert conflicts.count(a) == 0
    send(a, b, tmp_path / "3.cdbundle")
    assert conflicts.count(b) == 0
    assert participants.get(b, pid, audited=False).phone == "555 0001"
    assert content(a) == content(b) and rebuilt_equals_live(a) and rebuilt_equals_live(b)
    with pytest.raises(CoachdeskError, match="already resolved"):
        conflicts.resolve(a, "participant", pid, "phone", conflict.versions[1].op_id)


def test_own_bundle_is_refused(duo, tmp_path: Path) -> None:
    a, _ = duo
    participants.create(a, person())
    path = service.export_bundle(a, tmp_path / "mine.cdbundle").path
    before = everything(a)
    with pytest.raises(CoachdeskError, match="exported by this vault"):
        merge.import_bundle(a, path)
    assert everything(a) == before


def test_a_copied_vault_takes_a_new_device_id(tmp_path: Path) -> None:
    import shutil

    from coachdesk.store.vault import Vault

    a, b = make_vaults(tmp_path, "orig", "bob")
    participants.create(a, person("Before The Copy"))
    a.close()
    shutil.copytree(tmp_path / "orig", tmp_path / "copy")
    a = Vault.open(tmp_path / "orig", "passphrase orig")
    clone = Vault.open(tmp_path / "copy", "passphrase orig")
    participants.create(clone, person("Written On The Copy"))
    send(clone, b, tmp_path / "x.cdbundle")  # the copy speaks as the original
    old = a.device
    summary = send(b, a, tmp_path / "y.cdbundle", full=True)  # a sees its own id, not its ops
    assert summary.renewed_device and a.device != old
    assert a.keys.public(a.device, a.coach) != clone.identity()  # new keys with the new id
    participants.create(a, person("Written After Renewal"))
    assert a.conn.execute("SELECT count(*) FROM ops WHERE device = ?",
                          (a.device,)).fetchone()[0] > 0
    with pytest.raises(CoachdeskError, match="not a member of the team"):
        service.export_bundle(a, tmp_path / "z.cdbundle")
    a.close()
    clone.close()


def test_newer_bundle_format_or_schema_is_refused(duo, tmp_path: Path) -> None:
    a, b = duo
    participants.create(a, person())
    for pragma in ("PRAGMA user_version = 99",
                   "UPDATE manifest SET value = '99' WHERE key = 'schema_version'"):
        path = service.export_bundle(a, tmp_path / "new.cdbundle").path
        forge(path, pragma, manifest=False)
        before = everything(b)
        with pytest.raises(CoachdeskError, match="update coachdesk"):
            merge.import_bundle(b, path)
        assert everything(b) == before


def test_manifest_that_does_not_match_the_ops_is_refused(duo, tmp_path: Path) -> None:
    a, b = duo
    pid = participants.create(a, person("Honest"))
    path = service.export_bundle(a, tmp_path / "m.cdbundle").path
    forge(path, ("UPDATE ops SET value = ? WHERE field = 'alias'", (json.dumps("Forged"),)),
          manifest=False)
    before = everything(b)
    with pytest.raises(CoachdeskError, match="do not match its manifest"):
        merge.import_bundle(b, path)
    assert everything(b) == before
    assert pid not in {r[0] for r in b.conn.execute("SELECT id FROM participant")}


BAD_OPS = [
    ("UPDATE ops SET tbl = 'sqlite_master'", "does not know"),
    ("UPDATE ops SET field = 'alias = 1; --' WHERE field = 'phone'", "does not know"),
    ("UPDATE ops SET op_id = 'someone:1' WHERE seq = 1", "malformed"),
    ("UPDATE ops SET parents = '{' WHERE seq = 2", "malformed"),
    ("UPDATE ops SET parents = '[1]' WHERE seq = 2", "malformed"),
    ("UPDATE ops SET seq = 'x' WHERE seq = 2", "malformed"),
    ("UPDATE ops SET hlc = 'yesterday' WHERE seq = 2", "does not know"),
]


def test_inconsistent_ops_are_refused_before_touching_the_vault(duo, tmp_path: Path) -> None:
    import shutil

    a, b = duo
    participants.create(a, person())
    good = service.export_bundle(a, tmp_path / "good.cdbundle").path
    before = everything(b)
    for index, (sql, message) in enumerate(BAD_OPS):
        path = tmp_path / f"bad{index}.cdbundle"
        shutil.copy(good, path)
        forge(path, sql, manifest=False)
        with pytest.raises(CoachdeskError, match=message):
            merge.import_bundle(b, path)
        assert everything(b) == before, sql


def test_peer_names_and_destinations(duo, tmp_path: Path) -> None:
    a, b = duo
    with pytest.raises(CoachdeskError, match="no current member 'dan'"):
        service.export_bundle(a, tmp_path, peer="dan")
    send(b, a, tmp_path / "hello.cdbundle")
    assert peers.find_peer(a.conn, "BO").device == b.device
    result = service.export_bundle(a, tmp_path, peer=b.device[:5])
    assert result.path.parent == tmp_path and result.path.suffix == ".cdbundle"
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(CoachdeskError, match="already exists"):
        service.export_bundle(a, tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    with pytest.raises(CoachdeskError, match="does not exist"):
        service.export_bundle(a, tmp_path / "nowhere" / "x.cdbundle")


def test_a_failed_export_leaves_no_file(duo, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from coachdesk.store.db import DatabaseError

    a, _ = duo
    participants.create(a, person())
    target = tmp_path / "fail.cdbundle"

    def disk_full(*_: object) -> None:  # an injected fault after the copy
        raise DatabaseError("database or disk is full")

    monkeypatch.setattr(bundle, "reader_view", disk_full)
    with pytest.raises(CoachdeskError, match="cannot write"):
        service.export_bundle(a, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann", "bob"]
    assert "bundle" not in [r[1] for r in a.conn.execute("PRAGMA database_list")]


def test_demo_vault_has_a_peer_and_one_conflict(tmp_path: Path) -> None:
    from coachdesk import config
    from coachdesk.demo import ensure_demo_vault
    from coachdesk.store.vault import Vault

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    try:
        assert [p.coach for p in peers.list_peers(vault.conn)] == ["Jordan Reyes", "Robin Okafor"]
        [conflict] = conflicts.open_conflicts(vault)
        assert conflict.field == "phone" and len(conflict.versions) == 2
        held = team.current(vault.conn)
        assert held is not None and held.name == "Eastside Recovery Coaches"
        assert sorted((m.identity.name, m.role) for m in held.members) == [
            ("Demo Coach", "coach"), ("Jordan Reyes", "coach"), ("Robin Okafor", "supervisor")]
        kit = participants.find(vault, "Kit Alvarez")
        assert kit.origin != vault.device  # added by Jordan, transferred to this coach
        assert caseload.primary_of(kit) == vault.device
        [handoff] = caseload.handoffs(vault, kit.id)
        assert handoff.from_coach == kit.origin and handoff.note
        rosa = participants.find(vault, "Rosa Delgado")  # shared with Jordan
        assert held.member(rosa.secondary_coach).identity.name == "Jordan Reyes"  # type: ignore[union-attr]
    finally:
        vault.close()
