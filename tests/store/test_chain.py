"""Each device's ops form a hash chain (store/chain.py): live writes, backfill, signed heads."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk import identity
from coachdesk.store import chain, participants
from coachdesk.store.db import DatabaseError
from coachdesk.store.oplog import Op, insert_op
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person


def chains(vault: Vault, device: str | None = None) -> list[tuple[int, str, str]]:
    return vault.conn.execute("SELECT seq, prev, chain FROM ops WHERE device = ? ORDER BY seq",
                              (device or vault.device,)).fetchall()


def assert_chained(vault: Vault, device: str | None = None) -> None:
    rows = vault.conn.execute(f"SELECT {Op.WIRE_COLUMNS} FROM ops WHERE device = ? ORDER BY seq",
                              (device or vault.device,)).fetchall()
    assert rows
    expected_prev = chain.ZERO
    for seq, row in enumerate(rows, start=1):
        op = Op(*row)
        assert op.seq == seq
        assert op.prev == expected_prev
        assert op.chain == chain.link(op.prev, op)
        expected_prev = op.chain


def write_some(vault: Vault, n: int, alias: str = "Chain") -> None:
    for i in range(n):
        pid = participants.create(vault, person(f"{alias} {i}"))
        participants.update(vault, pid, {"pronouns": "they/them"})


def test_own_ops_chain_across_writes_and_reopen(vault: Vault, vault_dir: Path) -> None:
    write_some(vault, 5)
    assert_chained(vault)
    vault.close()
    again = Vault.open(vault_dir, PASSPHRASE)
    try:
        write_some(again, 5, "After")
        assert_chained(again)
        count = again.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
        assert count > 20
        assert not again.conn.execute("SELECT 1 FROM ops WHERE chain = ''").fetchone()
    finally:
        again.close()


def test_a_rolled_back_write_leaves_the_chain_whole(vault: Vault) -> None:
    write_some(vault, 2)
    with pytest.raises(RuntimeError), vault.transaction():
        vault.ops.write("participant", "rolled-back", {"alias": "Gone"})
        raise RuntimeError("stop")
    write_some(vault, 2, "Later")
    assert_chained(vault)


def test_an_op_keeps_its_chain_once_set(vault: Vault) -> None:
    write_some(vault, 1)
    for change in ("chain = ?", "prev = ?", "value = '\"x\"'"):
        with pytest.raises(DatabaseError, match="append-only"), vault.transaction() as conn:
            conn.execute(f"UPDATE ops SET {change} WHERE seq = 1",
                         (chain.ZERO,) if "?" in change else ())
    assert_chained(vault)


def _copy_without_chain(source: Vault, target: Vault, skip: frozenset[int] = frozenset()) -> None:
    rows = source.conn.execute(f"SELECT {Op.COLUMNS} FROM ops ORDER BY seq").fetchall()
    with target.transaction() as conn:
        for row in rows:
            if row[2] not in skip:
                insert_op(conn, Op(*row))  # as before migration 0014: no prev, no chain


def _audited(vault: Vault, action: str) -> int:
    return vault.conn.execute("SELECT count(*) FROM audit WHERE action = ?", (action,)).fetchone()[0]


def test_backfill_gives_the_chains_live_writing_gave(tmp_path: Path) -> None:
    origin = Vault.create(tmp_path / "a", PASSPHRASE, "Ana")
    other = Vault.create(tmp_path / "b", PASSPHRASE, "Ben")
    try:
        write_some(origin, 6)
        live = chains(origin)
        _copy_without_chain(origin, other)
        assert {c for _, _, c in chains(other, origin.device)} == {""}
        other.close()
        other = Vault.open(tmp_path / "b", PASSPHRASE)  # first unlock: the chain is computed
        assert chains(other, origin.device) == live
        assert _audited(other, "op chain computed") == 1
        other.close()
        other = Vault.open(tmp_path / "b", PASSPHRASE)
        assert _audited(other, "op chain computed") == 1  # once
    finally:
        origin.close()
        other.close()


def test_a_vault_from_before_the_chain_gets_it_at_its_first_unlock(vault: Vault,
                                                                    vault_dir: Path) -> None:
    write_some(vault, 4)
    live = chains(vault)
    conn = vault.conn
    with vault.transaction():  # back to schema 13, as an older coachdesk left it
        conn.execute("DROP TABLE handoff")  # 0015
        conn.execute("DROP TABLE coach_profile")
        for column in ("primary_coach", "secondary_coach", "preferences"):
            conn.execute(f"ALTER TABLE participant DROP COLUMN {column}")
        conn.execute("DROP INDEX ops_unchained")  # 0014
        conn.execute("DROP TRIGGER ops_no_update")
        conn.execute("ALTER TABLE ops DROP COLUMN prev")
        conn.execute("ALTER TABLE ops DROP COLUMN chain")
        conn.execute("CREATE TRIGGER ops_no_update BEFORE UPDATE ON ops "
                     "BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END")
        conn.execute("DROP TABLE chain_head")
        conn.execute("DELETE FROM meta WHERE key = 'chain_head'")
    conn.execute("PRAGMA user_version = 13")
    vault.close()
    again = Vault.open(vault_dir, PASSPHRASE)
    try:
        assert chains(again) == live
        assert _audited(again, "op chain computed") == 1
        write_some(again, 1)
        assert_chained(again)
        assert again.check() == []
    finally:
        again.close()


@pytest.mark.parametrize("spoil, found", [("value", "change 3 does not match its chain"),
                                           ("prev", "change 3 does not follow change 2")])
def test_check_finds_an_op_off_its_chain(tmp_path: Path, spoil: str, found: str) -> None:
    origin = Vault.create(tmp_path / "a", PASSPHRASE, "Ana")
    other = Vault.create(tmp_path / "b", PASSPHRASE, "Ben")
    try:
        write_some(origin, 2)
        assert origin.check() == [] and chain.problems(origin.conn) == []
        rows = origin.conn.execute(f"SELECT {Op.WIRE_COLUMNS} FROM ops ORDER BY seq").fetchall()
        with other.transaction() as conn:
            for row in rows:
                op = Op(*row)
                if op.seq == 3 and spoil == "value":  # the value changed, its chain kept
                    op = Op(*row[:7], '"Changed"', *row[8:])
                if op.seq == 3 and spoil == "prev":  # a valid link, but off the chain
                    op = Op(*row[:10], prev=chain.ZERO, chain=chain.link(chain.ZERO, op))
                insert_op(conn, op)
        assert chain.problems(other.conn) == [f"device {origin.device}: {found}"]
        assert f"op chain: device {origin.device}: {found}" in other.check()
    finally:
        origin.close()
        other.close()


def test_backfill_waits_at_a_gap_until_it_is_filled(tmp_path: Path) -> None:
    origin = Vault.create(tmp_path / "a", PASSPHRASE, "Ana")
    other = Vault.create(tmp_path / "b", PASSPHRASE, "Ben")
    try:
        write_some(origin, 4)
        live = chains(origin)
        _copy_without_chain(origin, other, skip=frozenset({3}))
        with other.transaction() as conn:
            assert chain.backfill(conn) == 2  # seq 1 and 2; above the gap: not yet known
        held = chains(other, origin.device)
        assert held[:2] == live[:2]
        assert {c for _, _, c in held[2:]} == {""}
        row = origin.conn.execute(f"SELECT {Op.COLUMNS} FROM ops WHERE seq = 3").fetchone()
        with other.transaction() as conn:
            insert_op(conn, Op(*row))
            assert chain.backfill(conn) == len(live) - 2
        assert chains(other, origin.device) == live
    finally:
        origin.close()
        other.close()


def test_the_column_lists_match_op() -> None:
    assert ", ".join(chain.COLUMNS) == Op.COLUMNS
    assert ", ".join(chain.WIRE_COLUMNS) == Op.WIRE_COLUMNS


def test_sign_head_signs_the_newest_own_op(vault: Vault) -> None:
    with vault.transaction() as conn:
        assert chain.sign_head(conn, vault.keys, vault.device) is None
    write_some(vault, 2)
    with vault.transaction() as conn:
        head = chain.sign_head(conn, vault.keys, vault.device)
    assert head is not None
    top = chains(vault)[-1]
    assert (head.device, head.seq, head.chain) == (vault.device, top[0], top[2])
    assert head.verify(vault.identity().sign_pub)
    assert not head.verify(identity.generate().public("x", "X").sign_pub)
    with vault.transaction() as conn:
        assert chain.sign_head(conn, vault.keys, vault.device) == head  # kept, not re-signed
    assert chain.signed_top(vault.conn) == {vault.device: head.seq}


def test_heads_for_carries_the_highest_head_of_each_run(vault: Vault) -> None:
    signed = []
    for _ in range(3):
        write_some(vault, 1)
        with vault.transaction() as conn:
            head = chain.sign_head(conn, vault.keys, vault.device)
        assert head is not None
        signed.append(head)
    assert chain.heads_for(vault.conn, {}) == [signed[-1]]  # one run: the top reaches all
    assert chain.heads_for(vault.conn, {vault.device: signed[-1].seq}) == [signed[-1]]
    assert chain.heads_for(vault.conn, {vault.device: signed[-1].seq + 1}) == []
    assert chain.heads_for(vault.conn, {"someone else": 99}) == [signed[-1]]


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.tuples(text, text, st.integers(-2**63, 2**63 - 1), text, text, text, text, text, text,
                 text), st.one_of(st.none(), st.integers(-5, 5), text))
def test_python_and_sql_canonical_bytes_agree(row: tuple[object, ...], odd: object) -> None:
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute(f"CREATE TABLE ops ({', '.join(chain.COLUMNS)})")
        for values in (row, (*row[:9], odd)):
            conn.execute("DELETE FROM ops")
            conn.execute(f"INSERT INTO ops VALUES ({', '.join('?' * 10)})", values)
            sql = conn.execute(f"SELECT {chain.canonical_sql()} FROM ops").fetchone()[0]
            assert sql == chain.canonical(values)
    finally:
        conn.close()
