"""Finalized notes and other immutable records never wedge sync: records are a pure
function of the set of ops, whatever order the ops arrive in (issue #14.1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import notes, participants
from coachdesk.sync import merge, service
from tests.conftest import person
from tests.sync.syncutil import KEY, content, make_vault, rebuilt_equals_live


def test_a_header_change_arriving_after_the_finalize_does_not_wedge(tmp_path: Path) -> None:
    """A starts a note, B imports it; A changes the header, C imports that, A imports
    C's bundle; A finalizes and exports for C; that bundle reaches B. Later bundles
    carrying the header change must import on B, and B must end equal to A."""
    a, b, c = (make_vault(tmp_path, n) for n in ("a", "b", "c"))
    try:
        pid = participants.create(a, person("Wedge Case"))
        note = notes.start(a, pid, setting="court", duration_min=10)
        first = service.export_bundle(a, tmp_path / "1.cdbundle", KEY, full=True).path
        merge.import_bundle(b, first, KEY)
        notes.save_header(a, note, {"setting": "phone", "duration_min": 25})
        to_c = service.export_bundle(a, tmp_path / "2.cdbundle", KEY, full=True).path
        merge.import_bundle(c, to_c, KEY)
        back = service.export_bundle(c, tmp_path / "3.cdbundle", KEY, peer=a.device).path
        merge.import_bundle(a, back, KEY)
        notes.finalize(a, note, "We met at court.", dt.date.today())
        for_c = service.export_bundle(a, tmp_path / "4.cdbundle", KEY, peer=c.device)
        assert for_c.manifest.op_count < 10  # only the finalize: C holds the header change
        merge.import_bundle(b, for_c.path, KEY)
        assert notes.get(b, note).is_final
        assert rebuilt_equals_live(b)
        # Every later bundle carrying the earlier header change now imports on B.
        again = service.export_bundle(a, tmp_path / "5.cdbundle", KEY, full=True).path
        merge.import_bundle(b, again, KEY)
        from_c = service.export_bundle(c, tmp_path / "6.cdbundle", KEY, full=True).path
        merge.import_bundle(b, from_c, KEY)
        got = notes.get(b, note)
        assert got.is_final and got.setting == "phone" and got.duration_min == 25
        assert got.body == "We met at court."
        assert content(a)["records"] == content(b)["records"]
        assert content(a)["conflicts"] == content(b)["conflicts"] == []
        assert rebuilt_equals_live(b) and rebuilt_equals_live(a)
    finally:
        for v in (a, b, c):
            v.close()
