"""Version vectors: what this vault holds, and what each peer is known to hold.

A version vector maps an origin device to a seq: the holder has EVERY op of that
origin up to that seq. It is a prefix, not a maximum, so a vault that received
ops out of order (an incremental bundle meant for someone else) still asks for
the ops in its gap, and nothing is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from coachdesk.errors import CoachdeskError
from coachdesk.store.db import Connection

VersionVector = dict[str, int]


@dataclass(frozen=True, slots=True)
class Peer:
    device: str
    coach: str
    last_import: str


HELD_KEY = "held_prefix"
"""meta key: the holdings last worked out. Ops are never deleted, so a prefix held
once stays held, and the next count starts from it instead of from seq 1."""


def origins(conn: Connection) -> list[str]:
    """Every device that wrote an op, found by skipping along the (device, seq) index."""
    return [d for (d,) in conn.execute(
        "WITH RECURSIVE d(device) AS (SELECT min(device) FROM main.ops UNION ALL "
        "SELECT (SELECT min(device) FROM main.ops WHERE device > d.device) FROM d "
        "WHERE d.device IS NOT NULL) SELECT device FROM d WHERE device IS NOT NULL")]


def holdings(conn: Connection, *, remember: bool = False) -> VersionVector:
    """For every origin device: the highest seq up to which this vault holds every op.
    `remember` stores the answer (only inside a transaction that writes anyway)."""
    row = conn.execute("SELECT value FROM main.meta WHERE key = ?", (HELD_KEY,)).fetchone()
    known: VersionVector = json.loads(row[0]) if row else {}
    held: VersionVector = {}
    for device in origins(conn):
        start = known.get(device, 0)
        top = conn.execute("SELECT max(seq) FROM main.ops WHERE device = ?",
                           (device,)).fetchone()[0]
        count = conn.execute("SELECT count(*) FROM main.ops WHERE device = ? AND seq > ?",
                             (device, start)).fetchone()[0] if top > start else 0
        if count == top - start:
            held[device] = top
            continue
        first_gap = conn.execute(
            "SELECT min(seq) FROM (SELECT ?2 AS seq UNION ALL SELECT seq FROM main.ops "
            "WHERE device = ?1 AND seq > ?2) o WHERE NOT EXISTS (SELECT 1 FROM main.ops p "
            "WHERE p.device = ?1 AND p.seq = o.seq + 1)", (device, start)).fetchone()[0]
        if first_gap:
            held[device] = first_gap
    if remember and held != known:
        conn.execute("INSERT INTO main.meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value", (HELD_KEY, json.dumps(held)))
    return held


def known_by(conn: Connection, peer: str) -> VersionVector:
    return dict(conn.execute("SELECT origin, seq FROM peer_vv WHERE peer = ?", (peer,)))


def known_by_all(conn: Connection) -> VersionVector:
    """What EVERY known peer holds: a bundle built on this suits any of them."""
    peers = [p.device for p in list_peers(conn)]
    if not peers:
        return {}
    vectors = [known_by(conn, p) for p in peers]
    origins = set().union(*vectors)
    floor = {o: min(v.get(o, 0) for v in vectors) for o in origins}
    return {o: s for o, s in floor.items() if s > 0}


def record_peer(conn: Connection, device: str, coach: str, holds: VersionVector, at: str) -> bool:
    """Remember what `device` holds (never moving backwards). True if anything changed."""
    changed = conn.execute(
        "INSERT INTO peer (device, coach, last_import) VALUES (?, ?, ?) "
        "ON CONFLICT (device) DO UPDATE SET coach = excluded.coach, "
        "last_import = excluded.last_import WHERE coach != excluded.coach",
        (device, coach, at),
    ).rowcount > 0
    for origin, seq in holds.items():
        changed |= conn.execute(
            "INSERT INTO peer_vv (peer, origin, seq) VALUES (?, ?, ?) "
            "ON CONFLICT (peer, origin) DO UPDATE SET seq = excluded.seq "
            "WHERE excluded.seq > peer_vv.seq",
            (device, origin, seq),
        ).rowcount > 0
    if changed:
        conn.execute("UPDATE peer SET last_import = ? WHERE device = ?", (at, device))
    return changed


def list_peers(conn: Connection) -> list[Peer]:
    return [Peer(*row) for row in conn.execute(
        "SELECT device, coach, last_import FROM peer ORDER BY coach COLLATE NOCASE, device")]


def find_peer(conn: Connection, name: str) -> Peer:
    """A peer by device id, coach name (any case) or a unique prefix of either."""
    wanted = name.strip().casefold()
    peers = list_peers(conn)
    exact = [p for p in peers if wanted in (p.device.casefold(), p.coach.casefold())]
    hits = exact or [p for p in peers if wanted and (p.device.casefold().startswith(wanted)
                                                     or p.coach.casefold().startswith(wanted))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise CoachdeskError(
            f"no known peer {name!r}: import a bundle from them first, or export with --full")
    raise CoachdeskError(f"{len(hits)} peers match {name!r}: use the device id")


def unacknowledged(conn: Connection, device: str = "") -> int:
    """Ops that no known peer is known to hold yet. This vault's own ops (`device`) are
    numbered without gaps, so their count is a subtraction, not a walk of the log."""
    acknowledged = dict(conn.execute("SELECT origin, max(seq) FROM peer_vv GROUP BY origin"))
    total = 0
    for origin in origins(conn):
        floor = acknowledged.get(origin, 0)
        if origin == device:
            top = conn.execute("SELECT max(seq) FROM main.ops WHERE device = ?",
                               (origin,)).fetchone()[0]
            total += max(0, top - floor)
        else:
            total += conn.execute("SELECT count(*) FROM main.ops WHERE device = ? AND seq > ?",
                                  (origin, floor)).fetchone()[0]
    return total
