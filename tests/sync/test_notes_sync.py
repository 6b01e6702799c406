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
