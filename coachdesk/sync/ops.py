"""The op log: every change to a synced record is an op; records are derived from ops.

Each field is a multi-value register. Its heads are the ops of that field that no
other op names as a parent. One head is the value; several heads are a conflict,
shown with the highest (hlc, op_id) head as the provisional value until a person
resolves it by writing one op whose parents are all the heads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coachdesk.registry import APPEND_ONLY, SYNCED_RECORDS
from coachdesk.store.db import Connection
from coachdesk.sync.hlc import ZERO, Clock, Timestamp

DELETED = "_deleted"


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

    COLUMNS = "op_id, device, seq, hlc, tbl, row_id, field, value, parents, author"


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

    def _new_op(self, tbl: str, row_id: str, field: str, value: Any, parents: list[str]) -> Op:
        seq = self._next_seq()
        op = Op(
            op_id=f"{self.device}:{seq}",
            device=self.device,
            seq=seq,
            hlc=self.clock.tick().encode(),
            tbl=tbl,
            row_id=row_id,
            field=field,
            value=encode_value(value),
            parents=json.dumps(sorted(parents)),
            author=self.author,
        )
        insert_op(self.conn, op)
        return op

    def append(self, tbl: str, row_id: str, fields: Mapping[str, Any]) -> list[str]:
        """Write a whole row of an append-only table: one op per field, one INSERT."""
        if tbl not in APPEND_ONLY:
            raise ValueError(f"{tbl} is not append-only: use write()")
        if not self.conn.in_transaction:
            raise RuntimeError("OpLog.append must run inside a transaction")
        columns = [column_of(tbl, f) for f in fields]
        written = [self._new_op(tbl, row_id, f, v, []).op_id for f, v in fields.items()]
        self.conn.execute(
            f"INSERT INTO {tbl} (id, origin, {', '.join(columns)}) VALUES "
            f"(?, ?{', ?' * len(columns)})",
            (row_id, self.device, *(to_column(v) for v in fields.values())),
        )
        _set_meta(self.conn, "hlc", self.clock.last.encode())
        return written

    def write(self, tbl: str, row_id: str, changes: Mapping[str, Any]) -> list[str]:
        """Record `changes` (field -> value) to one row; returns the new op ids."""
        if tbl in APPEND_ONLY:
            raise ValueError(f"{tbl} is append-only: use append()")
        if not self.conn.in_transaction:
            raise RuntimeError("OpLog.write must run inside a transaction")
        written = []
        for field, value in changes.items():
            column = column_of(tbl, field)
            heads = [
                r[0]
                for r in self.conn.execute(
                    "SELECT op_id FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?",
                    (tbl, row_id, field),
                )
            ]
            op = self._new_op(tbl, row_id, field, value, heads)
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
        _set_meta(self.conn, "hlc", self.clock.last.encode())
        return written


def insert_op(conn: Connection, op: Op) -> bool:
    """Insert one op unless it is already known; True if it was new."""
    cur = conn.execute(
        f"INSERT OR IGNORE INTO ops ({Op.COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (op.op_id, op.device, op.seq, op.hlc, op.tbl, op.row_id, op.field, op.value,
         op.parents, op.author),
    )
    return cur.rowcount == 1


def refresh_field(conn: Connection, tbl: str, row_id: str, field: str) -> int:
    """Recompute one field's heads, conflict and record value from its ops. Returns #heads."""
    refresh(conn, [(tbl, row_id, field)])
    return conn.execute(
        "SELECT count(*) FROM field_head WHERE tbl = ? AND row_id = ? AND field = ?",
        (tbl, row_id, field),
    ).fetchone()[0]


def refresh_append_only(conn: Connection, tbl: str, row_id: str) -> None:
    """Insert an append-only row from its ops if it is not there yet (never updates)."""
    if conn.execute(f"SELECT 1 FROM {tbl} WHERE id = ?", (row_id,)).fetchone():
        return
    rows = conn.execute(
        "SELECT field, value, device FROM ops WHERE tbl = ? AND row_id = ? ORDER BY hlc, op_id",
        (tbl, row_id),
    ).fetchall()
    if not rows:
        return
    values = {field: to_column(json.loads(value)) for field, value, _ in rows}
    columns = [column_of(tbl, f) for f in values]
    conn.execute(
        f"INSERT INTO {tbl} (id, origin{''.join(', ' + c for c in columns)}) VALUES "
        f"(?, ?{', ?' * len(columns)})",
        (row_id, rows[0][2], *values.values()),
    )


_TOUCHED_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS touched_field (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "field TEXT NOT NULL, PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS named_parent (tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "field TEXT NOT NULL, op_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id, field, op_id)) WITHOUT ROWID",
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


def derive_touched(conn: Connection, *, keep: bool = False) -> None:
    """Heads, conflicts and record values of every field in temp.touched_field, in a few
    set-based statements (an import may touch tens of thousands of fields).

    CROSS JOIN keeps the touched fields as the outer loop: the temp table has no
    statistics, and the planner would otherwise walk the whole op log or field heads."""
    pairs = conn.execute("SELECT DISTINCT tbl, field FROM temp.touched_field").fetchall()
    for tbl, field in pairs:
        column_of(tbl, field)  # refuses anything outside the registry before SQL names it
    tables = sorted({tbl for tbl, _ in pairs})
    for tbl in tables:
        if tbl in APPEND_ONLY:
            for (row_id,) in conn.execute(
                f"SELECT DISTINCT row_id FROM temp.touched_field WHERE tbl = ? "
                f"AND row_id NOT IN (SELECT id FROM {tbl})", (tbl,)
            ).fetchall():
                refresh_append_only(conn, tbl, row_id)
            conn.execute("DELETE FROM temp.touched_field WHERE tbl = ?", (tbl,))
    conn.execute(
        "INSERT OR IGNORE INTO temp.named_parent "
        "SELECT o.tbl, o.row_id, o.field, j.value FROM temp.touched_field t "
        "CROSS JOIN ops o ON o.tbl = t.tbl AND o.row_id = t.row_id AND o.field = t.field, "
        "json_each(o.parents) j WHERE o.parents != '[]'"
    )
    conn.execute(f"DELETE FROM field_head WHERE {_IN_TOUCHED}")
    conn.execute(
        "INSERT INTO field_head (tbl, row_id, field, op_id, hlc) "
        "SELECT o.tbl, o.row_id, o.field, o.op_id, o.hlc FROM temp.touched_field t "
        "CROSS JOIN ops o ON o.tbl = t.tbl AND o.row_id = t.row_id AND o.field = t.field "
        "WHERE NOT EXISTS (SELECT 1 FROM temp.named_parent n WHERE n.tbl = o.tbl "
        "AND n.row_id = o.row_id AND n.field = o.field AND n.op_id = o.op_id)"
    )
    conn.execute(f"DELETE FROM conflict WHERE {_IN_TOUCHED}")
    conn.execute(
        "INSERT INTO conflict (tbl, row_id, field) SELECT h.tbl, h.row_id, h.field "
        "FROM temp.touched_field t CROSS JOIN field_head h ON h.tbl = t.tbl AND h.row_id = t.row_id "
        "AND h.field = t.field GROUP BY h.tbl, h.row_id, h.field HAVING count(*) > 1"
    )
    # Each record is written once, all its touched fields together: a record new to this
    # vault in one INSERT, whole; one it holds in one UPDATE (a per-field UPDATE rewrote
    # a note row, body and all, once per field). Values are converted in SQL as
    # to_column does: scalars unwrapped (null as ''), arrays and objects kept as JSON
    # (op values are already compact JSON with sorted keys; json() only minifies).
    fields_by_table: dict[str, list[str]] = {}
    for tbl, field in pairs:
        if tbl not in APPEND_ONLY:
            fields_by_table.setdefault(tbl, []).append(field)
    for tbl, fields in fields_by_table.items():
        columns = [column_of(tbl, f) for f in fields]
        picks = ", ".join(f"max(CASE WHEN h.field = ?{n + 2} THEN {_COLUMN_VALUE} END) AS c{n}"
                          for n in range(len(fields)))
        winners = f"SELECT h.row_id AS id, {picks} {_WINNING_HEADS} AND t.tbl = ?1"
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
    if not keep:  # an import counts its conflicts from the touched fields, then clears
        conn.execute("DELETE FROM temp.touched_field")
    conn.execute("DELETE FROM temp.named_parent")


_defaults: dict[str, dict[str, str]] = {}


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


get_meta = _meta
set_meta = _set_meta
