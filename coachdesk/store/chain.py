"""Each device's ops form one hash chain per scope; the device signs each chain's head.

    canonical(op) / canonical_sql(alias)  an op's canonical bytes (Python / SQL, same bytes)
    link(prev_hex, op)                    the chain value of `op` after `prev_hex`
    own_top / set_own_top                 this device's newest (sseq, chain) per scope
    backfill(conn)                        chains of ops still without one (migration 0017)
    problems(conn)                        chains whose held ops break them (check)
    sign_heads(conn, keys, device)        sign this device's unsigned chain tops; kept
    head_at(conn, device, scope, sseq)    the held head of a chain at or below sseq
    store_heads(conn, heads)              keep verified heads (INSERT OR IGNORE)

A chain value commits to every op of its device and scope up to it (as a git commit id
or a Secure Scuttlebutt feed message does), so one signature over the newest one vouches
for them all. Chains are per scope (store/scope.py) because a coach's vault holds only
its own people's ops: each chain it holds is whole, and a bundle carries whole chains.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachdesk import identity
from coachdesk.store.db import Connection

if TYPE_CHECKING:
    from coachdesk.identity import DeviceKeys
    from coachdesk.store.oplog import Op

LABEL = b"coachdesk op chain v2\n"
ZERO = "00" * 32
"""The prev of a device's first op of a scope."""
_HEX64 = re.compile(r"[0-9a-f]{64}")
HEAD_KIND = "coachdesk op chain head v2"
COLUMNS = ("op_id", "device", "seq", "hlc", "tbl", "row_id", "field", "value", "parents", "author",
           "scope", "sseq")
"""The columns the canonical bytes cover, in order (= Op.COLUMNS)."""
WIRE_COLUMNS = (*COLUMNS, "prev", "chain")
"""Every column of an op that travels (= Op.WIRE_COLUMNS)."""


def _encode(value: object) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, int) and not isinstance(value, bool):
        return b"I%d;" % value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return b"S%d:%s" % (len(data), data)
    raise TypeError(f"an op column holds {type(value).__name__}")


def canonical_row(row: Sequence[object]) -> bytes:
    """Canonical bytes of an op's values in COLUMNS order: each self-delimiting
    (`N` NULL, `I<decimal>;` integer, `S<byte length>:<UTF-8>` text)."""
    return b"".join(_encode(v) for v in row[:len(COLUMNS)])


def canonical(op: Op | Sequence[object]) -> bytes:
    """The op's canonical bytes (the same as `canonical_sql` gives in SQLite)."""
    if isinstance(op, Sequence):
        return canonical_row(op)
    return canonical_row((op.op_id, op.device, op.seq, op.hlc, op.tbl, op.row_id, op.field,
                          op.value, op.parents, op.author, op.scope, op.sseq))


def _column_sql(column: str) -> str:
    return (f"CASE typeof({column}) WHEN 'null' THEN 'N' "
            f"WHEN 'integer' THEN 'I' || {column} || ';' "
            f"WHEN 'text' THEN 'S' || length(CAST({column} AS BLOB)) || ':' || {column} "
            f"ELSE 'X' || hex({column}) || ';' END")


def canonical_sql(alias: str = "", columns: Sequence[str] = COLUMNS) -> str:
    """SQL for a row's canonical bytes as a BLOB (`alias.` before each column if given);
    a value of another type (never a valid op) becomes `X<hex>;`. `columns` defaults to
    the op's own (what the chain covers); a bundle's payload digest may name all of
    Op.WIRE_COLUMNS (WIRE_COLUMNS here) so that prev and chain are covered too."""
    prefix = f"{alias}." if alias else ""
    return "CAST(" + " || ".join(_column_sql(prefix + c) for c in columns) + " AS BLOB)"


def is_chain_value(text: object) -> bool:
    """64 lowercase hex digits (what link gives); anything else never matches."""
    return isinstance(text, str) and _HEX64.fullmatch(text) is not None


def link_bytes(prev_hex: str, canonical_bytes: bytes) -> str:
    return hashlib.sha256(LABEL + bytes.fromhex(prev_hex) + canonical_bytes).hexdigest()


def link(prev_hex: str, op: Op | Sequence[object]) -> str:
    """hex SHA-256(LABEL + prev + canonical(op)): the op's chain value."""
    return link_bytes(prev_hex, canonical(op))


def links(prev_hex: object, chain: object, canonical_bytes: bytes) -> bool:
    """True when `chain` is the link of `prev_hex` and the op (values from a bundle: a
    chain equal to what link gives is well-formed; prev must be lowercase hex itself)."""
    return (type(prev_hex) is str and _HEX64.fullmatch(prev_hex) is not None
            and hashlib.sha256(LABEL + bytes.fromhex(prev_hex) + canonical_bytes).hexdigest() == chain)


def own_top(conn: Connection, device: str, scope: str) -> tuple[int, str]:
    """(sseq, chain) of `device`'s newest op of `scope` ((0, ZERO) before its first)."""
    row = conn.execute("SELECT sseq, chain FROM own_scope WHERE scope = ?", (scope,)).fetchone()
    if row is None:
        return 0, ZERO
    if not row[1]:
        backfill(conn)
        row = conn.execute("SELECT sseq, chain FROM own_scope WHERE scope = ?", (scope,)).fetchone()
        if not row[1]:
            raise RuntimeError(f"the op chain of {device} has a gap at its own ops")
    return int(row[0]), str(row[1])


def set_own_top(conn: Connection, scope: str, sseq: int, seq: int, chain: str) -> None:
    conn.execute("INSERT INTO own_scope (scope, sseq, seq, chain) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (scope) DO UPDATE SET sseq = excluded.sseq, seq = excluded.seq, "
                 "chain = excluded.chain", (scope, sseq, seq, chain))


def backfill(conn: Connection) -> int:
    """Compute prev and chain of every op still without them (migration 0017 cleared them),
    per (device, scope) in sseq order, each from the chain of the op just below it. An op
    above a missing sseq stays without a chain until the gap is filled (its chain would
    otherwise not be its origin's, and an op's chain is set once); call again after an
    import. Runs in the caller's transaction; returns how many ops got their chain."""
    chains = conn.execute("SELECT DISTINCT device, scope FROM ops WHERE chain = ''").fetchall()
    filled = 0
    for device, scope in chains:
        first = conn.execute("SELECT min(sseq) FROM ops WHERE device = ? AND scope = ? "
                             "AND chain = ''", (device, scope)).fetchone()[0]
        below = conn.execute("SELECT sseq, chain FROM ops WHERE scope = ? AND device = ? AND "
                             "sseq < ? ORDER BY sseq DESC LIMIT 1", (scope, device, first)).fetchone()
        last_sseq, last_chain = (below[0], below[1]) if below else (0, ZERO)
        updates: list[tuple[str, str, str]] = []
        cursor = conn.execute(
            f"SELECT op_id, sseq, chain, {canonical_sql()} FROM ops WHERE scope = ? AND "
            "device = ? AND sseq >= ? ORDER BY sseq", (scope, device, first))
        while rows := cursor.fetchmany(4096):
            for op_id, sseq, chain, data in rows:
                if chain:
                    last_sseq, last_chain = sseq, chain
                    continue
                if sseq != last_sseq + 1 or not last_chain:
                    last_sseq, last_chain = sseq, ""  # a gap: unknown until it is filled
                    continue
                value = link_bytes(last_chain, data)
                updates.append((last_chain, value, op_id))
                last_sseq, last_chain = sseq, value
        conn.executemany("UPDATE ops SET prev = ?, chain = ? WHERE op_id = ?", updates)
        filled += len(updates)
    conn.execute("UPDATE own_scope SET chain = (SELECT o.chain FROM ops o WHERE o.scope = "
                 "own_scope.scope AND o.seq = own_scope.seq AND o.device = (SELECT value FROM "
                 "meta WHERE key = 'device')) WHERE chain = ''")
    return filled


def problems(conn: Connection) -> list[str]:
    """One line per chain (device, scope) whose held ops break it (an op whose chain value
    does not match it, or that does not follow the op below it); ops without a chain yet
    are skipped. For `coachdesk check`."""
    found = []
    last: tuple[str, str] = ("", "")
    last_sseq, last_chain = 0, ZERO
    broken: set[tuple[str, str]] = set()
    cursor = conn.execute(f"SELECT device, scope, sseq, prev, chain, {canonical_sql()} FROM ops "
                          "ORDER BY scope, device, sseq")
    while rows := cursor.fetchmany(4096):
        for device, scope, sseq, prev, chain, data in rows:
            if (device, scope) != last:
                last, last_sseq, last_chain = (device, scope), 0, ZERO
            if (device, scope) in broken:
                continue
            line = None
            if chain and not links(prev, chain, data):
                line = f"device {device}: change {sseq} of a chain does not match it"
            elif chain and last_chain and sseq == last_sseq + 1 and prev != last_chain:
                line = f"device {device}: change {sseq} of a chain does not follow the one below"
            if line:
                broken.add((device, scope))
                found.append(line)
            last_sseq, last_chain = sseq, chain
    return found


# ---- signed heads -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Head:
    """`device` signed that its op `seq`, number `sseq` of `scope`, has chain value `chain`."""

    device: str
    scope: str
    sseq: int
    seq: int
    chain: str
    signature: bytes

    def signed_bytes(self) -> bytes:
        return head_bytes(self.device, self.scope, self.sseq, self.seq, self.chain)

    def verify(self, sign_pub: bytes) -> bool:
        return identity.verify(sign_pub, self.signature, self.signed_bytes())

    def row(self) -> tuple[str, str, int, int, str, str]:
        return (self.device, self.scope, self.sseq, self.seq, self.chain, self.signature.hex())


HEAD_COLUMNS = "device, scope, sseq, seq, chain, signature"


def head_bytes(device: str, scope: str, sseq: int, seq: int, chain: str) -> bytes:
    """What a head's Ed25519 signature covers (labelled: never mistaken for another
    signed document such as a team file or a bundle header)."""
    return identity.canonical({"kind": HEAD_KIND, "device": device, "scope": scope,
                               "sseq": sseq, "seq": seq, "chain": chain})


def head_of(row: Sequence[object]) -> Head:
    device, scope, sseq, seq, chain, signature = row
    assert isinstance(device, str) and isinstance(scope, str) and isinstance(chain, str)
    assert isinstance(sseq, int) and isinstance(seq, int) and isinstance(signature, str)
    return Head(device, scope, sseq, seq, chain, bytes.fromhex(signature))


def sign_heads(conn: Connection, keys: DeviceKeys, device: str) -> int:
    """Sign `device`'s newest op of every scope whose head is not signed yet, and keep the
    heads. Runs in the caller's transaction (an export's); returns how many it signed."""
    if conn.execute("SELECT 1 FROM own_scope WHERE chain = '' LIMIT 1").fetchone():
        backfill(conn)
    tops = conn.execute(
        "SELECT scope, sseq, seq, chain FROM own_scope o WHERE chain != '' AND NOT EXISTS "
        "(SELECT 1 FROM chain_head h WHERE h.device = ? AND h.scope = o.scope AND "
        "h.sseq = o.sseq)", (device,)).fetchall()
    store_heads(conn, [
        Head(device, scope, sseq, seq, chain,
             identity.sign(keys, head_bytes(device, scope, sseq, seq, chain)))
        for scope, sseq, seq, chain in tops])
    return len(tops)


def store_heads(conn: Connection, heads: Iterable[Head]) -> None:
    """Keep heads (verified by the caller); one per (device, scope, sseq), the first kept."""
    conn.executemany(f"INSERT OR IGNORE INTO main.chain_head ({HEAD_COLUMNS}) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [h.row() for h in heads])
