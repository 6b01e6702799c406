"""Caseload scope as property tests (issue 17), over real vault files: a supervisor and
three coaches add people, write and finalize notes, and the supervisor transfers, shares
and unshares people while bundles travel in random orders, with repeats and old replays.

(a) after any import, a coach's vault holds no record of a person outside its scope;
(b) within scope, any order of bundles gives identical records and conflicts;
(c) a person entering a coach's scope brings their full history;
(d) the supervisor holds the union of its coaches' records;
(e) no finalized note is ever lost by a transfer.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coachdesk.registry import SYNCED_RECORDS
from coachdesk.store import notes, participants
from coachdesk.store import scope as op_scope
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service
from tests.conftest import person
from tests.sync.syncutil import make_vaults, rebuilt_equals_live

COACHES = (1, 2, 3)
coach = st.sampled_from(COACHES)
anyone = st.integers(0, 3)
pick = st.integers(0, 9)
actions = st.one_of(
    st.tuples(st.just("create"), coach),
    st.tuples(st.just("note"), anyone, pick, st.booleans()),
    st.tuples(st.just("transfer"), pick, coach),
    st.tuples(st.just("share"), pick, coach),
    st.tuples(st.just("unshare"), pick),
    st.tuples(st.just("export"), anyone, anyone),
    st.tuples(st.just("import"), anyone, st.integers(0, 99), st.booleans()),
)


@dataclass
class Sent:
    path: Path
    sender: int
    reader: int


class World:
    def __init__(self, root: Path):
        self.root = root
        self.vaults: list[Vault] = make_vaults(root, "sup", "ana", "ben", "cai", scoped=True)
        self.sent: list[Sent] = []
        self.finals: set[str] = set()  # every finalized note, wherever written

    def people(self, i: int) -> list[str]:
        return [r.id for r in participants.roster(self.vaults[i], status=None)]

    def step(self, action: tuple) -> None:
        kind = action[0]
        sup = self.vaults[0]
        if kind == "create":
            participants.create(self.vaults[action[1]], person(f"Person {len(self.finals)}"))
        elif kind == "note":
            _, i, k, final = action
            rows = self.people(i)
            if rows:
                vault = self.vaults[i]
                note_id = notes.start(vault, rows[k % len(rows)], f"note {k}")
                if final:
                    notes.finalize(vault, note_id, f"final note {note_id}")
                    self.finals.add(note_id)
        elif kind in ("transfer", "share", "unshare"):
            rows = self.people(0)
            if not rows:
                return
            who = rows[action[1] % len(rows)]
            primary = caseload.primary_of(participants.get(sup, who, audited=False))
            if kind == "unshare":
                caseload.unshare(sup, who)
                return
            target = self.vaults[action[2]].device
            if kind == "transfer" and target != primary:
                caseload.transfer(sup, who, target, "over to you")
            elif kind == "share" and target != primary:
                caseload.share(sup, who, target)
        elif kind == "export":
            _, i, j = action
            if i != j:
                self.export(i, j)
        elif self.sent:
            _, i, n, repeat = action
            sent = self.sent[n % len(self.sent)]
            self.deliver(sent, repeat)
        for i in COACHES:
            self.check_scope(i)

    def export(self, i: int, j: int) -> None:
        path = self.root / f"b{len(self.sent)}.cdbundle"
        result = service.export_bundle(self.vaults[i], path, peer=self.vaults[j].device)
        self.sent.append(Sent(result.path, i, j))

    def deliver(self, sent: Sent, repeat: bool) -> None:
        vault = self.vaults[sent.reader]
        merge.import_bundle(vault, sent.path)
        assert rebuilt_equals_live(vault)
        if repeat:
            merge.import_bundle(vault, sent.path)
            assert rebuilt_equals_live(vault)

    def check_scope(self, i: int) -> None:
        """(a): nothing of a person outside the coach's scope, as the coach knows it."""
        conn = self.vaults[i].conn
        allowed = op_scope.allowed(conn, self.vaults[i].device, False) or set()
        held = {r[0] for r in conn.execute("SELECT DISTINCT scope FROM ops")}
        assert held <= allowed, "a coach holds ops of a person outside its scope"
        people = {r[0] for r in conn.execute("SELECT id FROM participant")}
        assert people <= allowed, "a coach holds a person outside its scope"
        for tbl, fields in SYNCED_RECORDS.items():
            if op_scope.PERSON_FIELD in fields:
                found = {r[0] for r in conn.execute(f"SELECT DISTINCT participant_id FROM {tbl} "
                                                    "WHERE participant_id != ''")}
                assert found <= allowed, f"{tbl} holds a person outside the coach's scope"

    def converge(self) -> None:
        """Every coach sends to the supervisor, the supervisor to every coach; twice (the
        second round carries the acknowledgements that empty the outboxes)."""
        for _ in range(2):
            for i in COACHES:
                self.export(i, 0)
                self.deliver(self.sent[-1], False)
            for i in COACHES:
                self.export(0, i)
                self.deliver(self.sent[-1], False)

    def close(self) -> None:
        for vault in self.vaults:
            vault.close()


def records_of(vault: Vault, scope: str) -> dict[str, list[tuple]]:
    conn = vault.conn
    found: dict[str, list[tuple]] = {"participant": conn.execute(
        "SELECT * FROM participant WHERE id = ?", (scope,)).fetchall()}
    for tbl, fields in SYNCED_RECORDS.items():
        if op_scope.PERSON_FIELD in fields:
            found[tbl] = conn.execute(f"SELECT * FROM {tbl} WHERE participant_id = ? ORDER BY id",
                                      (scope,)).fetchall()
    found["ops"] = conn.execute("SELECT op_id FROM ops WHERE scope = ? ORDER BY op_id",
                                (scope,)).fetchall()
    found["conflict"] = conn.execute(
        "SELECT c.tbl, c.row_id, c.field FROM conflict c JOIN ops o ON o.tbl = c.tbl AND "
        "o.row_id = c.row_id WHERE o.scope = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        (scope,)).fetchall()
    return found


@contextlib.contextmanager
def world() -> Iterator[World]:
    with tempfile.TemporaryDirectory() as tmp:
        made = World(Path(tmp))
        try:
            yield made
        finally:
            made.close()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(actions, min_size=6, max_size=16))
# A transfer mid-history: Ana's person reaches the supervisor, Ana finalizes a note she has
# not sent, the supervisor moves the person to Ben, and Ana hears of it before sending.
@example(script=[("create", 1), ("note", 1, 0, True), ("export", 1, 0), ("import", 0, 0, False),
                 ("note", 1, 0, True), ("transfer", 0, 2), ("export", 0, 1),
                 ("import", 1, 1, True), ("share", 0, 3), ("export", 0, 2), ("export", 0, 3),
                 ("import", 2, 2, False), ("import", 3, 3, False), ("import", 0, 1, True)])
# Finalize between relays and a share, then an unshare with a replay of the old bundle.
@example(script=[("create", 2), ("note", 2, 0, False), ("export", 2, 0), ("import", 0, 0, False),
                 ("share", 0, 1), ("export", 0, 1), ("import", 1, 1, False),
                 ("note", 1, 0, True), ("unshare", 0), ("export", 0, 1),
                 ("import", 1, 2, False), ("import", 1, 1, True)])
def test_scope_holds_and_nothing_is_lost(script: list[tuple]) -> None:
    with world() as w:
        for action in script:
            w.step(action)
        w.converge()
        sup = w.vaults[0]
        notes_at_sup = {r[0] for r in sup.conn.execute("SELECT id FROM note WHERE status = 'final'")}
        assert w.finals <= notes_at_sup, "(e) a finalized note was lost"
        for i in COACHES:
            vault = w.vaults[i]
            w.check_scope(i)  # (a)
            assert vault.conn.execute("SELECT count(*) FROM ops_outbox").fetchone()[0] == 0
            mine = op_scope.people_of(sup.conn, vault.device)
            held = {r[0] for r in vault.conn.execute("SELECT id FROM participant")}
            assert held == mine, "(c) a person in scope did not arrive"
            theirs = {r[0] for r in vault.conn.execute("SELECT op_id FROM ops")}
            ours = {r[0] for r in sup.conn.execute("SELECT op_id FROM ops")}
            assert theirs <= ours, "(d) the supervisor lacks a coach's change"
            for scope in mine:
                assert records_of(vault, scope) == records_of(sup, scope), "(b)/(c) differ"
