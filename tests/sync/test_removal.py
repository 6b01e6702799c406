"""Removing a member in the middle of a history: nothing is addressed to it again, its
own bundles are refused wherever the removal is known, and the others still converge
and lose nothing, in any order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.sync import merge, peers, service, team
from tests.conftest import person
from tests.sync.syncutil import content, everything, make_vaults, op_ids, rebuilt_equals_live
from tests.sync.test_properties import actions, shared_world


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.lists(actions, min_size=2, max_size=7),
       after=st.lists(actions, min_size=2, max_size=7))
def test_a_member_removed_mid_history_is_shut_out_and_the_rest_converge(
        before: list[tuple], after: list[tuple]) -> None:
    with shared_world() as world:
        for action in before:
            world.step(action)
        world.drop(2)
        for action in after:
            world.step(action)
        held_by_sup = op_ids(world.vaults[0])
        # The supervisor and the remaining coach exchange full bundles: equal, and
        # neither is ever addressed to the removed member again.
        for sender, receiver in ((0, 1), (1, 0)):
            path = world.root / f"final-{sender}.cdbundle"
            result = service.export_bundle(world.vaults[sender], path, full=True)
            assert world.vaults[2].coach not in result.readers
            merge.import_bundle(world.vaults[receiver], result.path)
        assert content(world.vaults[0]) == content(world.vaults[1])
        assert op_ids(world.vaults[0]) >= held_by_sup, "an op was lost"
        assert all(rebuilt_equals_live(v) for v in world.vaults[:2])
        # The removed member's next bundle is refused by both, with one line.
        removed = world.vaults[2]
        participants.create(removed, person("After Removal"))
        late = service.export_bundle(removed, world.root / "late.cdbundle").path
        for vault in world.vaults[:2]:
            state = everything(vault)
            with pytest.raises(CoachdeskError, match="V2 was removed from the team"):
                merge.import_bundle(vault, late)
            assert everything(vault) == state


def test_what_a_member_took_before_hearing_of_a_removal_does_not_stop_its_sync(
        tmp_path: Path) -> None:
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob")
    participants.create(bob, person("Written While A Member"))
    merge.import_bundle(sue, service.export_bundle(bob, tmp_path / "b1.cdbundle").path)
    with sue.transaction() as conn:
        team.remove_member(conn, sue.keys, sue.identity(), bob.device,
                           peers.seq_prefix(conn, bob.device))
    participants.create(bob, person("Written After Removal"))
    late = service.export_bundle(bob, tmp_path / "b2.cdbundle").path  # Bob does not know
    # neither does Ann, yet (two people, each with its caseload record)
    assert merge.import_bundle(ann, late).new_records == 2 * 2
    news = service.export_bundle(sue, tmp_path / "s1.cdbundle")
    assert news.readers == ("Ann",)  # never addressed to Bob again
    merge.import_bundle(ann, news.path)
    with pytest.raises(CoachdeskError, match="Bob was removed from the team"):
        merge.import_bundle(ann, late)
    # What Ann took before she knew still travels: her sync does not stop.
    back = service.export_bundle(ann, tmp_path / "a1.cdbundle")
    assert back.readers == ("Sue",)
    merge.import_bundle(sue, back.path)
    assert content(sue) == content(ann)
    for vault in (sue, ann, bob):
        vault.close()
