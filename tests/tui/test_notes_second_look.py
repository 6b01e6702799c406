"""Issue 13, second look, as a coach at 80x24: the note screens keep the panic key's label
whole and answer F1; a note started from a crisis checklist is a note of its own, even
when the person has another draft open; picking a template on a new note and leaving
leaves nothing; the "this note is final" line is never under a message."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import TextArea
from textual.widgets._toast import Toast

from coachdesk.store import notes
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.help import HelpScreen
from coachdesk.tui.screens.note_discard import DiscardQuestion
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.note_finalize import FinalizeForm
from coachdesk.tui.screens.note_view import AddendumForm, NoteView
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.widgets.key_line import KeyLine
from tests.tui.helpers import SIZE, press, squeezed, type_text, unlocked
from tests.tui.test_notes_tui import crisis_note_for, traces
from tests.vaults import reopened, seeded

SCREEN = Region(0, 0, *SIZE)


def lock_key_shown_whole(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    [line] = screen.query(KeyLine)
    span = line.span_of("app.lock")
    assert span is not None and span[1] <= line.region.right, (type(screen).__name__, span)
    assert span[1] - span[0] >= len("^l Lock"), (type(screen).__name__, span)


async def test_the_note_screens_show_the_lock_key_whole_and_answer_f1(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, NoteEditor)
        lock_key_shown_whole(pilot)
        await type_text(pilot, "Met at the library.")
        await press(pilot, "f10")
        assert isinstance(app.screen, FinalizeForm)
        lock_key_shown_whole(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and "Reportscounteachcontact" in squeezed(pilot)
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, NoteEditor)
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, DiscardQuestion)
        lock_key_shown_whole(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and "cannotbebroughtback" in squeezed(pilot)
        assert squeezed(pilot).count("Lockthevaultnow") == 1  # once, under Everywhere
        await press(pilot, "escape")
        await press(pilot, "ctrl+l")  # the panic key from the question: locked, text kept
        assert app.vault is None
    with reopened(vault_dir) as vault:
        [draft] = notes.drafts(vault)
        assert draft.text == "Met at the library."


async def test_a_crisis_note_is_its_own_note_when_a_draft_is_open(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    with reopened(vault_dir) as vault:
        other = notes.start(vault, pid, "Talked about the job interview",
                            setting="video", contact_type="ongoing support", duration_min=15)
    async with unlocked(app) as pilot:
        await crisis_note_for(pilot, "nora")
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.note_id != other
        assert editor.query_one("#note-contact").value == "crisis support"
        assert editor.query_one("#note-setting").value == "community/outreach"
        body = editor.query_one("#note-body", TextArea).text
        assert "Crisis checklist" in body and "job interview" not in body
        await press(pilot, "shift+tab", "enter", "down", "enter", "tab")  # template: DAP
        body = editor.query_one("#note-body", TextArea).text
        assert body.startswith("Crisis checklist") and body.endswith("## Plan\n")
        assert editor.note_id == "" and len(notes.drafts(app.vault)) == 1  # not typed yet
        await type_text(pilot, "She is safe.")
        await press(pilot, "escape")
        kept = notes.get(app.vault, other)  # the other draft: as it was
        assert kept.text == "Talked about the job interview"
        assert (kept.setting, kept.contact_type) == ("video", "ongoing support")
        assert len(notes.drafts(app.vault)) == 2


async def test_a_template_picked_on_a_new_note_then_esc_leaves_nothing(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        before, roster = traces(app.vault, pid), squeezed(pilot)
        await press(pilot, "ctrl+o")
        await press(pilot, "shift+tab", "enter", "down", "enter", "tab")  # template: DAP
        area = app.screen.query_one("#note-body", TextArea)
        assert area.text.startswith("## Data") and "notsaveduntilyoutype" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, RosterScreen) and squeezed(pilot) == roster
        assert traces(app.vault, pid) == before and before[2:] == (0, 0)  # no draft, no note

        await press(pilot, "ctrl+o")  # the template, then a word: the note, with its template
        await pilot.press("shift+tab", "enter", "down", "enter", "tab", "down")
        await type_text(pilot, "We met.")
        await press(pilot, "escape")
        [draft] = notes.drafts(app.vault)
        assert draft.template == "dap" and draft.text.startswith("## Data\nWe met.")


async def test_the_final_note_message_is_not_under_a_notification(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    with reopened(vault_dir) as vault:
        note_id = notes.start(vault, pid)
        notes.finalize(vault, note_id, "Done and dusted.")
    async with unlocked(app, notifications=True) as pilot:
        app.open_note(note_id)
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        app.notify("A long message that takes a few lines at the bottom right of the "
                   "screen, as the unfinished-notes notice does after unlock.", timeout=30)
        await type_text(pilot, "x")
        await pilot.pause()
        await pilot.pause()
        message = app.screen.query_one("#noteview-message")
        assert message.display and SCREEN.contains_region(message.region)
        assert list(app.screen.query(Toast))
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(message.region), (toast.region, message.region)
        await press(pilot, "a")  # the addendum form: the panic key shown, F1 answers
        assert isinstance(app.screen, AddendumForm)
        lock_key_shown_whole(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and "Writethecorrection" in squeezed(pilot)
