"""Authorship survives relaying: an op is imported only when its own device signed it.

The bundle format is the lead's; these tests attach a bundle schema themselves (a keyed
temporary SQLCipher file) holding `ops` with Op.WIRE_COLUMNS and `heads` (HEADS_DDL), and
merge the ops as an import would (INSERT of the new ones, store_heads)."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachdesk import identity
from coachdesk.store import chain, participants
from coachdesk.store.chain import Head
from coachdesk.store.oplog import Op
from coachdesk.store.vault import Vault
from coachdesk.sync import authorship, peers
from coachdesk.sync.authorship import ForgedChange
from tests.conftest import person
from tests.sync.syncutil import make_vault

BUNDLE_OPS = (
    "CREATE TABLE bundle.ops (op_id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, "
    "hlc TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, "
    "value TEXT NOT NULL, parents TEXT NOT NULL, author TEXT NOT NULL, scope TEXT NOT NULL, "
    "sseq INTEGER NOT NULL, prev TEXT NOT NULL, chain TEXT NOT NULL) WITHOUT ROWID")
Row = tuple[Any, ...]
# Positions in a row of Op.WIRE_COLUMNS.
DEVICE, SEQ, FIELD, VALUE, SCOPE, SSEQ, PREV, CHAIN = 1, 2, 6, 7, 10, 11, 12, 13


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, Vault]]:
    vaults = {name: make_vault(tmp_path, name) for name in ("ana", "ben", "cleo")}
    yield vaults
    for v in vaults.values():
        with contextlib.suppress(Exception):
            v.close()


def keys_of(*vaults: Vault) -> dict[str, bytes]:
    return {v.device: v.identity().sign_pub for v in vaults}


def write(vault: Vault, n: int = 2) -> None:
    for i in range(n):
        pid = participants.create(vault, person(f"{vault.coach} {i} {secrets.token_hex(2)}"))
        participants.update(vault, pid, {"pronouns": "they/them"})


def sign(vault: Vault) -> list[Head]:
    """Sign the device's chain tops; the heads it holds for its own chains."""
    with vault.transaction() as conn:
        chain.sign_heads(conn, vault.keys, vault.device)
    return [chain.head_of(r) for r in vault.conn.execute(
        f"SELECT {chain.HEAD_COLUMNS} FROM chain_head WHERE device = ?", (vault.device,))]


def top_head(sender: Vault, device: str, scope: str) -> Head | None:
    row = sender.conn.execute(f"SELECT {chain.HEAD_COLUMNS} FROM chain_head WHERE device = ? "
                              "AND scope = ? ORDER BY sseq DESC LIMIT 1", (device, scope)).fetchone()
    return None if row is None else chain.head_of(row)


def export(sender: Vault, base: peers.VersionVector | None = None) -> tuple[list[Row], list[Head]]:
    """What a bundle from `sender` carries: per chain its ops above base up to the highest
    head it holds, and that head (as sync/bundle.write does)."""
    base = base or {}
    sign(sender)
    rows, heads = [], []
    for device, scope in sender.conn.execute("SELECT DISTINCT device, scope FROM ops").fetchall():
        head = top_head(sender, device, scope)
        if head is None or head.sseq <= base.get((device, scope), 0):
            continue
        heads.append(head)
        rows += sender.conn.execute(
            f"SELECT {Op.WIRE_COLUMNS} FROM ops WHERE device = ? AND scope = ? AND sseq > ? "
            "AND sseq <= ?", (device, scope, base.get((device, scope), 0), head.sseq)).fetchall()
    return sorted(rows), heads


@contextlib.contextmanager
def attached(receiver: Vault, rows: Sequence[Row], heads: Sequence[Head]) -> Iterator[list[Head]]:
    """The bundle attached as `bundle` (a keyed temp SQLCipher file); yields its heads read back."""
    path = receiver.directory / f"bundle-{secrets.token_hex(4)}.tmp"
    conn = receiver.conn
    conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(path), secrets.token_hex(16)))
    try:
        with receiver.transaction():
            conn.execute(BUNDLE_OPS)
            conn.execute(authorship.HEADS_DDL)
            conn.executemany(f"INSERT INTO bundle.ops ({Op.WIRE_COLUMNS}) "
                             f"VALUES ({', '.join('?' * 14)})", rows)
            authorship.write_heads(conn, heads)
        yield authorship.read_heads(conn)
    finally:
        conn.execute("DETACH DATABASE bundle")
        path.unlink(missing_ok=True)


def receive(receiver: Vault, rows: Sequence[Row], heads: Sequence[Head],
            keys: dict[str, bytes]) -> int:
    """Verify, then merge as an import would; returns how many ops were new."""
    with attached(receiver, rows, heads) as carried:
        authorship.verify_new_ops(receiver.conn, carried, keys.get)
        with receiver.transaction() as conn:
            new = conn.execute(
                f"INSERT INTO main.ops ({Op.WIRE_COLUMNS}) SELECT {Op.WIRE_COLUMNS} FROM bundle.ops b "
                "WHERE NOT EXISTS (SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)").rowcount
            chain.store_heads(conn, carried)
    return int(new)


def refused(receiver: Vault, rows: Sequence[Row], heads: Sequence[Head], keys: dict[str, bytes],
            match: str) -> None:
    before = receiver.conn.execute("SELECT * FROM ops ORDER BY op_id").fetchall()
    held = receiver.conn.execute("SELECT * FROM chain_head ORDER BY 1, 2").fetchall()
    with pytest.raises(ForgedChange, match=match):
        receive(receiver, rows, heads, keys)
    assert receiver.conn.execute("SELECT * FROM ops ORDER BY op_id").fetchall() == before
    assert receiver.conn.execute("SELECT * FROM chain_head ORDER BY 1, 2").fetchall() == held


def relink(rows: list[Row], device: str, scope: str, start: int) -> list[Row]:
    """Recompute prev and chain of `device`'s ops of `scope` from sseq `start` up (a
    forger's best try)."""
    out, prev = [], None
    for row in sorted(rows, key=lambda r: (r[DEVICE], r[SCOPE], r[SSEQ])):
        if row[DEVICE] == device and row[SCOPE] == scope and row[SSEQ] >= start:
            prev = row[PREV] if prev is None else prev
            row = (*row[:PREV], prev, chain.link(prev, row))
            prev = row[CHAIN]
        out.append(row)
    return out


# ---- honest histories -----------------------------------------------------------------


def test_direct_and_relayed_ops_of_two_devices_are_accepted(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 3)
    assert receive(ben, *export(ana), keys) > 0  # direct: ana -> ben
    write(ben, 2)
    rows, heads = export(ben)  # relayed: ana's ops and ana's head, carried by ben
    assert {h.device for h in heads} == {ana.device, ben.device}
    assert receive(cleo, rows, heads, keys) == len(rows)
    assert cleo.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == len(rows)
    write(ana, 2)  # and incrementally, ana -> ben -> cleo again
    held = peers.holdings(cleo.conn)
    top = max(r[0] for r in cleo.conn.execute("SELECT seq FROM ops WHERE device = ?", (ana.device,)))
    receive(ben, *export(ana, held), keys)
    fresh = ana.conn.execute("SELECT count(*) FROM ops WHERE seq > ?", (top,))
    assert receive(cleo, *export(ben, held), keys) == fresh.fetchone()[0] > 0


def test_verification_needs_no_head_for_ops_already_held(team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    keys = keys_of(ana, ben)
    write(ana)
    rows, heads = export(ana)
    receive(ben, rows, heads, keys)
    assert receive(ben, rows, [], keys) == 0  # the same ops again, no heads: nothing new


def test_a_head_kept_from_an_earlier_bundle_verifies_later_ops(team: dict[str, Vault]) -> None:
    ana, cleo = team["ana"], team["cleo"]
    keys = keys_of(ana, cleo)
    write(ana)
    first = sign(ana)
    top = max(h.seq for h in first)
    write(ana)
    rows, heads = export(ana)
    early = [r for r in rows if r[SEQ] <= top]
    assert receive(cleo, early, [*first, *heads], keys) == len(early)  # all heads kept
    assert receive(cleo, [r for r in rows if r[SEQ] > top], [], keys) == len(rows) - len(early)


def test_an_old_op_without_chain_in_this_vault_is_walked_through_the_bundle(
        team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    keys = keys_of(ana, ben)
    write(ana, 3)
    rows, heads = export(ana)
    gap = next(r for r in rows if r[SSEQ] == 1 and r[SCOPE] == rows[-1][SCOPE])
    old = [r for r in rows if r is not gap]
    with ben.transaction() as conn:  # ben holds ana's ops without chains (as migration 0017
        conn.executemany(                                 # left them), with a gap in one chain
            f"INSERT INTO ops ({Op.COLUMNS}) VALUES ({', '.join('?' * 12)})",
            [r[:PREV] for r in old])
        chain.backfill(conn)
    assert receive(ben, rows, heads, keys) == 1
    with ben.transaction() as conn:
        chain.backfill(conn)
    assert ben.conn.execute("SELECT seq, prev, chain FROM ops WHERE device = ? ORDER BY seq",
                            (ana.device,)).fetchall() == [(r[SEQ], r[PREV], r[CHAIN]) for r in
                                                          sorted(rows, key=lambda r: r[SEQ])]


Step = tuple[str, int, int, int]  # ("write" | "send", actor, to, base taken from)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["write", "send"]), st.integers(0, 2), st.integers(0, 2),
                          st.integers(0, 2)), min_size=4, max_size=12))
def test_honest_histories_in_any_order_verify(tmp_path_factory: pytest.TempPathFactory,
                                              steps: list[Step]) -> None:
    """Writes and bundles among three vaults in any order, a bundle's base taken from any
    vault's holdings (so some arrive with gaps, as an incremental bundle meant for someone
    else does): every bundle verifies, and every vault ends with its origins' chains."""
    root = tmp_path_factory.mktemp("team")
    vaults = [make_vault(root, name) for name in ("ana", "ben", "cleo")]
    keys = keys_of(*vaults)
    try:
        for kind, actor, to, base_of in steps:
            if kind == "write":
                write(vaults[actor], 1)
            elif actor != to:
                base = peers.holdings(vaults[base_of].conn)
                receive(vaults[to], *export(vaults[actor], base), keys)
        for vault in vaults:
            for origin in vaults:
                held = vault.conn.execute("SELECT seq, prev, chain FROM ops WHERE device = ?",
                                          (origin.device,)).fetchall()
                own = set(origin.conn.execute("SELECT seq, prev, chain FROM ops WHERE device = ?",
                                              (origin.device,)).fetchall())
                assert set(held) <= own
    finally:
        for vault in vaults:
            vault.close()


# ---- forgeries ----------------------------------------------------------------------------


def forged_op(like: Row, device: str, seq: int, prev: str, value: str = '"Forged"') -> Row:
    """An op under `device`, next in the chain of `like` (its scope, sseq + 1)."""
    row = (f"{device}:{seq}", device, seq, like[3], like[4], like[5], "alias",
           json.dumps(json.loads(value)), "[]", "Mallory", like[SCOPE], like[SSEQ] + 1)
    return (*row, prev, chain.link(prev, row))


@pytest.mark.parametrize("relayed", [False, True])
def test_an_op_under_another_device_with_a_fresh_seq_is_refused(
        team: dict[str, Vault], relayed: bool) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    receive(cleo, *export(ana), keys)
    rows, heads = export(ben)
    top = max((r for r in rows if r[DEVICE] == ana.device), key=lambda r: r[SEQ])
    forged = forged_op(top, ana.device, top[SEQ] + 1, top[CHAIN])
    carried = rows + [forged] if relayed else [forged]
    refused(cleo, carried, heads, keys, f"device {ana.device[:12]} are not signed")


def test_an_op_whose_value_was_changed_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    changed = [(*r[:7], '"Changed"', *r[8:]) if r[DEVICE] == ana.device and r[FIELD] == "alias"
               else r for r in rows]
    refused(cleo, changed, heads, keys, "does not match its chain")


def test_an_op_moved_to_another_persons_chain_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 2)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    people = sorted({r[SCOPE] for r in rows if r[SCOPE]})
    target = next(r for r in rows if r[SCOPE] == people[0] and r[SSEQ] == 2)
    # The op claims the other person's chain, in the place after its top, chained properly.
    other_top = max((r for r in rows if r[SCOPE] == people[1]), key=lambda r: r[SSEQ])
    moved = (*target[:SCOPE], people[1], other_top[SSEQ] + 1)
    moved = (*moved, other_top[CHAIN], chain.link(other_top[CHAIN], moved))
    refused(cleo, [r for r in rows if r is not target] + [moved], heads, keys,
            "not signed by that device")
    # Or only its scope changed, chain kept: it no longer matches its chain.
    relabelled = (*target[:SCOPE], people[1], *target[SSEQ:])
    refused(cleo, [r for r in rows if r is not target] + [relabelled], heads, keys,
            "does not match its chain")


def test_two_ops_claiming_one_place_in_a_chain_are_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 1)
    rows, heads = export(ana)
    top = max(rows, key=lambda r: r[SEQ])
    twin = forged_op(top, ana.device, top[SEQ] + 1, top[PREV])  # the same sseq as top
    twin = (*twin[:SSEQ], top[SSEQ], top[PREV], chain.link(top[PREV], (*twin[:SSEQ], top[SSEQ])))
    refused(cleo, [*rows, twin], heads, keys, "claim one place")


def test_an_op_whose_value_and_chain_were_recomputed_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 3)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    target = next(r for r in rows if r[DEVICE] == ana.device and r[FIELD] == "alias"
                  and r[SEQ] > 1)
    changed = [(*r[:7], '"Changed"', *r[8:]) if r is target else r for r in rows]
    for start in (target[SSEQ], 1):  # the one op, or the whole chain, recomputed
        refused(cleo, relink(changed, ana.device, target[SCOPE], start), heads, keys,
                f"device {ana.device[:12]} are not signed")


def test_a_head_with_a_bad_signature_is_refused(team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    keys = keys_of(ana, ben)
    write(ana)
    rows, heads = export(ana)
    bad = [Head(h.device, h.scope, h.sseq, h.seq, h.chain,
                bytes([h.signature[0] ^ 1]) + h.signature[1:]) for h in heads]
    refused(ben, rows, bad, keys, "signature of device .* is not valid")
    moved = [Head(h.device, h.scope, h.sseq - 1, h.seq, h.chain, h.signature) for h in heads]
    refused(ben, rows, moved, keys, "signature of device .* is not valid")


def test_a_head_signed_by_another_devices_key_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    rows, _ = export(ben)
    top = max((r for r in rows if r[DEVICE] == ana.device), key=lambda r: r[SEQ])
    forged = forged_op(top, ana.device, top[SEQ] + 1, top[CHAIN])
    # ben signs a head for ana's id with ben's own key
    place = (ana.device, forged[SCOPE], forged[SSEQ], forged[SEQ], forged[CHAIN])
    head = Head(*place, identity.sign(ben.keys, chain.head_bytes(*place)))
    refused(cleo, [*rows, forged], [head], keys, f"signature of device {ana.device[:12]}")


def test_a_head_of_an_unknown_device_is_refused(team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    write(ana)
    refused(ben, *export(ana), keys_of(ben), "not a member of this team")


@pytest.mark.parametrize("spoil", [
    {"seq": "one"}, {"seq": 0}, {"chain": "AB" * 32}, {"chain": "ab"}, {"signature": "00" * 63},
    {"signature": b"\x00" * 64}, {"device": ""}, {"sseq": 0}, {"sseq": "two"}, {"scope": b"x"},
])
def test_malformed_heads_in_a_bundle_are_refused(team: dict[str, Vault],
                                                 spoil: dict[str, object]) -> None:
    ana, ben = team["ana"], team["ben"]
    write(ana)
    _, heads = export(ana)
    values = {"device": ana.device, "scope": heads[0].scope, "sseq": heads[0].sseq,
              "seq": heads[0].seq, "chain": heads[0].chain, "signature": heads[0].signature.hex(),
              **spoil}
    conn = ben.conn
    path = ben.directory / "bad.tmp"
    conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(path), "k" * 16))
    try:
        conn.execute(authorship.HEADS_DDL)
        conn.execute("INSERT INTO bundle.heads VALUES (:device, :scope, :sseq, :seq, :chain, "
                     ":signature)", values)
        with pytest.raises(ForgedChange, match="malformed"):
            authorship.read_heads(conn)
    finally:
        conn.execute("DETACH DATABASE bundle")


# ---- speed ------------------------------------------------------------------------------


def test_a_hundred_thousand_relayed_ops_verify_in_well_under_a_second(tmp_path: Path) -> None:
    ana, ben = make_vault(tmp_path, "ana"), make_vault(tmp_path, "ben")
    try:
        rows: list[Row] = []
        prev = chain.ZERO
        for seq in range(1, 100_001):
            row = (f"{ana.device}:{seq}", ana.device, seq, f"{1767225600 + seq:016d}.000000",
                   "resource", f"row{seq // 10}", "name", json.dumps(f"Service {seq}"), "[]",
                   "Ana", "", seq)
            prev_now, prev = prev, chain.link(prev, row)
            rows.append((*row, prev_now, prev))
        place = (ana.device, "", 100_000, 100_000, prev)
        head = Head(*place, identity.sign(ana.keys, chain.head_bytes(*place)))
        with attached(ben, rows, [head]) as carried:
            started = time.perf_counter()
            authorship.verify_new_ops(ben.conn, carried, keys_of(ana).get)
            elapsed = time.perf_counter() - started
        print(f"verify_new_ops, 100k ops: {elapsed:.3f} s")
        assert elapsed < 2.0, f"{elapsed:.2f} s"  # about 0.3 s alone; the machine is shared
    finally:
        ana.close()
        ben.close()
