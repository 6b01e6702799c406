"""Crisis screens open one another through the App: past checklists open as their
summary (ended) or as the running checklist (not ended)."""

from __future__ import annotations

from pathlib import Path

from coachdesk import config
from coachdesk.protocols import load_file
from coachdesk.store import crisis
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.crisis_checklist import CrisisScreen
from coachdesk.tui.screens.crisis_history import CrisisHistory
from coachdesk.tui.screens.crisis_summary import CrisisSummary
from tests.tui.helpers import keys, unlocked
from tests.vaults import created

OVERDOSE = load_file(config.assets_dir() / "protocols" / "overdose.toml")


async def test_past_checklists_open_as_summary_or_running_checklist(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        ended = crisis.start(vault, OVERDOSE)
        crisis.stop(vault, ended)
        running = crisis.start(vault, OVERDOSE)  # newest: the first row of the history
    async with unlocked(app) as pilot:
        assert isinstance(app.screen, CrisisScreen)  # reopened after the unlock
        await keys(pilot, "escape")
        await app.push_screen(CrisisHistory())
        await keys(pilot, "enter")
        assert isinstance(app.screen, CrisisScreen) and app.screen.event_id == running
        await keys(pilot, "escape")
        await app.push_screen(CrisisHistory())
        await keys(pilot, "down", "enter")
        assert isinstance(app.screen, CrisisSummary) and app.screen.event_id == ended
        await keys(pilot, "escape")
        assert isinstance(app.screen, CrisisHistory)  # the summary opened over the list
