"""Settings by keys: a bad value is refused inline; a good one is saved and applied."""

from __future__ import annotations

from pathlib import Path

from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.settings import SettingsScreen
from tests.tui.helpers import press, squeezed, type_text, unlocked
from tests.vaults import reopened, seeded


async def test_settings_validate_save_and_apply(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Setty Person")
    with reopened(vault_dir) as vault:  # set elsewhere (the Sync screen): the form keeps it
        vault.save_settings(vault.settings().model_copy(update={"sync_folder": "/srv/sync"}))
    async with unlocked(app) as pilot:
        await press(pilot, "f9")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "0")
        await press(pilot, "ctrl+s")
        assert "Notsaved" in squeezed(pilot) and isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+u")
        await type_text(pilot, "2")
        await pilot.press("tab")  # the crisis auto-lock minutes
        for bad, problem in (("0", "greaterthan0"), ("999", "lessthanorequalto240"),
                             ("soon", "avalidnumber"), ("", "avalidnumber")):
            await pilot.press("ctrl+u")
            await type_text(pilot, bad)
            await press(pilot, "ctrl+s")
            assert f"Notsaved:crisislockminutes:Inputshouldbe{problem}" in squeezed(pilot)
            assert isinstance(app.screen, SettingsScreen) and app.crisis_lock_seconds == 1800
        await pilot.press("ctrl+u")
        await type_text(pilot, "45")
        await pilot.press("tab", "tab")
        await type_text(pilot, "555-0988")
        await pilot.press("tab", "tab")  # past the supervisor's phone: my work phone
        await type_text(pilot, "555-0142")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, SettingsScreen)
        assert app.idle_lock_seconds == 120 and app.crisis_lock_seconds == 45 * 60
    with reopened(vault_dir) as vault:
        assert vault.settings().crisis_line == "555-0988"
        assert vault.settings().crisis_lock_minutes == 45
        assert vault.settings().coach_phone == "555-0142"
        assert vault.settings().sync_folder == "/srv/sync"


async def test_the_crisis_auto_lock_fits_at_80x24_with_its_explanation(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "f9")
        text = squeezed(pilot)
        assert "Crisisauto-lock30" in text and "30-secondcountdown" in text
