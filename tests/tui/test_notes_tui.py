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
from tests.tui.helpers import SIZE, squeezed, type_text, wait_for


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
        await wait_for(pilot, lambda: [d.text for d in notes.drafts(app.vault)] == ["autosaved words"])
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


# ---- issue 13: session-note semantics -------------------------------------------------

def ops_count(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]


def draft_rows(vault: Vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM note_draft").fetchone()[0]


async def test_an_abandoned_draft_changes_no_report_figure_nor_the_last_contact(
        vault_dir: Path) -> None:
    import datetime as dt
    import re

    from coachdesk.export import report

    first = seeded(vault_dir)
    vault = Vault.open(vault_dir, PASSPHRASE)
    participants.create(vault, person("Dora Draft"))
    done = notes.start(vault, first, setting="phone", contact_type="check-in", duration_min=20)
    notes.finalize(vault, done, "We talked on the phone.")
    vault.close()
    month = dt.date.today().strftime("%Y-%m")

    def figures(app: CoachdeskApp) -> dict[str, dict[str, object]]:
        return {s.title: dict(s.rows) for s in report.build(app.vault.conn, month).sections}

    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        before = figures(app)
        assert before["Contacts"] == {"contacts": 1, "contact time (minutes)": 20}
        await type_text(pilot, "dora")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "Started, then the bus came")
        await pilot.press("escape")  # abandoned: a draft, never finalized
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen) and "draft" in squeezed(pilot)
        assert len(notes.drafts(app.vault)) == 1
        assert figures(app) == before
        await pilot.press("f12")
        await pilot.pause()
        shown = squeezed(pilot)
        assert re.search(r"peopleserved\(atleastonecontact\)\.+1(?!\d)", shown), shown
        assert re.search(r"contacts\.+1(?!\d)", shown), shown
        await pilot.press("escape", "escape")
        await pilot.pause()
        app.open_participant(first)
        await pilot.pause()
        assert "lastnote" in squeezed(pilot) and "1inall" in squeezed(pilot)


async def test_esc_on_an_untouched_note_leaves_no_draft_and_no_unsynced_change(
        vault_dir: Path) -> None:
    from coachdesk.sync import service

    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        ops, unsynced = ops_count(app.vault), service.unacknowledged(app.vault)
        roster = squeezed(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s", "f10")  # nothing to save; empty: nothing to finalize
        await pilot.pause()
        assert "noteisempty" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        app.open_participant(pid)
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        assert ops_count(app.vault) == ops and service.unacknowledged(app.vault) == unsynced
        assert draft_rows(app.vault) == 0 and notes.for_participant(app.vault, pid) == []
        assert "draft" not in squeezed(pilot) and squeezed(pilot) == roster
        await pilot.press("ctrl+o")  # typed, then erased: still no empty draft kept
        await pilot.pause()
        await type_text(pilot, "ab")
        await pilot.press("backspace", "backspace", "escape")
        await pilot.pause()
        assert notes.drafts(app.vault) == [] and "draft" not in squeezed(pilot)


async def test_a_draft_is_discarded_on_purpose_asked_once(vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "Wrong person, sorry")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert "Discardthisdraft?y/n" in squeezed(pilot)
        await pilot.press("n")  # kept
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-body", TextArea).text == "Wrong person, sorry"
        [draft] = notes.drafts(app.vault)
        ops = ops_count(app.vault)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("y")  # one answer is enough
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen) and "draft" not in squeezed(pilot)
        assert notes.drafts(app.vault) == [] and draft_rows(app.vault) == 0
        assert notes.for_participant(app.vault, pid) == []
        assert ops_count(app.vault) == ops + 1  # the header may have travelled: a tombstone
        assert app.vault.conn.execute(
            "SELECT field FROM ops WHERE row_id = ? ORDER BY rowid DESC LIMIT 1",
            (draft.id,)).fetchone() == ("_deleted",)


async def test_template_guidance_is_shown_but_never_saved_nor_an_item(vault_dir: Path) -> None:
    import datetime as dt

    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("shift+tab", "enter", "down", "enter", "tab")  # template: DAP
        await pilot.pause()
        area = app.screen.query_one("#note-body", TextArea)
        assert area.has_focus and area.text.startswith("## Data")
        assert ">>" not in area.text and "what" not in area.text
        await pilot.press("down")
        await type_text(pilot, "We met at the clinic.")
        await pilot.pause()
        assert "Whathappenedandwhatthepersonsaid" in squeezed(pilot)  # the hint, dimmed
        await pilot.press("down", "down", "down", "down", "end")
        await pilot.pause()
        assert "Whathappensnext" in squeezed(pilot)  # the hint follows the cursor
        await type_text(pilot, "- [ ] bring ID @participant due:+7d")
        await pilot.press("enter")
        await type_text(pilot, ">> - [ ] what @participant due:+7d")  # typed through
        await pilot.press("f10")
        await pilot.pause()
        await fill_form(pilot, "30", setting=1, contact=1)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        [note] = notes.for_participant(vault, pid)
        [item] = action_items.open_for(vault, pid)
        week = (dt.date.fromisoformat(note.occurred_at[:10]) + dt.timedelta(days=7)).isoformat()
        assert item.text == "bring ID" and item.due == week
        assert note.body == ("## Data\nWe met at the clinic.\n## Assessment\n\n## Plan\n"
                             f"- [ ] bring ID @participant due:{week}\n")
    finally:
        vault.close()


async def test_finalize_asks_what_reports_need_with_the_last_used_filled_in(
        vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_text(pilot, "First call.")
        await pilot.press("enter")
        await type_text(pilot, "- [ ] send the form due:tomorrow")
        await pilot.press("f10")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FinalizeForm) and "Reportsneedthese." in squeezed(pilot)
        assert form.query_one("#finalize-minutes").value == ""
        await fill_form(pilot, "9999", setting=5, contact=5)
        await pilot.press("f10")  # too many minutes: said, nothing finalized
        await pilot.pause()
        assert app.screen is form and "awholenumberfrom0to1440" in squeezed(pilot)
        await fill_form(pilot, "25")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        [first] = notes.for_participant(app.vault, pid)
        assert (first.duration_min, first.setting, first.contact_type) == (25, "phone", "check-in")
        day = first.occurred_at[:10]
        assert first.body.endswith("due:" + (dt_date(day) + one_day()).isoformat())

        await pilot.press("ctrl+o")  # the next note: the form offers what was used last
        await pilot.pause()
        await type_text(pilot, "Second call.")
        await pilot.press("f10")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FinalizeForm) and "fromyourlastnote" in squeezed(pilot)
        assert form.query_one("#finalize-minutes").value == "25"
        assert form.query_one("#finalize-setting").value == "phone"
        assert form.query_one("#finalize-contact").value == "check-in"
        await pilot.press("escape")  # back to the note: not finalized
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and "notfinalized" in squeezed(pilot)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        second = max(notes.for_participant(app.vault, pid), key=lambda n: n.id)
        assert second.is_final and second.body == "Second call."
        assert (second.duration_min, second.setting, second.contact_type) == (
            25, "phone", "check-in")

        await pilot.press("ctrl+o")  # everything in the header already: no form
        await pilot.pause()
        await type_text(pilot, "Third call.")
        app.screen.query_one("#note-minutes").focus()
        await type_text(pilot, "15")
        await pilot.press("tab", "enter", "down", "enter", "tab", "enter", "down", "enter")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and "F10againfinalizes" in squeezed(pilot)
        await pilot.press("f10")
        await pilot.pause()
        third = max(notes.for_participant(app.vault, pid), key=lambda n: n.id)  # the newest
        assert third.is_final and third.duration_min == 15 and third.setting != ""


def dt_date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


def one_day():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.timedelta(days=1)


async def test_typing_in_a_finalized_note_says_why_nothing_changes(vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    vault = Vault.open(vault_dir, PASSPHRASE)
    note_id = notes.start(vault, pid)
    notes.finalize(vault, note_id, "Done and dusted.")
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.open_note(note_id)
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        assert "Thisnoteisfinal" not in squeezed(pilot)
        await type_text(pilot, "x")
        await pilot.pause()
        assert "Thisnoteisfinal.Pressatoaddanaddendum." in squeezed(pilot)
        assert "settingnotrecorded" in squeezed(pilot)  # never asked: said so
        assert notes.get(app.vault, note_id).body == "Done and dusted."
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddendumForm)


async def test_a_note_from_the_crisis_checklist_is_prefilled(vault_dir: Path) -> None:
    seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        for key in ("ctrl+r", "1", "n", "enter", "enter", "p"):
            await pilot.press(key)
            await pilot.pause()
        await type_text(pilot, "nora")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and "NoraNotes" in squeezed(pilot)
        assert editor.query_one("#note-contact").value == "crisis support"
        assert editor.query_one("#note-setting").value == "community/outreach"
        assert int(editor.query_one("#note-minutes").value) >= 1
        await type_text(pilot, "She is safe.")
        await pilot.press("f10")  # nothing missing: no form
        await pilot.pause()
        assert "F10againfinalizes" in squeezed(pilot)
