"""The seven sync invariants of shared/DESIGN.md, as property tests over real vault files.

Three vaults with skewed clocks (one thinks it is 2035) create, edit and delete
participants, and exchange full, per-peer and default bundles in random orders,
with repeats and replays of old bundles. Checked on the way: a vault never loses an
op (3); a re-import changes nothing (2); a full bundle, or one made for the
receiver, leaves the receiver holding everything the sender held (4, 5); records
rebuilt from ops equal the live ones (7). At the end a round of full bundles makes
every vault identical, including conflicts (1, 6); resolving the conflicts on one
vault clears them on all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants
from coachdesk.store.hlc import Clock
from coachdesk.store.vault import Vault
from coachdesk.sync import conflicts, merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import content, everything, make_vaults, op_ids, rebuilt_equals_live

YEAR_MS = 365 * 86_400_000
SKEWS = (0, -YEAR_MS, 9 * YEAR_MS)  # on time, a year slow, in 2035
EDITS = {
    "phone": ["555 0001", "555 0002", ""],
    "pronouns": ["she/her", "they/them"],
    "status": ["active", "closed"],
    "safety_flags": [[], ["harm_self"], ["harm_others", "recent_overdose"]],
}
who = st.integers(0, 2)
actions = st.one_of(
    st.tuples(st.just("create"), who),
    st.tuples(st.just("edit"), who, st.integers(0, 9), st.sampled_from(sorted(EDITS)),
              st.integers(0, 2)),
    st.tuples(st.just("edit"), who, st.just(0), st.sampled_from(sorted(EDITS)), st.integers(0, 2)),
    st.tuples(st.just("delete"), who, st.integers(0, 9)),
    st.tuples(st.just("export"), who, st.sampled_from(["full", "default", "peer"]), who),
    st.tuples(st.just("import"), who, st.integers(0, 99), st.booleans()),
)


SETTINGS = ("court", "phone", "emergency department")
HEADER = ("setting", "duration_min", "occurred_at", "contact_type")
note_actions = st.one_of(
    st.tuples(st.just("note"), who, st.integers(0, 2)),
    st.tuples(st.just("header"), who, st.sampled_from([0, 0, 1, 2]), st.integers(0, 2)),
    st.tuples(st.just("finalize"), who, st.sampled_from([0, 0, 1])),
    st.tuples(st.just("remove"), who, st.sampled_from(["note", "note", "final", "person"]),
              st.integers(0, 2)),
    st.tuples(st.just("export"), who, st.sampled_from(["full", "default", "peer", "peer"]), who),
    st.tuples(st.just("import"), who, st.integers(0, 99), st.booleans()),
)


@dataclass
class Sent:
    path: Path
    sender: int
    ops: set[str]
    readers: set[str]  # the devices it is addressed to: for each, it is complete


class World:
    def __init__(self, root: Path):
        self.root = root
        self.vaults: list[Vault] = []
        for vault, skew in zip(make_vaults(root, *(f"v{i}" for i in range(len(SKEWS)))), SKEWS,
                               strict=True):
            vault.ops.clock = Clock(vault.ops.clock.last,
                                    now_ms=lambda s=skew: time.time_ns() // 1_000_000 + s)
            self.vaults.append(vault)
        self.sent: list[Sent] = []
        self.written: set[str] = set()
        self.held = [op_ids(v) for v in self.vaults]
        self.finalized: dict[str, list[tuple]] = {}
        self.removed: set[str] = set()
        self.dropped: set[int] = set()  # members the supervisor (v0) removed from the team

    def visible(self, i: int) -> list[str]:
        return [r.id for r in participants.roster(self.vaults[i], status=None)]

    def step(self, action: tuple) -> None:
        kind, i = action[0], action[1]
        vault = self.vaults[i]
        if kind == "create":
            participants.create(vault, person(f"Person {len(self.written)}"))
        elif kind in ("edit", "delete"):
            rows = self.visible(i)
            if not rows:
                return
            row_id = rows[action[2] % len(rows)]
            if kind == "delete":
                participants.delete(vault, row_id)
            else:
                values = EDITS[action[3]]
                participants.update(vault, row_id, {action[3]: values[action[4] % len(values)]})
        elif kind == "export":
            self.export(i, action[2], action[3])
        else:
            if self.sent:
                self.deliver(self.sent[action[2] % len(self.sent)], i, repeat=action[3])
        mine = op_ids(vault)
        assert mine >= self.held[i], "an op was lost"
        self.written |= mine
        self.held[i] = mine

    def note_step(self, action: tuple) -> None:
        """Notes: start, change the header, finalize, remove (a tombstone on a draft, a
        finalized note or a person); anywhere, in any order."""
        kind, i = action[0], action[1]
        vault = self.vaults[i]
        if kind in ("export", "import"):
            self.step(action)
            return
        if kind == "remove":
            self.remove(i, action[2], action[3])
            return
        if kind == "note":
            people = self.visible(i)
            if not people:
                return
            with contextlib.suppress(CoachdeskError):  # a closed person takes no note
                notes.start(vault, people[action[2] % len(people)], setting="court")
            return
        drafts = [r[0] for r in vault.conn.execute(
            "SELECT id FROM note WHERE deleted = 0 AND status = 'draft' ORDER BY id")]
        if not drafts:
            return
        note_id = drafts[action[2] % len(drafts)]
        if kind == "header":
            notes.save_header(vault, note_id, {"setting": SETTINGS[action[3]],
                                               "duration_min": 10 * (action[3] + 1) + i})
        else:
            try:
                notes.finalize(vault, note_id, f"Finalized on v{i}.", dt.date.today())
            except CoachdeskError as exc:  # the person was removed meanwhile: it stays a draft
                assert "no such participant" in str(exc)
                return
            got = notes.get(vault, note_id)
            self.finalized.setdefault(note_id, []).append(
                (got.body, *(getattr(got, f) for f in HEADER)))
        mine = op_ids(vault)
        assert mine >= self.held[i], "an op was lost"
        self.written |= mine
        self.held[i] = mine

    def remove(self, i: int, what: str, pick: int) -> None:
        """A tombstone mid-history: a draft discarded, a finalized note deleted, a person
        removed (their notes stay in the log)."""
        vault = self.vaults[i]
        if what == "person":
            people = self.visible(i)
            if people:
                participants.delete(vault, people[pick % len(people)])
        else:
            status = "final" if what == "final" else "draft"
            found = [r[0] for r in vault.conn.execute(
                "SELECT id FROM note WHERE deleted = 0 AND status = ? ORDER BY id", (status,))]
            if found:
                notes.delete(vault, found[pick % len(found)])
                self.removed.add(found[pick % len(found)])
        mine = op_ids(vault)
        assert mine >= self.held[i], "an op was lost"
        self.written |= mine
        self.held[i] = mine

    def knows_removed(self, i: int, j: int) -> bool:
        held = team.current(self.vaults[i].conn)
        member = held.member(self.vaults[j].device) if held else None
        return member is not None and not member.active

    def drop(self, j: int) -> None:
        """The supervisor (v0) removes v{j}; a bundle brings the news to the others."""
        sup = self.vaults[0]
        with sup.transaction() as conn:
            team.remove_member(conn, sup.keys, sup.identity(), self.vaults[j].device,
                               peers.seq_prefix(conn, self.vaults[j].device))
        self.dropped.add(j)

    def export(self, i: int, mode: str, target: int) -> None:
        vault = self.vaults[i]
        peer = self.vaults[target].device
        if mode == "peer" and (target == i or self.knows_removed(i, target)):
            mode = "default"
        how = {"full": {"full": True}, "peer": {"peer": peer}, "default": {}}[mode]
        path = self.root / f"b{len(self.sent)}.cdbundle"
        result = service.export_bundle(vault, path, **how)
        readers = {peer} if mode == "peer" else {
            v.device for j, v in enumerate(self.vaults) if j != i and not self.knows_removed(i, j)}
        self.sent.append(Sent(result.path, i, op_ids(vault), readers))
        assert result.manifest.op_count <= len(self.sent[-1].ops)

    def deliver(self, sent: Sent, i: int, repeat: bool = False) -> None:
        vault = self.vaults[i]
        if sent.sender == i:
            before = everything(vault)
            with pytest.raises(CoachdeskError, match="exported by this vault"):
                merge.import_bundle(vault, sent.path)
            assert everything(vault) == before
            return
        refusal = ("not addressed to this vault" if vault.device not in sent.readers else
                   "was removed from the team" if self.knows_removed(i, sent.sender) else None)
        if refusal:
            before = everything(vault)
            with pytest.raises(CoachdeskError, match=refusal):
                merge.import_bundle(vault, sent.path)
            assert everything(vault) == before
            return
        merge.import_bundle(vault, sent.path)
        assert op_ids(vault) >= sent.ops, "a bundle left out something its reader lacked"
        assert rebuilt_equals_live(vault)
        if repeat:
            before = everything(vault)
            assert merge.import_bundle(vault, sent.path).nothing_new
            assert everything(vault) == before

    def share_one(self) -> None:
        """One person every vault knows, so concurrent edits (conflicts) are likely."""
        participants.create(self.vaults[0], person("Known Everywhere"))
        path = self.root / "shared.cdbundle"
        service.export_bundle(self.vaults[0], path, full=True)
        for i in (1, 2):
            merge.import_bundle(self.vaults[i], path)
            self.held[i] = op_ids(self.vaults[i])

    def converge(self) -> None:
        full = {"full": True}
        for sender, receivers in ((0, [1]), (1, [2]), (2, [0, 1])):
            path = self.root / f"converge-{sender}.cdbundle"
            service.export_bundle(self.vaults[sender], path, **full)
            for r in receivers:
                merge.import_bundle(self.vaults[r], path)

    def close(self) -> None:
        for vault in self.vaults:
            vault.close()


@contextlib.contextmanager
def shared_world() -> Iterator[World]:
    """Three vaults in a temp folder, one person known to all; closed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        world = World(Path(tmp))
        try:
            world.share_one()
            yield world
        finally:
            world.close()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(actions, min_size=4, max_size=10))
def test_any_exchange_converges_and_loses_nothing(script: list[tuple]) -> None:
    with shared_world() as world:
        for action in script:
            world.step(action)
        # Old replays after everything else: nothing breaks, nothing is lost.
        for sent in world.sent[:2]:
            world.deliver(sent, (sent.sender + 1) % 3)
        world.converge()
        states = [content(v) for v in world.vaults]
        assert states[0] == states[1] == states[2]
        assert op_ids(world.vaults[0]) == world.written | op_ids(world.vaults[0])
        assert world.written <= op_ids(world.vaults[0])
        assert all(rebuilt_equals_live(v) for v in world.vaults)
        # A resolution on one vault clears the conflicts on every vault.
        first = world.vaults[0]
        for conflict in conflicts.open_conflicts(first):
            conflicts.resolve(first, conflict.tbl, conflict.row_id, conflict.field,
                              conflict.versions[-1].op_id)
        path = world.root / "resolved.cdbundle"
        service.export_bundle(first, path, full=True)
        for other in world.vaults[1:]:
            merge.import_bundle(other, path)
        states = [content(v) for v in world.vaults]
        assert states[0] == states[1] == states[2] and not states[0]["conflicts"]


def test_concurrent_edits_in_three_vaults_give_one_conflict_everywhere(tmp_path: Path) -> None:
    world = World(tmp_path)
    try:
        pid = participants.create(world.vaults[0], person("Three Ways"))
        world.export(0, "full", 0)
        for i in (1, 2):
            world.deliver(world.sent[0], i)
        for i, vault in enumerate(world.vaults):
            participants.update(vault, pid, {"phone": f"555 000{i}"})
        world.converge()
        states = [content(v) for v in world.vaults]
        assert states[0] == states[1] == states[2]
        [conflict] = conflicts.open_conflicts(world.vaults[1])
        assert sorted(v.value for v in conflict.versions) == ["555 0000", "555 0001", "555 0002"]
        # The vault living in 2035 shows first, but nobody's value is gone.
        assert conflict.versions[0].device == world.vaults[2].device
    finally:
        world.close()


RELAYED_FINALIZE = [  # the sequence of issue #14, then a tombstone and an old replay
    ("import", 1, 0, False), ("header", 0, 0, 1), ("export", 0, "full", 0),
    ("import", 2, 1, False), ("export", 2, "peer", 0), ("import", 0, 2, False),
    ("finalize", 0, 0), ("export", 0, "peer", 2), ("import", 1, 3, False),
    ("remove", 1, "final", 0), ("import", 1, 1, True), ("export", 1, "default", 0),
    ("import", 2, 4, False), ("import", 0, 4, False)]
REMOVED_WHILE_FINALIZED = [  # a draft discarded on one vault while another finalizes it,
    ("import", 1, 0, False), ("import", 2, 0, False), ("header", 1, 0, 2),  # its person
    ("remove", 1, "note", 0), ("finalize", 0, 0), ("header", 2, 0, 0),       # removed
    ("export", 2, "default", 0), ("remove", 2, "person", 0), ("export", 1, "full", 0),
    ("import", 0, 2, False), ("export", 0, "peer", 1), ("import", 2, 3, False),
    ("import", 1, 1, False), ("import", 1, 4, True), ("import", 0, 3, False)]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(note_actions, min_size=6, max_size=14))
@example(script=RELAYED_FINALIZE)
@example(script=REMOVED_WHILE_FINALIZED)
def test_finalize_edit_and_relay_in_any_order_never_wedge(script: list[tuple]) -> None:
    """Notes started, changed, finalized and relayed through three vaults in random
    orders (incremental bundles skip what a peer holds, so a finalize can arrive before
    the header change it froze): every import succeeds, records equal their rebuild, all
    vaults converge, and a note finalized once shows on every vault what its finalizer
    froze, whatever came later."""
    with shared_world() as world:
        notes.start(world.vaults[0], world.visible(0)[0], setting="court")
        world.export(0, "full", 0)
        for action in script:
            world.note_step(action)
        world.converge()
        states = [content(v) for v in world.vaults]
        assert states[0] == states[1] == states[2]
        assert all(rebuilt_equals_live(v) for v in world.vaults)
        for note_id, frozen in world.finalized.items():
            if len(frozen) == 1 and note_id not in world.removed:
                for vault in world.vaults:
                    got = notes.get(vault, note_id)
                    assert got.is_final
                    assert (got.body, *(getattr(got, f) for f in HEADER)) == frozen[0]
        for note_id in world.removed:  # a tombstone wins wherever it arrives
            for vault in world.vaults:
                with pytest.raises(CoachdeskError):
                    notes.get(vault, note_id)
        # A finalized note shows what was frozen: no open conflict on its fields.
        # (A draft's header edited on two vaults at once is a conflict, as any field.)
        final = {r[0] for r in world.vaults[0].conn.execute(
            "SELECT id FROM note WHERE status = 'final'")}
        assert not [r for r in states[0]["conflicts"]
                    if r[0] == "note" and r[1] in final and r[2] != "_deleted"]
