"""Each device's ops form a hash chain; the device signs its chain head (migration 0014).

    canonical(op) / canonical_sql(alias)  an op's canonical bytes (Python / SQL, same bytes)
    link(prev_hex, op)                    the chain value of `op` after `prev_hex`
    backfill(conn)                        chains of ops written before 0014 (or after a gap)
    problems(conn)                        devices whose held ops break their chain (check)
    sign_head(conn, keys, device)         sign this device's newest (seq, chain); kept
    heads_for(conn, base_vv)              the signed heads a bundle from `base_vv` carries
    store_heads(conn, heads)              keep verified heads (INSERT OR IGNORE)
    signed_top(conn)                      per device, the highest seq a held head signs

A chain value commits to every op of its device up to it (as a git commit id or a Secure
Scuttlebutt feed message does), so one signature over the newest one vouches for them all.
"""

from __future__ import annotations

import bisect
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

LABEL = b"coachdesk op chain v1\n"
ZERO = "00" * 32
"""The prev of a device's first op."""
_HEX64 = re.compile(r"[0-9a-f]{64}")
HEAD_KIND = "coachdesk op chain head"
COLUMNS = ("op_id", "device", "seq", "hlc", "tbl", "row_id", "field", "value", "parents", "author")
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
                          op.value, op.parents, op.author))


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


def backfill(conn: Connection) -> int:
    """Compute prev and chain of every op still without them (written before migration 0014),
    per device in seq order, each from the chain of the op just below it. An op above a
    missing seq stays without a chain until the gap is filled (its chain would otherwise
    not be its origin's, and an op's chain is set once); call again after an import.
    Runs in the caller's transaction; returns how many ops got their chain."""
    devices = [d for (d,) in conn.execute(
        "SELECT DISTINCT device FROM ops WHERE chain = ''").fetchall()]
    filled = 0
    for device in devices:
        first = conn.execute("SELECT min(seq) FROM ops WHERE device = ? AND chain = ''",
                             (device,)).fetchone()[0]
        below = conn.execute("SELECT seq, chain FROM ops WHERE device = ? AND seq < ? "
                             "ORDER BY seq DESC LIMIT 1", (device, first)).fetchone()
        last_seq, last_chain = (below[0], below[1]) if below else (0, ZERO)
        updates: list[tuple[str, str, str]] = []
        cursor = conn.execute(
            f"SELECT op_id, seq, chain, {canonical_sql()} FROM ops WHERE device = ? AND seq >= ? "
            "ORDER BY seq", (device, first))
        while rows := cursor.fetchmany(4096):
            for op_id, seq, chain, data in rows:
                if chain:
                    last_seq, last_chain = seq, chain
                    continue
                if seq != last_seq + 1 or not last_chain:
                    last_seq, last_chain = seq, ""  # a gap: unknown until it is filled
                    continue
                value = link_bytes(last_chain, data)
                updates.append((last_chain, value, op_id))
                last_seq, last_chain = seq, value
        conn.executemany("UPDATE ops SET prev = ?, chain = ? WHERE op_id = ?", updates)
        filled += len(updates)
    return filled


def problems(conn: Connection) -> list[str]:
    """One line per device whose held ops break their chain (an op whose chain value does
    not match it, or that does not follow the op below it); ops without a chain yet are
    skipped. For `coachdesk check`."""
    found = []
    for (device,) in conn.execute("SELECT DISTINCT device FROM ops").fetchall():
        last_seq, last_chain = 0, ZERO
        cursor = conn.execute(f"SELECT seq, prev, chain, {canonical_sql()} FROM ops "
                              "WHERE device = ? ORDER BY seq", (device,))
        broken = None
        while broken is None and (rows := cursor.fetchmany(4096)):
            for seq, prev, chain, data in rows:
                if chain and not links(prev, chain, data):
                    broken = f"device {device}: change {seq} does not match its chain"
                elif chain and last_chain and seq == last_seq + 1 and prev != last_chain:
                    broken = f"device {device}: change {seq} does not follow change {seq - 1}"
                if broken:
                    break
                last_seq, last_chain = seq, chain
        if broken:
            found.append(broken)
    return found


# ---- signed heads -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Head:
    """`device` signed that its op `seq` has chain value `chain`."""

    device: str
    seq: int
    chain: str
    signature: bytes

    def signed_bytes(self) -> bytes:
        return head_bytes(self.device, self.seq, self.chain)

    def verify(self, sign_pub: bytes) -> bool:
        return identity.verify(sign_pub, self.signature, self.signed_bytes())


def head_bytes(device: str, seq: int, chain: str) -> bytes:
    """What a head's Ed25519 signature covers (labelled: never mistaken for another
    signed document such as a team file or a bundle header)."""
    return identity.canonical({"kind": HEAD_KIND, "device": device, "seq": seq, "chain": chain,
                               "v": 1})


def _head(row: Sequence[object]) -> Head:
    device, seq, chain, signature = row
    assert isinstance(device, str) and isinstance(seq, int) and isinstance(chain, str)
    assert isinstance(signature, str)
    return Head(device, seq, chain, bytes.fromhex(signature))


def sign_head(conn: Connection, keys: DeviceKeys, device: str) -> Head | None:
    """Sign `device`'s newest op's chain with `keys` and keep it; None with no own op.
    Runs in the caller's transaction (an export's)."""
    row = conn.execute("SELECT seq, chain FROM ops WHERE device = ? ORDER BY seq DESC LIMIT 1",
                       (device,)).fetchone()
    if row is None:
        return None
    seq, chain = row
    if not chain:
        backfill(conn)
        chain = conn.execute("SELECT chain FROM ops WHERE device = ? AND seq = ?",
                             (device, seq)).fetchone()[0]
        if not chain:
            raise RuntimeError(f"the op chain of {device} has a gap at its own ops")
    held = conn.execute("SELECT device, seq, chain, signature FROM chain_head "
                        "WHERE device = ? AND seq = ?", (device, seq)).fetchone()
    if held is not None and held[2] == chain:
        return _head(held)
    head = Head(device, seq, chain, identity.sign(keys, head_bytes(device, seq, chain)))
    store_heads(conn, [head])
    return head


def store_heads(conn: Connection, heads: Iterable[Head]) -> None:
    """Keep heads (verified by the caller); one per (device, seq), the first kept."""
    conn.executemany(
        "INSERT OR IGNORE INTO main.chain_head (device, seq, chain, signature) VALUES (?, ?, ?, ?)",
        [(h.device, h.seq, h.chain, h.signature.hex()) for h in heads])


def signed_top(conn: Connection) -> dict[str, int]:
    """Per device, the highest seq of a held signed head. A bundle can carry a device's ops
    only up to it (a reader verifies each op against a head at or above it)."""
    return {d: s for d, s in conn.execute(
        "SELECT device, max(seq) FROM main.chain_head GROUP BY device")}


def heads_for(conn: Connection, base_vv: dict[str, int]) -> list[Head]:
    """The held heads a bundle of every op with seq > base_vv[device] must carry so that its
    reader can verify each op: for every run of consecutive chained ops held, its highest
    head (a lower head in the run is reached from it, so it is left out). A head AT the
    base goes too: the reader holds those ops already, but if they came before the chain it
    holds no head for them yet, and needs one to pass them on."""
    found: list[Head] = []
    for device in [d for (d,) in conn.execute("SELECT DISTINCT device FROM main.chain_head")]:
        base = base_vv.get(device, 0)
        heads = [_head(r) for r in conn.execute(
            "SELECT device, seq, chain, signature FROM main.chain_head WHERE device = ? "
            "AND seq >= ? ORDER BY seq DESC", (device, base))]
        if len(heads) <= 1:
            found += heads
            continue
        runs = _runs(conn, device, base - 1)
        starts = [start for start, _ in runs]
        kept_run: tuple[int, int] | None = None
        for head in heads:
            at = bisect.bisect_right(starts, head.seq) - 1
            run = runs[at] if at >= 0 and runs[at][1] >= head.seq else None
            if run is None or run != kept_run:  # the highest head of its run (or of no run)
                found.append(head)
                kept_run = run
    return found


def _runs(conn: Connection, device: str, base: int) -> list[tuple[int, int]]:
    """(first, last) seq of each run of consecutive chained ops of `device` above `base`."""
    edges = conn.execute(
        "SELECT seq, below IS NOT seq - 1, above IS NOT seq + 1 FROM (SELECT seq, "
        "lag(seq) OVER (ORDER BY seq) AS below, lead(seq) OVER (ORDER BY seq) AS above "
        "FROM main.ops WHERE device = ? AND seq > ? AND chain != '') "
        "WHERE below IS NOT seq - 1 OR above IS NOT seq + 1", (device, base)).fetchall()
    runs: list[tuple[int, int]] = []
    start = 0
    for seq, first, last in edges:
        if first:
            start = seq
        if last:
            runs.append((start, seq))
    return runs
