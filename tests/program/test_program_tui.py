"""The program data in the TUI at 80x24 (issue 22): the participant page's Program section,
the Program page (g) with its windows (d done, m missed with a reason) and the recovery
fields (e), the funder interviews on F3, and the supervisor's dashboard lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Select

from coachdesk.models.funder import funder
from coachdesk.store import participants, program
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.action_items import ActionItemsScreen
from coachdesk.tui.screens.dashboard import DashboardScreen
from coachdesk.tui.screens.program import ProgramScreen
from coachdesk.tui.screens.program_forms import InterviewForm, RecoveryForm
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import open_first_person, press, unlocked, visible_text

TODAY = dt.date.today()


def words(pilot: object) -> str:
    return " ".join(visible_text(pilot).split())  # type: ignore[arg-type]


def make(tmp_path: Path) -> tuple[Path, str]:
    home = tmp_path / "vault"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    try:
        pid = participants.create(vault, person("Rae Example", intake_date=(
            TODAY - dt.timedelta(days=3)).isoformat()))
    finally:
        vault.close()
    return home, pid


async def test_windows_and_fields_from_the_participant_page(tmp_path: Path) -> None:
    home, pid = make(tmp_path)
    app = CoachdeskApp(home)
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        await press(pilot, "g")
        assert isinstance(app.screen, ProgramScreen)
        shown = words(pilot)
        assert "Baseline" in shown and "OPEN" in shown and "Six-month reassessment" in shown
        assert "esc Back" in shown and "d Done" in shown and "m Missed" in shown  # footer at 80x24
        await press(pilot, "d")
        assert isinstance(app.screen, InterviewForm)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProgramScreen)
        assert f"done {TODAY.strftime('%m-%d')}" in words(pilot)
        # missed needs a reason: one line, and the form stays
        await press(pilot, "m")
        form = app.screen
        assert isinstance(form, InterviewForm)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, InterviewForm) and "say why it was missed" in words(pilot)
        form.query_one("#interview-reason", Select).value = "declined"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProgramScreen)
        assert "missed" in words(pilot)
        await press(pilot, "e")
        assert isinstance(app.screen, RecoveryForm)
        await press(pilot, "space")  # the first pathway
        app.screen.query_one("#recovery-supports", Input).value = "4"
        app.screen.query_one("#recovery-living_situation", Select).value = "shelter"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProgramScreen)
        shown = words(pilot)
        assert "pathways: abstinence" in shown and "shelter" in shown and "supports: 4" in shown
        await press(pilot, "e")
        app.screen.query_one("#recovery-supports", Input).value = "lots"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, RecoveryForm) and "supports: a whole number" in words(pilot)
        await press(pilot, "escape", "escape")
        section = str(app.screen.query_one("#pp-main").render())
        assert "Program" in section and "g windows and fields" in section
        assert "pathways: abstinence" in section
    vault = Vault.open(home, PASSPHRASE)
    try:
        states = {w.spec.id: w.state(TODAY) for w in program.person_windows(vault, funder(None), pid)}
        assert states["baseline"] == "missed"  # recorded again: the last record counts
        assert program.recovery(vault.conn, pid).supports == 4
    finally:
        vault.close()


async def test_open_interviews_on_f3(tmp_path: Path) -> None:
    home, _ = make(tmp_path)
    app = CoachdeskApp(home)
    async with unlocked(app) as pilot:
        await press(pilot, "f3")
        assert isinstance(app.screen, ActionItemsScreen)
        assert "interview: Baseline" in words(pilot)
        table = app.screen.query_one("#actions")
        keys = [row.key.value for row in table.ordered_rows]  # type: ignore[attr-defined]
        table.move_cursor(row=next(i for i, k in enumerate(keys) if k.startswith("win-")))  # type: ignore[attr-defined]
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgramScreen)


async def test_the_dashboard_shows_units_and_follow_ups(tmp_path: Path) -> None:
    from tests.tui.test_dashboard_tui import make as make_team_vaults

    sue_dir, _ = make_team_vaults(tmp_path)
    app = CoachdeskApp(sue_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, DashboardScreen)
        shown = words(pilot)
        assert "Units 0 units this month" in shown
        assert "Follow-ups no funder follow-up due this month" in shown
        assert "no window missed this month" in shown
        assert "Rae" not in shown and "Lock" in shown


async def test_discharge_and_reenrol_from_the_program_page(tmp_path: Path) -> None:
    from coachdesk.tui.screens.program_forms import EpisodeForm

    home, pid = make(tmp_path)
    app = CoachdeskApp(home)
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        await press(pilot, "g", "n")
        assert isinstance(app.screen, EpisodeForm)
        await press(pilot, "ctrl+s")  # still enrolled: one line, the form stays
        assert isinstance(app.screen, EpisodeForm) and "still enrolled" in words(pilot)
        await press(pilot, "escape", "x")
        app.screen.query_one("#episode-date", Input).value = (
            TODAY - dt.timedelta(days=1)).isoformat()
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProgramScreen) and "Discharge" in words(pilot)
        await press(pilot, "n", "ctrl+s")
        assert isinstance(app.screen, ProgramScreen)
        assert words(pilot).count("Baseline") == 2
