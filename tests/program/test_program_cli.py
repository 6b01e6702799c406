"""`coachdesk extract` and `coachdesk program` in a subprocess (issue 22): the extract is
keyed by a stable participant code and holds no alias, phone or note text (canaries); its
header and codes come from the data files; units and the follow-up rate print; every bad
input (a data file with an unknown field, a window that ends before it opens, a bad month,
a value off the list) is one line and changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.export.extract import participant_code
from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE
from tests.sync.syncutil import content

ALIAS = "Zorblax Canaryalias"
PHONE = "555 0199 77"
NOTE = "qqnotecanaryqq talked about the weekend"
MONTH = "2026-11"


def state(home: Path) -> dict:
    vault = Vault.open(home, PASSPHRASE)
    try:
        return content(vault)
    finally:
        vault.close()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, dict[str, str], str]:
    home = tmp_path / "home"
    env = {"COACHDESK_PASSPHRASE": PASSPHRASE, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert run(home, "init", "--coach", "Sam", **env).returncode == 0
    vault = Vault.open(home, PASSPHRASE)
    try:
        pid = participants.create(vault, {"alias": ALIAS, "adult_confirmed": True,
                                          "intake_date": "2026-05-02", "phone": PHONE})
        for hour, minutes in ((9, 120), (11, 120), (14, 38)):  # 8 + 8 + 3 units: 3 over the cap
            note_id = notes.start(vault, pid, NOTE, occurred_at=f"2026-11-03T{hour:02d}:00",
                                  setting="phone", contact_type="ongoing support")
            notes.save_header(vault, note_id, {"duration_min": minutes})
            notes.finalize(vault, note_id, NOTE)
        with pytest.raises(CoachdeskError):  # minutes are checked where they are typed
            notes.save_header(vault, notes.start(vault, pid, "x"), {"duration_min": -5})
        with pytest.raises(CoachdeskError):
            notes.save_header(vault, notes.start(vault, pid, "x"), {"duration_min": 24 * 60 + 1})
    finally:
        vault.close()
    return home, env, pid


def test_extract_units_and_rate(setup: tuple[Path, dict[str, str], str], tmp_path: Path) -> None:
    home, env, pid = setup
    assert run(home, "program", "set", ALIAS[:7], "--pathway", "peer", "--pathway", "medication",
               "--living", "shelter", "--naloxone", "2", **env).returncode == 0
    done = run(home, "program", "interview", ALIAS[:7], "reassessment", "done", "--date",
               "2026-11-05", **env)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "extract.csv"
    result = run(home, "extract", "--month", MONTH, "--format", "csv", "--out", str(out), **env)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    funder_file = shipped.text("funders", "samhsa_suprt.toml")
    assert lines[0].startswith("ClientID,ClientType,IntakeSeqNum,InterviewType,") and \
        "NaloxoneAdministered" in funder_file
    code = participant_code(pid, "samhsa_suprt")
    assert lines[1].split(",")[:4] == [code, "2", "1", "2"]
    assert ",1,2026-11-05," in lines[1] and "5;6" in lines[1]
    contacts = run(home, "extract", "--month", MONTH, "--kind", "contacts", **env)
    assert contacts.returncode == 0, contacts.stderr
    rows = contacts.stdout.splitlines()
    assert rows[0] == "ClientID,ServiceDate,ProcedureCode,Minutes,Units,BillableUnits,OverDailyCap"
    assert [r.split(",")[4:] for r in rows[1:]] == [["8", "8", "0"], ["8", "8", "0"], ["3", "0", "1"]]
    for blob in (text, contacts.stdout):
        for canary in (ALIAS, ALIAS.split()[0], PHONE, "qqnotecanaryqq", pid):
            assert canary not in blob
    again = run(home, "extract", "--month", MONTH, **env)
    assert again.stdout == text  # stable: the same code every time
    units = run(home, "program", "units", "--month", MONTH, **env)
    assert units.returncode == 0 and "units within the daily cap" in units.stdout
    assert "! contacts over the daily cap (flagged, not cut): 1" in units.stdout
    rate = run(home, "program", "rate", "--month", MONTH, **env)
    assert "follow-up rate (%)" in rate.stdout and "reached within the window" in rate.stdout
    report = run(home, "report", "--month", MONTH, **env)
    assert "Service units" in report.stdout and "Funder follow-ups" in report.stdout
    assert ALIAS not in report.stdout + units.stdout + rate.stdout
    shown = run(home, "program", "show", ALIAS[:7], **env)
    assert "Six-month reassessment" in shown.stdout and "done 2026-11-05" in shown.stdout
    audit = Vault.open(home, PASSPHRASE)
    try:
        actions = [r[0] for r in audit.conn.execute("SELECT action FROM audit")]
    finally:
        audit.close()
    assert actions.count("extract generated") == 3


def agency_file(env: dict[str, str], folder: str, text: str) -> None:
    path = Path(env["XDG_CONFIG_HOME"]) / "coachdesk" / folder
    path.mkdir(parents=True, exist_ok=True)
    (path / "ours.toml").write_text(text, encoding="utf-8")


def test_bad_inputs_are_one_line_and_change_nothing(setup: tuple[Path, dict[str, str], str],
                                                    tmp_path: Path) -> None:
    home, env, _ = setup
    before = state(home)
    out = tmp_path / "x.csv"
    for args, message in [
        (("extract", "--month", "2026-13"), "not a month"),
        (("extract", "--month", MONTH, "--format", "xlsx"), "the extract is csv"),
        (("extract", "--funder", "nope"), "no funder 'nope'"),
        (("program", "set", ALIAS[:7], "--living", "castle"), "not on the list"),
        (("program", "set", ALIAS[:7], "--no-shows", "-3"), "no shows"),
        (("program", "set", ALIAS[:7]), "nothing to set"),
        (("program", "interview", ALIAS[:7], "reassessment", "missed"), "say why it was missed"),
        (("program", "interview", ALIAS[:7], "baseline", "done", "--date", "2026-02-30"),
         "is not a date"),
        (("program", "interview", ALIAS[:7], "baseline", "done", "--episode", "4"), "no episode 4"),
        (("program", "enrol", ALIAS[:7], "--date", "2026-12-01"), "still enrolled"),
        (("program", "show", "Nobody"), "no participant matches"),
    ]:
        assert_user_error(run(home, *args, **env), message)
    funder_text = shipped.text("funders", "samhsa_suprt.toml")
    billing_text = shipped.text("billing", "medicaid_peer_support.toml")
    for folder, text, command, message in [
        ("funders", funder_text.replace("target_rate", "colour = 1\ntarget_rate"), ("extract",),
         "unknown field 'colour'"),
        ("funders", funder_text.replace("closes_days = 30\n", "closes_days = -40\n", 1),
         ("program", "rate"), "ends before it opens"),
        ("billing", billing_text.replace("daily_cap_units", "cap_style = 'soft'\ndaily_cap_units"),
         ("extract", "--kind", "contacts", "--out", str(out)), "unknown field 'cap_style'"),
        ("billing", billing_text, ("program", "units"), "several billing rules"),
    ]:
        if folder == "billing" and "several" in message:
            text = text.replace('id = "medicaid_peer_support"', 'id = "other_payer"')
        agency_file(env, folder, text)
        assert_user_error(run(home, *command, **env), message)
        (Path(env["XDG_CONFIG_HOME"]) / "coachdesk" / folder / "ours.toml").unlink()
    assert not out.exists()
    assert state(home) == before
    assert run(home, "program", "files", **env).returncode == 0


def test_a_person_reenrols_from_the_command_line(setup: tuple[Path, dict[str, str], str]) -> None:
    home, env, _ = setup
    today = dt.date.today()
    assert run(home, "program", "discharge", ALIAS[:7], "--date", str(today - dt.timedelta(days=2)),
               **env).returncode == 0
    result = run(home, "program", "enrol", ALIAS[:7], "--date", str(today), **env)
    assert result.returncode == 0 and "episode 2" in result.stdout
    shown = run(home, "program", "show", ALIAS[:7], **env).stdout
    assert "episode 2" in shown and "Discharge" in shown
