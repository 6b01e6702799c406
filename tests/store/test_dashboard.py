"""The coach dashboard's figures (issue 18, item 4) on real vaults of a team with known
data: a coach writes in her own vault, the bundle reaches the supervisor, who reviews
and logs supervision; every figure is checked exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.models.supervision import SupervisionItem, SupervisionSession
from coachdesk.store import action_items, crisis, dashboard, followups, notes, participants, records
from coachdesk.store.team_members import members
from coachdesk.store.vault import Vault
from coachdesk.sync import reviews
from tests.conftest import person
from tests.sync.syncutil import final_note, make_vaults, sync_to

TODAY = dt.date.today()
FIRST = TODAY.replace(day=1)
LONG_AGO = "2024-01-05"


class _Protocol:
    id, version, title = "overdose", 1, "Opioid overdose response"




@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Vault, Vault, Vault]]:
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob", scoped=True)
    yield sue, ann, bob
    for vault in (sue, ann, bob):
        vault.close()


@pytest.fixture
def known(team: tuple[Vault, Vault, Vault], tmp_path: Path) -> dict[str, str]:
    sue, ann, bob = team
    new = participants.create(ann, person("Ann New", intake_date=TODAY.isoformat()))
    old = participants.create(ann, person("Ann Old", intake_date=LONG_AGO))
    gone = participants.create(ann, person("Ann Closed", intake_date=TODAY.isoformat()))
    participants.update(ann, gone, {"status": "closed"})
    yesterday, tomorrow = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    for pid, due, done in ((new, yesterday, ""), (new, tomorrow, ""),
                           (new, yesterday, TODAY.isoformat()), (old, yesterday, ""),
                           (gone, yesterday, "")):
        action_items.add(ann, {"participant_id": pid, "text": "Call the clinic",
                               "due": due.isoformat(), "done_at": done})
    # A daily check-in since the first of the month: one reached (the first), the
    # rest not called; today's waits for a call (unless today is the first).
    schedule = followups.add_schedule(ann, new, {"starts_on": FIRST, "every": 1,
                                                 "unit": "days", "times": 31})
    followups.log_attempt(ann, new, "reached", schedule_id=schedule, due_on=FIRST,
                          start_note=False)
    for _ in range(3):  # hard to reach
        followups.log_attempt(ann, old, "no answer")
    crisis.start(ann, _Protocol(), new)
    crisis.start(ann, _Protocol(), at="2024-01-01T10:00:00.000+00:00")
    note_ids = [final_note(ann, new, f"Note {n}.") for n in range(4)]
    notes.start(ann, new, "A draft is not waiting for review")
    sync_to(ann, sue, tmp_path / "ann.cdbundle")

    participants.set_coaches(sue, old, ann.device, bob.device)
    participants.create(sue, person("Sue Own", intake_date=LONG_AGO))
    reviews.mark(sue, note_ids[0], "reviewed")
    reviews.mark(sue, note_ids[1], "follow_up", "Did the clinic call back?")
    reviews.mark(sue, note_ids[2], "follow_up", "And the housing form?")
    reviews.close(sue, note_ids[2])
    reviews.comment(sue, note_ids[3], "A comment is not a review")
    for days, minutes in ((12, 60), (40, 45)):
        records.create(sue, "supervision_session", SupervisionSession(
            coach=ann.device, held_on=TODAY - dt.timedelta(days=days),
            minutes=minutes).model_dump(mode="json"))
    for due, done in ((yesterday, ""), (yesterday, TODAY.isoformat()), (tomorrow, "")):
        records.create(sue, "supervision_item", SupervisionItem(
            coach=ann.device, text="Read the ethics chapter", due=due.isoformat(),
            done_at=done).model_dump(mode="json"))
    return {"new": new, "old": old}


def test_every_figure_of_a_known_team(team, known) -> None:
    sue, ann, bob = team
    found = {f.name: f for f in dashboard.figures(sue, TODAY)}
    assert list(found) == ["Ann", "Bob", "Sue"]  # coaches by name, then a supervisor who coaches
    a, b, s = found["Ann"], found["Bob"], found["Sue"]
    assert (a.device, a.role, s.role) == (ann.device, "coach", "supervisor")
    assert (a.active, a.primary, a.secondary, a.new_this_month) == (2, 2, 0, 1)
    assert (b.active, b.primary, b.secondary, b.new_this_month) == (1, 0, 1, 0)
    assert (s.active, s.primary, s.new_this_month) == (1, 1, 0)
    assert (a.overdue_items, b.overdue_items) == (2, 1)  # the closed person's item does not count
    assert a.overdue_supervision_items == 1
    assert a.checkins_waiting == (0 if TODAY == FIRST else 1)
    assert (a.checkins_due_month, a.checkins_reached_month) == (TODAY.day, 1)
    assert a.share_reached == round(100 / TODAY.day)
    assert (b.checkins_due_month, b.share_reached) == (0, None)
    assert (a.hard_to_reach, b.hard_to_reach, s.hard_to_reach) == (1, 1, 0)
    assert (a.crises_month, b.crises_month) == (1, 0)
    assert (a.notes_waiting, a.follow_ups_open) == (1, 1)
    assert (a.last_session, a.days_since_session) == (TODAY - dt.timedelta(days=12), 12)
    assert (b.last_session, b.days_since_session) == (None, None)
    # Both coaches joined today (the team file's version that added them): review in 90 days.
    assert (a.joined, a.joined_exact, a.review_on) == (TODAY, True, TODAY + dt.timedelta(days=90))
    later = dashboard.figures(sue, TODAY + dt.timedelta(days=91))
    assert [f.review_on for f in later] == [None, None, None]


def test_figures_hold_no_participant_name(team, known) -> None:
    sue, _, _ = team
    text = repr(dashboard.figures(sue, TODAY))
    assert "Ann New" not in text and "Ann Old" not in text and "clinic" not in text


def test_a_team_with_no_coaches_has_no_dashboard(tmp_path: Path) -> None:
    (alone,) = make_vaults(tmp_path, "sue", scoped=True)
    try:
        assert dashboard.figures(alone, TODAY) == []
    finally:
        alone.close()


def test_joined_is_the_version_that_added_them_or_the_first_one_held(team) -> None:
    sue, ann, bob = team
    # Sue holds every version; Ann and Bob only the last (v3), which added Bob, not Ann.
    on_sue = {m.name: (m.joined, m.joined_exact) for m in members(sue.conn)}
    on_ann = {m.name: (m.joined, m.joined_exact) for m in members(ann.conn)}
    assert on_sue == {"Sue": (TODAY, True), "Ann": (TODAY, True), "Bob": (TODAY, True)}
    assert on_ann == {"Sue": (TODAY, False), "Ann": (TODAY, False), "Bob": (TODAY, True)}
