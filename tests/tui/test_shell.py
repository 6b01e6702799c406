"""The TUI shell by keys only: setup, unlock, roster, add and find, auto-lock, panic, discreet."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.setup import SetupScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE
from tests.tui.helpers import SIZE, press, squeezed, type_text, unlock, unlocked, wait_for
from tests.vaults import reopened, seeded


async def test_first_run_setup_then_add_and_find_a_participant(vault_dir: Path, app: CoachdeskApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Sam Coach")
        await pilot.press("enter")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await type_text(pilot, "different words")
        await press(pilot, "enter")
        assert "differ" in squeezed(pilot)
        await type_text(pilot, PASSPHRASE)
        await press(pilot, "enter")
        assert isinstance(app.screen, RosterScreen)

        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, ParticipantForm)
        await type_text(pilot, "Zelda Quarrington")
        await press(pilot, "ctrl+s")  # adult box not ticked yet: refused inline
        assert isinstance(app.screen, ParticipantForm)
        assert "adultsonly" in squeezed(pilot)
        await pilot.press("tab", "tab", "tab", "space")  # pronouns, type, adult
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, RosterScreen)

        await press(pilot, "ctrl+n")
        await type_text(pilot, "Other Person")
        await press(pilot, "tab", "tab", "tab", "space", "ctrl+s")

        await type_text(pilot, "quarr")
        await pilot.pause()
        text = squeezed(pilot)
        assert "ZeldaQuarrington" in text and "OtherPerson" not in text
        assert "active:1person" in text
    with reopened(vault_dir) as vault:
        assert [p.alias for p in participants.roster(vault, "zelda")] == ["Zelda Quarrington"]


async def test_wrong_passphrase_stays_locked(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Quinn Hidden")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot, "not it at all")
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert "Wrongpassphrase" in squeezed(pilot)
        assert "QuinnHidden" not in squeezed(pilot)


async def test_auto_lock_after_idle_leaves_no_name_on_screen(vault_dir: Path) -> None:
    seeded(vault_dir, "Yarrow Idleton")
    app = CoachdeskApp(vault_dir, idle_lock_seconds=0.5)
    async with unlocked(app) as pilot:
        assert "YarrowIdleton" in squeezed(pilot)
        await pilot.press("ctrl+n")  # a form holding data is open too
        await wait_for(pilot, lambda: app.vault is None)
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None
        assert not any(isinstance(s, (RosterScreen, ParticipantForm)) for s in app.screen_stack)
        assert "Yarrow" not in squeezed(pilot)
        await unlock(pilot)
        assert isinstance(app.screen, RosterScreen)


async def test_panic_key_locks_at_once_even_while_typing(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Xavier Panicsworth")
    async with unlocked(app) as pilot:
        await press(pilot, "enter", "e")  # open the person's page, then the profile form
        assert isinstance(app.screen, ParticipantForm)
        await type_text(pilot, "half typed")
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert "Panicsworth" not in squeezed(pilot)


async def test_discreet_mode_shows_initials_and_is_remembered(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Wendeline Brightwater")
    async with unlocked(app) as pilot:
        await press(pilot, "f2")
        text = squeezed(pilot)
        assert "Wendeline" not in text and "WB" in text
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        assert "Wendeline" not in squeezed(pilot)


async def test_help_lists_the_keys_of_the_screen(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Helga Helpful")
    async with unlocked(app) as pilot:
        await press(pilot, "f1")
        text = squeezed(pilot)
        assert "Addaparticipant" in text and "Lockthevaultnow" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, RosterScreen)


async def test_edit_a_participant_with_a_bad_date_saves_nothing(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Vera Datewise")
    async with unlocked(app) as pilot:
        await press(pilot, "enter", "e")  # the participant page, then its profile form
        form = app.screen
        assert isinstance(form, ParticipantForm)
        form.query_one("#intake").value = "31/02/2026"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantForm)
        assert "Notsaved" in squeezed(pilot)
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, RosterScreen)
    with reopened(vault_dir) as vault:
        assert participants.roster(vault)[0].intake_date.isoformat() != "2026-02-31"


async def test_copied_text_is_cleared_on_lock_and_after_a_while(vault_dir: Path, app: CoachdeskApp,
                                                               monkeypatch) -> None:
    import coachdesk.tui.app as app_module

    monkeypatch.setattr(app_module, "CLIPBOARD_SECONDS", 0.3)
    seeded(vault_dir, "Clip Board")
    async with unlocked(app) as pilot:
        app.copy_to_clipboard("Clip Board")
        assert app.clipboard == "Clip Board"
        await wait_for(pilot, lambda: app.clipboard == "")
        assert app.clipboard == ""
        app.copy_to_clipboard("Clip Board")
        await press(pilot, "ctrl+l")
        assert app.clipboard == ""


async def test_setup_judges_the_passphrase_and_refuses_a_guessable_one(
        vault_dir: Path, app: CoachdeskApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "Sam Coach")
        await pilot.press("enter")
        await type_text(pilot, "a" * 20)
        await pilot.pause()
        assert "veryweak" in squeezed(pilot)  # twenty times "a" is not strong
        await pilot.press("enter")
        await type_text(pilot, "a" * 20)
        await press(pilot, "enter")
        assert isinstance(app.screen, SetupScreen)
        assert "tooeasytoguess" in squeezed(pilot)
        assert not (vault_dir / "coachdesk.vault").exists()


async def test_adding_someone_already_here_asks_first(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Rosa Delgado")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+n")
        await type_text(pilot, "delgado rosa")
        await press(pilot, "tab", "tab", "tab", "space", "ctrl+s")
        assert isinstance(app.screen, ParticipantForm)  # asked, not added
        assert "RosaDelgado(active)maybethisperson" in squeezed(pilot)
        with reopened(vault_dir) as vault:
            assert participants.count(vault) == 1
        await press(pilot, "ctrl+s")  # the same again: added anyway
        assert isinstance(app.screen, RosterScreen)
    with reopened(vault_dir) as vault:
        assert participants.count(vault) == 2
