"""Two records of one person merged into one (issue 22): both histories kept, one person
on every laptop, converging whatever the order (a note written on the old record by a
laptop that has not heard yet, and two laptops merging each way at once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants, people
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from tests.conftest import person
from tests.sync.syncutil import content, final_note, make_vaults, rebuilt_equals_live, sync_to


def merged(vault: Vault) -> list[tuple[str, str]]:
    return vault.conn.execute("SELECT id, person FROM merged_person ORDER BY id").fetchall()


def bodies(vault: Vault, person_id: str) -> set[str]:
    return {n.body for n in notes.for_participant(vault, person_id)}


def test_merges_converge_even_when_two_laptops_merge_each_way(tmp_path: Path) -> None:
    ann, bob = make_vaults(tmp_path, "ann", "bob")
    rosa = participants.create(ann, person("Rosa Delgado", phone="555 010 0199"))
    copy = participants.create(ann, person("Rosa Delgato"))
    sync_to(ann, bob, tmp_path / "1")
    final_note(ann, rosa, "at the clinic with Rosa")
    final_note(bob, copy, "a call on the copy")
    caseload.merge_people(ann, copy, rosa, "one person, two intakes")
    # Bob has not heard: he writes on the old record, then merges the other way round.
    final_note(bob, copy, "written before the merge came")
    caseload.merge_people(bob, rosa, copy)
    for n in range(3):
        sync_to(ann, bob, tmp_path / f"a{n}")
        sync_to(bob, ann, tmp_path / f"b{n}")
    assert content(ann) == content(bob)
    assert merged(ann) == merged(bob) == [(copy, rosa)]  # the earlier merge wins, on both
    for vault in (ann, bob):
        assert [p.id for p in participants.roster(vault)] == [rosa]
        assert participants.get(vault, copy, audited=False).id == rosa
        assert bodies(vault, rosa) == {"at the clinic with Rosa", "a call on the copy",
                                       "written before the merge came"}
        assert rebuilt_equals_live(vault)
    # both histories stay in the log: the old record and its ops are still there
    assert ann.conn.execute("SELECT count(*) FROM ops WHERE row_id = ?", (copy,)).fetchone()[0] > 0
    audit = ann.conn.execute("SELECT detail FROM audit WHERE action = 'people merged'").fetchall()
    assert len(audit) == 1 and copy in audit[0][0]


def test_a_merge_moves_the_record_to_the_persons_coach(tmp_path: Path) -> None:
    sue, xan, yul = make_vaults(tmp_path, "sue", "xan", "yul", scoped=True)
    rosa = participants.create(xan, person("Rosa Delgado"))
    copy = participants.create(yul, person("Rosa Delgato"))
    final_note(xan, rosa, "xan's note")
    final_note(yul, copy, "yul's note on the copy")
    sync_to(xan, sue, tmp_path / "x")
    sync_to(yul, sue, tmp_path / "y")
    with pytest.raises(CoachdeskError, match="no participant matches"):
        caseload.merge_people(xan, copy, rosa)  # xan does not even hold the copy
    caseload.merge_people(sue, copy, rosa)
    sync_to(sue, xan, tmp_path / "s1")
    assert bodies(xan, rosa) == {"xan's note", "yul's note on the copy"}
    sync_to(sue, yul, tmp_path / "s2")
    assert yul.conn.execute("SELECT count(*) FROM ops WHERE scope = ?", (copy,)).fetchone()[0] == 0
    assert participants.roster(yul) == []


def test_bad_merges_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    (ann,) = make_vaults(tmp_path, "ann")
    rosa = participants.create(ann, person("Rosa Delgado"))
    copy = participants.create(ann, person("Rosa Delgato"))
    gone = participants.create(ann, person("Old Record", status="closed"))
    before = content(ann)
    for merged_id, into_id, line in ((rosa, rosa, "into themselves"),
                                     (rosa, "no-such-id", "no such person"),
                                     (rosa, gone, "is closed")):
        with pytest.raises(CoachdeskError, match=line):
            people.merge(ann, merged_id, into_id)
    assert content(ann) == before
    people.merge(ann, copy, rosa)
    with pytest.raises(CoachdeskError, match="merged already"):
        people.merge(ann, copy, rosa)
    with pytest.raises(CoachdeskError, match="merged already"):
        people.merge(ann, rosa, copy)


def test_a_coach_may_not_merge_someone_they_do_not_coach(tmp_path: Path) -> None:
    sue, xan, yul = make_vaults(tmp_path, "sue", "xan", "yul", scoped=True)
    rosa = participants.create(xan, person("Rosa Delgado"))
    copy = participants.create(yul, person("Rosa Delgato"))
    sync_to(xan, sue, tmp_path / "x")
    sync_to(yul, sue, tmp_path / "y")
    caseload.share(sue, copy, "xan")  # xan now holds the copy, as its secondary coach
    sync_to(sue, xan, tmp_path / "s")
    with pytest.raises(CoachdeskError, match="only a supervisor, or the primary coach of both"):
        caseload.merge_people(xan, copy, rosa)
    people.merge(xan, copy, rosa)  # past the check, as a modified program could
    before = content(sue)
    with pytest.raises(CoachdeskError, match="Xan merged a person's record they do not coach"):
        sync_to(xan, sue, tmp_path / "x2")
    assert content(sue) == before


def test_reports_count_a_merged_person_once(tmp_path: Path) -> None:
    import datetime as dt

    from coachdesk.export import report
    from coachdesk.store import program

    (ann,) = make_vaults(tmp_path, "ann")
    rosa = participants.create(ann, person("Rosa Delgado"))
    copy = participants.create(ann, person("Rosa Delgato"))
    final_note(ann, rosa, "first")
    final_note(ann, copy, "second")
    month = dt.date.today().isoformat()[:7]

    def served() -> object:
        rows = dict(report.participants_section(ann.conn, month).rows)
        return rows["people served (at least one contact)"]

    assert served() == 2
    people.merge(ann, copy, rosa)
    assert served() == 1
    assert {c.participant_id for c in program.contacts(ann.conn, month)} == {rosa}
    assert list(program.episodes_of(ann.conn)) == [rosa]
