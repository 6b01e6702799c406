"""Supervision sessions on real vaults: only a supervisor logs one; a group session is one
record per coach; sessions and items travel supervisor -> coach by bundle, the coach marks
an item done and that travels back; another coach never receives them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import supervision as store
from coachdesk.sync import merge, service
from coachdesk.sync import supervision as sessions
from tests.sync.syncutil import everything, make_vaults


def sync(sender, receiver, path: Path) -> None:  # type: ignore[no-untyped-def]
    merge.import_bundle(receiver, service.export_bundle(sender, path, peer=receiver.device).path)


@pytest.fixture
def team3(tmp_path: Path):
    robin, ann, bob = make_vaults(tmp_path, "robin", "ann", "bob", scoped=True)
    yield robin, ann, bob
    for vault in (robin, ann, bob):
        vault.close()


DAY = dt.date(2026, 11, 20)


def test_a_session_travels_to_its_coach_and_the_done_item_comes_back(team3, tmp_path: Path) -> None:
    robin, ann, bob = team3
    (one,) = sessions.log_session(robin, ["ann"], held_on=DAY, minutes=60,
                                  topics=["ethics", "selfcare"], note="Boundaries with R.",
                                  items=["Read the boundaries chapter"])
    sync(robin, ann, tmp_path / "1.cdbundle")
    sync(robin, bob, tmp_path / "2.cdbundle")
    (seen,) = sessions.visible_sessions(ann)
    assert seen.id == one and seen.session.minutes == 60 and seen.session.topics == ["ethics", "selfcare"]
    assert seen.session.private_note == "Boundaries with R." and seen.session.format == "individual"
    assert sessions.visible_sessions(bob) == [] and store.sessions(bob) == []
    (item,) = sessions.visible_items(ann)
    assert item.item.text == "Read the boundaries chapter" and item.item.done_at == ""
    with pytest.raises(CoachdeskError, match="no supervision item"):
        sessions.mark_done(bob, item.id)  # never reached Bob's vault
    sessions.mark_done(ann, store.short_id(item.id))
    sync(ann, robin, tmp_path / "3.cdbundle")
    (back,) = store.items(robin, ann.device)
    assert back.item.done_at != ""


def test_a_group_session_is_one_record_per_coach_with_one_group_id(team3, tmp_path: Path) -> None:
    robin, ann, bob = team3
    ids = sessions.log_session(robin, ["ann", "bob"], held_on=DAY, minutes=90,
                               topics=["crisis"], items=["Practise the overdose checklist"])
    rows = store.sessions(robin)
    assert len(ids) == 2 and {r.session.coach for r in rows} == {ann.device, bob.device}
    assert {r.session.format for r in rows} == {"group"}
    assert len({r.session.group_id for r in rows}) == 1 and rows[0].session.group_id
    assert len(store.items(robin)) == 2
    sync(robin, ann, tmp_path / "1.cdbundle")
    assert [r.session.coach for r in store.sessions(ann)] == [ann.device]
    assert [i.item.coach for i in store.items(ann)] == [ann.device]


def test_a_coach_cannot_log_a_session_and_bad_input_changes_nothing(team3) -> None:
    robin, ann, _ = team3
    before = everything(ann)
    with pytest.raises(CoachdeskError, match="only a supervisor"):
        sessions.log_session(ann, ["bob"], held_on=DAY, minutes=30, topics=["ethics"])
    assert everything(ann) == before
    before = everything(robin)
    for how, message in [
        (dict(minutes=0), "minutes"),
        (dict(minutes=24 * 60 + 1), "minutes"),
        (dict(topics=["astrology"]), "unknown topic 'astrology'"),
        (dict(held_on=dt.date.today() + dt.timedelta(days=2)), "in the future"),
        (dict(coaches=["zed"]), "no member 'zed'"),
        (dict(coaches=[]), "name the coach"),
    ]:
        args = {"coaches": ["ann"], "held_on": DAY, "minutes": 30, "topics": ["ethics"], **how}
        with pytest.raises(CoachdeskError, match=message) as caught:
            sessions.log_session(robin, **args)  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)
    assert everything(robin) == before


def test_a_coachs_bundle_that_logs_a_session_or_rewrites_an_item_is_refused(team3,
                                                                            tmp_path: Path) -> None:
    from coachdesk.sync.bundle import BadBundle

    robin, ann, _ = team3
    # Ann's own store writes what the app would refuse her (the store leaves roles to sync).
    store.log(ann, [ann.device], held_on=DAY, minutes=600, topics=["ethics"])
    before = everything(robin)
    with pytest.raises(BadBundle, match="Ann logged a supervision session; only a supervisor"):
        sync(ann, robin, tmp_path / "1.cdbundle")
    assert everything(robin) == before


def test_a_coach_may_not_rewrite_an_item_but_may_mark_it_done(team3, tmp_path: Path) -> None:
    from coachdesk.store import records
    from coachdesk.sync.bundle import BadBundle

    robin, ann, _ = team3
    sessions.log_session(robin, ["ann"], held_on=DAY, minutes=30, topics=["ethics"],
                         items=["Call your sponsor"])
    sync(robin, ann, tmp_path / "0.cdbundle")
    (item,) = store.items(ann)
    records.update(ann, "supervision_item", item.id, {"text": "Nothing to do"})
    before = everything(robin)
    with pytest.raises(BadBundle, match="supervision item that is not theirs"):
        sync(ann, robin, tmp_path / "1.cdbundle")
    assert everything(robin) == before
