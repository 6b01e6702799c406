"""Plan and addendum drafts by keys at 80x24: the text survives the panic key and is
offered back ("Restored your unsaved draft from HH:MM"); saving or Esc twice removes it."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import TextArea

from coachdesk.models.plan import Plan
from coachdesk.models.plan_text import format_plan
from coachdesk.store import addendum_drafts, notes, participants, plan_drafts, plans
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.note_view import AddendumForm, NoteView
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.plan_editor import PlanEditor
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import open_plan_editor, press, squeezed, type_text, unlocked
from tests.vaults import created, reopened, seeded

RESTORED = re.compile(r"Restoredyourunsaveddraftfrom\d\d:\d\d")


def text_of(pilot, selector: str) -> str:  # type: ignore[no-untyped-def]
    return pilot.app.screen.query_one(selector, TextArea).text


async def panic_and_unlock(pilot) -> None:  # type: ignore[no-untyped-def]
    await press(pilot, "ctrl+l")
    assert isinstance(pilot.app.screen, UnlockScreen) and pilot.app.vault is None
    await type_text(pilot, PASSPHRASE)
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, RosterScreen)


async def test_plan_text_survives_the_panic_key_and_esc_twice_drops_it(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_plan_editor(pilot)
        assert not RESTORED.search(squeezed(pilot))
        await pilot.press("enter")
        await type_text(pilot, "- Walk to the park")
        typed = text_of(pilot, "#plan-text")
        await panic_and_unlock(pilot)  # at once: before any autosave timer

        await press(pilot, "enter")
        assert isinstance(app.screen, ParticipantScreen)
        assert "Unsavedtextkept:theplanof1person" in "".join(
            n.message.replace(" ", "") for n in app._notifications)
        await press(pilot, "p")
        assert isinstance(app.screen, PlanEditor)
        assert RESTORED.search(squeezed(pilot))
        assert text_of(pilot, "#plan-text") == typed
        await press(pilot, "escape")
        assert isinstance(app.screen, PlanEditor) and "Unsavedchanges" in squeezed(pilot)
        await press(pilot, "escape")  # twice: dropped on purpose
        assert isinstance(app.screen, ParticipantScreen)
        assert plan_drafts.get(app.vault, pid) is None
        await press(pilot, "p")
        assert not RESTORED.search(squeezed(pilot))
        assert text_of(pilot, "#plan-text") == format_plan(Plan())
    with reopened(vault_dir) as vault:
        assert plans.state(vault, pid).revisions == [] and plan_drafts.get(vault, pid) is None


async def test_a_restored_plan_draft_saved_with_ctrl_s_is_a_revision_and_the_draft_goes(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_plan_editor(pilot)
        await pilot.press("enter")
        await type_text(pilot, "- Walk to the park")
        assert app.screen.flush()  # what the autosave timer does
        assert plan_drafts.get(app.vault, pid) is not None
        await press(pilot, "escape", "escape")  # leave on purpose without saving
        assert plan_drafts.get(app.vault, pid) is None  # dropped on purpose
        await press(pilot, "p")
        await pilot.press("enter")
        await type_text(pilot, "- Cook on Sundays")
        await press(pilot, "f1")  # a screen opened over the editor keeps the draft
        assert plan_drafts.get(app.vault, pid) is not None
        await press(pilot, "escape")
        assert isinstance(app.screen, PlanEditor)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantScreen)
        assert plan_drafts.get(app.vault, pid) is None
        [revision] = plans.state(app.vault, pid).revisions
        assert [g.text for g in revision.plan.health] == ["Cook on Sundays"]


async def open_addendum(pilot, note_id: str) -> None:  # type: ignore[no-untyped-def]
    """The addendum form of a finalized note (the note opened, then a)."""
    pilot.app.open_note(note_id)
    await pilot.pause()
    await press(pilot, "a")


def seeded_final_note(vault_dir: Path) -> str:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Ada Addendum"))
        note_id = notes.start(vault, pid)
        notes.finalize(vault, note_id, "We met at the library.")
    return note_id


async def test_addendum_text_survives_the_panic_key_then_is_added(vault_dir: Path, app: CoachdeskApp) -> None:
    note_id = seeded_final_note(vault_dir)
    async with unlocked(app) as pilot:
        await open_addendum(pilot, note_id)
        assert isinstance(app.screen, AddendumForm) and not RESTORED.search(squeezed(pilot))
        await type_text(pilot, "She called back: it was the bakery.")
        await panic_and_unlock(pilot)
        assert "1addendum" in "".join(n.message.replace(" ", "") for n in app._notifications)

        app.open_note(note_id)
        await pilot.pause()
        assert isinstance(app.screen, NoteView)
        assert "Anaddendumyoustartedisnotaddedyet" in squeezed(pilot)
        await press(pilot, "a")
        assert RESTORED.search(squeezed(pilot))
        assert text_of(pilot, "#addendum-text") == "She called back: it was the bakery."
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NoteView)
        assert "itwasthebakery" in squeezed(pilot)
        assert "Anaddendumyoustarted" not in squeezed(pilot)
        assert addendum_drafts.get(app.vault, note_id) is None
        assert len(notes.addenda(app.vault, note_id)) == 1


async def test_addendum_esc_twice_drops_the_draft(vault_dir: Path, app: CoachdeskApp) -> None:
    note_id = seeded_final_note(vault_dir)
    async with unlocked(app) as pilot:
        await open_addendum(pilot, note_id)
        await type_text(pilot, "Wrong note")
        assert app.screen.flush()
        assert addendum_drafts.get(app.vault, note_id) is not None
        await press(pilot, "escape")
        assert isinstance(app.screen, AddendumForm) and "Notaddedyet" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, NoteView)
        assert addendum_drafts.get(app.vault, note_id) is None
        assert notes.addenda(app.vault, note_id) == []


async def _type_steadily_until_saved(pilot, saved) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Type a character about every 0.15 s, never pausing, until `saved()` gives a text
    (at most 60 characters). The autosave's pause rule is switched off: only the
    throttle can save while typing goes on. Returns (what was typed, what was saved)."""
    autosave = pilot.app.screen.autosave
    autosave.pause = 3600.0  # a debounce would never save now
    typed = ""
    for char in "we walked to the park and then to the library on main street ok":
        await type_text(pilot, char)
        typed += char
        await pilot.pause(0.15)
        found = saved()
        if found:
            return typed, found
    return typed, ""


async def test_plan_and_addendum_drafts_are_saved_during_steady_typing(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    """Not only when typing pauses: the plan editor and the addendum form share the note
    body's throttle, so steady typing is in the vault within 2 s (issue #14.2)."""
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_plan_editor(pilot)
        assert isinstance(app.screen, PlanEditor)
        await pilot.press("enter", "minus", "space")
        typed, saved = await _type_steadily_until_saved(
            pilot, lambda: (d := plan_drafts.get(app.vault, pid)) and d.body)
        assert saved and "- we" in saved, typed
        assert app.screen.autosave.pending or text_of(pilot, "#plan-text") == saved

    note_dir = tmp_path / "addendum"
    note_id = seeded_final_note(note_dir)
    app = CoachdeskApp(note_dir)
    async with unlocked(app) as pilot:
        await open_addendum(pilot, note_id)
        assert isinstance(app.screen, AddendumForm)
        typed, saved = await _type_steadily_until_saved(
            pilot, lambda: (d := addendum_drafts.get(app.vault, note_id)) and d.body)
        assert saved and typed.startswith(saved), typed
