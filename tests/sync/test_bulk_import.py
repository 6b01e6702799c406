"""A full bundle into a vault that holds no change yet takes the bulk path (sync/bulk.py):
the same vault the ordinary merge gives, the same refusals before anything is written,
and nothing half-done when it stops midway."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, oplog, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import bulk, merge, service
from tests.conftest import person
from tests.sync.syncutil import content, everything, forge, make_vaults, rebuilt_equals_live

EDITS = {"phone": ["555 0001", "555 0002"], "status": ["active", "closed"],
         "safety_flags": [[], ["harm_self"]]}
writer = st.integers(0, 1)
history = st.lists(st.one_of(
    st.tuples(st.just("create"), writer),
    st.tuples(st.just("edit"), writer, st.integers(0, 5), st.sampled_from(sorted(EDITS)),
              st.integers(0, 1)),
    st.tuples(st.just("delete"), writer, st.integers(0, 5)),
    st.tuples(st.just("note"), writer, st.integers(0, 5)),
    st.tuples(st.just("finalize"), writer, st.integers(0, 5)),
    st.tuples(st.just("header"), writer, st.integers(0, 5), st.integers(1, 3)),
    st.tuples(st.just("send"), writer, st.booleans()),
), min_size=3, max_size=12)


def structure(vault: Vault) -> list[tuple[Any, ...]]:
    """Every index and table of the vault, as its schema names them."""
    return vault.conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                              "ORDER BY type, name").fetchall()


@contextlib.contextmanager
def ordinary_merge() -> Iterator[None]:
    """The ordinary path, even into an empty vault (what the bulk path must equal)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bulk, "is_empty", lambda conn: False)
        yield


class Team:
    """Two writers (a, b) and two empty vaults (c, d), all supervisors: each holds all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vaults = make_vaults(root, "a", "b", "c", "d")
        self.sent = 0

    def people(self, i: int) -> list[str]:
        return [p.id for p in participants.roster(self.vaults[i], status=None)]

    def drafts(self, i: int) -> list[str]:
        return [r[0] for r in self.vaults[i].conn.execute(
            "SELECT id FROM note WHERE deleted = 0 AND status = 'draft' ORDER BY id")]

    def step(self, action: tuple[Any, ...]) -> None:
        kind, i = action[0], action[1]
        vault = self.vaults[i]
        people, drafts = self.people(i), self.drafts(i)
        with contextlib.suppress(CoachdeskError):  # a closed person takes no note, etc.
            if kind == "create":
                participants.create(vault, person(f"Person {i}{len(people)}"))
            elif kind == "edit" and people:
                values = EDITS[action[3]]
                participants.update(vault, people[action[2] % len(people)],
                                    {action[3]: values[action[4] % len(values)]})
            elif kind == "delete" and people:
                participants.delete(vault, people[action[2] % len(people)])
            elif kind == "note" and people:
                notes.start(vault, people[action[2] % len(people)], setting="court")
            elif kind == "header" and drafts:
                notes.save_header(vault, drafts[action[2] % len(drafts)],
                                  {"duration_min": 10 * action[3] + i})
            elif kind == "finalize" and drafts:
                notes.finalize(vault, drafts[action[2] % len(drafts)], f"Seen by {i}.",
                               dt.date.today())
            elif kind == "send":
                self.sent += 1
                path = self.root / f"s{self.sent}.cdbundle"
                result = service.export_bundle(vault, path, peer=self.vaults[1 - i].device,
                                               full=action[2])
                merge.import_bundle(self.vaults[1 - i], result.path)

    def full_bundle(self) -> Path:
        """A full bundle from a, readable by b, c and d (supervisors share one)."""
        return service.export_bundle(self.vaults[0], self.root / "full.cdbundle", full=True).path

    def close(self) -> None:
        for vault in self.vaults:
            vault.close()


@contextlib.contextmanager
def team() -> Iterator[Team]:
    with tempfile.TemporaryDirectory() as tmp:
        made = Team(Path(tmp))
        try:
            yield made
        finally:
            made.close()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=history)
def test_the_bulk_path_gives_the_vault_the_ordinary_merge_gives(script: list[tuple[Any, ...]]) -> None:
    with team() as t:
        participants.create(t.vaults[0], person("Known Everywhere"))
        for action in script:
            t.step(action)
        path = t.full_bundle()
        c, d = t.vaults[2], t.vaults[3]
        shape = structure(c)
        assert bulk.is_empty(c.conn) and bulk.is_empty(d.conn)
        fast = merge.import_bundle(c, path)
        with ordinary_merge():
            slow = merge.import_bundle(d, path)
        assert fast.line() == slow.line()
        assert content(c) == content(d) == content(t.vaults[0]) | {
            "conflicts": content(d)["conflicts"]}
        assert content(c)["conflicts"] == content(d)["conflicts"]
        assert structure(c) == shape == structure(d)  # every index back, as it was
        assert c.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert rebuilt_equals_live(c)
        # What the ordinary path keeps beside the records: held chains, the peer, the clock.
        for table in ("held", "chain_head", "peer_vv"):
            assert c.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == \
                d.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        assert not merge.import_bundle(c, path).new_ops  # and again: nothing new


FORGED = [
    (("UPDATE ops SET value = '12' WHERE field = 'alias'", ()), "participant.alias"),
    (("UPDATE ops SET hlc = '9999999999999999.000000' WHERE field = 'phone'", ()),
     "ten years ahead"),
    (("UPDATE ops SET device = 'f' || substr(device, 2) WHERE field = 'alias'", ()), ""),
    (("DELETE FROM ops WHERE op_id = (SELECT max(op_id) FROM ops)", ()), "manifest"),
    (("UPDATE ops SET value = CAST(X'22FF22' AS TEXT) WHERE field = 'alias'", ()),
     "participant.alias: text that is not valid UTF-8"),
]


@pytest.mark.parametrize(("statement", "names"), FORGED)
def test_a_tampered_bundle_into_an_empty_vault_changes_nothing(tmp_path: Path, statement: Any,
                                                               names: str) -> None:
    a, b = make_vaults(tmp_path, "a", "b")
    for n in range(3):
        participants.create(a, person(f"Person {n}", phone="555 0100"))
    genuine = service.export_bundle(a, tmp_path / "full.cdbundle", full=True).path
    forged = tmp_path / "forged.cdbundle"
    shutil.copy(genuine, forged)
    forge(forged, statement, manifest="manifest" not in names)
    before, shape = everything(b), structure(b)
    assert bulk.is_empty(b.conn)
    with pytest.raises(CoachdeskError) as caught:
        merge.import_bundle(b, forged)
    assert "\n" not in str(caught.value) and names in str(caught.value)
    assert everything(b) == before and structure(b) == shape
    assert not merge.import_bundle(b, genuine).nothing_new  # the genuine one still goes in
    assert content(b)["records"] == content(a)["records"]


def test_a_bundle_for_another_vault_leaves_an_empty_vault_as_it_was(tmp_path: Path) -> None:
    a, b, c = make_vaults(tmp_path, "a", "b", "c")
    participants.create(a, person("Only For B"))
    for_b = service.export_bundle(a, tmp_path / "b.cdbundle", peer=b.device, full=True).path
    before = everything(c)
    with pytest.raises(CoachdeskError, match="not addressed to this vault"):
        merge.import_bundle(c, for_b)
    assert everything(c) == before


def stop_inside_the_insert(patch: pytest.MonkeyPatch, seen: list[int]) -> type[BaseException]:
    """SQLite's own interrupt, inside the INSERT of the ops (the op log's indexes dropped
    by then, part of the ops in): SQLite rolls the whole transaction back."""
    copy = bulk.copy_ops

    def copy_then_stop(conn: Any) -> int:
        calls = iter(range(10**9))
        conn.set_progress_handler(lambda: next(calls) > 50, 100)
        try:
            return copy(conn)
        except Exception:
            seen.append(1)
            raise
        finally:
            conn.set_progress_handler(None, 0)

    patch.setattr(bulk, "copy_ops", copy_then_stop)
    return CoachdeskError


def stop_before_the_indexes(patch: pytest.MonkeyPatch, seen: list[int]) -> type[BaseException]:
    """Ctrl+C once every op is in and before the indexes are back: the import's own
    transaction rolls back, the dropped indexes with it."""
    def interrupted(conn: Any, schema: list[str]) -> None:
        seen.append(conn.execute("SELECT count(*) FROM main.ops").fetchone()[0])
        raise KeyboardInterrupt

    patch.setattr(bulk, "index_again", interrupted)
    return KeyboardInterrupt


@pytest.mark.parametrize("stop", [stop_inside_the_insert, stop_before_the_indexes])
def test_a_bulk_import_stopped_mid_copy_leaves_the_vault_as_it_was(tmp_path: Path, stop: Any) -> None:
    a, b = make_vaults(tmp_path, "a", "b")
    for n in range(20):
        participants.create(a, person(f"Person {n}"))
    path = service.export_bundle(a, tmp_path / "full.cdbundle", full=True).path
    before, shape = everything(b), structure(b)
    seen: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        raised = stop(patch, seen)
        with pytest.raises(raised) as caught:
            merge.import_bundle(b, path)
    assert seen and seen[0] > 0, "stopped elsewhere than in the copy"
    if raised is CoachdeskError:
        assert "\n" not in str(caught.value) and "import stopped" in str(caught.value)
    assert everything(b) == before and structure(b) == shape
    assert b.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert bulk.is_empty(b.conn)
    assert not merge.import_bundle(b, path).nothing_new
    assert content(b)["records"] == content(a)["records"]


def test_finalized_notes_into_an_empty_vault_are_derived_set_based(tmp_path: Path) -> None:
    """Finalized notes (frozen records: each field from the snapshot its finalizing op
    names) take the bulk path's set-based derivation, not one record at a time in Python,
    and give what the ordinary merge gives: a header edit the finalizer had not seen stays
    out, one it had seen is in, a note finalized twice keeps the first, a deleted final
    note stays deleted, a draft stays a draft."""
    a, b, c, d = make_vaults(tmp_path, "a", "b", "c", "d")
    pid = participants.create(a, person("Noted Person"))
    unseen = notes.start(a, pid, "first", setting="court")
    seen = notes.start(a, pid, "second", setting="court")
    twice = notes.start(a, pid, "third", setting="court")
    gone = notes.start(a, pid, "fourth", setting="court")
    draft = notes.start(a, pid, "fifth", setting="court")
    sync = iter(range(100))

    def send(sender: Vault, receiver: Vault) -> None:
        path = tmp_path / f"s{next(sync)}.cdbundle"
        merge.import_bundle(receiver, service.export_bundle(
            sender, path, peer=receiver.device, full=True).path)

    send(a, b)
    notes.save_header(b, unseen, {"duration_min": 45})  # a finalizes without seeing it
    notes.save_header(b, seen, {"duration_min": 30})
    send(b, a)
    notes.finalize(b, twice, "Seen by b.", dt.date.today())
    notes.finalize(a, twice, "Seen by a.", dt.date.today())
    notes.finalize(a, seen, "Seen, with b's header.", dt.date.today())
    notes.finalize(a, gone, "Then deleted.", dt.date.today())
    notes.delete(a, gone)
    send(b, a)
    notes.save_header(a, draft, {"duration_min": 20})
    notes.finalize(b, unseen, "Finalized by b before hearing more.", dt.date.today())
    send(b, a)
    path = service.export_bundle(a, tmp_path / "full.cdbundle", full=True).path
    one_by_one: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        rows = oplog._frozen_from_rows
        patch.setattr(oplog, "_frozen_from_rows",
                      lambda tbl, found: one_by_one.append(tbl) or rows(tbl, found))
        fast = merge.import_bundle(c, path)
    assert one_by_one == []  # every finalized note's snapshot was whole: none row by row
    with ordinary_merge():
        slow = merge.import_bundle(d, path)
    assert fast.line() == slow.line()
    assert content(c) == content(d)
    assert content(c)["records"] == content(a)["records"]
    finals = {r[0] for r in c.conn.execute("SELECT id FROM note WHERE status = 'final'")}
    assert {unseen, seen, twice, gone} <= finals and draft not in finals
    assert rebuilt_equals_live(c)
