"""Authorship that survives relaying: an op is imported only if its own device signed it.

    verify_new_ops(conn, heads, sign_key_of)  refuse (ForgedChange) unless every op new to
                                              this vault is reached from a signed head
    HEADS_DDL / write_heads / read_heads      the signed heads inside a bundle

Each device's ops form a hash chain per scope (store/chain.py) and the device signs each
chain's newest value. Whoever relays the ops also relays the heads: a sender exports a
chain's ops above the reader's base up to a head it holds, and that head, having verified
them itself on receipt, so the reader can walk from the head down to every new op. An op
under another member's device id cannot be made to fit: it is either off the chain, or
the chain no longer meets its device's signature.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from coachdesk.errors import CoachdeskError
from coachdesk.store.chain import HEAD_COLUMNS, Head, canonical_sql, is_chain_value, links
from coachdesk.store.db import Connection

HEADS_DDL = (
    "CREATE TABLE bundle.heads (device TEXT NOT NULL, scope TEXT NOT NULL, sseq INTEGER NOT NULL, "
    "seq INTEGER NOT NULL, chain TEXT NOT NULL, signature TEXT NOT NULL, "
    "PRIMARY KEY (device, scope, sseq)) WITHOUT ROWID"
)
"""The table of signed heads in a bundle attached as `bundle` (signature in hex)."""
SIGNATURE_BYTES = 64
_SIGNATURE_HEX = re.compile(f"[0-9a-f]{{{2 * SIGNATURE_BYTES}}}")

SignKeyOf = Callable[[str], "bytes | None"]


class ForgedChange(CoachdeskError):
    """Changes whose authorship does not check out; nothing was imported."""


# ---- heads in a bundle --------------------------------------------------------------


def write_heads(conn: Connection, heads: Iterable[Head]) -> None:
    """Put `heads` into the attached bundle's `heads` table (made with HEADS_DDL)."""
    conn.execute(HEADS_DDL.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
    conn.executemany(f"INSERT OR IGNORE INTO bundle.heads ({HEAD_COLUMNS}) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [h.row() for h in heads])


def read_heads(conn: Connection) -> list[Head]:
    """The heads of the attached bundle, each well-formed (signatures not checked yet:
    verify_new_ops does that), else ForgedChange."""
    rows = conn.execute(f"SELECT {HEAD_COLUMNS} FROM bundle.heads "
                        "ORDER BY device, scope, sseq").fetchall()
    heads = []
    for device, scope, sseq, seq, chain, signature in rows:
        ok = (isinstance(device, str) and device and isinstance(scope, str)
              and type(seq) is int and seq >= 1 and type(sseq) is int and sseq >= 1
              and is_chain_value(chain) and isinstance(signature, str)
              and _SIGNATURE_HEX.fullmatch(signature) is not None)
        if not ok:
            raise ForgedChange("the bundle's signed chain heads are malformed")
        heads.append(Head(device, scope, sseq, seq, chain, bytes.fromhex(signature)))
    return heads


# ---- verification ---------------------------------------------------------------------


_Copy = tuple[str, str]
"""(prev, chain) of one op, as a bundle or this vault holds it."""


def _short(device: str) -> str:
    return device[:12]


_Key = tuple[str, str]


class NewOps:
    """The bundle's ops this vault lacks: (device, scope) -> sseq -> the bundle's copy, each
    checked against its own chain value as it is added. Filled while the bundle's digest
    is computed (sync/bundle.py: one read of the bundle for both); the first problem is
    kept, and raised by verify_new_ops in its turn."""

    def __init__(self) -> None:
        self.chains: dict[_Key, dict[int, _Copy]] = {}
        self.problem: str | None = None

    def add(self, op_id: object, device: object, seq: object, scope: object, sseq: object,
            prev: object, chain: object, data: bytes) -> None:
        """One op as the bundle holds it; `data` its canonical bytes (canonical_sql)."""
        if self.problem is not None:
            return
        if not isinstance(device, str) or type(seq) is not int or op_id != f"{device}:{seq}" \
                or not isinstance(scope, str) or type(sseq) is not int or sseq < 1:
            self.problem = "a change in the bundle has no valid device or number"
        elif not links(prev, chain, data):
            self.problem = f"a change under device {_short(device)} does not match its chain"
        else:
            chain_ops = self.chains.setdefault((device, scope), {})
            if sseq in chain_ops:
                self.problem = (f"two changes under device {_short(device)} claim one place "
                                "in its chain")
            chain_ops[sseq] = (str(prev), str(chain))


NEW_OPS_COLUMNS = "b.op_id, b.device, b.seq, b.scope, b.sseq, b.prev, b.chain"
"""What NewOps.add takes of an op of the attached bundle (`b`), before its canonical bytes."""


def verify_new_ops(conn: Connection, heads: list[Head], sign_key_of: SignKeyOf,
                   new: NewOps | None = None) -> None:
    """Raise ForgedChange unless every op in bundle.ops that main.ops does not hold (same
    op_id) matches its own chain value and is reached from a valid signed head of its
    chain (one of `heads` or one this vault keeps), walking down the chain through ops of
    the bundle and of this vault. Every head in `heads` must be signed by its device's key
    (`sign_key_of(device)`; None: an unknown device). `new`: those ops, collected already
    (else read here). Reads only; changes nothing."""
    for head in heads:
        key = sign_key_of(head.device)
        if key is None:
            raise ForgedChange(f"the bundle holds changes signed by device {_short(head.device)}, "
                               "which is not a member of this team")
        if _kept(conn, head):  # the very head this vault verified when it kept it
            continue
        if not is_chain_value(head.chain) or not head.verify(key):
            raise ForgedChange(f"the signature of device {_short(head.device)} over its changes "
                               "is not valid")
    by_chain: dict[_Key, list[Head]] = {}
    for head in heads:  # grouped once: a filter per chain is chains x heads (quadratic)
        by_chain.setdefault((head.device, head.scope), []).append(head)
    found = new if new is not None else _new_ops(conn)
    if found.problem is not None:
        raise ForgedChange(found.problem)
    for (device, scope), copies in found.chains.items():
        _walk(conn, device, scope, copies, by_chain.get((device, scope), []))


def _kept(conn: Connection, head: Head) -> bool:
    """Whether this vault keeps this head already, signature and all (chain.store_heads
    keeps only verified ones). Every incremental bundle carries the sender's own heads,
    one per person: checking each signature again was most of such an import."""
    return conn.execute(
        "SELECT 1 FROM main.chain_head WHERE device = ? AND scope = ? AND sseq = ? AND seq = ? "
        "AND chain = ? AND signature = ?", head.row()).fetchone() is not None


def _new_ops(conn: Connection) -> NewOps:
    """Every op main.ops lacks, read from the attached bundle."""
    found = NewOps()
    cursor = conn.execute(
        f"SELECT {NEW_OPS_COLUMNS}, {canonical_sql('b')} FROM bundle.ops b "
        "WHERE NOT EXISTS (SELECT 1 FROM main.ops m WHERE m.op_id = b.op_id)")
    while rows := cursor.fetchmany(4096):
        for row in rows:
            found.add(*row)
    return found


def _walk(conn: Connection, device: str, scope: str, new: dict[int, _Copy],
          given: list[Head]) -> None:
    """Walk down from each head of the chain (highest first), one op at a time: the op at
    the head's place must have the head's chain, the op below must have the chain this
    one names as prev. Every new op must be passed on the way."""
    low = min(new)
    held = conn.execute("SELECT sseq, chain FROM main.chain_head WHERE device = ? AND scope = ? "
                        "AND sseq >= ?", (device, scope, low)).fetchall()
    starts = sorted({(h.sseq, h.chain) for h in given if h.sseq >= low} | set(held), reverse=True)
    if not starts:
        raise ForgedChange(f"changes under device {_short(device)} are not signed by that device")
    ours: dict[int, _Copy] = {sseq: (prev, chain) for sseq, prev, chain in conn.execute(
        "SELECT sseq, prev, chain FROM main.ops WHERE scope = ? AND device = ? AND sseq "
        "BETWEEN ? AND ?", (scope, device, low, starts[0][0]))}
    reached = 0
    covered = starts[0][0] + 1  # every sseq from here up was walked already
    for top, chain in starts:
        if top >= covered:
            continue
        sseq, expected = top, chain
        while sseq >= low:
            copy = new.get(sseq)
            if copy is not None and copy[1] == expected:
                reached += 1
            else:
                copy = ours.get(sseq)
                if copy is None or copy[1] != expected:
                    copy = _bundle_copy(conn, device, scope, sseq, expected) \
                        if sseq not in new else None
                    if copy is None:
                        break
            expected = copy[0]
            sseq -= 1
        covered = sseq + 1
    if reached != len(new):
        raise ForgedChange(f"changes under device {_short(device)} are not signed by that device")


def _bundle_copy(conn: Connection, device: str, scope: str, sseq: int,
                 expected: str) -> _Copy | None:
    """The bundle's copy of an op this vault holds, when it has the `expected` chain and
    matches it; else None. Needed where this vault's copy has no chain yet (above a gap),
    or a different one (a copy of a vault that went on under the same device id and keys:
    signed by that key all the same; merge sees the clash)."""
    row = conn.execute(f"SELECT prev, chain, {canonical_sql()} FROM bundle.ops "
                       "WHERE scope = ? AND device = ? AND sseq = ?", (scope, device, sseq)).fetchone()
    if row is not None and row[1] == expected and links(row[0], row[1], row[2]):
        return (row[0], row[1])
    return None
