"""The participant page and the plan editor, by keys only, at 80x24."""

from __future__ import annotations

from pathlib import Path

from coachdesk.models.plan import Plan
from coachdesk.store import assessments, consents, participants, plans
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.checkin import CheckinScreen
from coachdesk.tui.screens.consents import ConsentForm, ConsentScreen
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.plan_editor import PlanEditor
from coachdesk.tui.screens.plan_history import PlanHistoryScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.tui.helpers import open_first_person, press, squeezed, type_text, unlocked
from tests.vaults import reopened, seeded


async def test_write_a_plan_from_scratch_edit_it_and_see_two_revisions_and_the_diff(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "noplanyet" in squeezed(pilot)
        await press(pilot, "p")
        assert isinstance(app.screen, PlanEditor)
        await pilot.press("enter")  # the cursor starts at the end of '## Health'
        await type_text(pilot, "- Walk every day")
        await pilot.press("enter")
        await pilot.press("tab")
        await type_text(pilot, "- [coach] find a walking group (by 2026-02-30)")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, PlanEditor)  # refused inline
        assert "line3:'by2026-02-30'isnotadate" in squeezed(pilot)
        await pilot.press("end", *["backspace"] * 3)
        await type_text(pilot, "28)")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantScreen)
        assert "Health:Walkeveryday" in squeezed(pilot)
        assert "findawalkinggroup(coach,by2026-02-28)" in squeezed(pilot)

        await press(pilot, "p")  # edit: add a strength seven lines further down
        await pilot.press(*["down"] * 6, "end", "enter")
        await type_text(pilot, "- patient")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantScreen)
        assert "2revisions" in squeezed(pilot)

        await press(pilot, "h")
        assert isinstance(app.screen, PlanHistoryScreen)
        text = squeezed(pilot)
        assert "2revisions" in text and "+Strengths:patient" in text
        await press(pilot, "down")
        text = squeezed(pilot)
        assert "Firstversionoftheplan" in text and "+Health:goal'Walkeveryday'" in text
        assert "+Health:stepof'Walkeveryday':findawalkinggroup(coach,by2026-02-28)" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, ParticipantScreen)
    with reopened(vault_dir) as vault:
        state = plans.state(vault, pid)
        assert len(state.revisions) == 2 and not state.diverged
        assert state.current.parent_id == state.revisions[1].id
        assert state.current.plan.strengths == ["patient"]


async def test_editor_keeps_unsaved_text_until_esc_twice_and_empty_goal_is_refused(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        await press(pilot, "p", "enter", "minus", "ctrl+s")
        assert "line2:thegoalisempty" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, PlanEditor) and "Unsavedchanges" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, ParticipantScreen)
    with reopened(vault_dir) as vault:
        assert plans.state(vault, pid).revisions == []


async def test_diverged_plan_is_shown_as_such(vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    with reopened(vault_dir) as vault:
        base = plans.save(vault, pid, Plan(strengths=["kind"]))
        plans.save(vault, pid, Plan(strengths=["kind", "funny"]), base, at="2026-01-02T10:00:00+00:00")
        plans.save(vault, pid, Plan(strengths=["kind", "brave"]), base, at="2026-01-03T10:00:00+00:00")
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "diverged:2versions" in squeezed(pilot)
        await press(pilot, "h")
        assert squeezed(pilot).count("diverged") >= 3  # the status line and both heads
        await press(pilot, "d")
        text = squeezed(pilot)
        assert "+Strengths:brave" in text and "-Strengths:funny" in text


async def test_checkin_consent_flags_and_export_from_the_page(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    [pid] = seeded(vault_dir, "Pat Planner")
    with reopened(vault_dir) as vault:
        plans.save(vault, pid, Plan(strengths=["kind"]))
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "Noconsenttodiscloseonfile" in squeezed(pilot)

        await press(pilot, "b")
        assert isinstance(app.screen, CheckinScreen)
        await press(pilot, "7")
        assert "'7'isnotananswer" in squeezed(pilot) and "Statement1of10" in squeezed(pilot)
        await press(pilot, "5", "5", "backspace", "4", "enter")
        assert "Answerall10statementsfirst" in squeezed(pilot)
        await press(pilot, *"5555555")
        await press(pilot, "6")
        assert "Total50" in squeezed(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, ParticipantScreen)
        assert "50(of60" in squeezed(pilot)

        await press(pilot, "c", "a")
        assert isinstance(app.screen, ConsentForm)
        await type_text(pilot, "Eastside Clinic")
        await pilot.press("tab")
        await type_text(pilot, "coordinate care")
        await pilot.press("tab")
        await type_text(pilot, "attendance")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2099-02-30")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConsentForm) and "Notsaved:expireson" in squeezed(pilot)
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "28")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConsentForm) and "tickthekinds" in squeezed(pilot)
        await press(pilot, "tab", "tab", "space")  # past "or ends when": attendance
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConsentScreen)
        assert "Covers:attendance" in squeezed(pilot)
        assert "EastsideClinic" in squeezed(pilot) and "currentuntil2099-02-28" in squeezed(pilot)
        await press(pilot, "r", "r")
        assert "Nocurrentconsent" in squeezed(pilot)
        await press(pilot, "escape")

        await press(pilot, "f", "space", "ctrl+s")  # the first flag: recent overdose
        assert isinstance(app.screen, ParticipantScreen)
        assert "!recentoverdose" in squeezed(pilot)

        target = tmp_path / "printed.html"
        await press(pilot, "x")
        await type_text(pilot, str(tmp_path / "printed.pdf"))
        await press(pilot, "enter")
        assert "mustendin.htmlor.md" in squeezed(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await press(pilot, "enter")
        assert isinstance(app.screen, ParticipantScreen)
        assert target.exists() and "kind" in target.read_text()

        await press(pilot, "escape")
        assert isinstance(app.screen, RosterScreen) and "!OD" in squeezed(pilot)
    with reopened(vault_dir) as vault:
        assert [a.total for a in assessments.history(vault, pid, "barc10")] == [50]
        [consent] = consents.for_participant(vault, pid)
        assert consent.revoked_on is not None
        assert participants.get(vault, pid, audited=False).safety_flags == ["recent_overdose"]
        views = vault.conn.execute("SELECT count(*) FROM audit WHERE action = 'participant viewed' "
                                   "AND row_id = ?", (pid,)).fetchone()[0]
        assert views == 1


async def test_lock_from_the_plan_editor_drops_every_screen(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Lockwood Secret")
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        await pilot.press("p", "enter")
        await type_text(pilot, "- half a goal")
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert len(app.screen_stack) == 2
        assert "Lockwood" not in squeezed(pilot) and "halfagoal" not in squeezed(pilot)


async def test_discreet_mode_shows_initials_on_the_page(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Quentin Quiet")
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "QuentinQuiet" in squeezed(pilot)
        await press(pilot, "f2")
        assert "QuentinQuiet" not in squeezed(pilot) and "QQ" in squeezed(pilot)


async def test_opening_a_deleted_participant_is_a_message_not_a_crash(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Gone Person")
    async with unlocked(app) as pilot:
        participants.delete(app.vault, pid)
        app.open_participant(pid)  # e.g. from a palette entry made before the delete
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen) and app.is_running  # a toast, not a crash
