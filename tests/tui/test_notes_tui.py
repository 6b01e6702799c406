"""Notes by keys only at 80x24: write, leave mid-sentence, come back; finalize, edit
refused, addendum; action items (F3) and search (Ctrl+F)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from coachdesk.store import action_items, notes, participants
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.action_items import ActionItemsScreen
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.note_finalize import FinalizeForm
from coachdesk.tui.screens.note_view import AddendumForm, NoteView
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.search import SearchScreen
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, squeezed, type_text


def seeded(vault_dir: Path, **extra: object) -> str:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Nora Notes", **extra))
    vault.close()
    return pid


async def fill_form(pilot, minutes: str, *, setting: int = 0,  # type: ignore[no-untyped-def]
                    contact: int = 0) -> None:
    """In the finalize form: minutes typed over, then the n-th setting and contact type
    (0 keeps what is chosen)."""
    field = pilot.app.screen.query_one("#finalize-minutes")
    field.focus()
    field.value = ""
    await type_text(pilot, minutes)
    for steps in (setting, contact):
        await pilot.press("tab")
        if steps:
            await pilot.press("enter", "home", *["down"] * steps, "enter")
    await pilot.pause()


async def unlock(pilot) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, PASSPHRASE)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RosterScreen)


async def test_write_leave_mid_sentence_return_finalize_refuse_edit_add_addendum(
        vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "Met at the library. She said the waffle")
        await pilot.press("escape")  # mid-sentence: the draft is saved on leaving
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        assert "draft" in squeezed(pilot)  # the roster marks whose note is unfinished
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "unfinishednote" in squeezed(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        area = app.screen.query_one("#note-body", TextArea)
        assert area.text == "Met at the library. She said the waffle"
        await type_text(pilot, " place hires.")
        await pilot.press("enter")
        await type_text(pilot, "- [ ] call the manager @participant due:2020-02-30")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)  # bad date: refused, named by line
        assert "line2" in squeezed(pilot) and "notarealdate" in squeezed(pilot)
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "01")
        await pilot.press("f10")  # no minutes, setting, type yet: the form asks (issue 13)
        await pilot.pause()
        assert isinstance(app.screen, FinalizeForm)
        await fill_form(pilot, "40", setting=2, contact=1)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        [note] = notes.for_participant(app.vault, pid)
        assert note.is_final and note.body.endswith("due:2020-02-01")
        assert (note.duration_min, note.setting, note.contact_type) == (
            40, "court", "recovery day to day")
        assert action_items.overdue_counts(app.vault) == {pid: 1}
        app.open_note(note.id)
        await pilot.pause()
        assert isinstance(app.screen, NoteView)  # read only: typing changes nothing
        await type_text(pilot, "xyz")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddendumForm)
        await type_text(pilot, "She called back: it was the bakery.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        assert "Addendum" in squeezed(pilot) and "itwasthebakery" in squeezed(pilot)
        assert notes.get(app.vault, note.id).body == note.body


async def test_autosave_after_typing_stops_and_flush_on_lock(vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "autosaved words")
        await pilot.pause(2.0)
        [draft] = notes.drafts(app.vault)
        assert draft.text == "autosaved words"
        await type_text(pilot, " and more")
        await pilot.press("ctrl+l")  # lock before the debounce: flushed first
        await pilot.pause()
    vault = Vault.open(vault_dir, PASSPHRASE)
    [draft] = notes.drafts(vault)
    assert draft.text == "autosaved words and more" and draft.participant_id == pid
    vault.close()


async def test_closed_participant_and_empty_note_are_refused(vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and "noteisempty" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert notes.drafts(app.vault) == []  # nothing typed: nothing kept (issue 13)
        participants.update(app.vault, pid, {"status": "closed"})
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RosterScreen)
        assert any("is closed" in n.message for n in app._notifications)


async def test_action_items_screen_marks_done_and_search_finds_fresh_words(
        vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "Talked about the marimba lessons.")
        await pilot.press("enter")
        await type_text(pilot, "- [ ] find a teacher due:2020-01-01")
        await pilot.press("f10")
        await pilot.pause()
        await fill_form(pilot, "20", setting=1, contact=1)
        await pilot.press("f10")
        await pilot.pause()
        assert "!1" in squeezed(pilot)  # the roster's Due column
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ActionItemsScreen) and "1overdue" in squeezed(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert "0overdue" in squeezed(pilot) and "1done" in squeezed(pilot)
        assert action_items.overdue_counts(app.vault) == {}
        await pilot.press("escape", "ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "marimba")
        await pilot.pause()
        assert "1found" in squeezed(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        note_id = app.screen.note_id
        await pilot.press("escape")
        notes.delete(app.vault, note_id)
        app.screen.query_one("#search-text").value = "marimba "
        await pilot.pause()
        assert "nothingfound" in squeezed(pilot)
        assert pid
