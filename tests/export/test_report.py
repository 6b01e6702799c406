"""The monthly report: figures checked against a vault with known counts; no names ever."""

from __future__ import annotations

import datetime as dt
import secrets
import subprocess
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.export import report
from coachdesk.models.assessment import load_instrument
from coachdesk.store import assessments, closing, crisis, followups, participants
from coachdesk.store.vault import Vault
from tests.conftest import CLI, PASSPHRASE, cli_env, person

MONTH = dt.date.today().strftime("%Y-%m")


class _Protocol:
    id, version, title = "overdose", 1, "Opioid overdose response"


def figures(built: report.Report) -> dict[str, dict[str, report.Value]]:
    return {s.title: dict(s.rows) for s in built.sections}


def nonzero(rows: dict[str, report.Value]) -> dict[str, report.Value]:
    """The categories with something in them (every category is listed, zeros too)."""
    return {label: n for label, n in rows.items() if n}


def known_vault(vault: Vault, canary: str) -> None:
    today = dt.date.today()
    a = participants.create(vault, person(canary, intake_date=today.replace(day=1).isoformat()))
    b = participants.create(vault, person("Second " + canary, intake_date=today.isoformat()))
    participants.create(vault, person("Old Timer", intake_date="2024-01-05"))
    participants.update(vault, b, {"status": "closed"})
    barc = load_instrument("barc10")
    assessments.record(vault, a, barc, [3] * 10, taken_on=today - dt.timedelta(days=60))
    assessments.record(vault, a, barc, [4] * 10, taken_on=today)
    event = crisis.start(vault, _Protocol(), a)
    crisis.record(vault, event, "end", "end", "Done", "EMS arrived and took over")
    crisis.start(vault, _Protocol())


def test_figures_match_a_vault_with_known_counts(vault: Vault) -> None:
    known_vault(vault, "Canary" + secrets.token_hex(6))
    got = figures(report.build(vault.conn, MONTH))
    people = got["Participants"]
    assert people["new participants"] == 2
    assert people["closed participants"] == 1
    assert people["active at month end"] == 2
    outcomes = nonzero(got["Crisis events by protocol and outcome"])
    assert outcomes == {"Opioid overdose response\tEMS arrived and took over": 1,
                        "Opioid overdose response\tnot finished": 1}
    capital = got["Recovery capital (BARC-10), first to latest check-in"]
    assert capital["people with two or more check-ins"] == 1
    assert capital["average change in total"] == 10


def test_another_month_counts_nothing_new(vault: Vault) -> None:
    known_vault(vault, "Nobody")
    got = figures(report.build(vault.conn, "2020-01"))
    assert got["Participants"]["new participants"] == 0
    assert nonzero(got["Crisis events by protocol and outcome"]) == {}


def test_bad_month_is_refused() -> None:
    for bad in ("2026-13", "26-01", "yesterday", "2026-1"):
        with pytest.raises(CoachdeskError, match="YYYY-MM"):
            report.parse_month(bad)


def test_report_never_holds_a_name_cli(tmp_path: Path) -> None:
    canary = "Canary" + secrets.token_hex(6)
    home = tmp_path / "home"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    known_vault(vault, canary)
    vault.close()
    for fmt in ("md", "csv"):
        result = subprocess.run([*CLI, "report", "--format", fmt], capture_output=True, text=True,
                                env=cli_env(home, COACHDESK_PASSPHRASE=PASSPHRASE), timeout=60)
        assert result.returncode == 0, result.stderr
        assert "new participants" in result.stdout
        assert canary not in result.stdout and "Old Timer" not in result.stdout
    bad = subprocess.run([*CLI, "report", "--month", "2026-99"], capture_output=True, text=True,
                         env=cli_env(home, COACHDESK_PASSPHRASE=PASSPHRASE), timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("error: not a month")


def test_contacts_and_referrals_are_counted_without_text(vault: Vault) -> None:
    from coachdesk.store import notes, referrals, resources

    pid = participants.create(vault, person("Cora Contact"))
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    for setting, minutes in (("court", 30), ("court", 15), ("phone", 10)):
        note_id = notes.start(vault, pid, occurred_at=now)
        notes.save_header(vault, note_id, {"setting": setting, "duration_min": minutes,
                                           "contact_type": "check-in"})
        notes.finalize(vault, note_id, "CanaryNoteText talked about the week")
    rid = resources.create(vault, {"name": "Hilltop", "kind": "detox"})
    referrals.add(vault, pid, rid, status="scheduled")
    got = figures(report.build(vault.conn, MONTH))
    assert got["Contacts"] == {"contacts": 3, "contact time (minutes)": 55}
    assert nonzero(got["Contacts by setting"]) == {"court": 2, "phone": 1}
    assert nonzero(got["Contacts by type"]) == {"check-in": 3}
    assert got["Participants"]["people served (at least one contact)"] == 1
    assert nonzero(got["Referrals by kind of service"]) == {"detox / withdrawal": 1}
    assert nonzero(got["Referrals by status"]) == {"scheduled": 1}
    text = report.to_markdown(report.build(vault.conn, MONTH))
    assert "Canary" not in text and "Cora" not in text


def weekly(vault: Vault, pid: str, *, times: int, starts_on: str) -> str:
    """A check-in schedule of the person: weekly, `times` times from `starts_on`."""
    return followups.add_schedule(vault, pid, {"every": 1, "unit": "weeks", "times": times,
                                               "starts_on": starts_on})


def test_check_ins_due_made_and_reached_in_a_month(vault: Vault) -> None:
    pid = participants.create(vault, person("Check In", intake_date="2026-03-01"))
    sid = weekly(vault, pid, times=12, starts_on="2026-03-02")
    followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on="2026-03-02",
                          start_note=False)
    followups.log_attempt(vault, pid, "no answer", schedule_id=sid, due_on="2026-03-09")
    followups.log_attempt(vault, pid, "left message", schedule_id=sid, due_on="2026-03-09")
    march = figures(report.build(vault.conn, "2026-03"))["Check-ins"]
    assert (march["check-ins due"], march["check-ins made (at least one attempt)"],
            march["check-ins that reached the person"]) == (5, 2, 1)
    assert figures(report.build(vault.conn, "2026-04"))["Check-ins"]["check-ins due"] == 4
    now = figures(report.build(vault.conn, MONTH))["Check-ins"]
    assert (now["outreach attempts made"], now["attempts that reached the person"]) == (3, 1)


def test_check_ins_stop_counting_when_stopped_or_closed_and_follow_an_edit(
        vault: Vault) -> None:
    pid = participants.create(vault, person("Edit Stop", intake_date="2026-03-01"))
    sid = weekly(vault, pid, times=12, starts_on="2026-03-02")
    for day in ("2026-03-02", "2026-03-09", "2026-03-16"):
        followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on=day,
                              start_note=False)
    followups.update_schedule(vault, sid, {"starts_on": "2026-03-03"})  # a day later
    followups.stop(vault, sid, today=dt.date(2026, 3, 18))
    march = figures(report.build(vault.conn, "2026-03"))["Check-ins"]
    assert (march["check-ins due"], march["check-ins made (at least one attempt)"],
            march["check-ins that reached the person"]) == (3, 3, 3)
    assert figures(report.build(vault.conn, "2026-04"))["Check-ins"]["check-ins due"] == 0
    closed = participants.create(vault, person("Closed Later"))
    weekly(vault, closed, times=520, starts_on=dt.date.today().isoformat())
    next_month = (dt.date.today().replace(day=28) + dt.timedelta(days=7)).strftime("%Y-%m")
    assert figures(report.build(vault.conn, next_month))["Check-ins"]["check-ins due"] >= 4
    closing.update(vault, closed, {"status": "closed"})
    assert figures(report.build(vault.conn, next_month))["Check-ins"]["check-ins due"] == 0


def test_calls_before_an_edit_moved_the_start_are_still_counted(vault: Vault) -> None:
    pid = participants.create(vault, person("Moved On", intake_date="2026-09-01"))
    sid = weekly(vault, pid, times=4, starts_on="2026-09-07")
    followups.log_attempt(vault, pid, "reached", schedule_id=sid, due_on="2026-09-07",
                          start_note=False)
    followups.update_schedule(vault, sid, {"starts_on": "2026-11-02"})
    september = figures(report.build(vault.conn, "2026-09"))["Check-ins"]
    assert (september["check-ins due"], september["check-ins that reached the person"]) == (1, 1)


def test_drafts_are_not_contacts(vault: Vault) -> None:
    """Only a finalized note is a contact: an unfinished or abandoned draft changes no
    figure (issue 13: people served went 2->3 after Ctrl+O then Esc)."""
    from coachdesk.store import notes

    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    done = participants.create(vault, person("Finn Final"))
    note_id = notes.start(vault, done, occurred_at=now, setting="phone",
                          contact_type="check-in", duration_min=20)
    notes.finalize(vault, note_id, "Talked.")
    before = figures(report.build(vault.conn, MONTH))
    other = participants.create(vault, person("Dora Draft"))
    notes.start(vault, other, "half a sentence", occurred_at=now, setting="court",
                duration_min=30)
    notes.start(vault, done, "", occurred_at=now)
    after = figures(report.build(vault.conn, MONTH))
    for title in ("Contacts", "Contacts by setting", "Contacts by type"):
        assert after[title] == before[title]
    assert after["Contacts"] == {"contacts": 1, "contact time (minutes)": 20}
    assert after["Participants"]["people served (at least one contact)"] == 1
