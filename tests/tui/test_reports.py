"""The Reports screen: counts for a month, month keys, save to a file (audited)."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import audit
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.reports import ReportsScreen, shift_month
from tests.conftest import PASSPHRASE
from tests.tui.helpers import SIZE, squeezed, type_text
from tests.tui.test_shell import seeded, unlock


def test_shift_month_crosses_years() -> None:
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2026-12", 1) == "2027-01"


async def test_reports_screen_shows_counts_and_saves(vault_dir: Path, tmp_path: Path) -> None:
    seeded(vault_dir, "Rena Reportable", "Second Person")
    out = tmp_path / "month.csv"
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)
        text = squeezed(pilot)
        assert "newparticipants" in text and "Rena" not in text
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.screen.month == shift_month(__import__("datetime").date.today()
                                               .strftime("%Y-%m"), -1)
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await pilot.press("enter")
        await pilot.pause()
        assert "Wrote" in squeezed(pilot)
    assert out.read_text().startswith("month,section,figure,value")
    assert "Rena" not in out.read_text()
    vault = Vault.open(vault_dir, PASSPHRASE)
    assert "report saved" in [row[2] for row in audit.recent(vault.conn)]
    vault.close()
