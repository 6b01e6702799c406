"""The participant page and the plan editor, by keys only, at 80x24."""

from __future__ import annotations

from pathlib import Path

from coachdesk.models.plan import Plan
from coachdesk.store import assessments, consents, participants, plans
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.checkin import CheckinScreen
from coachdesk.tui.screens.consents import ConsentForm, ConsentScreen
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.plan_editor import PlanEditor
from coachdesk.tui.screens.plan_history import PlanHistoryScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, squeezed, type_text


def seeded(vault_dir: Path, alias: str = "Pat Planner") -> str:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person(alias))
    vault.close()
    return pid


async def open_page(pilot) -> None:
    await type_text(pilot, PASSPHRASE)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")  # the only person on the roster
    await pilot.pause()
    assert isinstance(pilot.app.screen, ParticipantScreen)


def reopen(vault_dir: Path) -> Vault:
    return Vault.open(vault_dir, PASSPHRASE)


async def test_write_a_plan_from_scratch_edit_it_and_see_two_revisions_and_the_diff(
        vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        assert "noplanyet" in squeezed(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanEditor)
        await pilot.press("enter")  # the cursor starts at the end of '## Health'
        await type_text(pilot, "- Walk every day")
        await pilot.press("enter")
        await pilot.press("tab")
        await type_text(pilot, "- [coach] find a walking group (by 2026-02-30)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanEditor)  # refused inline
        assert "line3:'by2026-02-30'isnotadate" in squeezed(pilot)
        await pilot.press("end", *["backspace"] * 3)
        await type_text(pilot, "28)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "Health:Walkeveryday" in squeezed(pilot)
        assert "findawalkinggroup(coach,by2026-02-28)" in squeezed(pilot)

        await pilot.press("p")  # edit: add a strength seven lines further down
        await pilot.pause()
        await pilot.press(*["down"] * 6, "end", "enter")
        await type_text(pilot, "- patient")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "2revisions" in squeezed(pilot)

        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PlanHistoryScreen)
        text = squeezed(pilot)
        assert "2revisions" in text and "+Strengths:patient" in text
        await pilot.press("down")
        await pilot.pause()
        text = squeezed(pilot)
        assert "Firstversionoftheplan" in text and "+Health:goal'Walkeveryday'" in text
        assert "+Health:stepof'Walkeveryday':findawalkinggroup(coach,by2026-02-28)" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
    vault = reopen(vault_dir)
    state = plans.state(vault, pid)
    assert len(state.revisions) == 2 and not state.diverged
    assert state.current.parent_id == state.revisions[1].id
    assert state.current.plan.strengths == ["patient"]
    vault.close()


async def test_editor_keeps_unsaved_text_until_esc_twice_and_empty_goal_is_refused(
        vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        await pilot.press("p", "enter", "minus", "ctrl+s")
        await pilot.pause()
        assert "line2:thegoalisempty" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanEditor) and "Unsavedchanges" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
    vault = reopen(vault_dir)
    assert plans.state(vault, pid).revisions == []
    vault.close()


async def test_diverged_plan_is_shown_as_such(vault_dir: Path) -> None:
    pid = seeded(vault_dir)
    vault = reopen(vault_dir)
    base = plans.save(vault, pid, Plan(strengths=["kind"]))
    plans.save(vault, pid, Plan(strengths=["kind", "funny"]), base, at="2026-01-02T10:00:00+00:00")
    plans.save(vault, pid, Plan(strengths=["kind", "brave"]), base, at="2026-01-03T10:00:00+00:00")
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        assert "diverged:2versions" in squeezed(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert squeezed(pilot).count("diverged") >= 3  # the status line and both heads
        await pilot.press("d")
        await pilot.pause()
        text = squeezed(pilot)
        assert "+Strengths:brave" in text and "-Strengths:funny" in text


async def test_checkin_consent_flags_and_export_from_the_page(vault_dir: Path, tmp_path: Path) -> None:
    pid = seeded(vault_dir)
    vault = reopen(vault_dir)
    plans.save(vault, pid, Plan(strengths=["kind"]))
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        assert "Noconsenttodiscloseonfile" in squeezed(pilot)

        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("7")
        await pilot.pause()
        assert "'7'isnotananswer" in squeezed(pilot) and "Statement1of10" in squeezed(pilot)
        await pilot.press("5", "5", "backspace", "4", "enter")
        await pilot.pause()
        assert "Answerall10statementsfirst" in squeezed(pilot)
        await pilot.press(*"5555555")
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert "Total50" in squeezed(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "50(of60" in squeezed(pilot)

        await pilot.press("c", "a")
        await pilot.pause()
        assert isinstance(app.screen, ConsentForm)
        await type_text(pilot, "Eastside Clinic")
        await pilot.press("tab")
        await type_text(pilot, "coordinate care")
        await pilot.press("tab")
        await type_text(pilot, "attendance")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2099-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConsentForm) and "Notsaved:expireson" in squeezed(pilot)
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "28")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        assert "EastsideClinic" in squeezed(pilot) and "currentuntil2099-02-28" in squeezed(pilot)
        await pilot.press("r", "r")
        await pilot.pause()
        assert "Nocurrentconsent" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f", "space", "ctrl+s")  # the first flag: recent overdose
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "!recentoverdose" in squeezed(pilot)

        target = tmp_path / "printed.html"
        await pilot.press("x")
        await pilot.pause()
        await type_text(pilot, str(tmp_path / "printed.pdf"))
        await pilot.press("enter")
        await pilot.pause()
        assert "mustendin.htmlor.md" in squeezed(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert target.exists() and "kind" in target.read_text()

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen) and "!OD" in squeezed(pilot)
    vault = reopen(vault_dir)
    assert [a.total for a in assessments.history(vault, pid, "barc10")] == [50]
    [consent] = consents.for_participant(vault, pid)
    assert consent.revoked_on is not None
    assert participants.get(vault, pid, audited=False).safety_flags == ["recent_overdose"]
    views = vault.conn.execute("SELECT count(*) FROM audit WHERE action = 'participant viewed' "
                               "AND row_id = ?", (pid,)).fetchone()[0]
    assert views == 1
    vault.close()


async def test_lock_from_the_plan_editor_drops_every_screen(vault_dir: Path) -> None:
    seeded(vault_dir, "Lockwood Secret")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        await pilot.press("p", "enter")
        await type_text(pilot, "- half a goal")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert len(app.screen_stack) == 2
        assert "Lockwood" not in squeezed(pilot) and "halfagoal" not in squeezed(pilot)


async def test_discreet_mode_shows_initials_on_the_page(vault_dir: Path) -> None:
    seeded(vault_dir, "Quentin Quiet")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        assert "QuentinQuiet" in squeezed(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert "QuentinQuiet" not in squeezed(pilot) and "QQ" in squeezed(pilot)


async def test_opening_a_deleted_participant_is_a_message_not_a_crash(vault_dir: Path) -> None:
    pid = seeded(vault_dir, "Gone Person")
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await pilot.pause()
        participants.delete(app.vault, pid)
        app.open_participant(pid)  # e.g. from a palette entry made before the delete
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen) and app.is_running  # a toast, not a crash
