"""The Reports screen: counts for a month, month keys, save to a file (audited)."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import audit
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.reports import ReportsScreen, shift_month
from tests.tui.helpers import press, squeezed, type_text, unlocked
from tests.vaults import reopened, seeded


def test_shift_month_crosses_years() -> None:
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2026-12", 1) == "2027-01"


async def test_reports_screen_shows_counts_and_saves(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    seeded(vault_dir, "Rena Reportable", "Second Person")
    out = tmp_path / "month.csv"
    async with unlocked(app) as pilot:
        await press(pilot, "f12")
        assert isinstance(app.screen, ReportsScreen)
        text = squeezed(pilot)
        assert "newparticipants" in text and "Rena" not in text
        await press(pilot, "left_square_bracket")
        assert app.screen.month == shift_month(__import__("datetime").date.today()
                                               .strftime("%Y-%m"), -1)
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await press(pilot, "enter")
        assert "Wrote" in squeezed(pilot)
    assert out.read_text().startswith("month,section,figure,value")
    assert "Rena" not in out.read_text()
    with reopened(vault_dir) as vault:
        assert "report saved" in [row[2] for row in audit.recent(vault.conn)]
