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
