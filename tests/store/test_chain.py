"""Each device's ops form a hash chain per scope (store/chain.py): live writes, backfill,
signed heads."""

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
    """Every op of the device, numbered 1, 2, 3... by seq, and within each scope by sseq,
    each linked to the one below it in its scope."""
    rows = vault.conn.execute(f"SELECT {Op.WIRE_COLUMNS} FROM ops WHERE device = ? ORDER BY seq",
                              (device or vault.device,)).fetchall()
    assert rows
    last: dict[str, tuple[int, str]] = {}
    for seq, row in enumerate(rows, start=1):
        op = Op(*row)
        assert op.seq == seq
        sseq, prev = last.get(op.scope, (0, chain.ZERO))
        assert op.sseq == sseq + 1
        assert op.prev == prev
        assert op.chain == chain.link(op.prev, op)
        last[op.scope] = (op.sseq, op.chain)
    assert len(last) > 1  # a person's scope and the team's (the caseload record) at least


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
    for change in ("chain = ?", "prev = ?", "value = '\"x\"'", "scope = ''", "sseq = 9"):
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


def test_a_vault_whose_chains_were_cleared_gets_them_at_its_first_unlock(
        vault: Vault, vault_dir: Path) -> None:
    """Migration 0017 clears every chain (per device it was one, now one per scope) and the
    first unlock computes them again: the same values live writing gives."""
    write_some(vault, 4)
    live = chains(vault)
    conn = vault.conn
    with vault.transaction():  # as migration 0017 leaves a vault
        conn.execute("DROP TRIGGER ops_no_update")
        conn.execute("UPDATE ops SET prev = '', chain = ''")
        conn.execute("UPDATE own_scope SET chain = ''")
        conn.execute("DELETE FROM chain_head")
        conn.execute("CREATE TRIGGER ops_no_update BEFORE UPDATE ON ops WHEN old.chain != '' "
                     "BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END")
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


@pytest.mark.parametrize("spoil, found", [
    ("value", "change 2 of a chain does not match it"),
    ("prev", "change 2 of a chain does not follow the one below")])
def test_check_finds_an_op_off_its_chain(tmp_path: Path, spoil: str, found: str) -> None:
    origin = Vault.create(tmp_path / "a", PASSPHRASE, "Ana")
    other = Vault.create(tmp_path / "b", PASSPHRASE, "Ben")
    try:
        write_some(origin, 2)
        assert origin.check() == [] and chain.problems(origin.conn) == []
        rows = origin.conn.execute(f"SELECT {Op.WIRE_COLUMNS} FROM ops ORDER BY seq").fetchall()
        first_person = rows[0][Op.COLUMNS.split(", ").index("scope")]
        with other.transaction() as conn:
            for row in rows:
                op = Op(*row)
                # The op numbered 2 in the first person's chain (their second change).
                spoiled = op.scope == first_person and op.sseq == 2
                if spoiled and spoil == "value":  # the value changed, its chain kept
                    op = Op(*row[:7], '"Changed"', *row[8:])
                if spoiled and spoil == "prev":  # a valid link, but off the chain
                    op = Op(*row[:12], prev=chain.ZERO, chain=chain.link(chain.ZERO, op))
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
            filled = chain.backfill(conn)  # everything but what sits above the gap in its scope
        gap_scope, gap_sseq = origin.conn.execute(
            "SELECT scope, sseq FROM ops WHERE seq = 3").fetchone()
        waiting = other.conn.execute("SELECT count(*) FROM ops WHERE scope = ? AND sseq > ?",
                                     (gap_scope, gap_sseq)).fetchone()[0]
        assert filled == len(live) - 1 - waiting and waiting > 0
        assert {c for s, _, c in chains(other, origin.device) if s != 3} - {""}
        assert other.conn.execute("SELECT count(*) FROM ops WHERE chain = ''").fetchone()[0] == waiting
        row = origin.conn.execute(f"SELECT {Op.COLUMNS} FROM ops WHERE seq = 3").fetchone()
        with other.transaction() as conn:
            insert_op(conn, Op(*row))
            assert chain.backfill(conn) == waiting + 1
        assert chains(other, origin.device) == live
    finally:
        origin.close()
        other.close()


def test_the_column_lists_match_op() -> None:
    assert ", ".join(chain.COLUMNS) == Op.COLUMNS
    assert ", ".join(chain.WIRE_COLUMNS) == Op.WIRE_COLUMNS


def test_sign_heads_signs_each_scopes_newest_own_op_once(vault: Vault) -> None:
    with vault.transaction() as conn:
        assert chain.sign_heads(conn, vault.keys, vault.device) == 0
    write_some(vault, 2)
    with vault.transaction() as conn:
        signed = chain.sign_heads(conn, vault.keys, vault.device)
    tops = vault.conn.execute("SELECT scope, sseq, seq, chain FROM own_scope ORDER BY scope").fetchall()
    assert signed == len(tops) == 3  # two people and the team's caseload records
    heads = [chain.head_of(r) for r in vault.conn.execute(
        f"SELECT {chain.HEAD_COLUMNS} FROM chain_head ORDER BY scope")]
    assert [(h.scope, h.sseq, h.seq, h.chain) for h in heads] == tops
    for head in heads:
        assert head.verify(vault.identity().sign_pub)
        assert not head.verify(identity.generate().public("x", "X").sign_pub)
        op = vault.conn.execute("SELECT scope, sseq, chain FROM ops WHERE device = ? AND seq = ?",
                                (vault.device, head.seq)).fetchone()
        assert op == (head.scope, head.sseq, head.chain)
    with vault.transaction() as conn:
        assert chain.sign_heads(conn, vault.keys, vault.device) == 0  # kept, not re-signed
    write_some(vault, 1)
    with vault.transaction() as conn:
        assert chain.sign_heads(conn, vault.keys, vault.device) == 2  # a new person, the team


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.tuples(text, text, st.integers(-2**63, 2**63 - 1), text, text, text, text, text, text,
                 text, text, st.integers(0, 2**31)), st.one_of(st.none(), st.integers(-5, 5), text))
def test_python_and_sql_canonical_bytes_agree(row: tuple[object, ...], odd: object) -> None:
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute(f"CREATE TABLE ops ({', '.join(chain.COLUMNS)})")
        for values in (row, (*row[:11], odd)):
            conn.execute("DELETE FROM ops")
            conn.execute(f"INSERT INTO ops VALUES ({', '.join('?' * 12)})", values)
            sql = conn.execute(f"SELECT {chain.canonical_sql()} FROM ops").fetchone()[0]
            assert sql == chain.canonical(values)
    finally:
        conn.close()
