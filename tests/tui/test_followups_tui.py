"""Follow-ups by keys: a schedule from the form, three calls logged by keys raise the
flag (seen on the page and the roster), Reached opens a check-in note, bad input saves
nothing, and due check-ins show among the action items."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select

from coachdesk.store import action_items, followups, participants, referrals, resources
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.action_items import ActionItemsScreen, gather
from coachdesk.tui.screens.followups import FollowupsScreen, ScheduleForm
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.participant_form import ParticipantForm
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, squeezed, type_text
from tests.tui.test_shell import unlock


async def open_first_person(pilot: Pilot) -> None:
    """Unlock and open the first person on the roster."""
    await pilot.pause()
    await unlock(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ParticipantScreen)


async def test_three_calls_by_keys_raise_the_flag_then_reached_opens_a_note(
        vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Kim Reach"))
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_person(pilot)
        assert "nocheck-inschedule" in squeezed(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        await pilot.press("n")  # a new schedule: the defaults are weekly, 12 times, today
        await pilot.pause()
        assert isinstance(app.screen, ScheduleForm)
        await pilot.press("tab", "tab")  # to Every
        await pilot.press("ctrl+u", "0")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleForm)
        assert "Notsaved:" in squeezed(pilot) and "interval" in squeezed(pilot)
        await pilot.press("ctrl+u", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "DUE" in squeezed(pilot)
        for key, note in (("2", ""), ("3", "voicemail"), ("4", "")):
            await pilot.press(key)
            await pilot.pause()
            await type_text(pilot, note)
            await pilot.press("enter")
            await pilot.pause()
        text = squeezed(pilot)
        assert "flaggedhardtoreach" in text and "!hardtoreach" in text
        assert "voicemail" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
        assert "!hardtoreach" in squeezed(pilot) and "3calls" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "!unreached" in squeezed(pilot)  # the roster shows it too
        assert "!1" in squeezed(pilot)  # and the check-in still waiting for a call
        await pilot.press("enter", "u")
        await pilot.pause()
        await pilot.press("1")  # reached: a check-in note opens, the flag is cleared
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "Check-in" in app.screen.query_one("#note-body").text  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "hard-to-reachflagiscleared" in squeezed(pilot)
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        assert [a.record.outcome for a in followups.attempts(vault, pid)] == [
            "reached", "wrong number", "left message", "no answer"]
        assert not followups.is_hard_to_reach(vault, pid)
        assert followups.due(vault, dt.date.today()) == []
    finally:
        vault.close()


async def test_esc_cancels_a_call_and_due_check_ins_are_action_items(vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Lee Due"))
    followups.add_schedule(vault, pid, {"label": "weekly call", "every": 1, "unit": "weeks",
                                        "times": 4, "starts_on": dt.date.today()
                                        - dt.timedelta(days=2)})
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        for _ in range(50):  # the roster draws names first, its counts a frame later
            if "!1" in squeezed(pilot):
                break
            await pilot.pause(0.05)
        assert "LeeDue" in squeezed(pilot) and "!1" in squeezed(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ActionItemsScreen)
        assert "check-in:weeklycall" in squeezed(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Nothinglogged" in squeezed(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        assert followups.attempts(vault, pid) == []
    finally:
        vault.close()


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
    followups.add_schedule(vault, pid, {"label": "weekly call", "every": 1, "unit": "weeks",
                                        "times": 4, "starts_on": day(-3)})
    rows = gather(vault, today)
    assert [(r.group, r.what) for r in rows] == [
        ("overdue", "referral: Open Door"), ("overdue", "check-in: weekly call"),
        ("overdue", "overdue item"), ("upcoming", "upcoming item"), ("upcoming", "no date")]
    assert [r.item is not None for r in rows] == [False, False, True, True, True]


async def test_a_check_in_picked_on_f3_is_the_one_the_call_is_logged_for(
        vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Two Schedules"))
    today = dt.date.today()
    followups.add_schedule(vault, pid, {"label": "weekly call", "every": 1, "unit": "weeks",
                                        "times": 1, "starts_on": today - dt.timedelta(days=10)})
    once = followups.add_schedule(vault, pid, {"label": "6-month follow-up", "unit": "once",
                                               "starts_on": today})
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert "check-in:6-monthfollow-" in squeezed(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "Loggednoanswerfor6-monthfollow-up,due" in squeezed(pilot)
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        [attempt] = followups.attempts(vault, pid)
        assert (attempt.record.schedule_id, attempt.record.due_on) == (once, today)
    finally:
        vault.close()


async def test_a_schedule_in_need_of_fixing_shows_and_is_fixed_by_keys(vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Odd Merge"))
    sid = followups.add_schedule(vault, pid, {"label": "weekly call", "every": 1,
                                              "unit": "weeks", "times": 4,
                                              "starts_on": dt.date.today()})
    with vault.transaction():  # as two devices' edits can leave it after a sync
        vault.ops.write("checkin_schedule", sid, {"times": None, "until": None})
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_person(pilot)
        assert "weeklycall:needsfixing" in squeezed(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert "needsfixing(e)" in squeezed(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert "Notchanged:" in squeezed(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ScheduleForm) and "Tofix:" in squeezed(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # to Times
        await type_text(pilot, "6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "needsfixing" not in squeezed(pilot) and "DUE" in squeezed(pilot)
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        assert len(followups.get_schedule(vault, sid).dates) == 6
    finally:
        vault.close()


async def test_closing_a_person_on_their_profile_form_stops_their_schedules(
        vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Cal Closing"))
    sid = followups.add_schedule(vault, pid, {"label": "weekly call", "every": 1,
                                              "unit": "weeks", "times": 12,
                                              "starts_on": dt.date.today()})
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_person(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ParticipantForm)
        form.query_one("#status", Select).value = "closed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantScreen)
    vault = Vault.open(vault_dir, PASSPHRASE)
    rule = followups.get_schedule(vault, sid).rule
    assert (rule.active, rule.stopped_on) == (False, dt.date.today())
    vault.close()
