"""A computer whose clock is years ahead: the changes made after its changes still sort
after them, so every vault agrees on who created a record, however its changes travel."""

from __future__ import annotations

import time
from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.hlc import Clock
from tests.conftest import person
from tests.sync.syncutil import content, make_vaults, rebuilt_equals_live, sync_to

YEARS_AHEAD = 9 * 365 * 86_400_000


def test_an_edit_of_a_record_from_the_future_keeps_its_creator(tmp_path: Path) -> None:
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob")
    bob.ops.clock = Clock(bob.ops.clock.last,
                          now_ms=lambda: time.time_ns() // 1_000_000 + YEARS_AHEAD)
    made = participants.create(bob, person("Made In The Future"))
    sync_to(bob, ann, tmp_path / "b-a.cdbundle")
    participants.update(ann, made, {"phone": "555 0100"})  # Ann's clock is today's
    # Sue takes the edit first, with the creation in the same bundle: her vault derives
    # the record from its ops alone, Ann's kept it as written.
    sync_to(ann, sue, tmp_path / "a-s.cdbundle", full=True)
    sync_to(sue, ann, tmp_path / "s-a.cdbundle", full=True)
    for vault in (sue, ann):
        got = participants.get(vault, made)
        assert (got.origin, got.phone) == (bob.device, "555 0100")
        assert rebuilt_equals_live(vault)
    assert content(sue) == content(ann)
    edit = ann.conn.execute("SELECT hlc FROM ops WHERE device = ? AND field = 'phone'",
                            (ann.device,)).fetchone()[0]
    assert edit > max(r[0] for r in ann.conn.execute(
        "SELECT hlc FROM ops WHERE device = ? AND tbl = 'participant' AND row_id = ?",
        (bob.device, made)))
    assert ann.ops.clock.tick().encode() < edit, "Ann's clock itself stays near today"
    for vault in (sue, ann, bob):
        vault.close()
