"""Caseloads on real vaults: who may assign, transfer and share; the handoff note travels
to the new coach; coaches are ranked for a person by what they share, then caseload."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.models.caseload import categories
from coachdesk.store import participants
from coachdesk.sync import caseload, merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import everything, make_vaults, sync_to


@pytest.fixture
def team3(tmp_path: Path):
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob", scoped=True)  # Sue supervises
    yield sue, ann, bob
    for vault in (sue, ann, bob):
        vault.close()


def test_the_coach_who_adds_a_person_is_their_primary_coach(team3, tmp_path: Path) -> None:
    sue, ann, _ = team3
    pid = participants.create(ann, person("Rae Intake"))
    sync_to(ann, sue, tmp_path / "1.cdbundle")
    for vault in (ann, sue):
        row = participants.get(vault, pid, audited=False)
        assert caseload.primary_of(row) == ann.device and row.secondary_coach == ""
    assert caseload.caseloads(sue) == {ann.device: (1, 0)}


def test_only_the_supervisor_assigns_and_bad_choices_change_nothing(team3, tmp_path: Path) -> None:
    sue, ann, bob = team3
    pid = participants.create(ann, person("Rae Assigned"))
    sync_to(ann, sue, tmp_path / "1.cdbundle")
    before = everything(ann)
    with pytest.raises(CoachdeskError, match="only a supervisor"):
        caseload.assign(ann, "Rae", primary="bob")
    assert everything(ann) == before
    with sue.transaction() as conn:
        team.remove_member(conn, sue.keys, sue.identity(), bob.device,
                           peers.seq_prefix(conn, bob.device))
    before = everything(sue)
    for call, message in [
        (lambda: caseload.assign(sue, "Rae", primary="zed"), "no member 'zed'"),
        (lambda: caseload.assign(sue, "Rae", secondary="bob"), "Bob was already removed"),
        (lambda: caseload.assign(sue, "Rae", secondary="ann"), "two people"),
        (lambda: caseload.transfer(sue, "Rae", "ann", "Over to you"), "already Rae Assigned's"),
        (lambda: caseload.transfer(sue, "Rae", "sue", ""), "note"),
        (lambda: caseload.assign(sue, "Nobody", primary="sue"), "no participant|no such"),
    ]:
        with pytest.raises(CoachdeskError, match=message):
            call()
        assert everything(sue) == before
    row = caseload.assign(sue, pid, primary="sue", secondary="ann")
    assert (row.primary_coach, row.secondary_coach) == (sue.device, ann.device)
    assert caseload.caseloads(sue) == {sue.device: (1, 0), ann.device: (0, 1)}


def test_a_transfer_leaves_a_handoff_note_the_new_coach_receives(team3, tmp_path: Path) -> None:
    sue, ann, bob = team3
    pid = participants.create(ann, person("Rae Moving"))
    sync_to(ann, sue, tmp_path / "1.cdbundle")
    row = caseload.transfer(sue, "Rae", "bob", "Prefers calls after 5 pm; court date on the 12th.")
    assert row.primary_coach == bob.device
    caseload.share(sue, "Rae", "ann")  # the old coach stays on as secondary
    sync_to(sue, bob, tmp_path / "2.cdbundle")
    [note] = caseload.handoffs(bob, pid)
    assert (note.from_coach, note.to_coach) == (ann.device, bob.device)
    assert note.note.startswith("Prefers calls")
    got = participants.get(bob, pid, audited=False)
    assert (got.primary_coach, got.secondary_coach) == (bob.device, ann.device)
    row = caseload.transfer(sue, "Rae", "ann", "Back to Ann.")  # the secondary becomes primary
    assert (row.primary_coach, row.secondary_coach) == (ann.device, "")


def test_coaches_are_ranked_by_what_they_share_then_by_caseload(team3, tmp_path: Path) -> None:
    sue, ann, bob = team3
    tags = [tag for category in categories() for tag in category.tags()]
    spanish, opioids, court = "language:Spanish", "substance:opioids", "setting:court / justice"
    assert {spanish, opioids, court} <= set(tags)
    caseload.set_profile(ann, [spanish])
    caseload.set_profile(bob, [spanish, opioids])
    caseload.set_profile(sue, [court])
    for coach in (ann, bob):
        sync_to(coach, sue, tmp_path / f"{coach.coach}.cdbundle")
    participants.create(sue, person("Rae Match", preferences=[spanish, opioids]))
    participants.create(sue, person("Other One"))
    order = [(m.member.identity.name, m.shared, m.caseload) for m in caseload.ranked(sue, "Rae")]
    assert order == [("Bob", (spanish, opioids), 0), ("Ann", (spanish,), 0), ("Sue", (), 2)]
    with pytest.raises(CoachdeskError, match="not a matching tag"):
        caseload.set_profile(ann, ["no colon here"])
    assert caseload.profile(ann, ann.device) == [spanish]


def test_a_coach_cannot_move_a_person_through_a_bundle_either(team3, tmp_path: Path) -> None:
    sue, ann, bob = team3
    pid = participants.create(ann, person("Rae Forged"))
    sync_to(ann, sue, tmp_path / "1.cdbundle")
    with ann.transaction():  # past the service's rule, as changed code could
        ann.ops.write("caseload", pid, {"primary_coach": bob.device})
    bundle = service.export_bundle(ann, tmp_path / "2.cdbundle", peer=sue.device).path
    before = everything(sue)
    with pytest.raises(CoachdeskError, match="Ann changed who coaches a person"):
        merge.import_bundle(sue, bundle)
    assert everything(sue) == before
