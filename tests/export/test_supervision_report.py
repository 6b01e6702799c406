"""The supervision report (issue 18, item 7) on real vaults of a team with known data:
exact hours, review counts and training hours; no name of a participant, no note text,
no private note and no training title, in the module's result and from the real CLI."""

from __future__ import annotations

import datetime as dt
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.export import report, supervision_report
from coachdesk.models.supervision import SupervisionSession, TrainingEntry
from coachdesk.store import participants, records
from coachdesk.store.vault import Vault
from coachdesk.sync import reviews
from tests.conftest import CLI, cli_env, person
from tests.sync.syncutil import final_note, make_vaults, sync_to

TODAY = dt.date.today()
FIRST = TODAY.replace(day=1)
LAST_MONTH = FIRST - dt.timedelta(days=1)
MONTH = TODAY.strftime("%Y-%m")
CANARY = "Canary" + secrets.token_hex(6)


def figures(built: report.Report) -> dict[str, dict[str, int | float]]:
    return {s.title: dict(s.rows) for s in built.sections}




@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Vault, Vault, Vault]]:
    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob", scoped=True)
    known(sue, ann, bob, tmp_path)
    yield sue, ann, bob
    for vault in (sue, ann, bob):
        vault.close()  # again for one a test closed: closing twice is harmless


def session(vault: Vault, coach: str, held_on: dt.date, minutes: int, fmt: str = "individual") -> None:
    records.create(vault, "supervision_session", SupervisionSession(
        coach=coach, held_on=held_on, minutes=minutes, format=fmt, group_id="g1" if fmt == "group" else "",
        private_note=f"Private {CANARY}").model_dump(mode="json"))


def training(vault: Vault, coach: str, taken_on: dt.date, hours: float, domain: str,
             kind: str = "continuing_education") -> None:
    records.create(vault, "training_entry", TrainingEntry(
        coach=coach, taken_on=taken_on, title=f"Course {CANARY}", hours=hours, domain=domain,
        kind=kind).model_dump(mode="json"))


def known(sue: Vault, ann: Vault, bob: Vault, tmp_path: Path) -> None:
    ann_person = participants.create(ann, person(CANARY))
    bob_person = participants.create(bob, person("Bob's " + CANARY))
    ann_notes = [final_note(ann, ann_person, f"Note {n} about {CANARY}.") for n in range(4)]
    final_note(bob, bob_person, f"About {CANARY}.")
    sync_to(ann, sue, tmp_path / "ann.cdbundle")
    sync_to(bob, sue, tmp_path / "bob.cdbundle")
    reviews.mark(sue, ann_notes[0], "reviewed")
    reviews.mark(sue, ann_notes[1], "follow_up", f"Ask {CANARY} again")
    reviews.mark(sue, ann_notes[3], "follow_up", "And the form?")
    reviews.close(sue, ann_notes[3])
    reviews.comment(sue, ann_notes[2], "A comment is not a review")
    session(sue, ann.device, FIRST, 60)
    session(sue, ann.device, FIRST, 30, "group")
    session(sue, bob.device, FIRST, 30, "group")
    session(sue, ann.device, LAST_MONTH, 45)
    training(sue, ann.device, FIRST, 2.0, "ethics")
    training(sue, ann.device, TODAY, 1.5, "ethics")
    training(sue, bob.device, FIRST, 3.0, "cultural")
    training(sue, ann.device, FIRST, 4.0, "", "training")
    training(sue, ann.device, LAST_MONTH, 5.0, "ethics")


def test_figures_of_a_known_team(team) -> None:
    sue, _, _ = team
    got = figures(supervision_report.build(sue.conn, MONTH))
    assert got["Supervision hours by coach"] == {
        "Ann: hours": 1.5, "Ann: sessions": 2, "Ann: of them group sessions": 1,
        "Bob: hours": 0.5, "Bob: sessions": 1, "Bob: of them group sessions": 1,
        "all coaches: hours": 2.0}
    assert got["Notes reviewed and pending"] == {
        "notes finalized this month": 5,
        "notes reviewed this month": 3,
        "notes marked needs follow-up this month": 2, "follow-ups closed this month": 1,
        "notes waiting for review at month end": 2, "follow-ups still open at month end": 1}
    assert got["Notes reviewed and pending, by coach"] == {
        "Ann: reviewed this month": 3, "Ann: waiting at month end": 1,
        "Bob: reviewed this month": 0, "Bob: waiting at month end": 1}
    assert list(got["Continuing-education hours by domain"].items()) == [
        ("ethics", 3.5), ("cultural", 3.0), ("all domains", 6.5)]
    assert got["Training hours by domain"] == {"no domain given": 4.0, "all domains": 4.0}


def test_last_month_counts_only_its_own(team) -> None:
    sue, _, _ = team
    got = figures(supervision_report.build(sue.conn, LAST_MONTH.strftime("%Y-%m")))
    assert got["Supervision hours by coach"]["Ann: hours"] == 0.8  # 45 minutes
    assert got["Supervision hours by coach"]["Bob: sessions"] == 0
    assert got["Notes reviewed and pending"]["notes finalized this month"] == 0
    assert got["Notes reviewed and pending"]["notes waiting for review at month end"] == 0
    assert got["Continuing-education hours by domain"] == {"ethics": 5.0, "all domains": 5.0}


def test_the_cli_writes_it_without_a_name(team, tmp_path: Path) -> None:
    sue, _, _ = team
    sue.close()
    env = cli_env(tmp_path / "sue", COACHDESK_PASSPHRASE="passphrase sue")
    for fmt in ("md", "csv"):
        result = subprocess.run([*CLI, "report", "supervision", "--month", MONTH, "--format", fmt],
                                capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "Supervision report" in result.stdout or fmt == "csv"
        assert "Ann: hours" in result.stdout and "ethics" in result.stdout
        assert CANARY not in result.stdout and "Private" not in result.stdout
        assert "Course" not in result.stdout and "Note 0" not in result.stdout
    csv_lines = subprocess.run([*CLI, "report", "supervision", "--format", "csv"], capture_output=True,
                               text=True, env=env, timeout=60).stdout.splitlines()
    assert f"{MONTH},Supervision hours by coach,Ann: hours,1.5" in csv_lines
    bad = subprocess.run([*CLI, "report", "supervision", "--month", "2026-99"], capture_output=True,
                         text=True, env=env, timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("error: not a month")
    assert bad.stderr.count("\n") == 1
    wrong = subprocess.run([*CLI, "report", "supervisors"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert wrong.returncode == 2
    service_report = subprocess.run([*CLI, "report"], capture_output=True, text=True, env=env,
                                    timeout=60)
    assert service_report.returncode == 0 and "# Service report" in service_report.stdout
