"""The app starts with the styles of the unlock and setup screens only (coachdesk.tcss);
the other screens' (screens.tcss) are read while the passphrase is typed, and in any case
before another screen is shown."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store.vault import Vault
from coachdesk.tui.app import SCREENS_CSS, CoachdeskApp
from coachdesk.tui.screens.help import HelpScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.tui.helpers import SIZE, press, unlock


def screen_styles_read(app: CoachdeskApp) -> bool:
    return app.stylesheet.has_source(str(SCREENS_CSS), "")


async def test_a_screen_opened_at_once_has_its_styles(vault: Vault, vault_dir: Path) -> None:
    """F1 on the unlock screen before the styles were read: the help is styled."""
    vault.close()
    app = CoachdeskApp(vault_dir)
    app.typing_starts_after = 60.0
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        assert not screen_styles_read(app)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen) and screen_styles_read(app)
        assert (app.screen.styles.align_horizontal, app.screen.styles.align_vertical) == (
            "center", "middle")  # HelpScreen's rule in screens.tcss


async def test_the_roster_after_a_quick_unlock_is_styled(vault: Vault, vault_dir: Path) -> None:
    vault.close()
    app = CoachdeskApp(vault_dir)
    app.typing_starts_after = 60.0
    async with app.run_test(size=SIZE) as pilot:
        assert not screen_styles_read(app)
        await unlock(pilot)
        assert isinstance(app.screen, RosterScreen) and screen_styles_read(app)
        assert str(app.screen.query_one("#roster-status").styles.width) == "36"


async def test_the_styles_are_read_while_the_passphrase_is_typed(vault: Vault,
                                                                 vault_dir: Path) -> None:
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        assert isinstance(app.screen, UnlockScreen) and screen_styles_read(app)
        assert app.screen.query_one("#keyline").styles.dock == "bottom"  # coachdesk.tcss
