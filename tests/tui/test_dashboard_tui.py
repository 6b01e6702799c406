"""The Coach dashboard at 80x24 (issue 18, item 4): a supervisor moves between the coaches
of the team with Left/Right; every figure shows on one screen with the footer; a coach
who opens it gets one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.models.supervision import SupervisionSession
from coachdesk.store import notes, participants, records
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.dashboard import NOT_A_SUPERVISOR, DashboardScreen
from coachdesk.tui.screens.help import HelpScreen
from coachdesk.tui.screens.reports import ReportsScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team
from tests.tui.helpers import press, unlocked, visible_text

TODAY = dt.date.today()


def words(pilot: object) -> str:
    return " ".join(visible_text(pilot).split())  # type: ignore[arg-type]


def make(tmp_path: Path) -> tuple[Path, Path]:
    """Sue supervises Ann and Bob; Ann has one person and a finalized note, which reached
    Sue; Sue logged a session with Ann eight days ago."""
    sue_dir, ann_dir, bob_dir = (tmp_path / n for n in ("sue", "ann", "bob"))
    sue = Vault.create(sue_dir, PASSPHRASE, "Sue Lead")
    ann = Vault.create(ann_dir, PASSPHRASE, "Ann Coach")
    bob = Vault.create(bob_dir, PASSPHRASE, "Bob Coach")
    try:
        make_team(sue, ann, bob)
        pid = participants.create(ann, person("Rae Example", intake_date=TODAY.isoformat()))
        note_id = notes.start(ann, pid, "Met Rae at the library.")
        notes.finalize(ann, note_id, "Met Rae at the library.")
        made = service.export_bundle(ann, tmp_path / "ann.cdbundle", peer=sue.device)
        merge.import_bundle(sue, made.path)
        records.create(sue, "supervision_session", SupervisionSession(
            coach=ann.device, held_on=TODAY - dt.timedelta(days=8), minutes=60
        ).model_dump(mode="json"))
    finally:
        for vault in (sue, ann, bob):
            vault.close()
    return sue_dir, ann_dir


async def test_a_supervisor_sees_one_coach_at_a_time(tmp_path: Path) -> None:
    sue_dir, _ = make(tmp_path)
    app = CoachdeskApp(sue_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, DashboardScreen)
        shown = words(pilot)
        assert "Coach dashboard · Ann Coach (coach) · 1 of 2" in shown
        for line in ("Caseload 1 active (1 primary, 0 secondary)", "1 new this month",
                     "Action items 0 overdue on the caseload", "0 overdue from supervision",
                     "Hard to reach 0 people", "Crisis events 0 this month",
                     "Notes 1 waiting for review", "0 follow-ups open",
                     "Supervision 8 days since the last session "
                     f"({(TODAY - dt.timedelta(days=8)).isoformat()})",
                     f"First 90 days joined {TODAY.isoformat()}: 90-day review on "
                     f"{(TODAY + dt.timedelta(days=90)).isoformat()}",
                     "Next coach", "Lock"):
            assert line in shown, line
        assert "Rae" not in shown  # counts only
        await press(pilot, "right")
        shown = words(pilot)
        assert "Bob Coach (coach) · 2 of 2" in shown
        assert "Caseload 0 active" in shown and "no supervision session logged yet" in shown
        await press(pilot, "right")
        assert "Ann Coach (coach) · 1 of 2" in words(pilot)
        await press(pilot, "p")
        assert "Bob Coach (coach) · 2 of 2" in words(pilot)
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert "first 90 days" in words(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "escape")
        assert not isinstance(app.screen, DashboardScreen)


async def test_a_coach_gets_one_line(tmp_path: Path) -> None:
    _, ann_dir = make(tmp_path)
    app = CoachdeskApp(ann_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, DashboardScreen)
        shown = words(pilot)
        assert NOT_A_SUPERVISOR in shown and "Caseload" not in shown


async def test_the_reports_screen_switches_to_the_supervision_report(tmp_path: Path) -> None:
    sue_dir, _ = make(tmp_path)
    app = CoachdeskApp(sue_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "f12")
        assert isinstance(app.screen, ReportsScreen)
        assert "Service report" in words(pilot)
        await press(pilot, "s")
        shown = words(pilot)
        assert f"Supervision report, {TODAY.strftime('%Y-%m')}" in shown
        assert "Supervision hours by coach" in shown and "Rae" not in shown
        await press(pilot, "s")
        assert "Service report" in words(pilot)
