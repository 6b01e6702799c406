"""The op log: records are derived from ops; several heads are a conflict, kept, not lost."""

from __future__ import annotations

import json

from coachdesk.store import oplog, participants
from coachdesk.store.oplog import Op, insert_op
from coachdesk.store.vault import Vault
from tests.conftest import person


def snapshot(vault: Vault) -> tuple[list, list, list]:
    conn = vault.conn
    return (
        conn.execute("SELECT * FROM participant ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM field_head ORDER BY tbl, row_id, field, op_id").fetchall(),
        conn.execute("SELECT * FROM conflict ORDER BY tbl, row_id, field").fetchall(),
    )


def foreign_op(vault: Vault, row_id: str, field: str, value: object, seq: int,
               hlc: str) -> Op:
    """An op as another device would write it, concurrent with ours (same parents)."""
    parents = [r[0] for r in vault.conn.execute(
        "SELECT parents FROM ops WHERE row_id = ? AND field = ? ORDER BY hlc DESC LIMIT 1",
        (row_id, field))]
    return Op(op_id=f"peer:{seq}", device="peer", seq=seq, hlc=hlc, tbl="participant",
              row_id=row_id, field=field, value=json.dumps(value),
              parents=parents[0] if parents else "[]", author="Peer")


def test_every_write_is_an_op_with_increasing_seq_and_hlc(vault: Vault) -> None:
    pid = participants.create(vault, person("Op Writer"))
    participants.update(vault, pid, {"pronouns": "they/them"})
    rows = vault.conn.execute("SELECT seq, hlc, field FROM ops ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    assert rows[-1][2] == "pronouns"
    parents = json.loads(vault.conn.execute(
        "SELECT parents FROM ops WHERE field = 'pronouns' ORDER BY seq DESC").fetchone()[0])
    assert len(parents) == 1


def test_records_rebuilt_from_ops_equal_the_live_records(vault: Vault) -> None:
    ids = [participants.create(vault, person(f"Person {i}", phone=f"555 01{i:02d}"))
           for i in range(12)]
    for i, pid in enumerate(ids[:6]):
        participants.update(vault, pid, {"status": "closed", "safety_flags": ["harm_self"]
                                         if i % 2 else []})
    participants.delete(vault, ids[7])
    live = snapshot(vault)
    with vault.transaction():
        oplog.rebuild_records(vault.conn)
    assert snapshot(vault) == live


def test_concurrent_edits_make_one_conflict_and_keep_both_values(vault: Vault) -> None:
    pid = participants.create(vault, person("Con Flict"))
    participants.update(vault, pid, {"phone": "555 1111"})
    theirs = foreign_op(vault, pid, "phone", "555 2222", 1, "9" * 16 + ".000000")
    with vault.transaction():
        assert insert_op(vault.conn, theirs)
        oplog.refresh(vault.conn, [("participant", pid, "phone")])
    heads = vault.conn.execute("SELECT op_id FROM field_head WHERE row_id = ? AND field = "
                               "'phone'", (pid,)).fetchall()
    assert len(heads) == 2
    assert vault.conn.execute("SELECT count(*) FROM conflict").fetchone()[0] == 1
    # The provisional value is the head with the highest HLC.
    assert participants.get(vault, pid).phone == "555 2222"
    live = snapshot(vault)
    with vault.transaction():
        oplog.rebuild_records(vault.conn)
    assert snapshot(vault) == live
    # Resolving writes one op whose parents are all the heads, and clears the conflict.
    participants.update(vault, pid, {"phone": "555 1111"})
    last = vault.conn.execute("SELECT parents FROM ops ORDER BY seq DESC LIMIT 1").fetchone()
    assert len(json.loads(last[0])) == 2
    assert vault.conn.execute("SELECT count(*) FROM conflict").fetchone()[0] == 0
    assert participants.get(vault, pid).phone == "555 1111"


def test_an_op_already_known_is_ignored(vault: Vault) -> None:
    participants.create(vault, person())
    row = vault.conn.execute(f"SELECT {Op.COLUMNS} FROM ops LIMIT 1").fetchone()
    with vault.transaction():
        assert not insert_op(vault.conn, Op(*row))


def test_unknown_fields_and_tables_are_refused(vault: Vault) -> None:
    import pytest

    with vault.transaction(), pytest.raises(ValueError):
        vault.ops.write("participant", "x", {"alias; DROP TABLE ops": "x"})
    with pytest.raises(ValueError):
        oplog.column_of("sqlite_master", "name")


def test_replaying_the_ops_into_a_fresh_vault_gives_the_same_records(
        vault: Vault, tmp_path) -> None:
    from coachdesk.models import SYNCED_RECORDS

    for i in range(5):
        pid = participants.create(vault, person(f"Replay {i}"))
        participants.update(vault, pid, {"pronouns": "she/her"})
    fresh = Vault.create(tmp_path / "fresh", "another passphrase", "Other")
    rows = vault.conn.execute(f"SELECT {Op.COLUMNS} FROM ops").fetchall()
    with fresh.transaction():
        for row in rows:
            insert_op(fresh.conn, Op(*row))
        oplog.refresh(fresh.conn, [(r[4], r[5], r[6]) for r in rows])
    for tbl in SYNCED_RECORDS:
        sql = f"SELECT * FROM {tbl} ORDER BY id"
        assert fresh.conn.execute(sql).fetchall() == vault.conn.execute(sql).fetchall()
    fresh.close()
