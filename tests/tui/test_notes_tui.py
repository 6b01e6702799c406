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
from tests.conftest import person
from tests.tui.helpers import keys, new_note, press, squeezed, type_text, unlocked, wait_for
from tests.vaults import reopened, seeded


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


async def finalize(pilot, minutes: str, *, setting: int = 0,  # type: ignore[no-untyped-def]
                   contact: int = 0) -> None:
    """F10 on a note the form asks about, the form filled in (fill_form), F10 again."""
    await press(pilot, "f10")
    await fill_form(pilot, minutes, setting=setting, contact=contact)
    await press(pilot, "f10")


async def crisis_note_for(pilot, search: str) -> None:  # type: ignore[no-untyped-def]
    """An overdose checklist ended at once, the person found by `search` attached on its
    summary, and the note it offers (o) opened."""
    await keys(pilot, "ctrl+r", "1", "n", "enter", "enter", "p")
    await type_text(pilot, search)
    await press(pilot, "enter")
    await press(pilot, "o")


async def test_write_leave_mid_sentence_return_finalize_refuse_edit_add_addendum(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "Met at the library. She said the waffle")
        await press(pilot, "escape")  # mid-sentence: the draft is saved on leaving
        assert isinstance(app.screen, RosterScreen)
        assert "draft" in squeezed(pilot)  # the roster marks whose note is unfinished
        await press(pilot, "enter")
        assert isinstance(app.screen, ParticipantScreen)
        assert "unfinishednote" in squeezed(pilot)
        await press(pilot, "o")
        assert isinstance(app.screen, NoteEditor)
        area = app.screen.query_one("#note-body", TextArea)
        assert area.text == "Met at the library. She said the waffle"
        await type_text(pilot, " place hires.")
        await pilot.press("enter")
        await type_text(pilot, "- [ ] call the manager @participant due:2020-02-30")
        await press(pilot, "f10")
        assert isinstance(app.screen, NoteEditor)  # bad date: refused, named by line
        assert "line2" in squeezed(pilot) and "notarealdate" in squeezed(pilot)
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "01")
        await press(pilot, "f10")  # no minutes, setting, type yet: the form asks (issue 13)
        assert isinstance(app.screen, FinalizeForm)
        await fill_form(pilot, "40", setting=2, contact=1)
        await press(pilot, "f10")
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
        await press(pilot, "a")
        assert isinstance(app.screen, AddendumForm)
        await type_text(pilot, "She called back: it was the bakery.")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NoteView)
        assert "Addendum" in squeezed(pilot) and "itwasthebakery" in squeezed(pilot)
        assert notes.get(app.vault, note.id).body == note.body


async def test_autosave_after_typing_stops_and_flush_on_lock(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await new_note(pilot, "autosaved words")
        await wait_for(pilot, lambda: [d.text for d in notes.drafts(app.vault)] == ["autosaved words"])
        [draft] = notes.drafts(app.vault)
        assert draft.text == "autosaved words"
        await type_text(pilot, " and more")
        await press(pilot, "ctrl+l")  # lock before the debounce: flushed first
    with reopened(vault_dir) as vault:
        [draft] = notes.drafts(vault)
        assert draft.text == "autosaved words and more" and draft.participant_id == pid


async def test_closed_participant_and_empty_note_are_refused(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        await press(pilot, "f10")
        assert isinstance(app.screen, NoteEditor) and "noteisempty" in squeezed(pilot)
        await press(pilot, "escape")
        assert notes.drafts(app.vault) == []  # nothing typed: nothing kept (issue 13)
        participants.update(app.vault, pid, {"status": "closed"})
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RosterScreen)
        assert any("is closed" in n.message for n in app._notifications)


async def test_action_items_screen_marks_done_and_search_finds_fresh_words(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await new_note(pilot, "Talked about the marimba lessons.", "- [ ] find a teacher due:2020-01-01")
        await finalize(pilot, "20", setting=1, contact=1)
        assert "!1" in squeezed(pilot)  # the roster's Due column
        await press(pilot, "f3")
        assert isinstance(app.screen, ActionItemsScreen) and "1overdue" in squeezed(pilot)
        await press(pilot, "d")
        assert "0overdue" in squeezed(pilot) and "1done" in squeezed(pilot)
        assert action_items.overdue_counts(app.vault) == {}
        await press(pilot, "escape", "ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "marimba")
        await pilot.pause()
        assert "1found" in squeezed(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, NoteView)
        note_id = app.screen.note_id
        await pilot.press("escape")
        notes.delete(app.vault, note_id)
        app.screen.query_one("#search-text").value = "marimba "
        await pilot.pause()
        assert "nothingfound" in squeezed(pilot)
        assert pid


# ---- issue 13: session-note semantics -------------------------------------------------

def ops_count(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]


def draft_rows(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM note_draft").fetchone()[0]


def traces(vault: Vault, pid: str) -> tuple[int, object, int, int]:
    """What a note may leave behind: ops, changes not yet synced, local drafts, the
    person's notes."""
    from coachdesk.sync import service

    return (ops_count(vault), service.unacknowledged(vault), draft_rows(vault),
            len(notes.for_participant(vault, pid)))


async def test_an_abandoned_draft_changes_no_report_figure_nor_the_last_contact(
        vault_dir: Path, app: CoachdeskApp) -> None:
    import datetime as dt
    import re

    from coachdesk.export import report

    [first] = seeded(vault_dir, "Nora Notes")
    with reopened(vault_dir) as vault:
        participants.create(vault, person("Dora Draft"))
        done = notes.start(vault, first, setting="phone", contact_type="check-in", duration_min=20)
        notes.finalize(vault, done, "We talked on the phone.")
    month = dt.date.today().strftime("%Y-%m")

    def figures(app: CoachdeskApp) -> dict[str, dict[str, object]]:
        return {s.title: dict(s.rows) for s in report.build(app.vault.conn, month).sections}

    async with unlocked(app) as pilot:
        before = figures(app)
        assert before["Contacts"] == {"contacts": 1, "contact time (minutes)": 20}
        await type_text(pilot, "dora")
        await new_note(pilot, "Started, then the bus came")
        await press(pilot, "escape")  # abandoned: a draft, never finalized
        assert isinstance(app.screen, RosterScreen) and "draft" in squeezed(pilot)
        assert len(notes.drafts(app.vault)) == 1
        assert figures(app) == before
        await press(pilot, "f12")
        shown = squeezed(pilot)
        assert re.search(r"peopleserved\(atleastonecontact\)\.+1(?!\d)", shown), shown
        assert re.search(r"contacts\.+1(?!\d)", shown), shown
        await press(pilot, "escape", "escape")
        app.open_participant(first)
        await pilot.pause()
        assert "lastnote" in squeezed(pilot) and "1inall" in squeezed(pilot)


async def test_esc_on_an_untouched_note_leaves_no_draft_and_no_unsynced_change(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        before, roster = traces(app.vault, pid), squeezed(pilot)
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, NoteEditor)
        await press(pilot, "ctrl+s", "f10")  # nothing to save; empty: nothing to finalize
        assert "noteisempty" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, RosterScreen)
        app.open_participant(pid)
        await pilot.pause()
        await press(pilot, "o")
        assert isinstance(app.screen, NoteEditor)
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, RosterScreen)
        assert traces(app.vault, pid) == before and before[2:] == (0, 0)  # no draft, no note
        assert "draft" not in squeezed(pilot) and squeezed(pilot) == roster
        await new_note(pilot, "ab")  # typed, then erased: still no empty draft kept
        await press(pilot, "backspace", "backspace", "escape")
        assert notes.drafts(app.vault) == [] and "draft" not in squeezed(pilot)


async def test_a_draft_is_discarded_on_purpose_asked_once(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await new_note(pilot, "Wrong person, sorry")
        await press(pilot, "ctrl+d")
        assert "Discardthisdraft?y/n" in squeezed(pilot)
        await press(pilot, "n")  # kept
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-body", TextArea).text == "Wrong person, sorry"
        [draft] = notes.drafts(app.vault)
        ops = ops_count(app.vault)
        await press(pilot, "ctrl+d")
        await press(pilot, "y")  # one answer is enough
        assert isinstance(app.screen, RosterScreen) and "draft" not in squeezed(pilot)
        assert notes.drafts(app.vault) == [] and draft_rows(app.vault) == 0
        assert notes.for_participant(app.vault, pid) == []
        assert ops_count(app.vault) == ops + 1  # the header may have travelled: a tombstone
        assert app.vault.conn.execute(
            "SELECT field FROM ops WHERE row_id = ? ORDER BY rowid DESC LIMIT 1",
            (draft.id,)).fetchone() == ("_deleted",)


async def test_template_guidance_is_shown_but_never_saved_nor_an_item(
        vault_dir: Path, app: CoachdeskApp) -> None:
    import datetime as dt

    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        await press(pilot, "shift+tab", "enter", "down", "enter", "tab")  # template: DAP
        area = app.screen.query_one("#note-body", TextArea)
        assert area.has_focus and area.text.startswith("## Data")
        assert ">>" not in area.text and "what" not in area.text
        await pilot.press("down")
        await type_text(pilot, "We met at the clinic.")
        await pilot.pause()
        assert "Whathappenedandwhatthepersonsaid" in squeezed(pilot)  # the hint, dimmed
        await press(pilot, "down", "down", "down", "down", "end")
        assert "Whathappensnext" in squeezed(pilot)  # the hint follows the cursor
        await type_text(pilot, "- [ ] bring ID @participant due:+7d")
        await pilot.press("enter")
        await type_text(pilot, ">> - [ ] what @participant due:+7d")  # typed through
        await finalize(pilot, "30", setting=1, contact=1)
        assert isinstance(app.screen, RosterScreen)
    with reopened(vault_dir) as vault:
        [note] = notes.for_participant(vault, pid)
        [item] = action_items.open_for(vault, pid)
        week = (dt.date.fromisoformat(note.occurred_at[:10]) + dt.timedelta(days=7)).isoformat()
        assert item.text == "bring ID" and item.due == week
        assert note.body == ("## Data\nWe met at the clinic.\n## Assessment\n\n## Plan\n"
                             f"- [ ] bring ID @participant due:{week}\n")


async def test_finalize_asks_what_reports_need_with_the_last_used_filled_in(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await new_note(pilot, "First call.", "- [ ] send the form due:tomorrow")
        await press(pilot, "f10")
        form = app.screen
        assert isinstance(form, FinalizeForm) and "Reportsneedthese." in squeezed(pilot)
        assert form.query_one("#finalize-minutes").value == ""
        await fill_form(pilot, "9999", setting=5, contact=5)
        await press(pilot, "f10")  # too many minutes: said, nothing finalized
        assert app.screen is form and "awholenumberfrom0to1440" in squeezed(pilot)
        await fill_form(pilot, "25")
        await press(pilot, "f10")
        assert isinstance(app.screen, RosterScreen)
        [first] = notes.for_participant(app.vault, pid)
        assert (first.duration_min, first.setting, first.contact_type) == (25, "phone", "check-in")
        day = first.occurred_at[:10]
        assert first.body.endswith("due:" + (dt_date(day) + one_day()).isoformat())

        await new_note(pilot, "Second call.")  # the next note: the form offers what was used last
        await press(pilot, "f10")
        form = app.screen
        assert isinstance(form, FinalizeForm) and "fromyourlastnote" in squeezed(pilot)
        assert form.query_one("#finalize-minutes").value == "25"
        assert form.query_one("#finalize-setting").value == "phone"
        assert form.query_one("#finalize-contact").value == "check-in"
        await press(pilot, "escape")  # back to the note: not finalized
        assert isinstance(app.screen, NoteEditor) and "notfinalized" in squeezed(pilot)
        await press(pilot, "f10")
        await press(pilot, "f10")
        assert isinstance(app.screen, RosterScreen)
        second = max(notes.for_participant(app.vault, pid), key=lambda n: n.id)
        assert second.is_final and second.body == "Second call."
        assert (second.duration_min, second.setting, second.contact_type) == (
            25, "phone", "check-in")

        await new_note(pilot, "Third call.")  # everything in the header already: no form
        app.screen.query_one("#note-minutes").focus()
        await type_text(pilot, "15")
        await pilot.press("tab", "enter", "down", "enter", "tab", "enter", "down", "enter")
        await press(pilot, "f10")
        assert isinstance(app.screen, NoteEditor) and "F10againfinalizes" in squeezed(pilot)
        await press(pilot, "f10")
        third = max(notes.for_participant(app.vault, pid), key=lambda n: n.id)  # the newest
        assert third.is_final and third.duration_min == 15 and third.setting != ""


def dt_date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


def one_day():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.timedelta(days=1)


async def test_typing_in_a_finalized_note_says_why_nothing_changes(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    with reopened(vault_dir) as vault:
        note_id = notes.start(vault, pid)
        notes.finalize(vault, note_id, "Done and dusted.")
    async with unlocked(app) as pilot:
        app.open_note(note_id)
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        assert "Thisnoteisfinal" not in squeezed(pilot)
        await type_text(pilot, "x")
        await pilot.pause()
        assert "Thisnoteisfinal.Pressatoaddanaddendum." in squeezed(pilot)
        assert "settingnotrecorded" in squeezed(pilot)  # never asked: said so
        assert notes.get(app.vault, note_id).body == "Done and dusted."
        await press(pilot, "a")
        assert isinstance(app.screen, AddendumForm)


async def test_a_note_from_the_crisis_checklist_is_prefilled(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Nora Notes")
    async with unlocked(app) as pilot:
        await crisis_note_for(pilot, "nora")
        editor = app.screen
        assert isinstance(editor, NoteEditor) and "NoraNotes" in squeezed(pilot)
        assert editor.query_one("#note-contact").value == "crisis support"
        assert editor.query_one("#note-setting").value == "community/outreach"
        assert int(editor.query_one("#note-minutes").value) >= 1
        await type_text(pilot, "She is safe.")
        await press(pilot, "f10")  # nothing missing: no form
        assert "F10againfinalizes" in squeezed(pilot)
