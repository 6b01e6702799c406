"""Finalized notes and other immutable records never wedge sync: records are a pure
function of the set of ops, whatever order the ops arrive in (issue #14.1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from coachdesk.store import notes, oplog, participants, scope
from coachdesk.sync import bundle, merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import content, make_vaults, rebuilt_equals_live, send


def test_a_header_change_arriving_after_the_finalize_does_not_wedge(tmp_path: Path) -> None:
    """A starts a note, B imports it; A changes the header, C imports that, A imports
    C's bundle; A finalizes and exports for C; that bundle reaches B. Later bundles
    carrying the header change must import on B, and B must end equal to A."""
    a, b, c = make_vaults(tmp_path, "a", "b", "c")
    try:
        pid = participants.create(a, person("Wedge Case"))
        note = notes.start(a, pid, setting="court", duration_min=10)
        first = service.export_bundle(a, tmp_path / "1.cdbundle", full=True).path
        merge.import_bundle(b, first)
        notes.save_header(a, note, {"setting": "phone", "duration_min": 25})
        to_c = service.export_bundle(a, tmp_path / "2.cdbundle", full=True).path
        merge.import_bundle(c, to_c)
        back = service.export_bundle(c, tmp_path / "3.cdbundle", peer=a.device).path
        merge.import_bundle(a, back)
        notes.finalize(a, note, "We met at court.", dt.date.today())
        # A bundle built on what C holds (only the finalize), readable by B too: the export
        # no longer makes one, but nothing should depend on that.
        for_c = tmp_path / "4.cdbundle"
        manifest = bundle.write(a.conn, for_c, keys=a.keys, me=a.identity(),
                                readers=[b.identity(), c.identity()], team=team.current(a.conn),
                                base_vv=peers.known_by(a.conn, c.device), reach=None)
        assert manifest.op_count < 10  # only the finalize: C holds the header change
        merge.import_bundle(b, for_c)
        assert notes.get(b, note).is_final
        assert rebuilt_equals_live(b)
        # Every later bundle carrying the earlier header change now imports on B.
        again = service.export_bundle(a, tmp_path / "5.cdbundle", full=True).path
        merge.import_bundle(b, again)
        from_c = service.export_bundle(c, tmp_path / "6.cdbundle", full=True).path
        merge.import_bundle(b, from_c)
        got = notes.get(b, note)
        assert got.is_final and got.setting == "phone" and got.duration_min == 25
        assert got.body == "We met at court."
        assert content(a)["records"] == content(b)["records"]
        assert content(a)["conflicts"] == content(b)["conflicts"] == []
        assert rebuilt_equals_live(b) and rebuilt_equals_live(a)
    finally:
        for v in (a, b, c):
            v.close()


def test_an_edit_the_finalizer_never_saw_changes_nothing_anywhere(tmp_path: Path) -> None:
    """B changes the header while A finalizes without seeing it: A's note stays as A froze
    it, B's edit stays in the op log, no conflict, and B ends showing A's note."""
    a, b = make_vaults(tmp_path, "a", "b")
    try:
        pid = participants.create(a, person("Concurrent"))
        note = notes.start(a, pid, setting="court", duration_min=10)
        send(a, b, tmp_path / "1.cdbundle", full=True)
        notes.save_header(b, note, {"setting": "phone", "duration_min": 50})
        notes.finalize(a, note, "Frozen here.", dt.date.today())
        frozen = content(a)["records"]["note"]
        edit = send(b, a, tmp_path / "2.cdbundle", full=True)
        assert edit.new_ops == 2 and edit.conflicts == 0
        assert content(a)["records"]["note"] == frozen
        send(a, b, tmp_path / "3.cdbundle", full=True)
        got = notes.get(b, note)
        assert got.is_final and got.setting == "court" and got.duration_min == 10
        assert content(a)["records"] == content(b)["records"]
        assert content(b)["conflicts"] == []
        assert rebuilt_equals_live(a) and rebuilt_equals_live(b)
    finally:
        a.close()
        b.close()


def test_a_finalized_note_refuses_local_writes_but_not_a_delete(tmp_path: Path) -> None:
    [a] = make_vaults(tmp_path, "a")
    try:
        pid = participants.create(a, person("Refused"))
        note = notes.start(a, pid)
        notes.finalize(a, note, "Done.", dt.date.today())
        before = content(a)
        with pytest.raises(oplog.FrozenRecord), a.transaction():
            a.ops.write("note", note, {"setting": "phone"})
        assert content(a) == before
        notes.delete(a, note)
        assert a.conn.execute("SELECT deleted FROM note WHERE id = ?", (note,)).fetchone()[0] == 1
    finally:
        a.close()


def test_two_devices_finalizing_one_note_converge_on_the_first(tmp_path: Path) -> None:
    a, b = make_vaults(tmp_path, "a", "b")
    try:
        pid = participants.create(a, person("Twice"))
        note = notes.start(a, pid)
        send(a, b, tmp_path / "1.cdbundle", full=True)
        notes.finalize(a, note, "A's words.", dt.date.today())
        notes.finalize(b, note, "B's words.", dt.date.today())
        send(a, b, tmp_path / "2.cdbundle", full=True)
        send(b, a, tmp_path / "3.cdbundle", full=True)
        assert notes.get(a, note).body == notes.get(b, note).body == "A's words."
        assert content(a) == content(b)
        assert rebuilt_equals_live(a) and rebuilt_equals_live(b)
    finally:
        a.close()
        b.close()


def test_a_note_finalized_before_snapshots_still_derives_the_same(tmp_path: Path,
                                                                 monkeypatch) -> None:
    """A vault written by an earlier coachdesk (body, status, finalized_at; the finalize
    naming only the status it replaced) rebuilds to the very records it shows."""
    a, b = make_vaults(tmp_path, "a", "b")
    try:
        pid = participants.create(a, person("Legacy"))
        note = notes.start(a, pid, setting="court")
        notes.save_header(a, note, {"duration_min": 30})
        monkeypatch.setattr(oplog, "FROZEN_BY", {})
        notes.finalize(a, note, "Old style.", dt.date.today())
        monkeypatch.undo()
        parents = a.conn.execute("SELECT parents FROM ops WHERE field = 'status' AND value = "
                                 "'\"final\"'").fetchone()[0]
        assert len(json.loads(parents)) == 1
        assert rebuilt_equals_live(a)
        send(a, b, tmp_path / "1.cdbundle", full=True)
        assert content(a)["records"] == content(b)["records"]
        assert notes.get(b, note).duration_min == 30
    finally:
        a.close()
        b.close()


def test_a_late_op_on_an_append_only_record_changes_it_nowhere(tmp_path: Path) -> None:
    """A second op on an addendum's body (a member's changed code; signed all the same):
    first write wins, in one bundle or two."""
    a, b, c = make_vaults(tmp_path, "a", "b", "c")
    try:
        pid = participants.create(a, person("Append Only"))
        note = notes.start(a, pid)
        notes.finalize(a, note, "Body.", dt.date.today())
        notes.add_addendum(a, note, "The true addendum.")
        honest = service.export_bundle(a, tmp_path / "1.cdbundle", full=True).path
        merge.import_bundle(b, honest)
        [addendum] = notes.addenda(a, note)
        with a.transaction():  # past the store's rule, as changed code could
            a.ops._new_op("addendum", addendum.id, "body", "Rewritten.", [],
                          scope.row_scope(a.conn, "addendum", addendum.id) or "")
        forged = service.export_bundle(a, tmp_path / "2.cdbundle", full=True).path
        merge.import_bundle(b, forged)  # after the honest one
        merge.import_bundle(c, forged)  # both at once
        for vault in (b, c):
            assert [x.body for x in notes.addenda(vault, note)] == ["The true addendum."]
            assert rebuilt_equals_live(vault)
        assert content(b)["records"] == content(c)["records"]
    finally:
        for v in (a, b, c):
            v.close()
