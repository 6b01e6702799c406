"""Funder follow-up windows (issue 22, item 2): windows from the schedule in the data file,
across month ends and leap years, per episode (re-enrolment: a new baseline), their states,
and the follow-up rate of a month."""

from __future__ import annotations

import datetime as dt

from coachdesk.models.funder import Episode, Outcome, add_months, funder, rate, windows

D = dt.date


def grant():  # the shipped SAMHSA schedule
    return funder(None, "samhsa_suprt")


def by_id(found):
    return {(w.episode.number, w.spec.id): w for w in found}


def test_add_months_keeps_the_last_day_of_a_shorter_month() -> None:
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 2) == D(2027, 1, 15)


def test_windows_across_month_and_year_ends() -> None:
    found = by_id(windows(grant(), [Episode(1, D(2026, 8, 31))], {}))
    baseline, six = found[(1, "baseline")], found[(1, "reassessment")]
    assert (baseline.opens, baseline.due, baseline.closes) == (D(2026, 8, 31), D(2026, 9, 30),
                                                               D(2026, 9, 30))
    assert (six.opens, six.due, six.closes) == (D(2027, 1, 29), D(2027, 2, 28), D(2027, 3, 30))
    assert (1, "discharge") not in found  # not until the episode ends


def test_discharge_window_follows_the_end_and_late_start_windows_drop() -> None:
    found = by_id(windows(grant(), [Episode(1, D(2026, 1, 10), D(2026, 3, 31))], {}))
    discharge = found[(1, "discharge")]
    assert (discharge.opens, discharge.due, discharge.closes) == (
        D(2026, 3, 31), D(2026, 4, 30), D(2026, 4, 30))
    assert (1, "reassessment") not in found  # the person left before it opened


def test_states_and_outcomes() -> None:
    episode = Episode(1, D(2026, 1, 10))
    outcomes = {("2026-01-10", "baseline"): Outcome("done", D(2026, 1, 20)),
                ("2026-01-10", "reassessment"): Outcome("done", D(2026, 9, 1))}
    found = by_id(windows(grant(), [episode], outcomes))
    assert found[(1, "baseline")].state(D(2026, 12, 1)) == "reached"
    assert found[(1, "reassessment")].state(D(2026, 12, 1)) == "late"  # closed 2026-08-09
    bare = by_id(windows(grant(), [episode], {}))[(1, "reassessment")]
    assert bare.state(D(2026, 6, 9)) == "upcoming"
    assert bare.state(D(2026, 6, 10)) == "open"  # opens 30 days before 2026-07-10
    assert bare.state(D(2026, 8, 9)) == "open"
    assert bare.state(D(2026, 8, 10)) == "lapsed"
    missed = {("2026-01-10", "reassessment"): Outcome("missed", D(2026, 7, 1), "declined")}
    assert by_id(windows(grant(), [episode], missed))[(1, "reassessment")].state(
        D(2026, 7, 2)) == "missed"


def test_reenrolment_starts_a_new_episode_with_a_new_baseline() -> None:
    episodes = [Episode(1, D(2026, 1, 10), D(2026, 2, 28)), Episode(2, D(2026, 6, 1))]
    outcomes = {("2026-01-10", "baseline"): Outcome("done", D(2026, 1, 15))}
    found = by_id(windows(grant(), episodes, outcomes))
    assert found[(1, "baseline")].outcome is not None
    assert found[(2, "baseline")].outcome is None  # the first baseline does not count again
    assert found[(2, "baseline")].opens == D(2026, 6, 1)
    assert found[(2, "reassessment")].due == D(2026, 12, 1)
    assert found[(1, "discharge")].due == D(2026, 3, 30)


def test_the_follow_up_rate_of_a_month() -> None:
    today = D(2026, 12, 15)
    people = [
        [Episode(1, D(2026, 5, 2))],    # six months due 2026-11-02: reached
        [Episode(1, D(2026, 5, 20))],   # due 2026-11-20: missed
        [Episode(1, D(2026, 5, 28))],   # due 2026-11-28: lapses 2026-12-28: still open
        [Episode(1, D(2026, 4, 30))],   # due 2026-10-30: another month
    ]
    outcomes = [{("2026-05-02", "reassessment"): Outcome("done", D(2026, 11, 5))},
                {("2026-05-20", "reassessment"): Outcome("missed", D(2026, 11, 25), "moved")},
                {}, {}]
    found = [w for eps, out in zip(people, outcomes, strict=True) for w in windows(grant(), eps, out)]
    november = rate(found, "2026-11", today, 0.8)
    assert (november.due, november.reached, november.missed, november.open) == (3, 1, 1, 1)
    assert november.share == 1 / 3
    assert "below target" in november.text
    assert rate(found, "2026-10", today, 0.8).missed == 1  # lapsed with nothing recorded
    assert rate(found, "2026-07", today, 0.8).text == "no follow-up due"
