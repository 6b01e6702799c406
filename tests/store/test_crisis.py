"""Crisis events and steps: append-only, saved at once, never edited or deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlcipher3

from coachdesk import config
from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models import APPEND_ONLY, SYNCED_RECORDS
from coachdesk.protocols import load_file
from coachdesk.store import crisis, oplog, participants
from coachdesk.store.oplog import Op, insert_op
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person

OVERDOSE = load_file(config.assets_dir() / "protocols" / "overdose.toml")


def started(vault: Vault, participant_id: str = "") -> str:
    event_id = crisis.start(vault, OVERDOSE, participant_id)
    crisis.record(vault, event_id, "signs", "yesno", "Is this an overdose?", "yes")
    crisis.record(vault, event_id, "call-911", "call", "Call 911 now", "done")
    return event_id


def test_tables_are_registered_as_synced_append_only() -> None:
    assert {"crisis_event", "crisis_step"} <= APPEND_ONLY
    assert "answer" in SYNCED_RECORDS["crisis_step"]
    assert "participant_id" in SYNCED_RECORDS["crisis_event"]


def test_each_answer_is_committed_at_once_with_its_time_and_order(vault: Vault,
                                                                  vault_dir: Path) -> None:
    event_id = started(vault)
    # A second connection (as after a crash) already sees both answers.
    other = Vault.open(vault_dir, PASSPHRASE)
    record = crisis.get(other, event_id)
    other.close()
    assert [(s.seq, s.step_id, s.answer) for s in record.steps] == [
        (1, "signs", "yes"), (2, "call-911", "done")]
    assert all(s.at.endswith("+00:00") for s in record.steps)
    assert record.steps[0].at <= record.steps[1].at
    assert record.event.started_by == "Sam Coach"
    assert not record.ended
    count = vault.conn.execute("SELECT count(*) FROM ops WHERE tbl = 'crisis_step'").fetchone()[0]
    assert count == 2 * len(SYNCED_RECORDS["crisis_step"])


@pytest.mark.parametrize("sql", [
    "UPDATE crisis_event SET participant_id = 'x'",
    "DELETE FROM crisis_event",
    "UPDATE crisis_step SET answer = 'no'",
    "DELETE FROM crisis_step",
    "UPDATE crisis_step SET deleted = 1",
])
def test_update_and_delete_are_refused_by_sql(vault: Vault, sql: str) -> None:
    event_id = started(vault)
    before = crisis.get(vault, event_id)
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only|never deleted"):
        vault.conn.execute(sql)
    assert crisis.get(vault, event_id) == before


def test_the_op_log_refuses_edit_ops_on_crisis_rows(vault: Vault) -> None:
    event_id = started(vault)
    with pytest.raises(ValueError, match="append-only"), vault.transaction():
        vault.ops.write("crisis_event", event_id, {"_deleted": True})


def test_attach_later_is_a_new_row_and_the_latest_counts(vault: Vault) -> None:
    first = participants.create(vault, person("First Person"))
    second = participants.create(vault, person("Second Person"))
    event_id = started(vault)
    assert crisis.get(vault, event_id).participant_id == ""
    crisis.attach(vault, event_id, first)
    crisis.attach(vault, event_id, second)
    record = crisis.get(vault, event_id)
    assert record.participant_id == second
    assert [s.kind for s in record.steps] == ["yesno", "call", "attach", "attach"]
    assert [r.event.id for r in crisis.history(vault, second)] == [event_id]
    assert crisis.history(vault, first) == []


def test_unknown_person_or_event_is_refused_and_nothing_written(vault: Vault) -> None:
    event_id = started(vault)
    ops_before = vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    with pytest.raises(CoachdeskError, match="no such participant"):
        crisis.attach(vault, event_id, "no-such-id")
    with pytest.raises(CoachdeskError, match="no such participant"):
        crisis.start(vault, OVERDOSE, "no-such-id")
    with pytest.raises(CoachdeskError, match="no such crisis event"):
        crisis.record(vault, "nope", "signs", "yesno", "Q", "yes")
    with pytest.raises(ValidationFailed, match="kind"):
        crisis.record(vault, event_id, "signs", "Dance!", "Q", "yes")
    with pytest.raises(ValidationFailed, match="answer"):
        crisis.record(vault, event_id, "what", "text", "Q", "x" * 2001)
    assert vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == ops_before


def test_end_closes_the_event_but_a_person_can_still_be_attached(vault: Vault) -> None:
    pid = participants.create(vault, person())
    event_id = started(vault)
    other = started(vault)
    assert [e.id for e in crisis.unfinished(vault)] == [other, event_id]
    crisis.record(vault, event_id, "end-ems", "end", "Done", "EMS arrived and took over")
    crisis.stop(vault, other)
    assert crisis.unfinished(vault) == []
    with pytest.raises(CoachdeskError, match="already ended"):
        crisis.record(vault, event_id, "signs", "yesno", "Q", "no")
    crisis.attach(vault, event_id, pid)
    record = crisis.get(vault, event_id)
    assert record.ended and record.outcome == "EMS arrived and took over"
    assert record.participant_id == pid
    assert crisis.get(vault, other).outcome == "stopped early by the coach"


def test_back_keeps_both_answers(vault: Vault) -> None:
    event_id = crisis.start(vault, OVERDOSE)
    crisis.record(vault, event_id, "signs", "yesno", "Q", "yes")
    crisis.back(vault, event_id, "call-911", "Call 911 now", "Is this an overdose?")
    crisis.record(vault, event_id, "signs", "yesno", "Q", "no")
    steps = crisis.get(vault, event_id).steps
    assert [(s.kind, s.answer) for s in steps] == [
        ("yesno", "yes"), ("back", "from Call 911 now to Is this an overdose?"), ("yesno", "no")]


def test_a_peer_receives_the_same_rows_from_the_ops(vault: Vault, tmp_path: Path) -> None:
    pid = participants.create(vault, person())
    event_id = started(vault, pid)
    crisis.stop(vault, event_id)
    peer = Vault.create(tmp_path / "peer", PASSPHRASE, "Peer Coach")
    rows = vault.conn.execute(f"SELECT {Op.COLUMNS} FROM ops ORDER BY seq").fetchall()
    with peer.transaction():
        for row in rows:
            insert_op(peer.conn, Op(*row))
        oplog.refresh(peer.conn, [(r[4], r[5], r[6]) for r in rows])
    assert crisis.get(peer, event_id) == crisis.get(vault, event_id)
    assert crisis.unfinished(peer) == []
    assert json.loads(peer.conn.execute("SELECT value FROM ops WHERE field = 'answer' "
                                        "ORDER BY seq LIMIT 1").fetchone()[0]) == "yes"
    peer.close()


def test_an_unfinished_event_from_another_device_is_not_resumed_here(vault: Vault,
                                                                    tmp_path: Path) -> None:
    peer = Vault.create(tmp_path / "peer", PASSPHRASE, "Peer Coach")
    event_id = crisis.start(peer, OVERDOSE)
    rows = peer.conn.execute(f"SELECT {Op.COLUMNS} FROM ops ORDER BY seq").fetchall()
    with vault.transaction():
        for row in rows:
            insert_op(vault.conn, Op(*row))
        oplog.refresh(vault.conn, [(r[4], r[5], r[6]) for r in rows])
    assert crisis.get(vault, event_id).event.started_by == "Peer Coach"
    assert crisis.unfinished(vault) == []
    peer.close()


def test_views_and_steps_are_audited_without_answers(vault: Vault) -> None:
    event_id = started(vault)
    crisis.get(vault, event_id)
    actions = [r[2] for r in vault.conn.execute(
        "SELECT at, actor, action, detail FROM audit WHERE tbl LIKE 'crisis%'")]
    assert actions == ["crisis started", "crisis step", "crisis step", "crisis viewed"]
    details = " ".join(r[0] for r in vault.conn.execute("SELECT detail FROM audit"))
    assert "yes" not in details.split()
