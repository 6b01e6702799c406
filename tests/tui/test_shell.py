"""The TUI shell by keys only: setup, unlock, roster, add and find, auto-lock, panic, discreet."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.setup import SetupScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, squeezed, type_text, wait_for


async def unlock(pilot, passphrase: str = PASSPHRASE) -> None:
    await type_text(pilot, passphrase)
    await pilot.press("enter")
    await pilot.pause()


async def test_first_run_setup_then_add_and_find_a_participant(vault_dir: Path) -> None:
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Sam Coach")
        await pilot.press("enter")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await type_text(pilot, "different words")
        await pilot.press("enter")
        await pilot.pause()
        assert "differ" in squeezed(pilot)
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)

        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        await type_text(pilot, "Zelda Quarrington")
        await pilot.press("ctrl+s")  # adult box not ticked yet: refused inline
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        assert "adultsonly" in squeezed(pilot)
        await pilot.press("tab", "tab", "tab", "space")  # pronouns, type, adult
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)

        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Other Person")
        await pilot.press("tab", "tab", "tab", "space", "ctrl+s")
        await pilot.pause()

        await type_text(pilot, "quarr")
        await pilot.pause()
        text = squeezed(pilot)
        assert "ZeldaQuarrington" in text and "OtherPerson" not in text
        assert "active:1person" in text
    reopened = Vault.open(vault_dir, PASSPHRASE)
    assert [p.alias for p in participants.roster(reopened, "zelda")] == ["Zelda Quarrington"]
    reopened.close()


def seeded(vault_dir: Path, *aliases: str) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    for alias in aliases:
        participants.create(vault, person(alias))
    vault.close()


async def test_wrong_passphrase_stays_locked(vault_dir: Path) -> None:
    seeded(vault_dir, "Quinn Hidden")
    app = CoachdeskApp(vault_dir)
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
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
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


async def test_panic_key_locks_at_once_even_while_typing(vault_dir: Path) -> None:
    seeded(vault_dir, "Xavier Panicsworth")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("enter", "e")  # open the person's page, then the profile form
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        await type_text(pilot, "half typed")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert "Panicsworth" not in squeezed(pilot)


async def test_discreet_mode_shows_initials_and_is_remembered(vault_dir: Path) -> None:
    seeded(vault_dir, "Wendeline Brightwater")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f2")
        await pilot.pause()
        text = squeezed(pilot)
        assert "Wendeline" not in text and "WB" in text
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        assert "Wendeline" not in squeezed(pilot)


async def test_help_lists_the_keys_of_the_screen(vault_dir: Path) -> None:
    seeded(vault_dir, "Helga Helpful")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = squeezed(pilot)
        assert "Addaparticipant" in text and "Lockthevaultnow" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)


async def test_edit_a_participant_with_a_bad_date_saves_nothing(vault_dir: Path) -> None:
    seeded(vault_dir, "Vera Datewise")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("enter", "e")  # the participant page, then its profile form
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ParticipantForm)
        form.query_one("#intake").value = "31/02/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)
        assert "Notsaved" in squeezed(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
    vault = Vault.open(vault_dir, PASSPHRASE)
    assert participants.roster(vault)[0].intake_date.isoformat() != "2026-02-31"
    vault.close()


async def test_copied_text_is_cleared_on_lock_and_after_a_while(vault_dir: Path,
                                                               monkeypatch) -> None:
    import coachdesk.tui.app as app_module

    monkeypatch.setattr(app_module, "CLIPBOARD_SECONDS", 0.3)
    seeded(vault_dir, "Clip Board")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        app.copy_to_clipboard("Clip Board")
        assert app.clipboard == "Clip Board"
        await wait_for(pilot, lambda: app.clipboard == "")
        assert app.clipboard == ""
        app.copy_to_clipboard("Clip Board")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.clipboard == ""
