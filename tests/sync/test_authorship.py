"""Authorship survives relaying: an op is imported only when its own device signed it.

Each device has one chain per scope (store/chain.py). The bundle format is the lead's;
these tests attach a bundle schema themselves (a keyed temporary SQLCipher file) holding
`ops` with Op.WIRE_COLUMNS and `heads` (HEADS_DDL), choose what a bundle carries as
bundle.write does (its plan: per chain, the ops above the base up to a signed head), and
merge the ops as an import would (INSERT of the new ones, store_heads, the held prefix)."""

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
from coachdesk.sync import authorship, bundle, merge, peers, service
from coachdesk.sync.authorship import ForgedChange
from coachdesk.sync.peers import VersionVector
from tests.conftest import person
from tests.sync.syncutil import make_vault, make_vaults

BUNDLE_OPS = (
    "CREATE TABLE bundle.ops (op_id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, "
    "hlc TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, "
    "value TEXT NOT NULL, parents TEXT NOT NULL, author TEXT NOT NULL, scope TEXT NOT NULL, "
    "sseq INTEGER NOT NULL, prev TEXT NOT NULL, chain TEXT NOT NULL) WITHOUT ROWID")
Row = tuple[Any, ...]
# Positions in a row of Op.WIRE_COLUMNS.
SEQ, VALUE, SCOPE, SSEQ, PREV, CHAIN = 2, 7, 10, 11, 12, 13
N_COLUMNS = len(chain.WIRE_COLUMNS)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, Vault]]:
    vaults = {name: make_vault(tmp_path, name) for name in ("ana", "ben", "cleo")}
    yield vaults
    for v in vaults.values():
        with contextlib.suppress(Exception):
            v.close()


def keys_of(*vaults: Vault) -> dict[str, bytes]:
    return {v.device: v.identity().sign_pub for v in vaults}


def write(vault: Vault, n: int = 2) -> list[str]:
    """`n` new people (each its own scope; their caseload records the team's)."""
    made = []
    for i in range(n):
        pid = participants.create(vault, person(f"{vault.coach} {i} {secrets.token_hex(2)}"))
        participants.update(vault, pid, {"pronouns": "they/them"})
        made.append(pid)
    return made


def held_heads(vault: Vault, device: str | None = None) -> list[Head]:
    return [chain.head_of(r) for r in vault.conn.execute(
        f"SELECT {chain.HEAD_COLUMNS} FROM chain_head WHERE device = ? ORDER BY scope, sseq",
        (device or vault.device,))]


def sign(vault: Vault) -> list[Head]:
    """Sign every own chain's top; the own heads this vault now keeps."""
    with vault.transaction() as conn:
        chain.sign_heads(conn, vault.keys, vault.device)
    return held_heads(vault)


def export(sender: Vault, base: VersionVector | None = None) -> tuple[list[Row], list[Head]]:
    """What a bundle from `sender` for a reader holding `base` carries, chosen by
    bundle.write's own plan: per chain, its ops above the base up to the highest signed
    head within what the sender holds without a gap, and that head."""
    columns = ", ".join(f"o.{c}" for c in chain.WIRE_COLUMNS)
    with sender.transaction() as conn:
        chain.sign_heads(conn, sender.keys, sender.device)
        bundle._plan(conn, None, base or {})
        rows = conn.execute(
            f"SELECT {columns} FROM temp.want w CROSS JOIN main.ops o ON o.scope = w.scope "
            "AND o.device = w.device AND o.sseq > w.lo AND o.sseq <= w.hi ORDER BY o.op_id"
        ).fetchall()
        heads = [chain.head_of(r) for r in conn.execute(
            "SELECT c.device, c.scope, c.sseq, c.seq, c.chain, c.signature FROM temp.want w "
            "JOIN main.chain_head c ON c.device = w.device AND c.scope = w.scope "
            "AND c.sseq = w.hi ORDER BY 1, 2")]
    return rows, heads


def all_ops(vault: Vault, device: str | None = None) -> list[Row]:
    """Every op the vault holds (of `device`), chained or not: a bundle a forger makes."""
    where, args = ("WHERE device = ?", (device,)) if device else ("", ())
    return vault.conn.execute(f"SELECT {Op.WIRE_COLUMNS} FROM ops {where} ORDER BY op_id",
                              args).fetchall()


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
                             f"VALUES ({', '.join('?' * N_COLUMNS)})", rows)
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
            peers.refresh_held(conn, conn.execute(
                "SELECT DISTINCT device, scope FROM bundle.ops").fetchall())
    return int(new)


def refused(receiver: Vault, rows: Sequence[Row], heads: Sequence[Head], keys: dict[str, bytes],
            match: str) -> None:
    before = receiver.conn.execute("SELECT * FROM ops ORDER BY op_id").fetchall()
    held = receiver.conn.execute("SELECT * FROM chain_head ORDER BY 1, 2, 3").fetchall()
    with pytest.raises(ForgedChange, match=match):
        receive(receiver, rows, heads, keys)
    assert receiver.conn.execute("SELECT * FROM ops ORDER BY op_id").fetchall() == before
    assert receiver.conn.execute("SELECT * FROM chain_head ORDER BY 1, 2, 3").fetchall() == held


def with_chain(row: Row, prev: str) -> Row:
    """`row` (its first twelve columns) linked after `prev`."""
    return (*row[:PREV], prev, chain.link(prev, row[:PREV]))


def relink(rows: list[Row], device: str, scope: str, start: int) -> list[Row]:
    """Recompute prev and chain of `device`'s ops of `scope` from sseq `start` up (a
    forger's best try)."""
    out, prev = [], None
    for row in sorted(rows, key=lambda r: (r[1], r[SCOPE], r[SSEQ])):
        if row[1] == device and row[SCOPE] == scope and row[SSEQ] >= start:
            prev = row[PREV] if prev is None else prev
            row = with_chain(row, prev)
            prev = row[CHAIN]
        out.append(row)
    return out


def insert_unchained(vault: Vault, rows: Sequence[Row]) -> None:
    """Put ops into `vault` as before migration 0017 left them (no chain), chain what it can."""
    with vault.transaction() as conn:
        conn.executemany(f"INSERT INTO ops ({Op.COLUMNS}) VALUES ({', '.join('?' * PREV)})",
                         [r[:PREV] for r in rows])
        chain.backfill(conn)
        peers.refresh_held(conn, {(r[1], r[SCOPE]) for r in rows})


# ---- honest histories -----------------------------------------------------------------


def test_direct_and_relayed_ops_of_two_devices_are_accepted(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 3)
    assert receive(ben, *export(ana), keys) > 0  # direct: ana -> ben
    write(ben, 2)
    rows, heads = export(ben)  # relayed: ana's ops and ana's heads, carried by ben
    assert {h.device for h in heads} == {ana.device, ben.device}
    assert {(h.device, h.scope) for h in heads} == {(r[1], r[SCOPE]) for r in rows}
    assert receive(cleo, rows, heads, keys) == len(rows)
    assert cleo.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == len(rows)
    write(ana, 2)  # and incrementally, ana -> ben -> cleo again
    held = peers.holdings(cleo.conn)
    receive(ben, *export(ana, {k: n for k, n in held.items() if k[0] == ana.device}), keys)
    fresh = len({r[0] for r in all_ops(ana)} - {r[0] for r in all_ops(cleo)})
    assert receive(cleo, *export(ben, held), keys) == fresh > 0


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
    (pid,) = write(ana, 1)
    first = sign(ana)
    participants.update(ana, pid, {"pronouns": "she/her"})  # the same person's chain goes on
    write(ana, 1)  # and the team's
    rows, heads = export(ana)
    signed = {h.scope: h.sseq for h in first}
    early = [r for r in rows if r[SSEQ] <= signed.get(r[SCOPE], 0)]
    later = [r for r in rows if r not in early]
    assert {r[SCOPE] for r in later} >= {pid, ""}
    assert receive(cleo, early, [*first, *heads], keys) == len(early)  # every head kept
    assert receive(cleo, later, [], keys) == len(later)


def test_ops_from_before_the_chain_travel_on_once_their_origin_sent_a_head(
        team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana, 2)
    insert_unchained(ben, all_ops(ana))  # ben got ana's ops before migration 0017
    assert not held_heads(ben, ana.device)
    rows, heads = export(ben)
    assert rows == [] and heads == []  # ben sends no op no head of its origin reaches
    refused(cleo, all_ops(ben), [], keys, f"device {ana.device[:12]} are not signed")
    rows, heads = export(ana, peers.holdings(ben.conn))  # nothing new for ben, but ana's heads
    tops = ana.conn.execute("SELECT scope, sseq FROM own_scope ORDER BY scope").fetchall()
    assert rows == [] and [(h.scope, h.sseq) for h in heads] == tops
    receive(ben, rows, heads, keys)
    rows, heads = export(ben)
    assert len(rows) == len(all_ops(ana))
    assert receive(cleo, rows, heads, keys) == len(rows)


def test_an_old_op_without_chain_in_this_vault_is_walked_through_the_bundle(
        team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    keys = keys_of(ana, ben)
    write(ana, 3)
    rows, heads = export(ana)
    gap = next(r for r in rows if r[SEQ] == 3)
    assert any(r[SCOPE] == gap[SCOPE] and r[SSEQ] > gap[SSEQ] for r in rows)  # ops above it
    insert_unchained(ben, [r for r in rows if r is not gap])  # before chains, a gap at seq 3
    assert ben.conn.execute("SELECT count(*) FROM ops WHERE chain = ''").fetchone()[0] > 0
    assert receive(ben, rows, heads, keys) == 1
    with ben.transaction() as conn:
        chain.backfill(conn)
    assert ben.conn.execute(
        "SELECT seq, scope, sseq, prev, chain FROM ops WHERE device = ? ORDER BY seq",
        (ana.device,)).fetchall() == [(r[SEQ], r[SCOPE], r[SSEQ], r[PREV], r[CHAIN])
                                      for r in sorted(rows, key=lambda r: r[SEQ])]


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
            with vault.transaction() as conn:
                chain.backfill(conn)
            for origin in vaults:
                query = "SELECT seq, scope, sseq, prev, chain FROM ops WHERE device = ?"
                held = vault.conn.execute(query, (origin.device,)).fetchall()
                own = set(origin.conn.execute(query, (origin.device,)).fetchall())
                assert set(held) <= own
    finally:
        for vault in vaults:
            vault.close()


# ---- forgeries ----------------------------------------------------------------------------


def forged_op(like: Row, device: str, seq: int, scope: str, sseq: int, prev: str,
              value: str = '"Forged"') -> Row:
    row = (f"{device}:{seq}", device, seq, like[3], like[4], like[5], "alias",
           json.dumps(json.loads(value)), "[]", "Mallory", scope, sseq)
    return with_chain(row, prev)


def top_of(rows: Sequence[Row], device: str, scope: str | None = None) -> Row:
    """`device`'s newest op of `scope` (any scope: of its person scope with most ops)."""
    mine = [r for r in rows if r[1] == device and (scope is None or r[SCOPE] == scope)]
    if scope is None:
        mine = [r for r in mine if r[SCOPE]]
    return max(mine, key=lambda r: (r[SSEQ], r[SCOPE]))


def next_seq(rows: Sequence[Row], device: str) -> int:
    return max(r[SEQ] for r in rows if r[1] == device) + 1


@pytest.mark.parametrize("relayed", [False, True])
def test_an_op_under_another_device_with_a_fresh_seq_is_refused(
        team: dict[str, Vault], relayed: bool) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    receive(cleo, *export(ana), keys)
    rows, heads = export(ben)
    top = top_of(rows, ana.device)
    forged = forged_op(top, ana.device, next_seq(rows, ana.device), top[SCOPE], top[SSEQ] + 1,
                       top[CHAIN])
    carried = rows + [forged] if relayed else [forged]
    refused(cleo, carried, heads, keys, f"device {ana.device[:12]} are not signed")


def test_an_op_whose_value_was_changed_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    changed = [(*r[:VALUE], '"Changed"', *r[VALUE + 1:]) if r[1] == ana.device and r[6] == "alias"
               else r for r in rows]
    refused(cleo, changed, heads, keys, "does not match its chain")


def test_an_op_whose_value_and_chain_were_recomputed_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    (pid,) = write(ana, 1)
    participants.update(ana, pid, {"alias": "Renamed"})
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    target = next(r for r in rows if r[1] == ana.device and r[6] == "alias" and r[SSEQ] > 1)
    changed = [(*r[:VALUE], '"Changed"', *r[VALUE + 1:]) if r is target else r for r in rows]
    for start in (target[SSEQ], 1):  # the one op, or the whole chain of its scope, recomputed
        refused(cleo, relink(changed, ana.device, target[SCOPE], start), heads, keys,
                f"device {ana.device[:12]} are not signed")


def test_an_op_claiming_another_scopes_place_in_a_chain_is_refused(
        team: dict[str, Vault]) -> None:
    """An op of one of ana's chains filed under another of her scopes: as it was (its chain
    value no longer matches it: the canonical bytes cover the scope), or as a new op linked
    onto the other chain's top, or put in place of one of that chain's ops (no head of that
    chain reaches it), or beside it (two ops in one place)."""
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    first, second = write(ana, 2)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    moved = top_of(rows, ana.device, first)
    other = top_of(rows, ana.device, second)
    below = next(r for r in rows if r[1] == ana.device and r[SCOPE] == second
                 and r[SSEQ] == other[SSEQ] - 1)
    as_was = (*moved[:SCOPE], second, *moved[SCOPE + 1:])
    refused(cleo, [as_was if r is moved else r for r in rows], heads, keys,
            "does not match its chain")
    seq = next_seq(rows, ana.device)
    copy = (f"{ana.device}:{seq}", ana.device, seq, *moved[3:SCOPE], second)
    onto_top = with_chain((*copy, other[SSEQ] + 1), other[CHAIN])
    refused(cleo, [*rows, onto_top], heads, keys, f"device {ana.device[:12]} are not signed")
    in_place = with_chain((*copy, other[SSEQ]), below[CHAIN])
    refused(cleo, [*(r for r in rows if r is not other), in_place], heads, keys,
            f"device {ana.device[:12]} are not signed")
    refused(cleo, [*rows, in_place], heads, keys, "claim one place")
    assert receive(cleo, rows, heads, keys) == len(rows)  # the honest bundle goes through


def test_two_ops_claiming_one_place_in_a_chain_are_refused(team: dict[str, Vault]) -> None:
    """Two ops with the same (device, scope, sseq): both in the bundle, or one held here
    already and the other new (it is off the chain the held one is on)."""
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    rows, heads = export(ben)
    top = top_of(rows, ana.device)
    below = next(r for r in rows if r[1] == ana.device and r[SCOPE] == top[SCOPE]
                 and r[SSEQ] == top[SSEQ] - 1)
    twin = forged_op(top, ana.device, next_seq(rows, ana.device), top[SCOPE], top[SSEQ],
                     below[CHAIN])
    refused(cleo, [*rows, twin], heads, keys, f"two changes under device {ana.device[:12]} "
                                               "claim one place in its chain")
    receive(cleo, rows, heads, keys)
    refused(cleo, [*rows, twin], heads, keys, f"device {ana.device[:12]} are not signed")
    refused(cleo, [twin], [], keys, f"device {ana.device[:12]} are not signed")


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
    scopes = [h.scope for h in heads]
    swapped = [Head(h.device, scopes[(i + 1) % len(scopes)], h.sseq, h.seq, h.chain, h.signature)
               for i, h in enumerate(heads)]  # a head given to another of the device's chains
    refused(ben, rows, swapped, keys, "signature of device .* is not valid")


def test_a_head_signed_by_another_devices_key_is_refused(team: dict[str, Vault]) -> None:
    ana, ben, cleo = team["ana"], team["ben"], team["cleo"]
    keys = keys_of(ana, ben, cleo)
    write(ana)
    receive(ben, *export(ana), keys)
    rows, _ = export(ben)
    top = top_of(rows, ana.device)
    forged = forged_op(top, ana.device, next_seq(rows, ana.device), top[SCOPE], top[SSEQ] + 1,
                       top[CHAIN])
    # ben signs a head for ana's id with ben's own key
    place = (ana.device, forged[SCOPE], forged[SSEQ], forged[SEQ], forged[CHAIN])
    head = Head(*place, identity.sign(ben.keys, chain.head_bytes(*place)))
    refused(cleo, [*rows, forged], [head], keys, f"signature of device {ana.device[:12]}")


def test_a_head_of_an_unknown_device_is_refused(team: dict[str, Vault]) -> None:
    ana, ben = team["ana"], team["ben"]
    write(ana)
    refused(ben, *export(ana), keys_of(ben), "not a member of this team")


@pytest.mark.parametrize("spoil", [
    {"seq": "one"}, {"seq": 0}, {"sseq": "one"}, {"sseq": 0}, {"scope": b"\x00"},
    {"chain": "AB" * 32}, {"chain": "ab"}, {"signature": "00" * 63},
    {"signature": b"\x00" * 64}, {"device": ""},
])
def test_malformed_heads_in_a_bundle_are_refused(team: dict[str, Vault],
                                                 spoil: dict[str, object]) -> None:
    ana, ben = team["ana"], team["ben"]
    write(ana)
    _, heads = export(ana)
    values = {"device": ana.device, "scope": heads[0].scope, "sseq": heads[0].sseq,
              "seq": heads[0].seq, "chain": heads[0].chain,
              "signature": heads[0].signature.hex(), **spoil}
    conn = ben.conn
    path = ben.directory / "bad.tmp"
    conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(path), "k" * 16))
    try:
        conn.execute(authorship.HEADS_DDL)
        conn.execute(f"INSERT INTO bundle.heads ({chain.HEAD_COLUMNS}) VALUES (:device, :scope, "
                     ":sseq, :seq, :chain, :signature)", values)
        with pytest.raises(ForgedChange, match="malformed"):
            authorship.read_heads(conn)
    finally:
        conn.execute("DETACH DATABASE bundle")


# ---- speed ------------------------------------------------------------------------------


def test_a_hundred_thousand_relayed_ops_in_a_thousand_chains_verify(tmp_path: Path) -> None:
    """100,000 ops of one device in 1,000 chains (people) of 100, one head each, all
    verified. (How long it takes is a bench figure, printed here: never a timed assertion.)"""
    ana, ben = make_vault(tmp_path, "ana"), make_vault(tmp_path, "ben")
    try:
        rows: list[Row] = []
        heads: list[Head] = []
        seq = 0
        for person_no in range(1000):
            scope, prev = f"person{person_no:04d}", chain.ZERO
            for sseq in range(1, 101):
                seq += 1
                row = with_chain((f"{ana.device}:{seq}", ana.device, seq,
                                  f"{1767225600 + seq:016d}.000000", "participant", scope,
                                  "alias", json.dumps(f"Person {seq}"), "[]", "Ana", scope, sseq),
                                 prev)
                rows.append(row)
                prev = row[CHAIN]
            place = (ana.device, scope, 100, seq, prev)
            heads.append(Head(*place, identity.sign(ana.keys, chain.head_bytes(*place))))
        with attached(ben, rows, heads) as carried:
            started = time.perf_counter()
            authorship.verify_new_ops(ben.conn, carried, keys_of(ana).get)
            elapsed = time.perf_counter() - started
            assert len(carried) == 1000
        print(f"verify_new_ops, 100k ops in 1,000 chains: {elapsed:.3f} s")
        forged = [*rows[:-1], (*rows[-1][:VALUE], '"Forged"', *rows[-1][VALUE + 1:])]
        with attached(ben, forged, heads) as carried, pytest.raises(ForgedChange):
            authorship.verify_new_ops(ben.conn, carried, keys_of(ana).get)
    finally:
        ana.close()
        ben.close()


def test_through_real_bundles_ops_without_a_head_wait_for_their_origins_head(
        tmp_path: Path) -> None:
    """The same through export_bundle and import_bundle: ben holds ana's ops from before
    migration 0017 (no head); his bundles leave them out until ana's bundle to him, which
    has no new op for him, brings her heads; then they reach sue."""
    sue, ana, ben = make_vaults(tmp_path, "sue", "ana", "ben")
    try:
        write(ana, 2)
        insert_unchained(ben, all_ops(ana))
        merge.import_bundle(sue, service.export_bundle(ben, tmp_path / "1", peer=sue.device).path)
        assert all_ops(sue, ana.device) == []
        merge.import_bundle(ana, service.export_bundle(ben, tmp_path / "2", peer=ana.device).path)
        heads_only = service.export_bundle(ana, tmp_path / "3", peer=ben.device).path
        assert merge.import_bundle(ben, heads_only).new_ops == 0
        assert len(held_heads(ben, ana.device)) == len(held_heads(ana))
        merge.import_bundle(sue, service.export_bundle(ben, tmp_path / "4", peer=sue.device).path)
        assert all_ops(sue, ana.device) == all_ops(ana)
    finally:
        for vault in (sue, ana, ben):
            vault.close()
