"""`coachdesk caseload merge DUPLICATE INTO`: asks first, one line for every refusal."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE}


def test_merge_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    rosa = participants.create(vault, person("Rosa Delgado"))
    participants.create(vault, person("Delgado Rosa B"))
    participants.create(vault, person("Closed One", status="closed"))
    vault.close()
    assert_user_error(run(home, "caseload", "merge", "Delgado", "Rosa", **ENV), "no answer")
    assert_user_error(run(home, "caseload", "merge", "Rosa", "Rosa", "--yes", **ENV),
                      "into themselves")
    assert_user_error(run(home, "caseload", "merge", "Rosa", "Closed", "--yes", **ENV), "is closed")
    assert_user_error(run(home, "caseload", "merge", "Nobody", "Rosa", "--yes", **ENV),
                      "no participant matches")
    done = run(home, "caseload", "merge", "Delgado", "Rosa", "--reason", "two intakes", "--yes",
               **ENV)
    assert done.returncode == 0, done.stderr
    assert "merged: Delgado Rosa B's record is now part of Rosa Delgado's" in done.stdout
    assert_user_error(run(home, "caseload", "merge", "Delgado", "Rosa", "--yes", **ENV),
                      "no participant matches")
    vault = Vault.open(home, PASSPHRASE)
    try:
        assert [p.id for p in participants.roster(vault)] == [rosa]
    finally:
        vault.close()
