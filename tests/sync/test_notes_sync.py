"""Notes travel by bundle: a finalized note arrives whole (the immutability trigger does
not refuse its fields arriving one by one), drafts' bodies stay on their device, and a
rebuild of the records from the ops gives the same notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import notes, participants, reindex, search
from tests.conftest import person
from tests.sync.syncutil import content, make_vaults, rebuilt_equals_live, send


def test_finalized_note_syncs_and_draft_body_stays_local(tmp_path: Path) -> None:
    a, b = make_vaults(tmp_path, "alpha", "beta")
    try:
        pid = participants.create(a, person())
        final = notes.start(a, pid)
        notes.finalize(a, final, "Went to the pantry.\n- [ ] call back due:today",
                       dt.date.today())
        notes.add_addendum(a, final, "It was Thursday.")
        draft = notes.start(a, pid, "half a sentence")
        send(a, b, tmp_path / "a.cdbundle", full=True)
        got = notes.get(b, final)
        assert got.is_final and got.body.startswith("Went to the pantry.")
        assert [x.body for x in notes.addenda(b, final)] == ["It was Thursday."]
        assert notes.get(b, draft).text == "" and notes.drafts(b) == []
        assert content(a)["records"] == content(b)["records"]
        assert search.is_stale(b) and reindex.rebuild(b) >= 2
        assert [h.note_id for h in search.search(b, "pantry")] == [final]
        assert rebuilt_equals_live(b)
    finally:
        a.close()
        b.close()


def test_staleness_after_a_first_check_looks_only_at_what_arrived(tmp_path: Path) -> None:
    """Once the index was found current, is_stale reads only the records of newer ops
    (a big vault's notes are not counted at every search): a note, an addendum and a
    deletion that arrive are each seen."""
    a, b = make_vaults(tmp_path, "alpha", "beta")
    try:
        pid = participants.create(a, person())
        first = notes.start(a, pid)
        notes.finalize(a, first, "Went to the pantry.", dt.date.today())
        send(a, b, tmp_path / "1.cdbundle", full=True)
        assert search.is_stale(b) and reindex.rebuild(b) == 1
        assert not search.is_stale(b)  # found current: from now on only newer ops count
        second = notes.start(a, pid)
        notes.finalize(a, second, "Bus pass renewed.", dt.date.today())
        send(a, b, tmp_path / "2.cdbundle")
        assert search.is_stale(b) and reindex.rebuild(b) == 2 and not search.is_stale(b)
        notes.add_addendum(a, first, "It was Thursday.")
        send(a, b, tmp_path / "3.cdbundle")
        assert search.is_stale(b) and reindex.rebuild(b) == 3 and not search.is_stale(b)
        notes.delete(a, second)
        send(a, b, tmp_path / "4.cdbundle")
        assert [h.note_id for h in search.search(b, "bus")] == []  # never shown meanwhile
        assert search.is_stale(b) == (search._stale_by_counts(b.conn))
        reindex.rebuild(b)
        assert not search.is_stale(b)
        assert [(h.kind, h.note_id) for h in search.search(b, "pantry thursday")] == []
        assert [h.kind for h in search.search(b, "thursday")] == ["addendum"]
    finally:
        a.close()
        b.close()
