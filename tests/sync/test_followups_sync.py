"""Schedules and attempts travel by bundle like every other record; a second vault sees
the same schedule, the same attempts, the same flag and the same share reached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import followups, participants
from coachdesk.sync import conflicts
from tests.conftest import person
from tests.sync.syncutil import content, make_vaults, rebuilt_equals_live, send

TODAY = dt.date.today()


def test_attempts_survive_export_and_import(tmp_path: Path) -> None:
    a, b = make_vaults(tmp_path, "alpha", "beta")
    try:
        pid = participants.create(a, person("Sync Reach"))
        sid = followups.add_schedule(a, pid, {"every": 1, "unit": "weeks", "times": 12,
                                              "starts_on": TODAY - dt.timedelta(weeks=1)})
        for outcome in ("no answer", "left message", "wrong number"):
            followups.log_attempt(a, pid, outcome, schedule_id=sid, due_on=TODAY
                                  - dt.timedelta(weeks=1), note=f"tried: {outcome}")
        send(a, b, tmp_path / "1.cdbundle", full=True)
        assert [x.record for x in followups.attempts(b, pid)] == [
            x.record for x in followups.attempts(a, pid)]
        assert len(followups.attempts(b, pid)) == 3
        assert followups.is_hard_to_reach(b, pid) and followups.is_hard_to_reach(a, pid)
        assert followups.summary(b, pid, TODAY) == followups.summary(a, pid, TODAY)
        # An edit on b comes back to a; the attempts stay.
        followups.update_schedule(b, sid, {"active": False})
        send(b, a, tmp_path / "2.cdbundle", full=True)
        assert followups.schedules(a, pid)[0].rule.active is False
        assert len(followups.attempts(a, pid)) == 3
        assert content(a)["records"] == content(b)["records"]
        assert rebuilt_equals_live(a) and rebuilt_equals_live(b)
    finally:
        a.close()
        b.close()


def test_hard_to_reach_is_the_same_on_both_devices_after_a_sync(tmp_path: Path) -> None:
    a, b = make_vaults(tmp_path, "alpha", "beta")
    try:
        pid = participants.create(a, person("Two Phones"))
        send(a, b, tmp_path / "0.cdbundle", full=True)
        # Two unanswered calls on one laptop, a third on the other: three in a row.
        followups.log_attempt(a, pid, "no answer", at="2026-11-02T10:00:00+00:00")
        followups.log_attempt(a, pid, "no answer", at="2026-11-03T10:00:00+00:00")
        followups.log_attempt(b, pid, "left message", at="2026-11-04T10:00:00+00:00")
        assert not followups.is_hard_to_reach(a, pid) and not followups.is_hard_to_reach(b, pid)
        send(a, b, tmp_path / "1.cdbundle", full=True)
        send(b, a, tmp_path / "2.cdbundle", full=True)
        assert followups.is_hard_to_reach(a, pid) and followups.is_hard_to_reach(b, pid)
        # Then one laptop reaches the person: after the next sync, neither shows the flag.
        followups.log_attempt(b, pid, "reached", start_note=False)
        send(b, a, tmp_path / "3.cdbundle", full=True)
        assert not followups.is_hard_to_reach(a, pid) and not followups.is_hard_to_reach(b, pid)
        assert followups.hard_to_reach(a) == followups.hard_to_reach(b) == set()
        assert conflicts.count(a) == 0 and conflicts.count(b) == 0
    finally:
        a.close()
        b.close()
