"""The export commands in a subprocess: incident summaries, referral packets, consent
kinds and the suppressed report; every bad input one `error:` line, nothing changed."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.protocols import load_file
from coachdesk.store import consents, crisis, participants, referrals, resources
from coachdesk.store.vault import Vault
from tests.cli.test_bad_input_cli import recorded
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person

OVERDOSE = load_file(config.assets_dir() / "protocols" / "overdose.toml")
SECRET = {"COACHDESK_PASSPHRASE": PASSPHRASE}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("export") / "home"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Tam Nguyen", phone="555-0188"))
    event = crisis.start(vault, OVERDOSE, pid)
    crisis.record(vault, event, "end-no-signs", "end", "Checklist complete", "No signs of overdose")
    rid = resources.create(vault, {"name": "Harbor Shelter", "kind": "housing", "phone": "555-0111"})
    referrals.add(vault, pid, rid)
    today = dt.date.today()
    consents.add(vault, pid, {"recipient": "Harbor Shelter intake", "purpose": "shelter",
                              "information": "contact details", "signed_on": today.isoformat(),
                              "expiry_event": "admission"})
    vault.close()
    return home


def test_incident_export_last_and_by_id(home: Path, tmp_path: Path) -> None:
    listed = run(home, "incident", "list", **SECRET)
    assert listed.returncode == 0 and "Opioid overdose response: No signs of overdose" in listed.stdout
    short = listed.stdout.split()[0]
    html_out, md_out = tmp_path / "i.html", tmp_path / "i.md"
    done = run(home, "incident", "export", "--last", "--format", "html", "--out", str(html_out), **SECRET)
    assert done.returncode == 0, done.stderr
    page = html_out.read_text()
    assert "Time zone" in page and "UTC" in page and "Tam Nguyen" in page and "<table>" in page
    assert stat.S_IMODE(html_out.stat().st_mode) == 0o600
    done = run(home, "incident", "export", short, "--format", "md", "--out", str(md_out), **SECRET)
    assert done.returncode == 0, done.stderr
    assert "**Time zone**" in md_out.read_text()


def test_incident_export_bad_inputs_change_nothing(home: Path, tmp_path: Path) -> None:
    existing = tmp_path / "keep.md"
    existing.write_text("mine")
    before = recorded(home)
    out = str(tmp_path / "x.md")
    for args, message in [
        (("incident", "export", "--format", "md", "--out", out), "give an incident id or --last"),
        (("incident", "export", "abcd", "--last", "--format", "md", "--out", out), "not both"),
        (("incident", "export", "ab", "--format", "md", "--out", out), "at least 4 characters"),
        (("incident", "export", "ffffffff", "--format", "md", "--out", out), "no incident matches"),
        (("incident", "export", "--last", "--format", "md", "--out", str(existing)), "already exists"),
        (("incident", "export", "--last", "--format", "md", "--out", str(tmp_path / "no" / "x.md")),
         "does not exist"),
    ]:
        assert_user_error(run(home, *args, **SECRET), message)
    bad_format = run(home, "incident", "export", "--last", "--format", "pdf", "--out", out, **SECRET)
    assert bad_format.returncode == 2 and "Traceback" not in bad_format.stderr
    assert recorded(home) == before and existing.read_text() == "mine"
    assert not (tmp_path / "x.md").exists()


def test_consent_kinds_then_referral_packet(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "packet.html"
    before = recorded(home)
    assert_user_error(run(home, "referral", "packet", "Tam", "--for", "Harbor", "--format", "html",
                          "--out", str(out), **SECRET), "covers no kind of information yet")
    assert_user_error(run(home, "consent", "kinds", "Tam", "--for", "Harbor", "--set", "everything",
                          **SECRET), "unknown kind of information")
    assert_user_error(run(home, "consent", "kinds", "Tam", "--for", "Nobody", **SECRET),
                      "no current consent")
    assert not out.exists()
    shown = run(home, "consent", "kinds", "Tam", "--for", "Harbor", **SECRET)
    assert shown.returncode == 0 and "covers nothing yet" in shown.stdout
    assert recorded(home) == before
    picked = run(home, "consent", "kinds", "Tam", "--for", "Harbor", "--set", "contact", **SECRET)
    assert picked.returncode == 0 and "covers contact details" in picked.stdout
    done = run(home, "referral", "packet", "Tam", "--for", "Harbor", "--format", "html",
               "--out", str(out), **SECRET)
    assert done.returncode == 0, done.stderr
    assert "555-0188" in out.read_text() and "42 CFR part 2" in out.read_text()
    assert_user_error(run(home, "referral", "packet", "Tam", "--for", "Harbor", "--service", "Zed",
                          "--format", "md", "--out", str(tmp_path / "p.md"), **SECRET),
                      "no referral of this person to a service matching")


def test_report_suppress(home: Path) -> None:
    done = run(home, "report", "--suppress", "--format", "md", **SECRET)
    assert done.returncode == 0, done.stderr
    assert "withheld" in done.stdout and "Period: " in done.stdout
    assert_user_error(run(home, "report", "--team", "--suppress", **SECRET), "always suppressed")
