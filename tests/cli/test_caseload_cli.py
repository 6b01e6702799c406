"""`coachdesk caseload ...` in a subprocess: the supervisor assigns, transfers, shares and
matches; a coach cannot; bad members are one line and change nothing."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import content, make_team

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE}


def state(home: Path) -> dict:
    vault = Vault.open(home, PASSPHRASE)
    try:
        return content(vault)
    finally:
        vault.close()


def test_the_supervisor_manages_caseloads_from_the_command_line(tmp_path: Path) -> None:
    homes = {name: tmp_path / name for name in ("sue", "ann", "bob")}
    vaults = [Vault.create(home, PASSPHRASE, name.title()) for name, home in homes.items()]
    make_team(*vaults)
    participants.create(vaults[0], person("Rae Cli", preferences=["language:Spanish"]))
    for vault in vaults:
        vault.close()
    sue, ann = homes["sue"], homes["ann"]

    profile = run(ann, "caseload", "profile", "language:Spanish", **ENV)
    assert profile.returncode == 0 and "Language: Spanish" in profile.stdout, profile.stderr
    shown = run(ann, "caseload", "profile", **ENV)
    assert "language:Spanish" in shown.stdout and "Setting:" in shown.stdout
    before = state(ann)
    assert_user_error(run(ann, "caseload", "assign", "Rae", "--primary", "bob", **ENV),
                      "only a supervisor")
    assert state(ann) == before

    out = run(sue, "caseload", "assign", "Rae", "--primary", "ann", "--secondary", "bob", **ENV)
    assert out.returncode == 0 and "primary Ann, secondary Bob" in out.stdout, out.stderr
    before = state(sue)
    assert_user_error(run(sue, "caseload", "share", "Rae", "zed", **ENV), "no member 'zed'")
    assert_user_error(run(sue, "caseload", "transfer", "Rae", "ann", "--note", "x", **ENV),
                      "already Rae Cli's primary coach")
    assert state(sue) == before
    moved = run(sue, "caseload", "transfer", "Rae", "bob", "--note", "Calls after 5 pm", **ENV)
    assert moved.returncode == 0 and "primary Bob, secondary none" in moved.stdout, moved.stderr
    table = run(sue, "caseload", "show", **ENV).stdout
    assert [line.split() for line in table.splitlines()[1:]] == [
        ["Ann", "0", "0"], ["Bob", "1", "0"], ["Sue", "0", "0"]]
    match = run(sue, "caseload", "match", "Rae", **ENV).stdout.splitlines()
    # Ann's profile is on Ann's laptop until her next bundle: nothing shared yet, so the
    # lightest caseloads come first.
    assert [line.split()[0] for line in match] == ["Ann", "Sue", "Bob"]
    assert all(line.endswith("nothing in common listed") for line in match)
