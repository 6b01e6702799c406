"""Supervision reviews in the TUI (issue 18): a supervisor reviews two notes (one reviewed,
one needs follow-up); the bundle goes to the coach, who sees the feedback and the action
item and answers; the answer goes back; the supervisor closes the follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from coachdesk.store import notes, participants
from coachdesk.store import reviews as entries
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.action_items import ActionItemsScreen
from coachdesk.tui.screens.feedback import FeedbackScreen
from coachdesk.tui.screens.note_list import NoteListScreen
from coachdesk.tui.screens.review import ReviewScreen
from coachdesk.tui.screens.review_prompt import ReviewPrompt
from coachdesk.tui.screens.review_thread import ThreadScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team
from tests.tui.helpers import keys, press, squeezed, type_text, unlocked, visible_text


@contextmanager
def opened(*folders: Path) -> Iterator[list[Vault]]:
    vaults = [Vault.open(folder, PASSPHRASE) for folder in folders]
    try:
        yield vaults
    finally:
        for vault in vaults:
            vault.close()


def carry(sender_dir: Path, receiver_dir: Path, path: Path) -> None:
    """A bundle from one vault to the other, imported (the apps are closed)."""
    with opened(sender_dir, receiver_dir) as (sender, receiver):
        made = service.export_bundle(sender, path, peer=receiver.device)
        merge.import_bundle(receiver, made.path)


def words(pilot: Pilot) -> str:
    return " ".join(visible_text(pilot).split())


def review_rows(app: CoachdeskApp) -> list[tuple[str, str]]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [(row.state, row.listed.first_line) for row in screen._rows]


async def test_a_review_goes_to_the_coach_and_the_answer_comes_back(tmp_path: Path) -> None:
    sue_dir, ann_dir = tmp_path / "sue", tmp_path / "ann"
    sue = Vault.create(sue_dir, PASSPHRASE, "Sue Lead")
    ann = Vault.create(ann_dir, PASSPHRASE, "Ann Coach")
    make_team(sue, ann)
    pid = participants.create(ann, person("Rae Example"))
    for body in ("Met Rae at the library.", "Called Rae about the clinic."):
        note_id = notes.start(ann, pid, body)
        notes.finalize(ann, note_id, body)
    sue.close()
    ann.close()
    carry(ann_dir, sue_dir, tmp_path / "1.cdbundle")

    # The supervisor: the queue, oldest first; r on one, f (with what) on the other.
    app = CoachdeskApp(sue_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "f7")
        assert isinstance(app.screen, ReviewScreen)
        assert review_rows(app) == [("new", "Met Rae at the library."),
                                    ("new", "Called Rae about the clinic.")]
        assert "2 to review · 0 follow-ups open · all coaches" in words(pilot)
        assert "Lock" in words(pilot) and "Reviewed" in words(pilot)
        await press(pilot, "f2")  # discreet mode: initials
        assert "RE" in words(pilot) and "Rae Example" not in words(pilot)
        await press(pilot, "f2")
        await press(pilot, "f6")  # one coach at a time
        assert "open · Ann Coach" in words(pilot) and len(review_rows(app)) == 2
        await press(pilot, "enter")  # the note, its addenda and thread
        assert isinstance(app.screen, ThreadScreen)
        assert "Met Rae at the library." in words(pilot) and "No review yet." in words(pilot)
        await press(pilot, "escape")
        await press(pilot, "r")
        assert review_rows(app) == [("new", "Called Rae about the clinic.")]
        await press(pilot, "f")
        assert isinstance(app.screen, ReviewPrompt)
        await press(pilot, "enter")  # empty: one line, nothing written
        assert "Not written: say what needs follow-up" in words(pilot)
        await type_text(pilot, "Did the clinic call back?")
        await press(pilot, "enter")
        assert review_rows(app) == [("follow-up", "Called Rae about the clinic.")]
        await press(pilot, "ctrl+q")
    carry(sue_dir, ann_dir, tmp_path / "2.cdbundle")

    # The coach: feedback newest first, the item on F3, the marker on the note list.
    app = CoachdeskApp(ann_dir)
    async with unlocked(app) as pilot:
        assert "f-up" in words(pilot)  # the roster marks the person
        await press(pilot, "f7")
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        assert [(n.state, n.first_line) for n in screen._rows] == [
            ("follow_up", "Called Rae about the clinic."), ("reviewed", "Met Rae at the library.")]
        assert "needs follow-up" in words(pilot) and "Answer" in words(pilot)
        assert "Reviewed" not in words(pilot)  # a supervisor's keys are hidden
        await press(pilot, "r")
        assert isinstance(app.screen, FeedbackScreen)
        await keys(pilot, "escape", "f3")
        items = app.screen
        assert isinstance(items, ActionItemsScreen)
        (index,) = [i for i, row in enumerate(items._rows) if row.kind == "review"]
        assert "review:Didtheclinic" in squeezed(pilot)
        items.query_one(DataTable).move_cursor(row=index)
        await press(pilot, "d")  # the supervisor closes it, not the coach
        assert any("supervisor closes" in n.message for n in app._notifications)
        await press(pilot, "enter")
        assert isinstance(app.screen, ThreadScreen)
        assert "needs follow-up: Did the clinic call back?" in words(pilot)
        await press(pilot, "a")
        await type_text(pilot, "Yes, Thursday at ten.")
        await press(pilot, "enter")
        assert "Yes, Thursday at ten." in words(pilot)
        await keys(pilot, "escape", "escape", "enter", "n")
        assert isinstance(app.screen, NoteListScreen)
        assert "follow-up" in words(pilot) and "reviewed" in words(pilot)
        await press(pilot, "ctrl+q")
    carry(ann_dir, sue_dir, tmp_path / "3.cdbundle")

    # The supervisor sees the answer and closes the follow-up; it leaves the coach's F3.
    app = CoachdeskApp(sue_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "f7")
        assert review_rows(app) == [("answered", "Called Rae about the clinic.")]
        await press(pilot, "x")
        assert review_rows(app) == []
        await press(pilot, "ctrl+q")
    carry(sue_dir, ann_dir, tmp_path / "4.cdbundle")
    with opened(ann_dir) as (coach,):
        (answered,) = entries.feedback(coach)[:1]
        assert answered.state == "closed"
        assert [e.kind for e in entries.thread(coach, answered.note_id)] == [
            "follow_up", "comment", "closed"]
        assert entries.open_follow_ups(coach, coach=coach.device) == []
