"""The audit log: append-only (SQL triggers refuse edits) and hash-chained.

Each entry's hash covers the previous entry's hash, so an edited, inserted or
deleted entry breaks the chain, and `coachdesk check` finds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from coachdesk.files import write_file
from coachdesk.store.db import Connection

GENESIS = "0" * 64


def _digest(prev: str, at: str, device: str, actor: str, action: str, tbl: str, row_id: str,
            detail: str) -> str:
    text = "\x1f".join((prev, at, device, actor, action, tbl, row_id, detail))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def record(conn: Connection, device: str, actor: str, action: str, tbl: str = "",
           row_id: str = "", detail: str = "", at: str | None = None) -> str:
    """Append one entry; returns its hash. Detail holds ids and counts, never names."""
    at = at or now_iso()
    row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    digest = _digest(prev, at, device, actor, action, tbl, row_id, detail)
    conn.execute(
        "INSERT INTO audit (at, device, actor, action, tbl, row_id, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, device, actor, action, tbl, row_id, detail, prev, digest),
    )
    return digest


def head(conn: Connection) -> str:
    row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def verify_chain(conn: Connection) -> str | None:
    """None if the chain is whole, else a one-line description of the first break."""
    prev = GENESIS
    expected_seq = None
    for seq, at, device, actor, action, tbl, row_id, detail, prev_hash, digest in conn.execute(
        "SELECT seq, at, device, actor, action, tbl, row_id, detail, prev_hash, hash"
        " FROM audit ORDER BY seq"
    ):
        if expected_seq is not None and seq != expected_seq:
            return f"audit entry {expected_seq} is missing"
        if prev_hash != prev or digest != _digest(prev, at, device, actor, action, tbl,
                                                  row_id, detail):
            return f"audit entry {seq} was altered"
        prev, expected_seq = digest, seq + 1
    return None


def recent(conn: Connection, limit: int = 200, text: str = ""
           ) -> list[tuple[str, str, str, str, str]]:
    """(at, actor, action, tbl, row_id), newest first; `text` filters on any of them."""
    where, args = "", []
    if text.strip():
        like = f"%{text.strip()}%"
        where = "WHERE action LIKE ? OR actor LIKE ? OR tbl LIKE ? OR row_id LIKE ? OR at LIKE ?"
        args = [like] * 5
    return conn.execute(
        f"SELECT at, actor, action, tbl, row_id FROM audit {where} ORDER BY seq DESC LIMIT ?",
        (*args, limit),
    ).fetchall()


EXPORT_COLUMNS = ("seq", "at", "device", "actor", "action", "tbl", "row_id", "detail",
                  "prev_hash", "hash")


def export_csv(conn: Connection, device: str, actor: str, path: Path) -> int:
    """Write the whole log to a new file at `path`; the export is itself audited."""
    import csv

    rows = conn.execute(f"SELECT {', '.join(EXPORT_COLUMNS)} FROM audit ORDER BY seq").fetchall()
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows)
    if path.exists():
        raise FileExistsError(path)
    write_file(path, buffer.getvalue(), force=True)
    record(conn, device, actor, "audit log exported", detail=f"rows={len(rows)}")
    return len(rows)


# Tables whose rows belong to one person through a column (crisis_step through its event,
# addendum through its note).
_PERSON_VIA = {"participant": "id", "addendum": "note", "crisis_step": "crisis_event"}


def people_of(conn: Connection, records: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(table, row id) -> the id of the participant that record belongs to, for the
    records that belong to one (the audit log names the person, not an id)."""
    columns: dict[str, set[str]] = {}
    found: dict[tuple[str, str], str] = {}
    for tbl, row_id in set(records):
        if not row_id:
            continue
        pid = _person_of(conn, tbl, row_id, columns)
        if pid:
            found[(tbl, row_id)] = pid
    return found


def _person_of(conn: Connection, tbl: str, row_id: str, columns: dict[str, set[str]]) -> str:
    if tbl == "participant":
        return row_id
    parent = _PERSON_VIA.get(tbl)
    if parent is not None:
        link = "note_id" if parent == "note" else "event_id"
        row = _lookup(conn, tbl, link, row_id, columns)
        return _person_of(conn, parent, row, columns) if row else ""
    return _lookup(conn, tbl, "participant_id", row_id, columns)


def _lookup(conn: Connection, tbl: str, column: str, row_id: str,
            columns: dict[str, set[str]]) -> str:
    """`column` of row `row_id` in `tbl`, "" when the table (a name from the log, checked
    against the schema) has no such column or row."""
    if tbl not in columns:
        known = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (tbl,)).fetchone()
        columns[tbl] = ({r[1] for r in conn.execute(f'PRAGMA table_info("{tbl}")')}
                        if known and tbl.isidentifier() else set())
    if column not in columns[tbl] or "id" not in columns[tbl]:
        return ""
    row = conn.execute(f'SELECT {column} FROM "{tbl}" WHERE id = ?', (row_id,)).fetchone()
    return str(row[0] or "") if row else ""
