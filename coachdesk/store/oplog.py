"""The op log: every change to a synced record is an op; records are derived from ops.

Each field is a multi-value register. Its heads are the ops of that field that no
other op names as a parent. One head is the value; several heads are a conflict,
shown with the highest (hlc, op_id) head as the provisional value until a person
resolves it by writing one op whose parents are all the heads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coachdesk.errors import CoachdeskError
from coachdesk.registry import APPEND_ONLY, SYNCED_RECORDS
from coachdesk.store import chain as op_chain
from coachdesk.store import scope as op_scope
from coachdesk.store.db import Connection
from coachdesk.store.hlc import ZERO, Clock, Timestamp

DELETED = "_deleted"

FROZEN_BY: dict[str, tuple[str, Any]] = {"note": ("status", "final")}
"""tbl -> (field, value): once an op sets the field to the value (a note finalized), the
record is frozen. Its fields are what the writer of that op had seen: that op names as
parents the heads of every field of the record (a snapshot), and the record's values
come from those ops only (see `_frozen_values`). Later or concurrent edits stay in the
op log but change nothing, and local writes are refused (FrozenRecord)."""


class FrozenRecord(CoachdeskError):
    def __init__(self, tbl: str) -> None:
        what = "a finalized note" if tbl == "note" else f"this {tbl}"
        super().__init__(f"{what} cannot be changed: add an addendum")


def fields_of(tbl: str) -> tuple[str, ...]:
    try:
        return SYNCED_RECORDS[tbl]
    except KeyError:
        raise ValueError(f"not a synced record table: {tbl!r}") from None


def column_of(tbl: str, field: str) -> str:
    """The record column an op's field sets; refuses anything not in the registry."""
    if field == DELETED:
        return "deleted"
    if field not in fields_of(tbl):
        raise ValueError(f"{tbl} has no field {field!r}")
    return field


def to_column(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    if value is None:
        return ""
    return value


def encode_value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True, slots=True)
class Op:
    op_id: str
    device: str
    seq: int
    hlc: str
    tbl: str
    row_id: str
    field: str
    value: str
    parents: str
    author: str
    scope: str = ""
    """Whose op it is (store/scope.py): a person's id, "" team-wide, "@<device>" private."""
    sseq: int = 0
    """Its number among its device's ops of the same scope (1, 2, 3...)."""
    prev: str = ""
    """The chain value of the same device's op of the same scope at sseq-1 (store/chain.py)."""
    chain: str = ""
    """hex SHA-256 over prev and this op's canonical bytes; "" = not computed yet."""

    COLUMNS = "op_id, device, seq, hlc, tbl, row_id, field, value, parents, author, scope, sseq"
    """What an op says: its digest and canonical bytes cover these (store/chain.canonical)."""
    WIRE_COLUMNS = COLUMNS + ", prev, chain"
    """Every column of an op a bundle carries and an import inserts."""


def _meta(conn: Connection, key: str, default: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def _set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


class OpLog:
    """Writes ops for one device and keeps the derived records in step.

    Callers hold the transaction (store.db.transaction), so an op, its record
    update and its audit entry commit together or not at all.
    """

    def __init__(self, conn: Connection, device: str, author: str):
        self.conn = conn
        self.device = device
        self.author = author
        self.clock = Clock(Timestamp.decode(_meta(conn, "hlc", ZERO.encode())))

    def _next_seq(self) -> int:
        seq = int(_meta(self.conn, "next_seq", "1"))
        _set_meta(self.conn, "next_seq", str(seq + 1))
        return seq

    def _new_op(self, tbl: str, row_id: str, field: str, value: Any, parents: list[str],
                scope: str, after: str | None = None) -> Op:
        seq = self._next_seq()
        sseq, prev = op_chain.own_top(self.conn, self.device, scope)
        hlc = self.clock.tick() if after is None else self.clock.tick_after(Timestamp.decode(after))
        values = (f"{self.device}:{seq}", self.device, seq, hlc.encode(), tbl,
                  row_id, field, encode_value(value), json.dumps(sorted(parents)), self.author,
                  scope, sseq + 1)
        op = Op(*values, prev=prev, chain=op_chain.link(prev, values))
        insert_op(self.conn, op)
        op_chain.set_own_top(self.conn, scope, op.sseq, seq, op.chain)
        held_prefix_grows(self.conn, self.device, scope, op.sseq)
        return op

    def append(self, tbl: str, row_id: str, fields: Mapping[str, Any]) -> list[str]:
        """Write a whole row of an append-only table: one op per field, one INSERT."""
        if tbl not in APPEND_ONLY:
            raise ValueError(f"{tbl} is not append-only: use write()")
        if not self.conn.in_transaction:
            raise RuntimeError("OpLog.append must run inside a transaction")
        columns = [column_of(tbl, f) for f in fields]
        scope = op_scope.scope_of(self.conn, tbl, row_id, fields, self.device)
        written = [self._new_op(tbl, row_id, f, v, [], scope).op_id for f, v in fields.items()]
        self.conn.execute(
            f"INSERT INTO {tbl} (id, origin, {', '.join(columns)}) VALUES "
            f"(?, ?{', ?' * len(columns)})",
            (row_id, self.device, *(to_column(v) for v in fields.values())),
        )
        _set_meta(self.conn, "hlc", self.clock.last.encode())
        return written

    def write(self, tbl: str, row_id: str, changes: Mapping[str, Any]) -> list[str]:
        """Record `changes` (field -> value) to one row; returns the new op ids.

        A frozen record (a finalized note) takes no change but a delete. The op that
        freezes a record is written last, naming every field's heads as its parents."""
        if tbl in APPEND_ONLY:
            raise ValueError(f"{tbl} is append-only: use append()")
        if not self.conn.in_transaction:
            raise RuntimeError("OpLog.write must run inside a transaction")
        freeze = FROZEN_BY.get(tbl)
        if freeze and any(f != DELETED for f in changes) and is_frozen(self.conn, tbl, row_id):
            raise FrozenRecord(tbl)
        snapshot_field = freeze[0] if freeze and changes.get(freeze[0]) == freeze[1] else None
        order = sorted(changes, key=lambda f: f == snapshot_field)  # the freezing op last
        scope = op_scope.scope_of(self.conn, tbl, row_id, changes, self.device)
        # Every change follows what this vault holds of the record: the record's first
        # change (its origin) stays its first, whatever the writers' clocks say.
        newest: str | None = self.conn.execute(
            "SELECT max(hlc) FROM ops WHERE tbl = ? AND row_id = ?", (tbl, row_id)).fetchone()[0]
        written = []
        for field in order:
            value = changes[field]
            column = column_of(tbl, field)
            heads = [r[0] for r in self.conn.execute(
                "SELECT op_id FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?",
                (tbl, row_id, field))]
            if field == snapshot_field:  # what this writer saw of every other field
                heads += [r[0] for r in self.conn.execute(
                    "SELECT op_id FROM field_head WHERE tbl = ? AND row_id = ? AND field "
                    "NOT IN (?, ?)", (tbl, row_id, field, DELETED))]
            op = self._new_op(tbl, row_id, field, value, heads, scope, newest)
            newest = op.hlc
            self.conn.execute(
                "DELETE FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?",
                (tbl, row_id, field),
            )
            self.conn.execute(
                "INSERT INTO field_head (tbl, row_id, field, op_id, hlc) VALUES (?, ?, ?, ?, ?)",
                (tbl, row_id, field, op.op_id, op.hlc),
            )
            self.conn.execute(
                "DELETE FROM conflict WHERE tbl = ? AND row_id = ? AND field = ?",
                (tbl, row_id, field),
            )
            self.conn.execute(
                f"INSERT OR IGNORE INTO {tbl} (id, origin) VALUES (?, ?)", (row_id, self.device)
            )
            self.conn.execute(
                f"UPDATE {tbl} SET {column} = ? WHERE id = ?", (to_column(value), row_id)
            )
            written.append(op.op_id)
        if snapshot_field:  # a frozen record keeps what it shows: no open conflict on it
            self.conn.execute("DELETE FROM conflict WHERE tbl = ? AND row_id = ? AND field != ?",
                              (tbl, row_id, DELETED))
        _set_meta(self.conn, "hlc", self.clock.last.encode())
        return written


def held_prefix_grows(conn: Connection, device: str, scope: str, sseq: int) -> None:
    """This vault now holds op `sseq` of (device, scope): the held prefix grows if it was
    the next one (a scope's first op starts it; anything else is sync's to work out)."""
    grown = conn.execute("UPDATE held SET sseq = ?3 WHERE device = ?1 AND scope = ?2 "
                         "AND sseq = ?3 - 1", (device, scope, sseq)).rowcount
    if not grown and sseq == 1:
        conn.execute("INSERT OR IGNORE INTO held (device, scope, sseq) VALUES (?, ?, 1)",
                     (device, scope))


def is_frozen(conn: Connection, tbl: str, row_id: str) -> bool:
    field, value = FROZEN_BY[tbl]
    return conn.execute(f"SELECT 1 FROM {tbl} WHERE id = ? AND {column_of(tbl, field)} = ?",
                        (row_id, to_column(value))).fetchone() is not None


def insert_op(conn: Connection, op: Op) -> bool:
    """Insert one op unless it is already known; True if it was new."""
    cur = conn.execute(
        f"INSERT OR IGNORE INTO ops ({Op.WIRE_COLUMNS}) VALUES ({', '.join('?' * 14)})",
        (op.op_id, op.device, op.seq, op.hlc, op.tbl, op.row_id, op.field, op.value,
         op.parents, op.author, op.scope, op.sseq, op.prev, op.chain),
    )
    return cur.rowcount == 1


def refresh_append_only(conn: Connection, tbl: str, row_id: str) -> None:
    """Derive an append-only row from its ops: each field from its first op (lowest
    hlc, op_id). A later op on an append-only record (only a forged or faulty bundle
    writes one) stays in the op log and changes nothing, in whatever order it came."""
    rows = conn.execute(
        "SELECT field, value, device FROM ops WHERE tbl = ? AND row_id = ? ORDER BY hlc, op_id",
        (tbl, row_id),
    ).fetchall()
    if rows:
        _put_row(conn, tbl, row_id, *_first_values(rows))


def _first_values(rows: Sequence[Sequence[Any]]) -> tuple[str, dict[str, Any]]:
    """(origin, field -> column value) of an append-only record from its ops (field,
    value, device), oldest first: each field from its first op."""
    values: dict[str, Any] = {}
    for field, value, _ in rows:
        values.setdefault(field, to_column(json.loads(value)))
    return rows[0][2], values


_TOUCHED_ROWS = "SELECT DISTINCT row_id FROM temp.touched_field WHERE tbl = ?1"
_FROZEN_ROWS = "SELECT row_id FROM temp.frozen_row WHERE tbl = ?1"


def _ops_by_row(conn: Connection, tbl: str, rows_sql: str,
                columns: str) -> Iterator[tuple[str, list[Any]]]:
    """(row_id, its ops oldest first: `columns`) for every row of `tbl` that `rows_sql`
    gives, in one query (a query per record was most of a full import)."""
    cursor = conn.execute(
        f"SELECT t.row_id, o.hlc, o.op_id, {columns} FROM ({rows_sql}) t CROSS JOIN ops o "
        "ON o.tbl = ?1 AND o.row_id = t.row_id ORDER BY t.row_id", (tbl,))
    row_id = ""
    found: list[Any] = []
    while chunk := cursor.fetchmany(4096):
        for row in chunk:
            if row[0] != row_id:
                if found:
                    yield row_id, _oldest_first(found)
                row_id, found = row[0], []
            found.append(row)
    if found:
        yield row_id, _oldest_first(found)


def _oldest_first(rows: list[Any]) -> list[Any]:
    """Rows of (row_id, hlc, op_id, ...) as (...) in (hlc, op_id) order."""
    return [r[3:] for r in sorted(rows, key=lambda r: (r[1], r[2]))]


def _put_row(conn: Connection, tbl: str, row_id: str, origin: str,
             values: Mapping[str, Any]) -> None:
    """Make the record row exactly `values` (others at their defaults): insert it, or
    correct it under the `deriving` flag (immutable rows whose history came late)."""
    columns = ["origin", *(column_of(tbl, f) for f in fields_of(tbl)), "deleted"]
    defaults = _default_values(conn, tbl)
    wanted = [origin, *(values.get(f, defaults[column_of(tbl, f)]) for f in fields_of(tbl)),
              values.get(DELETED, 0)]
    held = conn.execute(f"SELECT {', '.join(columns)} FROM {tbl} WHERE id = ?", (row_id,)).fetchone()
    if held is None:
        conn.execute(f"INSERT INTO {tbl} (id, {', '.join(columns)}) VALUES "
                     f"(?{', ?' * len(columns)})", (row_id, *wanted))
    elif tuple(held) != tuple(wanted):
        with deriving(conn):
            conn.execute(f"UPDATE {tbl} SET {', '.join(c + ' = ?' for c in columns)} WHERE id = ?",
                         (*wanted, row_id))


@contextlib.contextmanager
def deriving(conn: Connection) -> Iterator[None]:
    """Let derivation correct an immutable row (migration 0012); only inside a transaction."""
    if not conn.in_transaction:
        raise RuntimeError("deriving runs inside a transaction")
    conn.execute("INSERT OR IGNORE INTO deriving (flag) VALUES (1)")
    try:
        yield
    finally:
        conn.execute("DELETE FROM deriving")


def _frozen_values(conn: Connection, tbl: str, row_id: str) -> tuple[str, dict[str, Any]]:
    """(origin, field -> column value) of a frozen record, from its ops alone.

    The freezing op is the earliest (hlc, op_id) op setting the freeze value (two devices
    finalizing one note at once: the first wins). Each field takes, among its candidate
    ops, the newest head. Candidates are the ops the freezing op names as parents (the
    writer's snapshot). While some of those have not arrived yet, or for a note frozen
    before snapshots existed, they are the field's ops older than the freezing op plus
    the freezing device's own ops up to the one after it (its finalized_at, once).
    Anything else (an edit made elsewhere and not seen, or made later) is left out.
    Deletion is not frozen: it is the field's newest head as usual."""
    rows = conn.execute(
        f"SELECT {_FROZEN_COLUMNS} FROM ops WHERE tbl = ? AND row_id = ? ORDER BY hlc, op_id",
        (tbl, row_id)).fetchall()
    return _frozen_from_rows(tbl, rows)


_FROZEN_COLUMNS = "op_id, device, seq, hlc, field, value, parents"


def _frozen_from_rows(tbl: str, rows: Sequence[Sequence[Any]]) -> tuple[str, dict[str, Any]]:
    """_frozen_values from the record's ops (_FROZEN_COLUMNS), oldest first."""
    field, value = FROZEN_BY[tbl]
    frozen = encode_value(value)
    fin = next(r for r in rows if r[4] == field and json.loads(r[5]) == json.loads(frozen))
    _, fin_device, fin_seq, fin_hlc, _, fin_value, fin_parents = fin
    snapshot = set(json.loads(fin_parents))
    by_id = {r[0]: r for r in rows}
    complete = snapshot <= by_id.keys() and any(by_id[p][4] != field for p in snapshot)
    values: dict[str, Any] = {field: to_column(json.loads(fin_value))}
    for name in (*fields_of(tbl), DELETED):
        if name == field:
            continue
        if name == DELETED:
            candidates = [r for r in rows if r[4] == name]
        else:
            candidates = [r for r in rows if r[4] == name and (r[0] in snapshot or not complete and (
                r[3] < fin_hlc or (r[1] == fin_device and r[2] <= fin_seq + 1)))]
        named = {p for r in candidates for p in json.loads(r[6])}
        heads = [r for r in candidates if r[0] not in named]
        if heads:
            values[name] = to_column(json.loads(max(heads, key=lambda r: (r[3], r[0]))[5]))
    return rows[0][1], values


_TOUCHED_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS touched_field (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "field TEXT NOT NULL, PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS named_parent (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "field TEXT NOT NULL, op_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id, field, op_id)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS frozen_row (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "PRIMARY KEY (tbl, row_id)) WITHOUT ROWID",
)
_WINNING_HEADS = (
    "FROM temp.touched_field t CROSS JOIN field_head h ON h.tbl = t.tbl "
    "AND h.row_id = t.row_id AND h.field = t.field JOIN ops o ON o.op_id = h.op_id "
    "WHERE NOT EXISTS (SELECT 1 FROM field_head h2 WHERE h2.tbl = h.tbl AND "
    "h2.row_id = h.row_id AND h2.field = h.field AND (h2.hlc > h.hlc OR "
    "(h2.hlc = h.hlc AND h2.op_id > h.op_id)))")
"""The newest head of every touched field: the value its record column shows."""
_COLUMN_VALUE = ("CASE WHEN json_type(o.value) IN ('array', 'object') THEN json(o.value) "
                 "ELSE coalesce(json_extract(o.value, '$'), '') END")
"""An op's JSON value as its record column holds it (SQL twin of `to_column`)."""
_ORIGIN = "(SELECT device FROM ops WHERE tbl = ?1 AND row_id = {row} ORDER BY hlc, op_id LIMIT 1)"
"""The device that wrote a record's first op (its origin)."""
_IN_TOUCHED = "(tbl, row_id, field) IN (SELECT tbl, row_id, field FROM temp.touched_field)"


def _start_touched(conn: Connection) -> None:
    for ddl in _TOUCHED_DDL:
        conn.execute(ddl)
    conn.execute("DELETE FROM temp.touched_field")
    conn.execute("DELETE FROM temp.named_parent")


def refresh(conn: Connection, touched: Iterable[tuple[str, str, str]]) -> None:
    """Re-derive every touched (tbl, row_id, field) from the ops."""
    _start_touched(conn)
    conn.executemany("INSERT OR IGNORE INTO temp.touched_field VALUES (?, ?, ?)", touched)
    derive_touched(conn)


def select_touched(conn: Connection, select_sql: str, params: Sequence[Any] = ()) -> None:
    """Collect the (tbl, row_id, field) that `select_sql` returns into temp.touched_field
    for `derive_touched` (an import counts its new and updated records in between)."""
    _start_touched(conn)
    conn.execute(f"INSERT OR IGNORE INTO temp.touched_field (tbl, row_id, field) {select_sql}", params)


def derive_touched(conn: Connection, *, keep: bool = False, whole_log: bool = False) -> None:
    """Heads, conflicts and record values of every field in temp.touched_field, in a few
    set-based statements (an import may touch tens of thousands of fields).

    CROSS JOIN keeps the touched fields as the outer loop: the temp table has no
    statistics, and the planner would otherwise walk the whole op log or field heads.
    `whole_log`: the touched fields are every field of the op log, and no head is held
    yet (a full bundle into an empty vault): the heads come from reading the log once
    in its own order, not field by field."""
    pairs = conn.execute("SELECT DISTINCT tbl, field FROM temp.touched_field").fetchall()
    for tbl, field in pairs:
        column_of(tbl, field)  # refuses anything outside the registry before SQL names it
    tables = sorted({tbl for tbl, _ in pairs})
    for tbl in tables:
        if tbl in APPEND_ONLY:
            for row_id, rows in _ops_by_row(conn, tbl, _TOUCHED_ROWS,
                                           "o.field, o.value, o.device"):
                _put_row(conn, tbl, row_id, *_first_values(rows))
            conn.execute("DELETE FROM temp.touched_field WHERE tbl = ?", (tbl,))
    conn.execute("DELETE FROM temp.frozen_row")
    for tbl, (field, value) in FROZEN_BY.items():
        if tbl in tables:
            conn.execute(
                "INSERT OR IGNORE INTO temp.frozen_row SELECT DISTINCT t.tbl, t.row_id "
                "FROM temp.touched_field t WHERE t.tbl = ?1 AND EXISTS (SELECT 1 FROM ops o "
                "WHERE o.tbl = ?1 AND o.row_id = t.row_id AND o.field = ?2 AND o.value = ?3)",
                (tbl, field, encode_value(value)))
    if whole_log:  # the log in its own order; append-only records have no heads
        source, where = "ops o", f"o.tbl NOT IN ({', '.join(repr(t) for t in sorted(APPEND_ONLY))})"
    else:
        source = ("temp.touched_field t CROSS JOIN ops o ON o.tbl = t.tbl AND o.row_id = t.row_id "
                  "AND o.field = t.field")
        where = "1"
    conn.execute(
        "INSERT OR IGNORE INTO temp.named_parent SELECT o.tbl, o.row_id, o.field, j.value "
        f"FROM {source}, json_each(o.parents) j WHERE {where} AND o.parents != '[]'"
    )
    conn.execute(f"DELETE FROM field_head WHERE {_IN_TOUCHED}")
    conn.execute(
        "INSERT INTO field_head (tbl, row_id, field, op_id, hlc) "
        f"SELECT o.tbl, o.row_id, o.field, o.op_id, o.hlc FROM {source} WHERE {where} AND "
        "NOT EXISTS (SELECT 1 FROM temp.named_parent n WHERE n.tbl = o.tbl "
        "AND n.row_id = o.row_id AND n.field = o.field AND n.op_id = o.op_id)"
        + (" ORDER BY 1, 2, 3, 4" if whole_log else "")
    )
    conn.execute(f"DELETE FROM conflict WHERE {_IN_TOUCHED}")
    conn.execute(
        "INSERT INTO conflict (tbl, row_id, field) SELECT h.tbl, h.row_id, h.field "
        "FROM temp.touched_field t CROSS JOIN field_head h ON h.tbl = t.tbl AND h.row_id = t.row_id "
        "AND h.field = t.field GROUP BY h.tbl, h.row_id, h.field HAVING count(*) > 1"
    )
    # A frozen record shows what was frozen: its edits made elsewhere are no conflict.
    conn.execute("DELETE FROM conflict WHERE field != ? AND (tbl, row_id) IN "
                 "(SELECT tbl, row_id FROM temp.frozen_row)", (DELETED,))
    # Each record is written once, all its touched fields together: a record new to this
    # vault in one INSERT, whole; one it holds in one UPDATE (a per-field UPDATE rewrote
    # a note row, body and all, once per field). Values are converted in SQL as
    # to_column does: scalars unwrapped (null as ''), arrays and objects kept as JSON
    # (op values are already compact JSON with sorted keys; json() only minifies).
    fields_by_table: dict[str, list[str]] = {}
    for tbl, field in pairs:
        if tbl not in APPEND_ONLY:
            fields_by_table.setdefault(tbl, []).append(field)
    if whole_log:
        _collect_winners(conn)
    for tbl, fields in fields_by_table.items():
        columns = [column_of(tbl, f) for f in fields]
        picks = ", ".join(f"max(CASE WHEN h.field = ?{n + 2} THEN {_COLUMN_VALUE} END) AS c{n}"
                          for n in range(len(fields)))
        if whole_log:  # no record held yet: every one new, from the winners collected
            defaults = _column_defaults(conn, tbl)
            values = ", ".join(f"coalesce(w.c{n}, {defaults[c]})" for n, c in enumerate(columns))
            conn.execute(
                f"INSERT INTO {tbl} (id, origin, {', '.join(columns)}) SELECT w.id, (SELECT "
                f"g.device FROM temp.first_op g WHERE g.tbl = ?1 AND g.row_id = w.id), {values} "
                f"FROM (SELECT h.row_id AS id, {picks} FROM temp.winner h CROSS JOIN ops o ON "
                "o.op_id = h.op_id WHERE h.tbl = ?1 GROUP BY h.row_id) w", (tbl, *fields))
            continue
        winners = (f"SELECT h.row_id AS id, {picks} {_WINNING_HEADS} AND t.tbl = ?1 AND "
                   "t.row_id NOT IN (SELECT row_id FROM temp.frozen_row WHERE tbl = ?1)")
        held = f"EXISTS (SELECT 1 FROM {tbl} x WHERE x.id = t.row_id)"
        conn.execute(
            f"UPDATE {tbl} SET origin = {_ORIGIN.format(row=tbl + '.id')} "
            "WHERE id IN (SELECT row_id FROM temp.touched_field WHERE tbl = ?1)", (tbl,))
        sets = ", ".join(f"{c} = coalesce(w.c{n}, {c})" for n, c in enumerate(columns))
        conn.execute(f"UPDATE {tbl} SET {sets} FROM ({winners} AND {held} GROUP BY h.row_id) w "
                     f"WHERE {tbl}.id = w.id", (tbl, *fields))
        defaults = _column_defaults(conn, tbl)
        values = ", ".join(f"coalesce(w.c{n}, {defaults[c]})" for n, c in enumerate(columns))
        conn.execute(
            f"INSERT INTO {tbl} (id, origin, {', '.join(columns)}) SELECT w.id, "
            f"{_ORIGIN.format(row='w.id')}, {values} FROM ({winners} AND NOT {held} "
            "GROUP BY h.row_id) w", (tbl, *fields))
    for tbl in FROZEN_BY:
        if tbl in tables:
            if whole_log:  # the frozen records whose snapshot is whole, set-based
                _frozen_whole(conn, tbl)
            wanted = ", ".join(f"o.{c.strip()}" for c in _FROZEN_COLUMNS.split(","))
            for row_id, rows in _ops_by_row(conn, tbl, _FROZEN_ROWS, wanted):
                _put_row(conn, tbl, row_id, *_frozen_from_rows(tbl, rows))
    conn.execute("DELETE FROM temp.frozen_row")
    if whole_log:
        conn.execute("DELETE FROM temp.winner")
        conn.execute("DELETE FROM temp.first_op")
    if not keep:  # an import counts its conflicts from the touched fields, then clears
        conn.execute("DELETE FROM temp.touched_field")
    conn.execute("DELETE FROM temp.named_parent")


_WHOLE_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS winner (op_id TEXT PRIMARY KEY, tbl TEXT NOT NULL, "
    "row_id TEXT NOT NULL, field TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS first_op (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "at TEXT NOT NULL, device TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID",
)


def _collect_winners(conn: Connection) -> None:
    """For derive_touched(whole_log=True): temp.winner, the newest head of every field of a
    record that is not frozen (in op_id order, the op log's own: the values are then read
    in one sweep, not one scattered lookup each), and temp.first_op, each record's first op
    (its origin), from one read of the log."""
    for ddl in _WHOLE_DDL:
        conn.execute(ddl)
    conn.execute("DELETE FROM temp.winner")
    conn.execute("DELETE FROM temp.first_op")
    conn.execute(
        "INSERT INTO temp.winner (op_id, tbl, row_id, field) SELECT h.op_id, h.tbl, h.row_id, "
        "h.field FROM field_head h WHERE NOT EXISTS (SELECT 1 FROM temp.frozen_row f WHERE "
        "f.tbl = h.tbl AND f.row_id = h.row_id) AND NOT EXISTS (SELECT 1 FROM field_head h2 "
        "WHERE h2.tbl = h.tbl AND h2.row_id = h.row_id AND h2.field = h.field AND "
        "(h2.hlc > h.hlc OR (h2.hlc = h.hlc AND h2.op_id > h.op_id)))")
    # hlc has one width (validate.py, hlc.py): hlc || ' ' || op_id orders as (hlc, op_id).
    conn.execute(
        "INSERT INTO temp.first_op (tbl, row_id, at, device) SELECT o.tbl, o.row_id, "
        "o.hlc || ' ' || o.op_id, o.device FROM ops o WHERE 1 ON CONFLICT (tbl, row_id) DO "
        "UPDATE SET at = excluded.at, device = excluded.device WHERE excluded.at < first_op.at")


_FROZEN_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS frozen_fin (row_id TEXT PRIMARY KEY, op_id TEXT NOT NULL, "
    "parents TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS frozen_cand (row_id TEXT NOT NULL, field TEXT NOT NULL, "
    "op_id TEXT NOT NULL, hlc TEXT NOT NULL, parents TEXT NOT NULL, "
    "PRIMARY KEY (row_id, field, op_id)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS frozen_pick (row_id TEXT NOT NULL, field TEXT NOT NULL, "
    "op_id TEXT NOT NULL, PRIMARY KEY (row_id, field)) WITHOUT ROWID",
)
_FROZEN_TEMP = ("frozen_fin", "frozen_cand", "frozen_pick")


def _frozen_whole(conn: Connection, tbl: str) -> None:
    """For derive_touched(whole_log=True): the rows of temp.frozen_row of `tbl` whose
    freezing op names a whole snapshot (every op it names is one of the record's, one at
    least of another field), as `_frozen_from_rows` derives them, in a few statements:
    each field the newest head among the snapshot's ops of it, deletion the field's newest
    head, the origin the record's first op (temp.first_op). Those rows leave
    temp.frozen_row; the others (a snapshot not whole) are left to the caller."""
    field, value = FROZEN_BY[tbl]
    for ddl in _FROZEN_DDL:
        conn.execute(ddl)
    for table in _FROZEN_TEMP:
        conn.execute(f"DELETE FROM temp.{table}")
    # The freezing op: the record's first (hlc, op_id) op setting the field to the value
    # (hlc has one width: hlc || ' ' || op_id orders as (hlc, op_id)).
    conn.execute(
        "INSERT INTO temp.frozen_fin (row_id, op_id, parents) SELECT f.row_id, o.op_id, o.parents "
        "FROM (SELECT t.row_id, min(x.hlc || ' ' || x.op_id) AS at FROM temp.frozen_row t "
        "CROSS JOIN ops x ON x.tbl = ?1 AND x.row_id = t.row_id AND x.field = ?2 WHERE "
        "t.tbl = ?1 AND json_type(x.value) = 'text' AND json_extract(x.value, '$') = ?3 "
        "GROUP BY t.row_id) f CROSS JOIN ops o ON o.op_id = substr(f.at, instr(f.at, ' ') + 1)",
        (tbl, field, value))
    # Its snapshot: the record's ops it names.
    conn.execute(
        "INSERT OR IGNORE INTO temp.frozen_cand (row_id, field, op_id, hlc, parents) "
        "SELECT f.row_id, o.field, o.op_id, o.hlc, o.parents FROM temp.frozen_fin f, "
        "json_each(f.parents) j CROSS JOIN ops o ON o.op_id = j.value "
        "WHERE o.tbl = ?1 AND o.row_id = f.row_id", (tbl,))
    # Not whole: an op it names is not (yet) the record's, or it names only the field's own.
    conn.execute(
        "DELETE FROM temp.frozen_fin WHERE (SELECT count(DISTINCT j.value) FROM "
        "json_each(frozen_fin.parents) j) != (SELECT count(*) FROM temp.frozen_cand c WHERE "
        "c.row_id = frozen_fin.row_id) OR NOT EXISTS (SELECT 1 FROM temp.frozen_cand c WHERE "
        "c.row_id = frozen_fin.row_id AND c.field != ?1)", (field,))
    conn.execute("DELETE FROM temp.frozen_cand WHERE row_id NOT IN (SELECT row_id FROM "
                 "temp.frozen_fin) OR field IN (?1, ?2)", (field, DELETED))
    # Each other field: the newest (hlc, op_id) of the snapshot's ops of it that no other
    # of them names.
    conn.execute(
        "INSERT INTO temp.frozen_pick (row_id, field, op_id) SELECT c.row_id, c.field, c.op_id "
        "FROM temp.frozen_cand c WHERE NOT EXISTS (SELECT 1 FROM temp.frozen_cand n, "
        "json_each(n.parents) j WHERE n.row_id = c.row_id AND n.field = c.field AND "
        "j.value = c.op_id) AND NOT EXISTS (SELECT 1 FROM temp.frozen_cand d WHERE "
        "d.row_id = c.row_id AND d.field = c.field AND (d.hlc > c.hlc OR (d.hlc = c.hlc AND "
        "d.op_id > c.op_id)) AND NOT EXISTS (SELECT 1 FROM temp.frozen_cand n, "
        "json_each(n.parents) j WHERE n.row_id = d.row_id AND n.field = d.field AND "
        "j.value = d.op_id))")
    conn.execute("INSERT INTO temp.frozen_pick (row_id, field, op_id) SELECT row_id, ?1, op_id "
                 "FROM temp.frozen_fin", (field,))
    # Deletion is not frozen: the field's newest head.
    conn.execute(
        "INSERT INTO temp.frozen_pick (row_id, field, op_id) SELECT h.row_id, h.field, h.op_id "
        "FROM temp.frozen_fin f CROSS JOIN field_head h ON h.tbl = ?1 AND h.row_id = f.row_id "
        "AND h.field = ?2 WHERE NOT EXISTS (SELECT 1 FROM field_head h2 WHERE h2.tbl = h.tbl "
        "AND h2.row_id = h.row_id AND h2.field = h.field AND (h2.hlc > h.hlc OR "
        "(h2.hlc = h.hlc AND h2.op_id > h.op_id)))", (tbl, DELETED))
    fields = [*fields_of(tbl), DELETED]
    columns = [column_of(tbl, f) for f in fields]
    defaults = _column_defaults(conn, tbl)
    picks = ", ".join(f"coalesce(max(CASE WHEN p.field = ?{n + 2} THEN {_COLUMN_VALUE} END), "
                      f"{defaults[c]})" for n, c in enumerate(columns))
    conn.execute(
        f"INSERT INTO {tbl} (id, origin, {', '.join(columns)}) SELECT f.row_id, (SELECT g.device "
        f"FROM temp.first_op g WHERE g.tbl = ?1 AND g.row_id = f.row_id), {picks} "
        "FROM temp.frozen_fin f CROSS JOIN temp.frozen_pick p ON p.row_id = f.row_id "
        "CROSS JOIN ops o ON o.op_id = p.op_id GROUP BY f.row_id", (tbl, *fields))
    conn.execute("DELETE FROM temp.frozen_row WHERE tbl = ?1 AND row_id IN (SELECT row_id FROM "
                 "temp.frozen_fin)", (tbl,))
    for table in _FROZEN_TEMP:
        conn.execute(f"DELETE FROM temp.{table}")


_defaults: dict[str, dict[str, str]] = {}
_default_cache: dict[str, dict[str, Any]] = {}


def _default_values(conn: Connection, tbl: str) -> dict[str, Any]:
    """column -> its DEFAULT as a Python value."""
    if tbl not in _default_cache:
        defaults = _column_defaults(conn, tbl)
        names = list(defaults)
        row = conn.execute(f"SELECT {', '.join(defaults[n] for n in names)}").fetchone()
        _default_cache[tbl] = dict(zip(names, row, strict=True))
    return _default_cache[tbl]


def _column_defaults(conn: Connection, tbl: str) -> dict[str, str]:
    """column -> its DEFAULT as SQL text, from the schema (our own migrations)."""
    if tbl not in _defaults:
        _defaults[tbl] = {row[1]: row[4] if row[4] is not None else "NULL"
                          for row in conn.execute(f"PRAGMA table_info({tbl})")}
    return _defaults[tbl]


def rebuild_records(conn: Connection) -> None:
    """Throw away every derived row and derive it again from the ops.

    Append-only tables refuse DELETE, so their rows are only re-inserted where missing;
    tests check them by replaying the ops into a fresh vault instead.
    """
    for tbl in SYNCED_RECORDS:
        if tbl not in APPEND_ONLY:
            conn.execute(f"DELETE FROM {tbl}")
    conn.execute("DELETE FROM field_head")
    conn.execute("DELETE FROM conflict")
    refresh(conn, conn.execute("SELECT DISTINCT tbl, row_id, field FROM ops").fetchall())


def derived_mismatches(conn: Connection) -> list[str]:
    """Record tables, heads and conflicts that differ from what the ops derive, by
    rebuilding them inside a savepoint and comparing (rolled back: nothing changes).
    Returns one line per table that differs."""
    tables = [*SYNCED_RECORDS, "field_head", "conflict"]

    def snapshot() -> dict[str, str]:
        found = {}
        for t in tables:
            digest = hashlib.sha256()
            order = {"field_head": "1, 2, 3, 4", "conflict": "1, 2, 3"}.get(t, "id")
            cursor = conn.execute(f"SELECT * FROM {t} ORDER BY {order}")
            while rows := cursor.fetchmany(4096):
                digest.update(repr(rows).encode("utf-8", "surrogatepass"))
            found[t] = digest.hexdigest()
        return found

    outer = conn.in_transaction
    if not outer:
        conn.execute("BEGIN")
    conn.execute("SAVEPOINT derived_check")
    try:
        live = snapshot()
        rebuild_records(conn)
        again = snapshot()
    finally:
        conn.execute("ROLLBACK TO derived_check")
        conn.execute("RELEASE derived_check")
        if not outer:
            conn.execute("ROLLBACK")
    # The rebuild keeps append-only rows (they refuse DELETE): one with no op at all
    # (written behind the log) is found here.
    orphans = {t for t in APPEND_ONLY if conn.execute(
        f"SELECT 1 FROM {t} r WHERE NOT EXISTS (SELECT 1 FROM ops o WHERE o.tbl = ? AND "
        "o.row_id = r.id) LIMIT 1", (t,)).fetchone()}
    return [f"{t}: records differ from what the change log gives" for t in tables
            if live[t] != again[t] or t in orphans]


get_meta = _meta
set_meta = _set_meta
