"""Version vectors: what this vault holds, and what each peer is known to hold.

A version vector maps a chain, (origin device, scope), to a number: the holder has EVERY
op of that origin and scope up to that sseq. It is a prefix, not a maximum, so a vault
that received ops out of order still asks for the ops in its gap, and nothing is skipped.
Counting per scope (store/scope.py) lets a coach's vault hold only its own people and
still hold whole chains: a scope it does not hold is simply absent.

    holdings(conn)              this vault's prefixes (the `held` table, kept up to date)
    refresh_held(conn, chains)  work out the prefix of chains that just received ops
    known_by / record_peer      what a peer acknowledged (the newest acknowledgement wins)
    seq_prefix(conn, device)    a device's ops held without a gap, by their global seq
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coachdesk.errors import CoachdeskError
from coachdesk.store.db import Connection

Chain = tuple[str, str]
"""(origin device, scope)."""
VersionVector = dict[Chain, int]


@dataclass(frozen=True, slots=True)
class Peer:
    device: str
    coach: str
    last_import: str


def to_wire(vector: VersionVector) -> list[list[object]]:
    """[[origin, scope, sseq], ...] in a fixed order (a manifest is JSON)."""
    return [[o, s, n] for (o, s), n in sorted(vector.items())]


def from_wire(value: object) -> VersionVector:
    """The inverse of to_wire; ValueError on anything else."""
    if not isinstance(value, list):
        raise ValueError("a version vector is a list")
    vector: VersionVector = {}
    for entry in value:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and entry[0] and isinstance(entry[1], str) and type(entry[2]) is int
                and entry[2] >= 0):
            raise ValueError("a version vector entry is malformed")
        vector[(entry[0], entry[1])] = entry[2]
    return vector


def holdings(conn: Connection) -> VersionVector:
    return {(d, s): n for d, s, n in conn.execute("SELECT device, scope, sseq FROM main.held")}


def refresh_held(conn: Connection, chains: Iterable[Chain]) -> None:
    """Move each chain's held prefix up to its first gap (after an import added ops)."""
    for device, scope in chains:
        row = conn.execute("SELECT sseq FROM main.held WHERE device = ? AND scope = ?",
                           (device, scope)).fetchone()
        start = row[0] if row else 0
        count, top = conn.execute(
            "SELECT count(*), max(sseq) FROM main.ops WHERE scope = ? AND device = ? AND sseq > ?",
            (scope, device, start)).fetchone()
        if not count:
            continue
        if count != top - start:
            top = conn.execute(
                "SELECT min(sseq) FROM (SELECT ?3 AS sseq UNION ALL SELECT sseq FROM main.ops "
                "WHERE scope = ?2 AND device = ?1 AND sseq > ?3) o WHERE NOT EXISTS (SELECT 1 "
                "FROM main.ops p WHERE p.scope = ?2 AND p.device = ?1 AND p.sseq = o.sseq + 1)",
                (device, scope, start)).fetchone()[0]
        if top > start:
            conn.execute("INSERT INTO main.held (device, scope, sseq) VALUES (?, ?, ?) "
                         "ON CONFLICT DO UPDATE SET sseq = excluded.sseq", (device, scope, top))


def seq_prefix(conn: Connection, device: str) -> int:
    """The highest seq up to which this vault holds every op of `device` (by global seq:
    a supervisor's vault holds every scope)."""
    top = conn.execute("SELECT max(seq) FROM main.ops WHERE device = ?", (device,)).fetchone()[0]
    if not top:
        return 0
    count = conn.execute("SELECT count(*) FROM main.ops WHERE device = ?", (device,)).fetchone()[0]
    if count == top:
        return int(top)
    return int(conn.execute(
        "SELECT min(seq) FROM (SELECT 0 AS seq UNION ALL SELECT seq FROM main.ops WHERE "
        "device = ?1) o WHERE NOT EXISTS (SELECT 1 FROM main.ops p WHERE p.device = ?1 "
        "AND p.seq = o.seq + 1)", (device,)).fetchone()[0])


def known_by(conn: Connection, peer: str) -> VersionVector:
    return {(o, s): n for o, s, n in conn.execute(
        "SELECT origin, scope, seq FROM peer_vv WHERE peer = ?", (peer,))}


def record_peer(conn: Connection, device: str, coach: str, holds: VersionVector, at: str) -> bool:
    """Remember what `device` holds, as its newest bundle says: its acknowledgement names
    every chain this vault may hold, so it replaces the last one (a person who left the
    peer's scope and came back is sent again in full). True if anything changed."""
    changed = conn.execute(
        "INSERT INTO peer (device, coach, last_import) VALUES (?, ?, ?) "
        "ON CONFLICT (device) DO UPDATE SET coach = excluded.coach, "
        "last_import = excluded.last_import WHERE coach != excluded.coach",
        (device, coach, at),
    ).rowcount > 0
    if known_by(conn, device) != holds:
        changed = True
        conn.execute("DELETE FROM peer_vv WHERE peer = ?", (device,))
        conn.executemany("INSERT INTO peer_vv (peer, origin, scope, seq) VALUES (?, ?, ?, ?)",
                         [(device, o, s, n) for (o, s), n in holds.items()])
    if changed:
        conn.execute("UPDATE peer SET last_import = ? WHERE device = ?", (at, device))
    return changed


def reach_moved(conn: Connection, peer: str, reach: frozenset[str]) -> set[str]:
    """`peer`'s reach is now `reach`: remember it, forget what it held of the scopes that
    left it, and return the scopes that entered it (to be sent in full)."""
    before = {r[0] for r in conn.execute("SELECT scope FROM peer_reach WHERE peer = ?", (peer,))}
    left = before - reach
    conn.executemany("DELETE FROM peer_reach WHERE peer = ? AND scope = ?",
                     [(peer, s) for s in left])
    conn.executemany("DELETE FROM peer_vv WHERE peer = ? AND scope = ?", [(peer, s) for s in left])
    entered = reach - before
    conn.executemany("INSERT INTO peer_reach (peer, scope) VALUES (?, ?)",
                     [(peer, s) for s in entered])
    return set(entered)


def entering(conn: Connection, peer: str, reach: frozenset[str]) -> set[str]:
    """The scopes of `reach` this vault has not sent `peer` since they entered its reach
    (none before the first bundle to it: its own acknowledgement is all there is)."""
    before = {r[0] for r in conn.execute("SELECT scope FROM peer_reach WHERE peer = ?", (peer,))}
    return set(reach - before) if before else set()


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


def unacknowledged(conn: Connection, device: str) -> int:
    """This vault's own changes (`device`) that no known peer is known to hold yet: what
    waits to be sent. Relayed changes are not counted (their writer sends them too).
    Two passes (own tops, acknowledgements), never a lookup per scope: the roster shows
    it at every unlock."""
    acked: dict[str, int] = {}
    for scope, seq in conn.execute("SELECT scope, seq FROM peer_vv WHERE origin = ?", (device,)):
        acked[scope] = max(acked.get(scope, 0), seq)
    return sum(max(0, top - acked.get(scope, 0))
               for scope, top in conn.execute("SELECT scope, sseq FROM own_scope"))
