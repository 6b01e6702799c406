"""Check-in schedules expand to due dates; bad schedules are refused with one line."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.models.followup import (
    CheckinSchedule,
    add_months,
    checkins,
    counted_for,
    describe,
    due_dates,
    latest_due,
    waiting,
)
from coachdesk.models.validation import validated

START = dt.date(2026, 1, 5)


def rule(**data: object) -> CheckinSchedule:
    return validated(CheckinSchedule, {"participant_id": "p", "starts_on": START, **data})


def test_weekly_for_twelve_weeks_gives_twelve_dates() -> None:
    dates = due_dates(rule(every=1, unit="weeks", times=12))
    assert len(dates) == 12
    assert dates[0] == START and dates[-1] == START + dt.timedelta(weeks=11)
    assert all(b - a == dt.timedelta(weeks=1) for a, b in zip(dates, dates[1:], strict=False))


def test_until_a_date_and_the_earlier_end_wins() -> None:
    assert due_dates(rule(every=3, unit="days", until="2026-01-14")) == [
        dt.date(2026, 1, 5), dt.date(2026, 1, 8), dt.date(2026, 1, 11), dt.date(2026, 1, 14)]
    assert len(due_dates(rule(every=1, unit="days", times=2, until="2026-12-31"))) == 2


def test_months_keep_the_day_or_take_the_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert due_dates(rule(every=6, unit="months", times=2)) == [START, dt.date(2026, 7, 5)]


def test_a_one_off_follow_up() -> None:
    once = rule(unit="once", starts_on="2026-07-01")
    assert due_dates(once) == [dt.date(2026, 7, 1)]
    assert describe(once) == "once, on 2026-07-01"


@pytest.mark.parametrize(("data", "message"), [
    ({"every": 0, "times": 3}, "interval"),
    ({"every": -2, "times": 3}, "interval"),
    ({"every": 1, "until": "2026-01-01"}, "before the start"),
    ({"every": 1}, "how many times"),
    ({"every": 1, "times": 0}, "times"),
    ({"every": 1, "times": 3, "unit": "fortnights"}, "unit"),
    ({"every": 1, "times": 3, "label": ""}, "label"),
    ({"every": 366, "unit": "months", "times": 520}, "at most 24 months"),
    ({"every": 53, "unit": "weeks", "times": 2}, "at most 52 weeks"),
    ({"every": 20, "unit": "months", "times": 520}, "after 2199"),
    ({"every": 1, "times": 2, "starts_on": "9999-12-25"}, "between 2000 and 2199"),
    ({"unit": "once", "starts_on": "1999-12-31"}, "between 2000 and 2199"),
    ({"every": 1, "unit": "days", "until": "2027-12-31"}, "at most 520 check-ins"),
])
def test_bad_schedules_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        rule(**data)


def test_a_waiting_check_in_moves_on_when_the_next_falls_due() -> None:
    weekly = rule(every=1, unit="weeks", times=3)
    dates = due_dates(weekly)
    assert waiting(weekly, set(), START - dt.timedelta(days=1)) is None
    assert waiting(weekly, set(), START + dt.timedelta(days=2)) == START
    assert waiting(weekly, {START}, START + dt.timedelta(days=2)) is None
    assert waiting(weekly, set(), START + dt.timedelta(days=8)) == dates[1]
    assert waiting(weekly, set(), dates[-1] + dt.timedelta(days=6)) == dates[-1]
    assert waiting(weekly, set(), dates[-1] + dt.timedelta(days=7)) is None
    once = rule(unit="once")
    assert waiting(once, set(), START + dt.timedelta(days=400)) == START
    stopped = rule(every=1, unit="weeks", times=3, active=False)
    assert waiting(stopped, set(), START) is None


@pytest.mark.parametrize("data", [
    {"every": 1, "unit": "weeks", "times": 12}, {"every": 3, "unit": "days", "times": 40},
    {"every": 1, "unit": "months", "times": 24}, {"every": 2, "unit": "weeks",
                                                   "until": "2026-06-30"},
    {"every": 1, "unit": "months", "until": "2027-01-31", "starts_on": "2026-01-31"},
    {"unit": "once"}])
def test_dates_through_a_day_are_the_full_list_cut_there(data: dict[str, object]) -> None:
    schedule = rule(**data)
    every = due_dates(schedule)
    for offset in range(-3, 800, 7):
        through = START + dt.timedelta(days=offset)
        upto = [d for d in every if d <= through]
        assert due_dates(schedule, through) == upto
        assert latest_due(schedule, through) == (upto[-1] if upto else None)


def test_a_monthly_check_in_from_the_31st_waits_until_the_next_date() -> None:
    monthly = rule(every=1, unit="months", times=6, starts_on="2026-01-31")
    assert due_dates(monthly)[:3] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28),
                                      dt.date(2026, 3, 31)]
    assert waiting(monthly, set(), dt.date(2026, 3, 29)) == dt.date(2026, 2, 28)
    assert waiting(monthly, set(), dt.date(2026, 3, 31)) == dt.date(2026, 3, 31)


def test_a_stopped_schedule_has_no_dates_from_the_day_it_stopped() -> None:
    stopped = rule(every=1, unit="weeks", times=12, active=False, stopped_on="2026-01-19")
    assert due_dates(stopped) == [START, START + dt.timedelta(weeks=1)]
    assert latest_due(stopped, dt.date(2026, 6, 1)) == START + dt.timedelta(weeks=1)
    restarted = rule(every=1, unit="weeks", times=12, active=True, stopped_on="2026-01-19")
    assert len(due_dates(restarted)) == 12


def test_calls_count_for_the_nearest_date_after_an_edit() -> None:
    weekly = rule(every=1, unit="weeks", times=4, starts_on=START + dt.timedelta(days=1))
    tuesday = START + dt.timedelta(days=1)
    assert counted_for(weekly, START) == tuesday  # one day off: the same check-in
    assert counted_for(weekly, START - dt.timedelta(days=20)) == START - dt.timedelta(days=20)
    found = checkins(weekly, [(START, "reached"), (START + dt.timedelta(weeks=1), "no answer")],
                     tuesday + dt.timedelta(weeks=2))
    assert found == {tuesday: {"reached"}, tuesday + dt.timedelta(weeks=1): {"no answer"},
                     tuesday + dt.timedelta(weeks=2): set()}
    assert waiting(weekly, {START + dt.timedelta(weeks=2)}, tuesday + dt.timedelta(weeks=2)) is None
