"""Follow-ups by keys: a schedule from the form, three calls logged by keys raise the
flag (seen on the page and the roster), Reached opens a check-in note, bad input saves
nothing, and due check-ins show among the action items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Select

from coachdesk.store import action_items, followups, participants, referrals, resources
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.action_items import ActionItemsScreen, gather
from coachdesk.tui.screens.followups import FollowupsScreen, ScheduleForm
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.participant_form import ParticipantForm
from tests.conftest import person
from tests.tui.helpers import counted, open_first_person, press, squeezed, type_text, unlocked
from tests.vaults import created, reopened


def weekly_call(vault: Vault, pid: str, *, times: int, days_ago: int = 0) -> str:
    """A schedule "weekly call" of `times` calls, the first `days_ago` days ago."""
    return followups.add_schedule(vault, pid, {
        "label": "weekly call", "every": 1, "unit": "weeks", "times": times,
        "starts_on": dt.date.today() - dt.timedelta(days=days_ago)})


async def test_three_calls_by_keys_raise_the_flag_then_reached_opens_a_note(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Kim Reach"))
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "nocheck-inschedule" in squeezed(pilot)
        await press(pilot, "u")
        assert isinstance(app.screen, FollowupsScreen)
        await press(pilot, "n")  # a new schedule: the defaults are weekly, 12 times, today
        assert isinstance(app.screen, ScheduleForm)
        await pilot.press("tab", "tab")  # to Every
        await pilot.press("ctrl+u", "0")
        await press(pilot, "enter")
        assert isinstance(app.screen, ScheduleForm)
        assert "Notsaved:" in squeezed(pilot) and "interval" in squeezed(pilot)
        await press(pilot, "ctrl+u", "1", "enter")
        assert isinstance(app.screen, FollowupsScreen)
        assert "DUE" in squeezed(pilot)
        for key, note in (("2", ""), ("3", "voicemail"), ("4", "")):
            await press(pilot, key)
            await type_text(pilot, note)
            await press(pilot, "enter")
        text = squeezed(pilot)
        assert "flaggedhardtoreach" in text and "!hardtoreach" in text
        assert "voicemail" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, ParticipantScreen)
        assert "!hardtoreach" in squeezed(pilot) and "3calls" in squeezed(pilot)
        await press(pilot, "escape")
        await counted(pilot)
        assert "!unreached" in squeezed(pilot)  # the roster shows it too
        assert "!1" in squeezed(pilot)  # and the check-in still waiting for a call
        await press(pilot, "enter", "u")
        await press(pilot, "1")  # reached: a check-in note opens, the flag is cleared
        assert isinstance(app.screen, NoteEditor)
        assert "Check-in" in app.screen.query_one("#note-body").text  # type: ignore[attr-defined]
        await press(pilot, "escape")
        assert isinstance(app.screen, FollowupsScreen)
        assert "hard-to-reachflagiscleared" in squeezed(pilot)
    with reopened(vault_dir) as vault:
        assert [a.record.outcome for a in followups.attempts(vault, pid)] == [
            "reached", "wrong number", "left message", "no answer"]
        assert not followups.is_hard_to_reach(vault, pid)
        assert followups.due(vault, dt.date.today()) == []


async def test_esc_cancels_a_call_and_due_check_ins_are_action_items(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Lee Due"))
        weekly_call(vault, pid, times=4, days_ago=2)
    async with unlocked(app) as pilot:
        for _ in range(50):  # the roster draws names first, its counts a frame later
            if "!1" in squeezed(pilot):
                break
            await pilot.pause(0.05)
        assert "LeeDue" in squeezed(pilot) and "!1" in squeezed(pilot)
        await press(pilot, "f3")
        assert isinstance(app.screen, ActionItemsScreen)
        assert "check-in:weeklycall" in squeezed(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, FollowupsScreen)
        await press(pilot, "2")
        await press(pilot, "escape")
        assert "Nothinglogged" in squeezed(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, ParticipantScreen)
    with reopened(vault_dir) as vault:
        assert followups.attempts(vault, pid) == []


def test_action_items_are_one_list_oldest_due_first(vault: Vault) -> None:
    today = dt.date.today()

    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    pid = participants.create(vault, person("Ona Order"))
    action_items.add(vault, {"participant_id": pid, "text": "upcoming item", "due": day(3)})
    action_items.add(vault, {"participant_id": pid, "text": "overdue item", "due": day(-1)})
    action_items.add(vault, {"participant_id": pid, "text": "no date"})
    rid = resources.create(vault, {"name": "Open Door", "kind": "mental_health"})
    referrals.add(vault, pid, rid, follow_up_on=day(-5))
    weekly_call(vault, pid, times=4, days_ago=3)
    rows = gather(vault, today)
    assert [(r.group, r.what) for r in rows] == [
        ("overdue", "referral: Open Door"), ("overdue", "check-in: weekly call"),
        ("overdue", "overdue item"), ("upcoming", "upcoming item"),
        ("upcoming", "interview: Baseline"),  # the funder's baseline, due 30 days after intake
        ("upcoming", "no date")]
    assert [r.item is not None for r in rows] == [False, False, True, True, False, True]


async def test_a_check_in_picked_on_f3_is_the_one_the_call_is_logged_for(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Two Schedules"))
        today = dt.date.today()
        weekly_call(vault, pid, times=1, days_ago=10)
        once = followups.add_schedule(vault, pid, {"label": "6-month follow-up", "unit": "once",
                                                   "starts_on": today})
    async with unlocked(app) as pilot:
        await press(pilot, "f3")
        assert "check-in:6-monthfollow-" in squeezed(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, FollowupsScreen)
        await press(pilot, "2", "enter")
        assert "Loggednoanswerfor6-monthfollow-up,due" in squeezed(pilot)
    with reopened(vault_dir) as vault:
        [attempt] = followups.attempts(vault, pid)
        assert (attempt.record.schedule_id, attempt.record.due_on) == (once, today)


async def test_a_schedule_in_need_of_fixing_shows_and_is_fixed_by_keys(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Odd Merge"))
        sid = weekly_call(vault, pid, times=4)
        with vault.transaction():  # as two devices' edits can leave it after a sync
            vault.ops.write("checkin_schedule", sid, {"times": None, "until": None})
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        assert "weeklycall:needsfixing" in squeezed(pilot)
        await press(pilot, "u")
        assert "needsfixing(e)" in squeezed(pilot)
        await press(pilot, "s")
        assert "Notchanged:" in squeezed(pilot)
        await press(pilot, "e")
        assert isinstance(app.screen, ScheduleForm) and "Tofix:" in squeezed(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # to Times
        await type_text(pilot, "6")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FollowupsScreen)
        assert "needsfixing" not in squeezed(pilot) and "DUE" in squeezed(pilot)
    with reopened(vault_dir) as vault:
        assert len(followups.get_schedule(vault, sid).dates) == 6


async def test_closing_a_person_on_their_profile_form_stops_their_schedules(
        vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Cal Closing"))
        sid = weekly_call(vault, pid, times=12)
    async with unlocked(app) as pilot:
        await open_first_person(pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, ParticipantForm)
        form.query_one("#status", Select).value = "closed"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantScreen)
    with reopened(vault_dir) as vault:
        rule = followups.get_schedule(vault, sid).rule
        assert (rule.active, rule.stopped_on) == (False, dt.date.today())
