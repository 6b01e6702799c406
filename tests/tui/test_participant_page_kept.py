"""The participant page is kept mounted and refilled for the next person: it shows only
that person, audits every opening, and goes with the key at lock."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from coachdesk.store import participants
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.roster import RosterScreen
from tests.sync.syncutil import final_note
from tests.tui.helpers import counted, press, squeezed, unlock, unlocked
from tests.vaults import seeded


def views(app: CoachdeskApp, person: str) -> int:
    assert app.vault is not None
    return int(app.vault.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'participant viewed' AND row_id = ?",
        (person,)).fetchone()[0])


async def show(pilot: Pilot, person: str) -> None:
    pilot.app.open_participant(person)  # type: ignore[attr-defined]
    await pilot.pause()


async def test_the_next_person_fills_the_same_page_and_each_opening_is_audited(
        vault_dir: Path, app: CoachdeskApp) -> None:
    ada, bo = seeded(vault_dir, "Ada Kept", "Bo Refilled")
    async with unlocked(app) as pilot:
        await show(pilot, ada)
        first = app.screen
        assert isinstance(first, ParticipantScreen) and "AdaKept" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, RosterScreen)
        await show(pilot, bo)
        assert app.screen is first and first.participant_id == bo
        shown = squeezed(pilot)
        assert "BoRefilled" in shown and "AdaKept" not in shown
        assert app.screen.focused is first.query_one("#pp-body")
        await press(pilot, "escape")
        await show(pilot, bo)
        assert (views(app, ada), views(app, bo)) == (1, 2)


async def test_a_person_gone_meanwhile_is_not_shown_and_the_coach_is_told(
        vault_dir: Path, app: CoachdeskApp) -> None:
    ada, bo = seeded(vault_dir, "Ada Kept", "Bo Gone")
    async with unlocked(app) as pilot:
        await show(pilot, ada)
        await press(pilot, "escape")
        assert app.vault is not None
        participants.delete(app.vault, bo)
        app.clear_notifications()
        await show(pilot, bo)
        assert isinstance(app.screen, RosterScreen)
        assert [n.message for n in app._notifications][0].startswith("Cannot open: ")


async def test_the_kept_page_goes_with_the_key_at_lock(vault_dir: Path, app: CoachdeskApp) -> None:
    ada, bo = seeded(vault_dir, "Ada Kept", "Bo Later")
    async with unlocked(app) as pilot:
        await show(pilot, ada)
        page = app.screen
        await press(pilot, "ctrl+l")
        assert not page.is_attached and "AdaKept" not in squeezed(pilot)
        assert not app.is_screen_installed(page)
        await unlock(pilot)
        await counted(pilot)
        await show(pilot, bo)
        assert app.screen is not page and "BoLater" in squeezed(pilot)


async def test_the_note_view_is_kept_too_and_shows_only_the_note_asked_for(
        vault_dir: Path, app: CoachdeskApp) -> None:
    from coachdesk.tui.screens.note_view import NoteView

    [ada] = seeded(vault_dir, "Ada Kept")
    async with unlocked(app) as pilot:
        assert app.vault is not None
        first, second = (final_note(app.vault, ada, body) for body in ("Walked to the clinic.",
                                                                       "Called the landlord."))
        app.open_note(first)
        await pilot.pause()
        view = app.screen
        assert isinstance(view, NoteView) and "Walkedtotheclinic." in squeezed(pilot)
        await press(pilot, "x")  # a letter typed here says why nothing changes
        await press(pilot, "escape")
        app.open_note(second)
        await pilot.pause()
        shown = squeezed(pilot)
        assert app.screen is view and "Calledthelandlord." in shown
        assert "Walkedtotheclinic." not in shown
        assert not view.query_one("#noteview-message").display
        assert app.vault.conn.execute("SELECT count(*) FROM audit WHERE action = 'note viewed'"
                                      ).fetchone()[0] == 2
