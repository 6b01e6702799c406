"""Follow-ups in a real vault: schedules, attempts, the 'hard to reach' flag, what is due."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.store import closing, followups, notes, participants
from coachdesk.store.vault import Vault
from tests.conftest import person

TODAY = dt.date.today()


def weekly(vault: Vault, pid: str, weeks_ago: int = 3, times: int = 12) -> str:
    return followups.add_schedule(vault, pid, {
        "label": "weekly call", "every": 1, "unit": "weeks", "times": times,
        "starts_on": TODAY - dt.timedelta(weeks=weeks_ago)})


def count(vault: Vault, table: str) -> int:
    return vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_due_check_ins_and_counts(vault: Vault) -> None:
    pid = participants.create(vault, person("Due Person"))
    sid = weekly(vault, pid)
    [due] = followups.due(vault, TODAY)
    assert (due.participant_id, due.schedule_id) == (pid, sid)
    assert due.due_on == TODAY - dt.timedelta(weeks=3) + dt.timedelta(weeks=3)
    assert followups.due_counts(vault, TODAY) == {pid: 1}
    followups.log_attempt(vault, pid, "no answer", schedule_id=sid, due_on=due.due_on)
    assert followups.due_counts(vault, TODAY) == {pid: 1}  # still waiting for a call
    followups.log_attempt(vault, pid, "declined", schedule_id=sid, due_on=due.due_on)
    assert followups.due_counts(vault, TODAY) == {}
    closing.update(vault, pid, {"status": "closed"})
    followups.add_schedule(vault, pid, {"unit": "once", "starts_on": TODAY})
    assert followups.due(vault, TODAY) == []  # closed people are not called


def test_three_unreached_in_a_row_raise_the_flag_and_a_reach_clears_it(vault: Vault) -> None:
    pid = participants.create(vault, person("Hard Reach"))
    sid = weekly(vault, pid)
    due_on = followups.due(vault, TODAY)[0].due_on
    results = [followups.log_attempt(vault, pid, o, schedule_id=sid, due_on=due_on).flag
               for o in ("no answer", "left message", "wrong number")]
    assert results == ["", "", "raised"]
    assert followups.is_hard_to_reach(vault, pid) and followups.hard_to_reach(vault) == {pid}
    assert participants.get(vault, pid, audited=False).safety_flags == []  # worked out, not kept
    logged = followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on=due_on)
    assert logged.flag == "cleared" and logged.note_id
    assert not followups.is_hard_to_reach(vault, pid) and followups.hard_to_reach(vault) == set()
    note = notes.get(vault, logged.note_id)
    assert (note.contact_type, note.template, note.setting) == ("check-in", "checkin", "phone")
    assert "Check-in" in note.text
    assert followups.attempts(vault, pid)[0].record.note_id == logged.note_id


def test_a_reach_in_between_breaks_the_run(vault: Vault) -> None:
    pid = participants.create(vault, person("Some Times"))
    for outcome in ("no answer", "no answer", "declined", "no answer", "no answer"):
        assert followups.log_attempt(vault, pid, outcome).flag == ""


def test_attempts_are_append_only(vault: Vault) -> None:
    pid = participants.create(vault, person("Append Only"))
    followups.log_attempt(vault, pid, "no answer", note="rang twice")
    with pytest.raises(Exception, match="append-only"):
        vault.conn.execute("UPDATE checkin_attempt SET outcome = 'reached'")
    with pytest.raises(Exception, match="never deleted"):
        vault.conn.execute("DELETE FROM checkin_attempt")


@pytest.mark.parametrize("bad", [
    {"every": 0, "times": 4}, {"every": -1, "times": 4},
    {"every": 1, "until": (TODAY - dt.timedelta(days=30)).isoformat()},
    {"every": "weekly", "times": 4}, {"every": 1, "times": 4, "starts_on": "2026-02-30"}])
def test_bad_schedules_save_nothing(vault: Vault, bad: dict[str, object]) -> None:
    pid = participants.create(vault, person("Bad Input"))
    ops = count(vault, "ops")
    with pytest.raises(ValidationFailed):
        followups.add_schedule(vault, pid, {"starts_on": TODAY.isoformat(), **bad})
    assert count(vault, "ops") == ops and count(vault, "checkin_schedule") == 0


@pytest.mark.parametrize("bad", [{"outcome": "maybe"}, {"note": "x" * 201},
                                 {"outcome": "reached", "due_on": "someday"}])
def test_bad_attempts_save_nothing(vault: Vault, bad: dict[str, str]) -> None:
    pid = participants.create(vault, person("Bad Attempt"))
    ops = count(vault, "ops")
    with pytest.raises(ValidationFailed):
        followups.log_attempt(vault, pid, **{"outcome": "no answer", **bad})
    assert count(vault, "ops") == ops and count(vault, "note") == 0


def test_editing_a_schedule_keeps_past_attempts(vault: Vault) -> None:
    pid = participants.create(vault, person("Edit Keeps"))
    sid = weekly(vault, pid, weeks_ago=2)
    first = followups.schedules(vault, pid)[0].dates[0]
    followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on=first, start_note=False)
    followups.log_attempt(vault, pid, "no answer", schedule_id=sid, due_on=first)
    assert followups.update_schedule(vault, sid, {"every": 2, "starts_on":
                                                  first + dt.timedelta(days=1)}) == [
        "every", "starts_on"]
    assert len(followups.attempts(vault, pid)) == 2
    summary = followups.summary(vault, pid, TODAY)
    assert (summary.reached, summary.attempts) == (1, 2)
    assert summary.due == 1  # the calls count for the new date a day later, not twice
    with pytest.raises(ValidationFailed, match="interval"):
        followups.update_schedule(vault, sid, {"every": 0})
    assert followups.schedules(vault, pid)[0].rule.every == 2


def test_summary_shares(vault: Vault) -> None:
    pid = participants.create(vault, person("Share Count"))
    sid = weekly(vault, pid, weeks_ago=3)
    dates = followups.schedules(vault, pid)[0].dates
    followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on=dates[0],
                          start_note=False)
    followups.log_attempt(vault, pid, "no answer", schedule_id=sid, due_on=dates[1])
    summary = followups.summary(vault, pid, TODAY)
    assert (summary.due, summary.made, summary.reached) == (4, 2, 1)
    assert summary.share_text == "1 of 4 reached (25%)"


def test_moving_the_start_keeps_the_calls_with_their_check_ins(vault: Vault) -> None:
    pid = participants.create(vault, person("Moved Start"))
    sid = weekly(vault, pid, weeks_ago=2)
    dates = followups.schedules(vault, pid)[0].dates[:3]  # two weeks ago, last week, today
    for day in dates:
        followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on=day,
                              start_note=False)
    before = followups.summary(vault, pid, TODAY)
    assert (before.due, before.made, before.reached) == (3, 3, 3)
    followups.update_schedule(vault, sid, {"starts_on": dates[0] - dt.timedelta(days=1)})
    after = followups.summary(vault, pid, TODAY)
    assert (after.due, after.made, after.reached) == (3, 3, 3)
    assert after.waiting == []  # today's call counts for yesterday's new date


def test_a_stopped_schedule_stops_counting_and_goes_on_without_the_gap(vault: Vault) -> None:
    pid = participants.create(vault, person("Stop Count"))
    sid = weekly(vault, pid, weeks_ago=5, times=12)
    followups.stop(vault, sid, today=TODAY - dt.timedelta(weeks=3, days=-1))
    assert followups.summary(vault, pid, TODAY).due == 3  # weeks 5, 4 and 3 ago
    assert followups.due(vault, TODAY) == []
    later = TODAY + dt.timedelta(days=1)
    running = followups.restart(vault, sid, today=later)
    assert running != sid
    old, new = followups.get_schedule(vault, sid), followups.get_schedule(vault, running)
    assert old.rule.active is False and len(old.dates) == 3  # its history, as it was
    assert new.rule.starts_on == TODAY + dt.timedelta(weeks=1)  # the next date of its rhythm
    assert (new.rule.times, new.rule.every, new.rule.label) == (6, 1, "weekly call")
    assert followups.summary(vault, pid, new.rule.starts_on).due == 3 + 1  # no missed weeks
    assert followups.restart(vault, running) == running  # already running


def test_a_one_off_restarts_as_it_was_and_an_ended_schedule_does_not(vault: Vault) -> None:
    pid = participants.create(vault, person("Once More"))
    once = followups.add_schedule(vault, pid, {"unit": "once", "starts_on": TODAY})
    followups.stop(vault, once)
    assert followups.restart(vault, once) == once
    assert followups.get_schedule(vault, once).rule.stopped_on is None
    short = weekly(vault, pid, weeks_ago=5, times=2)
    followups.stop(vault, short, today=TODAY - dt.timedelta(weeks=5))
    with pytest.raises(CoachdeskError, match="ended by now"):
        followups.restart(vault, short)


def test_closing_a_person_stops_their_schedules(vault: Vault) -> None:
    pid = participants.create(vault, person("Closed Now"))
    sid = weekly(vault, pid, weeks_ago=1)
    closing.update(vault, pid, {"status": "closed"})
    rule = followups.get_schedule(vault, sid).rule
    assert (rule.active, rule.stopped_on) == (False, TODAY)
    assert followups.summary(vault, pid, TODAY + dt.timedelta(weeks=4)).due == 1


def test_a_schedule_saved_under_looser_limits_keeps_its_dates(vault: Vault) -> None:
    pid = participants.create(vault, person("Old Limits"))
    sid = weekly(vault, pid)
    with vault.transaction():  # daily until two years on: an earlier version allowed it
        vault.ops.write("checkin_schedule", sid, {"unit": "days", "times": None,
                                                  "until": (TODAY + dt.timedelta(days=700))
                                                  .isoformat()})
    kept = followups.get_schedule(vault, sid)
    assert kept.problem == "" and len(kept.dates) == 520
    assert followups.due_counts(vault, TODAY) == {pid: 1}


def test_a_schedule_two_devices_left_without_an_end_has_no_dates_until_fixed(
        vault: Vault) -> None:
    pid = participants.create(vault, person("Merged Odd"))
    sid = weekly(vault, pid, weeks_ago=1)
    followups.log_attempt(vault, pid, "no answer", schedule_id=sid, due_on=TODAY)
    # As after a sync where one device cleared 'times' and another 'until'.
    with vault.transaction():
        vault.ops.write("checkin_schedule", sid, {"times": None, "until": None})
    broken = followups.get_schedule(vault, sid)
    assert "how many times" in broken.problem and broken.dates == []
    assert followups.due(vault, TODAY) == [] and followups.due_counts(vault, TODAY) == {}
    summary = followups.summary(vault, pid, TODAY)
    assert (summary.due, summary.attempts) == (0, 1)
    with pytest.raises(ValidationFailed, match="how many times"):
        followups.stop(vault, sid)
    followups.update_schedule(vault, sid, {"label": "weekly call", "every": 1, "unit": "weeks",
                                           "times": 4, "starts_on": TODAY.isoformat()})
    fixed = followups.get_schedule(vault, sid)
    assert fixed.problem == "" and len(fixed.dates) == 4


def test_hard_to_reach_follows_the_calls_from_every_device_in_time_order(vault: Vault) -> None:
    pid = participants.create(vault, person("Time Zones"))
    # Logged on devices in two time zones: in real time the reach came last.
    for at, outcome in (("2026-11-01T01:20:00-04:00", "no answer"),
                        ("2026-11-01T01:40:00-04:00", "no answer"),
                        ("2026-11-01T01:55:00-04:00", "left message"),
                        ("2026-11-01T01:15:00-05:00", "reached")):
        followups.log_attempt(vault, pid, outcome, at=at, start_note=False)
    assert [a.record.outcome for a in followups.attempts(vault, pid)][0] == "reached"
    assert not followups.is_hard_to_reach(vault, pid)
    with pytest.raises(CoachdeskError, match="not a time"):
        followups.log_attempt(vault, pid, "no answer", at="yesterday-ish")


def test_calls_stamped_in_local_time_by_an_earlier_version_sort_by_the_real_moment(
        vault: Vault) -> None:
    pid = participants.create(vault, person("Old Stamps"))
    with vault.transaction():  # three calls logged in Tokyo before stamps were UTC
        for n, minute in enumerate(("20:40", "20:50", "20:55")):
            vault.ops.append("checkin_attempt", f"old-{n}", {
                "participant_id": pid, "schedule_id": "", "due_on": None, "outcome": "no answer",
                "at": f"2026-12-02T{minute}:00.000000+09:00", "note": "", "note_id": "",
                "author": "Sam"})
    assert followups.is_hard_to_reach(vault, pid)
    logged = followups.log_attempt(vault, pid, "reached", at="2026-12-02T11:56:00+00:00",
                                   start_note=False)
    assert logged.flag == "cleared" and not followups.is_hard_to_reach(vault, pid)
    assert followups.attempts(vault, pid)[0].record.outcome == "reached"
