"""Settings by keys: a bad value is refused inline; a good one is saved and applied."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.settings import SettingsScreen
from tests.conftest import PASSPHRASE
from tests.tui.helpers import SIZE, squeezed, type_text
from tests.tui.test_shell import seeded, unlock


async def test_settings_validate_save_and_apply(vault_dir: Path) -> None:
    seeded(vault_dir, "Setty Person")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Notsaved" in squeezed(pilot) and isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "2")
        await pilot.press("tab")  # the crisis auto-lock minutes
        for bad, problem in (("0", "greaterthan0"), ("999", "lessthanorequalto240"),
                             ("soon", "avalidnumber"), ("", "avalidnumber")):
            await pilot.press("ctrl+u")
            await type_text(pilot, bad)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert f"Notsaved:crisislockminutes:Inputshouldbe{problem}" in squeezed(pilot)
            assert isinstance(app.screen, SettingsScreen) and app.crisis_lock_seconds == 1800
        await pilot.press("ctrl+u")
        await type_text(pilot, "45")
        await pilot.press("tab", "tab")
        await type_text(pilot, "555-0988")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        assert app.idle_lock_seconds == 120 and app.crisis_lock_seconds == 45 * 60
    vault = Vault.open(vault_dir, PASSPHRASE)
    assert vault.settings().crisis_line == "555-0988"
    assert vault.settings().crisis_lock_minutes == 45
    vault.close()


async def test_the_crisis_auto_lock_fits_at_80x24_with_its_explanation(vault_dir: Path) -> None:
    seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f9")
        await pilot.pause()
        text = squeezed(pilot)
        assert "Crisisauto-lock30" in text and "30-secondcountdown" in text
