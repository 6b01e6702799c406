"""Reviews of finalized notes on real vaults (issue 18): a supervisor marks notes reviewed
or needing follow-up, the thread travels to the coach and back, the note never changes;
bad inputs are one line and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants
from coachdesk.store import reviews as entries
from coachdesk.store.vault import Vault
from coachdesk.sync import peers, reviews, team
from tests.conftest import person
from tests.sync.syncutil import everything, make_vaults, sync_to


def final_note(vault: Vault, alias: str, body: str) -> str:
    pid = participants.find(vault, alias).id
    note_id = notes.start(vault, pid, body)
    notes.finalize(vault, note_id, body)
    return note_id


@pytest.fixture
def team3(tmp_path: Path) -> Iterator[tuple[Vault, Vault, Vault]]:
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob", scoped=True)
    yield sue, ann, bob
    for vault in (sue, ann, bob):
        vault.close()


@pytest.fixture
def written(team3: tuple[Vault, Vault, Vault], tmp_path: Path) -> dict[str, str]:
    """Ann writes three notes (two finalized, one draft), Bob one; all reach Sue."""
    sue, ann, bob = team3
    participants.create(ann, person("Ann One"))
    participants.create(bob, person("Bob One"))
    ids = {"first": final_note(ann, "Ann One", "Met at the library."),
           "second": final_note(ann, "Ann One", "Called about the clinic."),
           "bob": final_note(bob, "Bob One", "Walked to the meeting.")}
    ids["draft"] = notes.start(ann, participants.find(ann, "Ann One").id, "Half written")
    sync_to(ann, sue, tmp_path / "ann.cdbundle")
    sync_to(bob, sue, tmp_path / "bob.cdbundle")
    return ids


def test_the_queue_lists_unreviewed_final_notes_oldest_first_by_coach(team3, written) -> None:
    sue, ann, bob = team3
    assert [n.note_id for n in entries.queue(sue)] == [written["first"], written["second"],
                                                        written["bob"]]
    assert [n.note_id for n in entries.queue(sue, coach=bob.device)] == [written["bob"]]
    listed = entries.queue(sue, coach=ann.device)[0]
    assert (listed.alias, listed.coach, listed.first_line) == ("Ann One", ann.device,
                                                                "Met at the library.")
    reviews.comment(sue, written["first"], "A question first")
    assert len(entries.queue(sue)) == 3  # a comment is not a review
    reviews.mark(sue, written["first"], "reviewed")
    assert [n.note_id for n in entries.queue(sue)] == [written["second"], written["bob"]]


def test_a_review_travels_to_the_coach_and_the_answer_back(team3, written, tmp_path) -> None:
    sue, ann, bob = team3
    note_before = ann.conn.execute("SELECT * FROM note WHERE id = ?",
                                   (written["second"],)).fetchone()
    reviews.mark(sue, written["first"], "reviewed", "Clear and kind.")
    reviews.mark(sue, written["second"], "follow_up", "Did the clinic call back?")
    assert entries.state_of(sue, written["second"]) == "follow_up"
    sync_to(sue, ann, tmp_path / "sue-ann.cdbundle")
    sync_to(sue, bob, tmp_path / "sue-bob.cdbundle")
    assert bob.conn.execute("SELECT count(*) FROM review_entry").fetchone() == (0,)

    # The coach sees both, newest first, and the follow-up as open.
    assert [(n.note_id, n.state) for n in entries.feedback(ann)] == [
        (written["second"], "follow_up"), (written["first"], "reviewed")]
    assert [n.note_id for n in entries.open_follow_ups(ann, coach=ann.device)] == [written["second"]]
    assert entries.follow_up_people(ann) == {participants.find(ann, "Ann One").id}
    reviews.comment(ann, written["second"], "Yes: Thursday at 10.")
    assert [e.kind for e in entries.thread(ann, written["second"])] == ["follow_up", "comment"]
    with pytest.raises(CoachdeskError, match="only a supervisor closes"):
        reviews.close(ann, written["second"])

    sync_to(ann, sue, tmp_path / "ann-sue.cdbundle")
    waiting = entries.open_follow_ups(sue)
    assert [n.note_id for n in waiting] == [written["second"]] and waiting[0].last_by == ann.device
    reviews.close(sue, written["second"], "Thanks.")
    sync_to(sue, ann, tmp_path / "sue-ann-2.cdbundle")
    assert entries.state_of(ann, written["second"]) == "closed"
    assert entries.open_follow_ups(ann) == [] and entries.follow_up_people(ann) == set()
    thread = entries.thread(ann, written["second"])
    assert [(e.kind, e.text, e.author) for e in thread] == [
        ("follow_up", "Did the clinic call back?", "Sue"), ("comment", "Yes: Thursday at 10.", "Ann"),
        ("closed", "Thanks.", "Sue")]
    # Nothing of the note changed on either side.
    assert ann.conn.execute("SELECT * FROM note WHERE id = ?",
                            (written["second"],)).fetchone() == note_before
    assert notes.get(sue, written["second"]).text == "Called about the clinic."


def test_bad_inputs_are_one_line_and_write_nothing(team3, written) -> None:
    sue, ann, bob = team3
    before = everything(sue)
    for call, message in [
        (lambda: reviews.mark(sue, written["draft"], "reviewed"), "not finalized"),
        (lambda: reviews.comment(sue, written["draft"], "Hm"), "not finalized"),
        (lambda: reviews.mark(sue, written["first"], "follow_up", "  "), "say what needs follow-up"),
        (lambda: reviews.comment(sue, written["first"], ""), "a comment needs some text"),
        (lambda: reviews.mark(sue, written["first"], "approved"), "a review is one of"),
        (lambda: reviews.close(sue, written["first"]), "no open follow-up"),
        (lambda: reviews.mark(sue, "no-such-note", "reviewed"), "no such note"),
    ]:
        with pytest.raises(CoachdeskError, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)
    assert everything(sue) == before

    before = everything(ann)
    for call, message in [
        (lambda: reviews.mark(ann, written["first"], "reviewed"), "only a supervisor reviews"),
        (lambda: reviews.mark(ann, written["first"], "follow_up", "Me?"), "only a supervisor"),
    ]:
        with pytest.raises(CoachdeskError, match=message):
            call()
    assert everything(ann) == before


def test_a_secondary_coach_comments_and_the_comment_reaches_the_note_writer(
        team3, written, tmp_path) -> None:
    from coachdesk.sync import caseload

    sue, ann, bob = team3
    caseload.share(sue, "Ann One", bob.device)
    sync_to(sue, bob, tmp_path / "sue-bob.cdbundle")
    reviews.comment(bob, written["first"], "I will see them Friday.")
    sync_to(bob, sue, tmp_path / "bob-sue.cdbundle")
    sync_to(sue, ann, tmp_path / "sue-ann.cdbundle")
    assert [(e.text, e.by) for e in entries.thread(ann, written["first"])] == [
        ("I will see them Friday.", bob.device)]
    assert [n.note_id for n in entries.feedback(ann)] == [written["first"]]


def test_a_supervisor_cannot_review_a_note_outside_the_team(team3, written) -> None:
    sue, ann, bob = team3
    with sue.transaction() as conn:
        team.remove_member(conn, sue.keys, sue.identity(), bob.device,
                           peers.holdings(conn).get(bob.device, 0))
    before = everything(sue)
    for call in (lambda: reviews.comment(sue, written["bob"], "Still there?"),
                 lambda: reviews.mark(sue, written["bob"], "reviewed")):
        with pytest.raises(CoachdeskError, match="coached outside your team"):
            call()
    assert everything(sue) == before
    reviews.mark(sue, written["first"], "reviewed")  # Ann is still a member
