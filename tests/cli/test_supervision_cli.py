"""`coachdesk supervision ...` and `coachdesk ledger ...` in a subprocess: the supervisor
logs a session (a coach cannot), the coach lists it and marks the item done; the ledger
takes lines and shows progress against a credential; an agency's credential file that does
not parse is listed with its line while the others still load; every bad input is one line
and changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import notes
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE
from tests.sync.syncutil import content, make_team


def state(home: Path) -> dict:
    vault = Vault.open(home, PASSPHRASE)
    try:
        return content(vault) | {"setting": vault.conn.execute("SELECT * FROM setting").fetchall()}
    finally:
        vault.close()


def test_sessions_from_the_command_line(tmp_path: Path) -> None:
    env = {"COACHDESK_PASSPHRASE": PASSPHRASE, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    homes = {name: tmp_path / name for name in ("robin", "ann", "bob")}
    vaults = [Vault.create(home, PASSPHRASE, name.title()) for name, home in homes.items()]
    make_team(*vaults)
    for vault in vaults:
        vault.close()
    robin, ann = homes["robin"], homes["ann"]

    before = state(ann)
    assert_user_error(run(ann, "supervision", "log", "--coach", "bob", "--minutes", "30",
                          "--topic", "ethics", **env), "only a supervisor")
    assert state(ann) == before
    before = state(robin)
    for args, message in [
        (("--minutes", "0"), "minutes"),
        (("--minutes", "2000"), "minutes"),
        (("--minutes", "30", "--topic", "astrology"), "unknown topic 'astrology'"),
        (("--minutes", "30", "--date", "2026-13-01"), "is not a date"),
    ]:
        assert_user_error(run(robin, "supervision", "log", "--coach", "ann", "--topic", "ethics",
                              *args, **env), message)
    assert state(robin) == before

    out = run(robin, "supervision", "log", "--coach", "ann", "--coach", "bob", "--minutes", "90",
              "--date", "2026-11-02", "--topic", "ethics", "--topic", "crisis",
              "--note", "Talked through a hard call", "--item", "Write up the safety plan", **env)
    assert out.returncode == 0 and "group session of 90 minutes" in out.stdout, out.stderr
    listed = run(robin, "supervision", "list", "--coach", "ann", **env)
    assert listed.returncode == 0, listed.stderr
    assert "2026-11-02" in listed.stdout and "Ethics" in listed.stdout
    assert "Write up the safety plan" in listed.stdout and "Bob" not in listed.stdout
    item = next(line.split()[1] for line in listed.stdout.splitlines() if "[open]" in line)
    done = run(robin, "supervision", "done", item, **env)
    assert done.returncode == 0 and "done: Write up the safety plan" in done.stdout, done.stderr
    assert_user_error(run(ann, "supervision", "list", "--coach", "bob", **env), "only their own")
    assert run(ann, "supervision", "list", **env).stdout.strip() == "no supervision sessions yet"


def test_the_ledger_and_credential_progress(tmp_path: Path) -> None:
    config = tmp_path / "config"
    env = {"COACHDESK_PASSPHRASE": PASSPHRASE, "XDG_CONFIG_HOME": str(config)}
    home = tmp_path / "sam"
    vault = Vault.create(home, PASSPHRASE, "Sam")
    vault.close()

    for args in [("--date", "2026-01-10", "--title", "Ethics for peers", "--provider", "State board",
                  "--hours", "16", "--domain", "ethics"),
                 ("--date", "2026-02-01", "--title", "Advocacy basics", "--hours", "10",
                  "--domain", "advocacy")]:
        added = run(home, "ledger", "add", *args, **env)
        assert added.returncode == 0, added.stderr
    before = state(home)
    for args, message in [
        (("--hours", "-2"), "hours"),
        (("--hours", "25"), "hours"),
        (("--hours", "9", "--date", "2026-01-10"), "more than 24 hours"),
        (("--hours", "2", "--domain", "astrology"), "unknown domain 'astrology'"),
        (("--hours", "2", "--date", "yesterday"), "is not a date"),
    ]:
        assert_user_error(run(home, "ledger", "add", "--title", "x", *args, **env), message)
    assert state(home) == before
    shown = run(home, "ledger", "show", **env).stdout
    assert "Ethics for peers (State board)" in shown and "Advocacy basics" in shown

    progress = run(home, "ledger", "progress", **env)
    assert progress.returncode == 0, progress.stderr
    lines = {line.strip().split("  ")[0]: line for line in progress.stdout.splitlines()[1:-1]}
    assert "26 of 46" in lines["training"] and "missing 20" in lines["training"]
    assert "done" in lines["training: Ethical responsibility"]
    assert "missing 500" in lines["experience"] and "missing 25" in lines["supervision"]

    (config / "coachdesk" / "credentials").mkdir(parents=True)
    (config / "coachdesk" / "credentials" / "broken.toml").write_text("id = 'x'\nname = \n")
    (config / "coachdesk" / "credentials" / "state.toml").write_text(
        'id = "state_peer"\nname = "State peer specialist"\nrenewal_years = 1\n'
        '[domains]\nethics = "Ethics"\n[first]\ntraining = 20\n'
        '[renewal]\ncontinuing_education = 10\n[renewal.continuing_education_by_domain]\n'
        'ethics = 3\n')
    renewal = run(home, "ledger", "progress", "--credential", "state_peer", "--earned",
                  "2025-12-01", **env)
    assert renewal.returncode == 0, renewal.stderr
    out = renewal.stdout
    assert "broken.toml does not parse" in out and "line 2" in out
    today = dt.date.today()
    assert "renewal due" in out and "continuing education" in out
    if today < dt.date(2026, 12, 1):
        assert "renewal due 2026-12-01" in out and "26 of 10" in out
    assert_user_error(run(home, "ledger", "progress", "--credential", "nope", **env),
                      "no credential 'nope'")


def test_experience_hours_come_from_the_coachs_finalized_notes(tmp_path: Path) -> None:
    from coachdesk.store import ledger, participants
    from tests.conftest import person

    vault = Vault.create(tmp_path / "v", PASSPHRASE, "Sam")
    try:
        pid = participants.create(vault, person("Rae Minutes"))
        for minutes, final in ((90, True), (30, True), (45, False)):
            note_id = notes.start(vault, pid, "We met.", duration_min=minutes)
            if final:
                notes.finalize(vault, note_id, "We met.")
        assert ledger.hours(vault, vault.device).experience == 2.0
    finally:
        vault.close()
