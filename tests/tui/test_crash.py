"""An unexpected error locks the vault and reports where, never values."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from coachdesk.tui.app import CoachdeskApp
from tests.tui.helpers import press, unlocked
from tests.vaults import seeded


class BrokenApp(CoachdeskApp):
    BINDINGS = [*CoachdeskApp.BINDINGS, Binding("f12", "break", priority=True)]

    def action_break(self) -> None:
        secret = "CanaryLocal42"  # noqa: F841 - a local that must not be printed
        raise ValueError("CanaryMessage42")


async def test_crash_report_names_the_place_not_the_data(vault_dir: Path, capsys) -> None:
    seeded(vault_dir, "Crashy Person")
    app = BrokenApp(vault_dir)
    with pytest.raises(ValueError):
        async with unlocked(app) as pilot:
            await press(pilot, "f12")
    report = capsys.readouterr().err
    assert app.vault is None
    assert "ValueError" in report and "test_crash.py" in report
    assert "Canary" not in report
