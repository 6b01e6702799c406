"""`check` reports a vault whose records differ from what its op log derives (issue
#14.1): a record edited, added or removed behind the log with raw SQL, for every kind
of immutable or append-only record as for the editable ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.demo import ensure_demo_vault
from coachdesk.store.vault import Vault

FLAG = "INSERT INTO deriving VALUES (1); {} ; DELETE FROM deriving;"
"""The one way past the immutability triggers (what derivation itself uses)."""

BEHIND_THE_LOG = {
    "plan_revision": FLAG.format("UPDATE plan_revision SET author = 'someone else' "
                                 "WHERE rowid = (SELECT min(rowid) FROM plan_revision)"),
    "crisis_step": FLAG.format("UPDATE crisis_step SET answer = 'changed' "
                               "WHERE rowid = (SELECT min(rowid) FROM crisis_step)"),
    "assessment": FLAG.format("UPDATE assessment SET total = total + 1 "
                              "WHERE rowid = (SELECT min(rowid) FROM assessment)"),
    "disclosure": FLAG.format("UPDATE disclosure SET recipient = 'nobody' "
                              "WHERE rowid = (SELECT min(rowid) FROM disclosure)"),
    "checkin_attempt": FLAG.format("UPDATE checkin_attempt SET outcome = 'declined' WHERE "
                                   "rowid = (SELECT min(rowid) FROM checkin_attempt) AND "
                                   "outcome != 'declined'"),
    "note": FLAG.format("UPDATE note SET body = 'rewritten' WHERE status = 'final' "
                        "AND rowid = (SELECT min(rowid) FROM note WHERE status = 'final')"),
    "addendum": "INSERT INTO addendum (id, origin, note_id, body, at, author) SELECT "
                "'forged', 'x', note_id, 'an addendum nobody wrote', at, author FROM addendum "
                "LIMIT 1",
    "crisis_event": "INSERT INTO crisis_event (id, origin) VALUES ('forged', 'x')",
    "participant": "UPDATE participant SET deleted = 1 WHERE rowid = "
                   "(SELECT min(rowid) FROM participant)",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_demo_vault(tmp_path_factory.mktemp("demo"))


@pytest.mark.parametrize("table", sorted(BEHIND_THE_LOG))
def test_check_names_the_table_edited_behind_the_log(demo: Path, tmp_path: Path,
                                                     table: str) -> None:
    copy = tmp_path / "vault"
    shutil.copytree(demo, copy)
    vault = Vault.open(copy, config.DEMO_PASSPHRASE)
    try:
        assert vault.check() == []
        changes = vault.conn.total_changes
        vault.conn.executescript(BEHIND_THE_LOG[table])
        assert vault.conn.total_changes > changes + (2 if "deriving" in BEHIND_THE_LOG[table] else 0)
        assert f"sync: {table}: records differ from what the change log gives" in vault.check()
    finally:
        vault.close()
