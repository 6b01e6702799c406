"""A bundle's payload: a fresh SQLCipher file keyed with a random per-bundle key.

    write(conn, dest, ...)               export ops into a new bundle (temp names, fsync, rename)
    attach_verified(conn, path, ...)     ATTACH the payload as `bundle` after checking everything

The file around it (who may read it, who signed it) is sync/envelope.py. Inside the
payload: application_id 'CDKB', user_version = BUNDLE_FORMAT, a `manifest` table
(key -> JSON value), an `ops` table with the vault's op columns and a `team` table with
the sender's current signed team file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coachdesk import identity
from coachdesk.errors import CoachdeskError, NewerSchema, NotAVault
from coachdesk.identity import DeviceKeys, PublicIdentity
from coachdesk.store import audit, chain, migrate
from coachdesk.store import scope as op_scope
from coachdesk.store.db import PLAINTEXT_HEADER, Connection, DatabaseError, transaction
from coachdesk.store.oplog import Op, column_of
from coachdesk.sync import authorship, envelope, peers, validate
from coachdesk.sync.envelope import BadBundle, Envelope
from coachdesk.sync.peers import VersionVector
from coachdesk.sync.team import BadTeamFile, TeamFile

BUNDLE_APPLICATION_ID = 0x43444B42  # "CDKB"
BUNDLE_FORMAT = 3  # 3: keyed per bundle, addressed and signed (2: a shared sync key; refused)
SUFFIX = ".cdbundle"
_OPS_INDEX = "CREATE INDEX bundle.ops_scope ON ops (scope, device, sseq)"
_TABLES = (
    "CREATE TABLE bundle.manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE bundle.ops (op_id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, "
    "hlc TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, "
    "value TEXT NOT NULL, parents TEXT NOT NULL, author TEXT NOT NULL, scope TEXT NOT NULL, "
    "sseq INTEGER NOT NULL, prev TEXT NOT NULL, chain TEXT NOT NULL) WITHOUT ROWID",
    _OPS_INDEX,
    "CREATE TABLE bundle.team (body TEXT NOT NULL, signature TEXT NOT NULL)",
    authorship.HEADS_DDL,
)

__all__ = ["BadBundle", "Manifest", "Opened", "attach_verified", "write"]

Progress = Callable[[float, str], None]
WRITE_CACHE_KIB = 128 * 1024
"""The page cache of a bundle being written (it is detached, and its cache freed, after)."""


@dataclass(frozen=True)
class Manifest:
    format: int
    schema_version: int
    sender_device: str
    sender_coach: str
    created: str
    peer: str  # the device it was made for ("*": several)
    base_vv: list[list[object]]  # peers.to_wire: what the sender took the reader to hold
    sender_vv: list[list[object]]  # what the sender holds (of what the reader may hold)
    op_count: int
    ops_sha256: str
    audit_head: str

    def base(self) -> VersionVector:
        return peers.from_wire(self.base_vv)

    def holds(self) -> VersionVector:
        return peers.from_wire(self.sender_vv)


Reach = frozenset[str] | None
"""The scopes a reader may hold (store/scope.py); None: every scope (a supervisor)."""

_WANT_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS reach (scope TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS send_base (origin TEXT NOT NULL, scope TEXT NOT NULL, "
    "seq INTEGER NOT NULL, PRIMARY KEY (origin, scope)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS want (device TEXT NOT NULL, scope TEXT NOT NULL, "
    "lo INTEGER NOT NULL, hi INTEGER NOT NULL, PRIMARY KEY (device, scope)) WITHOUT ROWID",
)


def _plan(conn: Connection, reach: Reach, base: VersionVector) -> None:
    """temp.want: per chain the reader may hold, the ops (lo, hi] to send; hi is the
    highest signed head within what this vault holds without a gap. This vault's own
    chains go even when the reader holds them to their top (hi = lo: no op, the head):
    a vault holding ops without a head of their chain (taken before migration 0017
    cleared every chain) can pass them on only once their origin has sent it one."""
    for ddl in _WANT_DDL:
        conn.execute(ddl)
    for table in ("reach", "send_base", "want"):
        conn.execute(f"DELETE FROM temp.{table}")
    conn.executemany("INSERT INTO temp.reach (scope) VALUES (?)", [(s,) for s in reach or ()])
    conn.executemany("INSERT INTO temp.send_base (origin, scope, seq) VALUES (?, ?, ?)",
                     [(o, s, n) for (o, s), n in base.items()])
    allowed = "" if reach is None else "WHERE h.scope IN (SELECT scope FROM temp.reach)"
    conn.execute(
        "INSERT INTO temp.want (device, scope, lo, hi) SELECT device, scope, lo, hi FROM ("
        "SELECT h.device, h.scope, coalesce(b.seq, 0) AS lo, (SELECT max(c.sseq) FROM "
        "main.chain_head c WHERE c.device = h.device AND c.scope = h.scope AND c.sseq <= h.sseq) "
        f"AS hi FROM main.held h LEFT JOIN temp.send_base b ON b.origin = h.device AND "
        f"b.scope = h.scope {allowed}) WHERE hi > lo OR (hi = lo AND device = "
        "(SELECT value FROM main.meta WHERE key = 'device'))")


def last_carried(conn: Connection, me: str, outbox: bool) -> VersionVector:
    """Per chain, the highest sseq the bundle just written on `conn` carries (from its
    plan, temp.want, and this vault's outbox): what its readers acknowledge it by."""
    tops: VersionVector = {(d, s): hi for d, s, hi in conn.execute(
        "SELECT device, scope, hi FROM temp.want")}
    if outbox:
        for scope, sseq in conn.execute("SELECT scope, max(sseq) FROM main.ops_outbox "
                                        "GROUP BY scope"):
            tops[(me, scope)] = max(tops.get((me, scope), 0), sseq)
    return tops


def reader_view(conn: Connection, reach: Reach, readers: set[str], outbox: bool,
                 me: str) -> VersionVector:
    """What this vault tells `reader` it holds: the chains the reader may hold, and the
    reader's own ops wherever they are (it learns what it may let go of); with `outbox`,
    this vault's own ops waiting for a supervisor too."""
    held = peers.holdings(conn)
    view = {k: n for k, n in held.items()
            if reach is None or k[1] in reach or k[0] in readers}
    if outbox:
        for scope, sseq in conn.execute("SELECT scope, max(sseq) FROM main.ops_outbox "
                                        "GROUP BY scope"):
            view[(me, scope)] = max(view.get((me, scope), 0), sseq)
    return view


def _digest_ops(conn: Connection) -> tuple[int, str]:
    """(count, SHA-256) over the bundle's op rows in op_id order.

    The bytes hashed are the same for every Python and SQLite version (bundle format 2;
    format 1 hashed Python's repr(), which changes with Python's Unicode tables).
    """
    digest = hashlib.sha256()
    count = 0
    cursor = conn.execute(f"SELECT {chain.canonical_sql()} FROM bundle.ops ORDER BY op_id")
    while rows := cursor.fetchmany(4096):
        digest.update(b"".join(row[0] for row in rows))
        count += len(rows)
    return count, digest.hexdigest()


class _Digest:
    """_digest_ops taken while the ops are copied: fed (op_id, canonical bytes) by SQLite,
    one row at a time. `whole` only if they came in strictly ascending op_id order and
    every row copied was fed (else the caller reads the bundle again: _digest_ops)."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.count = 0
        self.last = ""
        self.ordered = True
        self.copied = -1

    def add(self, op_id: object, data: object) -> str | None:
        if not isinstance(op_id, str) or not isinstance(data, bytes) or op_id <= self.last:
            self.ordered = False
        else:
            self.last = op_id
        if isinstance(data, bytes):
            self.sha.update(data)
        self.count += 1
        return op_id if isinstance(op_id, str) else None

    @property
    def whole(self) -> bool:
        return self.ordered and self.count == self.copied

    def result(self) -> tuple[int, str]:
        return self.count, self.sha.hexdigest()


_DIGEST_FUNCTION = "coachdesk_digest_row"


def _sweep(conn: Connection, columns: str) -> _Digest:
    """Every op temp.want names into bundle.ops, for a bundle of everything: in op_id
    order (the bundle's own, so its B-tree is appended to, and its index kept up as it
    goes, instead of pages written, evicted and read back), through the log's op_id index,
    with the digest taken on the way (the op id column goes through _Digest.add). A
    whole log takes one read instead of a copy and a second read for the digest."""
    taken = _Digest()
    conn.execute(_OPS_INDEX)
    conn.create_function(_DIGEST_FUNCTION, 2, taken.add)
    try:
        fed = columns.replace("o.op_id", f"{_DIGEST_FUNCTION}(o.op_id, {chain.canonical_sql('o')})", 1)
        taken.copied = conn.execute(
            f"INSERT INTO bundle.ops ({Op.WIRE_COLUMNS}) SELECT {fed} FROM main.ops o "
            "WHERE EXISTS (SELECT 1 FROM temp.want w WHERE w.device = o.device AND "
            "w.scope = o.scope AND o.sseq > w.lo AND o.sseq <= w.hi) ORDER BY o.op_id").rowcount
    finally:
        conn.create_function(_DIGEST_FUNCTION, 2, None)
    return taken


def default_name(device: str, reader: str = "") -> str:
    from datetime import datetime

    to = f"-to-{reader[:6]}" if reader else ""
    return f"coachdesk-{datetime.now():%Y%m%d-%H%M%S}-{device[:6]}{to}{SUFFIX}"


def destination(dest: Path, device: str) -> Path:
    """A directory gets a fresh file name; an existing file is overwritten only if a bundle."""
    if dest.is_dir():
        dest = dest / default_name(device)
    if not dest.parent.is_dir():
        raise CoachdeskError(f"folder {dest.parent} does not exist")
    if not os.access(dest.parent, os.W_OK):
        raise CoachdeskError(f"folder {dest.parent} is not writable")
    if dest.exists() and (dest.suffix != SUFFIX or not dest.is_file()):
        raise CoachdeskError(f"{dest} already exists and is not a {SUFFIX} file: choose another name")
    return dest


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raw(key: bytes) -> str:
    """A 256-bit key as SQLCipher's raw-key form (no key derivation)."""
    return f"x'{key.hex()}'"


def write(conn: Connection, dest: Path, *, keys: DeviceKeys, me: PublicIdentity,
          readers: Sequence[PublicIdentity], team: TeamFile, base_vv: VersionVector,
          reach: Reach, outbox: bool = False) -> Manifest:
    """Write every op of a chain `reach` allows with sseq > base_vv[chain] into a new
    bundle at `dest` (a file path), readable by `readers` only and signed by `keys`; with
    `outbox` (supervisors read it), this vault's own ops waiting in its outbox too."""
    file_key = secrets.token_bytes(32)
    stanzas = [identity.wrap(file_key, who) for who in readers]
    tag = secrets.token_hex(4)
    payload = dest.with_name(f".{dest.name}.{tag}.payload")
    sealed = dest.with_name(f".{dest.name}.{tag}.tmp")
    attached = False
    try:
        conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(payload), _raw(file_key)))
        attached = True
        conn.execute("PRAGMA bundle.journal_mode = OFF")
        # The ops go in by chain, the file keeps them by op_id: with SQLite's 2 MB cache a
        # full bundle's pages left and came back (written, read and decrypted) many times.
        conn.execute(f"PRAGMA bundle.cache_size = {-WRITE_CACHE_KIB}")
        conn.execute(f"PRAGMA bundle.application_id = {BUNDLE_APPLICATION_ID}")
        conn.execute(f"PRAGMA bundle.user_version = {BUNDLE_FORMAT}")
        with transaction(conn, immediate=False):
            for ddl in _TABLES[:-1]:
                if ddl is not _OPS_INDEX:  # built once the ops are in (a sorted build)
                    conn.execute(ddl)
            # Per chain, through the (scope, device, sseq) index: an incremental bundle
            # reads only the new ops, not the whole log; a bundle of everything (no base,
            # every scope) sweeps the log in op_id order instead (_sweep). Only ops a
            # signed head of their chain reaches travel (sync/authorship.py): this device
            # signs its own now.
            chain.sign_heads(conn, keys, me.device)
            _plan(conn, reach, base_vv)
            columns = ", ".join(f"o.{c}" for c in chain.WIRE_COLUMNS)
            taken: _Digest | None = None
            if reach is None and not base_vv:  # everything: in op_id order
                taken = _sweep(conn, columns)
            else:
                conn.execute(
                    f"INSERT INTO bundle.ops ({Op.WIRE_COLUMNS}) SELECT {columns} FROM temp.want w "
                    "CROSS JOIN main.ops o ON o.scope = w.scope AND o.device = w.device "
                    "AND o.sseq > w.lo AND o.sseq <= w.hi")
                conn.execute(_OPS_INDEX)
            conn.execute(authorship.HEADS_DDL)
            conn.execute(
                f"INSERT INTO bundle.heads ({chain.HEAD_COLUMNS}) SELECT c.device, c.scope, "
                "c.sseq, c.seq, c.chain, c.signature FROM temp.want w JOIN main.chain_head c "
                "ON c.device = w.device AND c.scope = w.scope AND c.sseq = w.hi")
            if outbox:
                waiting = conn.execute(
                    f"INSERT OR IGNORE INTO bundle.ops ({Op.WIRE_COLUMNS}) SELECT {columns} "
                    "FROM main.ops_outbox o WHERE o.sseq > coalesce((SELECT b.seq FROM "
                    "temp.send_base b WHERE b.origin = o.device AND b.scope = o.scope), 0)"
                ).rowcount
                if waiting and taken is not None:  # ops the sweep's digest did not see
                    taken.ordered = False
                conn.execute(
                    f"INSERT OR IGNORE INTO bundle.heads ({chain.HEAD_COLUMNS}) SELECT c.device, "
                    "c.scope, c.sseq, c.seq, c.chain, c.signature FROM main.own_scope s JOIN "
                    "main.chain_head c ON c.device = ? AND c.scope = s.scope AND c.sseq = s.sseq "
                    "WHERE s.scope IN (SELECT scope FROM main.ops_outbox)", (me.device,))
            conn.execute("INSERT INTO bundle.team (body, signature) VALUES (?, ?)",
                         (team.signed_bytes().decode("utf-8"), team.signature.hex()))
            count, sha = taken.result() if taken is not None and taken.whole else _digest_ops(conn)
            manifest = Manifest(
                format=BUNDLE_FORMAT, schema_version=migrate.schema_version(conn),
                sender_device=me.device, sender_coach=me.name, created=audit.now_iso(),
                peer=readers[0].device if len(readers) == 1 else "*",
                base_vv=peers.to_wire(base_vv),
                sender_vv=peers.to_wire(reader_view(conn, reach, {r.device for r in readers},
                                                     outbox, me.device)),
                op_count=count, ops_sha256=sha, audit_head=audit.head(conn),
            )
            conn.executemany("INSERT INTO bundle.manifest (key, value) VALUES (?, ?)",
                             [(k, json.dumps(v)) for k, v in asdict(manifest).items()])
        conn.execute("DETACH DATABASE bundle")
        attached = False
        envelope.seal(sealed, payload, {
            "sender": me.device, "created": manifest.created, "recipients": stanzas,
            "manifest_sha256": envelope.manifest_digest(asdict(manifest))}, keys)
        os.replace(sealed, dest)
        _fsync(dest.parent, directory=True)
    except BaseException as exc:
        if attached:
            with contextlib.suppress(Exception):
                conn.execute("DETACH DATABASE bundle")
        if isinstance(exc, DatabaseError):
            raise CoachdeskError(f"cannot write {dest}: {exc}") from None
        if isinstance(exc, OSError):
            raise CoachdeskError(f"cannot write {dest}: {exc.strerror or exc}") from None
        raise
    finally:
        for leftover in (payload, payload.with_name(payload.name + "-journal"), sealed):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return manifest


# ---- reading -----------------------------------------------------------------------


def _refuse_file(path: Path) -> None:
    if not path.exists():
        raise BadBundle(f"{path}: no such file")
    if not path.is_file():
        raise BadBundle(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise BadBundle(f"{path}: empty file, not a coachdesk bundle")
    with path.open("rb") as f:
        if f.read(16) == PLAINTEXT_HEADER:
            raise NotAVault(f"{path}: an unencrypted SQLite file, not a coachdesk bundle")


def _manifest(conn: Connection, path: Path) -> Manifest:
    raw = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM bundle.manifest")}
    try:
        manifest = Manifest(**raw)
    except TypeError:
        raise BadBundle(f"{path}: the bundle's manifest is incomplete") from None
    try:
        manifest.base()
        manifest.holds()
        vectors_ok = True
    except ValueError:
        vectors_ok = False
    scalars_ok = all(type(getattr(manifest, n)) is int for n in ("format", "schema_version",
                                                                   "op_count")) and all(
        isinstance(getattr(manifest, n), str) and getattr(manifest, n)
        for n in ("sender_device", "sender_coach", "ops_sha256"))
    if not (vectors_ok and scalars_ok):
        raise BadBundle(f"{path}: the bundle's manifest is malformed")
    return manifest


_HLC_GLOB = "[0-9]" * 16 + "." + "[0-9]" * 6
_MALFORMED = (
    "typeof(seq) != 'integer' OR seq < 1 "
    "OR typeof(op_id) != 'text' OR typeof(device) != 'text' OR typeof(hlc) != 'text' "
    "OR typeof(tbl) != 'text' OR typeof(row_id) != 'text' OR typeof(field) != 'text' "
    "OR typeof(value) != 'text' OR typeof(parents) != 'text' OR typeof(author) != 'text' "
    "OR typeof(prev) != 'text' OR typeof(chain) != 'text' "
    "OR typeof(scope) != 'text' OR typeof(sseq) != 'integer' OR sseq < 1 "
    "OR device = '' OR instr(device, ':') > 0 OR row_id = '' OR op_id != device || ':' || seq "
    "OR NOT json_valid(value) OR NOT json_valid(parents) "
    "OR CASE WHEN json_valid(parents) THEN json_type(parents) END IS NOT 'array'"
)
"""An op of the attached bundle (columns unqualified) not of the shape every op has."""


_TEAM_WIDE = ", ".join(f"'{t}'" for t in sorted(op_scope.TEAM_WIDE))
_PERSON_ROWS = ", ".join(f"'{t}'" for t in sorted({"participant", *op_scope.PERSON_KEYED}))
_MISPLACED = (
    f"CASE WHEN b.tbl IN ({_PERSON_ROWS}) THEN b.scope != b.row_id WHEN b.tbl IN ({_TEAM_WIDE}) "
    "THEN b.scope != '' ELSE b.scope = '' END OR EXISTS (SELECT 1 FROM main.ops m "
    "WHERE m.tbl = b.tbl AND m.row_id = b.row_id AND m.scope != b.scope)")
"""An op whose scope is not its record's (store/scope.py): a person's op filed as
team-wide, or a record's op under another scope than the record's other ops."""
_SHAPE_COLUMNS = (
    "b.bad, CASE WHEN b.bad OR b.parents = '[]' THEN 0 ELSE (SELECT count(*) FROM "
    "json_each(b.parents) j WHERE j.type != 'text') END, "
    f"CASE WHEN b.hlc NOT GLOB '{_HLC_GLOB}' THEN b.tbl || '.' || b.field END, {_MISPLACED}")
"""Of each op of the bundle (`b`, with `bad`: _MALFORMED): malformed, how many of its
parents are not op ids, table.field if its clock is not one, misplaced. (Read in the
same pass as the digest: each read of the bundle decrypts it again.)"""


def _check_holds(conn: Connection, path: Path, manifest: Manifest) -> None:
    """The sender's own ops go no higher in each chain than its manifest says it holds."""
    holds = manifest.holds()
    for scope, top in conn.execute("SELECT scope, max(sseq) FROM bundle.ops WHERE device = ? "
                                   "GROUP BY scope", (manifest.sender_device,)).fetchall():
        if top > holds.get((manifest.sender_device, scope), 0):
            raise BadBundle(f"{path}: the bundle's changes do not match its manifest")


@dataclass
class Opened:
    """A bundle whose payload is ATTACHed as `bundle`: its header, manifest and the team
    file it carries. `close` detaches it and removes the decrypted-on-demand copy."""

    envelope: Envelope
    manifest: Manifest
    team: TeamFile | None
    payload: Path
    new_ops: authorship.NewOps
    """The ops this vault lacked when the bundle was read, checked against their chain
    values (authorship.verify_new_ops walks them from the signed heads)."""
    values: validate.NewValues
    """Their values, checked in the same read (merge raises what it found in its turn)."""
    newest: str | None
    """The newest clock (hlc) of any op in the bundle, new or not (None: no op)."""

    def close(self, conn: Connection) -> None:
        with contextlib.suppress(Exception):
            conn.execute("DETACH DATABASE bundle")
        for leftover in (self.payload, self.payload.with_name(self.payload.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def attach_verified(conn: Connection, path: Path, *, keys: DeviceKeys, device: str,
                    progress: Progress | None = None) -> Opened:
    """Check the bundle at `path` is addressed to `device`, copy its (still encrypted)
    payload aside, ATTACH it as `bundle` and verify it; on any failure it is detached and
    the copy removed. The sender's signature is checked by the caller, who knows the team."""
    step = progress or (lambda fraction, stage: None)
    _refuse_file(path)
    header = envelope.read(path)
    if header.sender == device and device not in header.recipients:
        raise BadBundle(f"{path}: this bundle was exported by this vault")
    file_key = header.open_key(keys, device, path)
    step(0.05, "unlocking the bundle")
    fd, name = tempfile.mkstemp(prefix="coachdesk-", suffix=".payload")
    os.close(fd)
    payload = Path(name)
    payload.unlink()
    opened: Opened | None = None
    try:
        header.copy_payload(path, payload)
        try:
            conn.execute("ATTACH DATABASE ? AS bundle KEY ?", (str(payload), _raw(file_key)))
        except DatabaseError as exc:
            raise BadBundle(f"{path}: the bundle is damaged ({exc})") from None
        manifest, read = _verify(conn, path, step)
        if envelope.manifest_digest(asdict(manifest)) != header.body["manifest_sha256"] or \
                manifest.sender_device != header.sender:
            raise BadBundle(f"{path}: the bundle's contents do not match its header")
        opened = Opened(header, manifest, _team(conn, path), payload, read.new_ops, read.values,
                        read.newest)
        return opened
    except BaseException as exc:
        with contextlib.suppress(Exception):
            conn.execute("DETACH DATABASE bundle")
        with contextlib.suppress(OSError):
            payload.unlink()
        if isinstance(exc, OSError):
            raise CoachdeskError(f"{path}: cannot read the bundle ({exc.strerror or exc})") from None
        if isinstance(exc, DatabaseError) and "interrupt" in str(exc):
            raise CoachdeskError(f"{path}: import stopped (the vault was locked)") from None
        if isinstance(exc, DatabaseError):
            raise BadBundle(f"{path}: the bundle is damaged ({exc})") from None
        if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError, RecursionError)):
            raise BadBundle(f"{path}: the bundle's manifest is malformed") from None
        raise


def _team(conn: Connection, path: Path) -> TeamFile | None:
    rows = conn.execute("SELECT body, signature FROM bundle.team").fetchall()
    if not rows:
        return None
    if len(rows) != 1:
        raise BadBundle(f"{path}: the bundle's team file is malformed")
    body, signature = rows[0]
    try:
        return TeamFile.from_parts(json.loads(body), identity.b64(bytes.fromhex(signature)))
    except (BadTeamFile, ValueError, TypeError):
        raise BadBundle(f"{path}: the bundle's team file is malformed") from None


def _verify(conn: Connection, path: Path, step: Progress) -> tuple[Manifest, _Read]:
    if conn.execute("PRAGMA bundle.application_id").fetchone()[0] != BUNDLE_APPLICATION_ID:
        raise BadBundle(f"{path}: not a coachdesk bundle")
    version = conn.execute("PRAGMA bundle.user_version").fetchone()[0]
    if version > BUNDLE_FORMAT:
        raise NewerSchema(f"{path}: written by a newer coachdesk; update coachdesk to import it")
    if version < BUNDLE_FORMAT:
        raise BadBundle(f"{path}: written by an older coachdesk (bundle format {version}): "
                        "the sender should update coachdesk and export again")
    step(0.15, "checking encryption")
    damaged = conn.execute("PRAGMA bundle.cipher_integrity_check").fetchall()
    if damaged:
        raise BadBundle(f"{path}: the bundle is damaged ({len(damaged)} bad pages)")
    step(0.3, "checking the database")
    if conn.execute("PRAGMA bundle.integrity_check(1)").fetchone()[0] != "ok":
        raise BadBundle(f"{path}: the bundle is damaged (database integrity)")
    kinds = dict(conn.execute("SELECT name, type FROM bundle.sqlite_master "
                              "WHERE name IN ('manifest', 'ops', 'team', 'heads')"))
    if kinds != {"manifest": "table", "ops": "table", "team": "table", "heads": "table"}:
        raise BadBundle(f"{path}: not a coachdesk bundle (tables missing)")
    manifest = _manifest(conn, path)
    if manifest.format > BUNDLE_FORMAT or manifest.schema_version > migrate.latest_version():
        raise NewerSchema(f"{path}: written by a newer coachdesk; update coachdesk to import it")
    step(0.45, "checking every change")
    read = _read_ops(conn)
    # In this order (the first problem found is the one named): every op well-formed,
    # every table and field known, the sender's chains as its manifest says, every op
    # under its record's scope, then the digest.
    bad = read.malformed or read.bad_parents
    if bad:
        raise BadBundle(f"{path}: the bundle holds {bad} malformed changes")
    unknown = read.bad_clock or next((f"{tbl}.{name}" for (tbl, name), known in
                                      read.pairs.items() if not known), None)
    if unknown:
        raise BadBundle(f"{path}: the bundle holds a change this coachdesk does not know "
                        f"({unknown}): update coachdesk")
    _check_holds(conn, path, manifest)
    if read.misplaced:
        raise BadBundle(f"{path}: the bundle holds changes filed under the wrong person")
    if read.count != manifest.op_count or read.sha256 != manifest.ops_sha256:
        raise BadBundle(f"{path}: the bundle's changes do not match its manifest")
    return manifest, read


def _read_ops(conn: Connection) -> _Read:
    """Every op of the bundle in one read (each read decrypts the whole bundle again): its
    shape (_SHAPE_COLUMNS), its table and field, the digest (_digest_ops); of the ops this
    vault lacks, the chain value of each (authorship.NewOps: the chain walk needs them
    next) and the values (validate.NewValues: raised later, in the import's order of
    checks); and the newest clock of any op. A malformed op is counted and read no
    further; the caller raises what was found, in its order."""
    digest = hashlib.sha256()
    read = _Read()
    new = read.new_ops
    values = read.values
    pairs = read.pairs
    newest = ""
    cursor = conn.execute(
        f"SELECT {chain.canonical_sql('b')}, NOT EXISTS (SELECT 1 FROM main.ops m WHERE "
        f"m.op_id = b.op_id), {authorship.NEW_OPS_COLUMNS}, {validate.NEW_VALUE_COLUMNS}, "
        f"{_SHAPE_COLUMNS} FROM (SELECT ({_MALFORMED}) AS bad, * FROM bundle.ops) b "
        "ORDER BY b.op_id")
    while rows := cursor.fetchmany(4096):
        for data, fresh, op_id, device, seq, scope, sseq, prev, link, tbl, name, raw, hlc, \
                long, bad, bad_parents, bad_clock, misplaced in rows:
            digest.update(data)
            read.count += 1
            if bad or bad_parents:
                read.malformed += bad
                read.bad_parents += bad_parents
                continue
            known = pairs.get((tbl, name))
            if known is None:
                known = pairs[(tbl, name)] = _known(tbl, name)
            if bad_clock and bad_clock > read.bad_clock:
                read.bad_clock = bad_clock
            read.misplaced += misplaced
            if hlc > newest:
                newest = hlc
            if fresh:
                new.add(op_id, device, seq, scope, sseq, prev, link, data)
                if known:
                    values.add(tbl, name, raw, hlc, long, data)
    read.sha256 = digest.hexdigest()
    read.newest = newest or None
    return read


def _known(tbl: str, field: str) -> bool:
    try:
        column_of(tbl, field)
    except ValueError:
        return False
    return True


@dataclass
class _Read:
    """What _read_ops found."""

    count: int = 0
    sha256: str = ""
    new_ops: authorship.NewOps = field(default_factory=authorship.NewOps)
    values: validate.NewValues = field(default_factory=validate.NewValues)
    newest: str | None = None
    malformed: int = 0
    bad_parents: int = 0
    bad_clock: str = ""
    misplaced: int = 0
    pairs: dict[tuple[str, str], bool] = field(default_factory=dict)
