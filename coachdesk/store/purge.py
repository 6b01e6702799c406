"""Remove one scope (a person, or another device's private records) from this vault.

    remove_scope(conn, scope, device, sent_to_supervisor)  -> rows removed

Used when a person leaves this vault's caseload (sync/scope_guard.py). Everything of
the scope goes: its ops, the records derived from them (append-only ones too), their
field heads and conflicts, the search index, local drafts and seen-marks. Only this
device's own ops that no supervisor holds yet stay, in `ops_outbox` (never shown, never
searched), until the next bundle to a supervisor carries them and is acknowledged.
secure_delete is on (store/db.harden): freed pages are zeroed before they are reused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from coachdesk.registry import SYNCED_RECORDS
from coachdesk.store import scope as op_scope
from coachdesk.store.chain import WIRE_COLUMNS
from coachdesk.store.db import Connection

_LOCAL_BY_NOTE = ("note_draft", "addendum_draft")
_LOCAL_BY_PERSON = ("plan_draft",)


@contextlib.contextmanager
def purging(conn: Connection) -> Iterator[None]:
    """Let ops and append-only rows be deleted (migration 0017); only in a transaction."""
    if not conn.in_transaction:
        raise RuntimeError("purging runs inside a transaction")
    conn.execute("INSERT OR IGNORE INTO purging (flag) VALUES (1)")
    try:
        yield
    finally:
        conn.execute("DELETE FROM purging")


def _rows_of(conn: Connection, scope: str) -> None:
    """temp.gone_row: every (tbl, row_id) this vault holds ops or records of in `scope`."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone_row (tbl TEXT NOT NULL, row_id TEXT NOT "
                 "NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.gone_row")
    conn.execute("INSERT OR IGNORE INTO temp.gone_row SELECT DISTINCT tbl, row_id FROM main.ops "
                 "WHERE scope = ?", (scope,))
    if op_scope.is_person(scope):  # records whose ops are not here (should be none)
        conn.execute("INSERT OR IGNORE INTO temp.gone_row VALUES ('participant', ?)", (scope,))
        for tbl in sorted(op_scope.PERSON_KEYED):  # one record a person, its id the person's
            conn.execute("INSERT OR IGNORE INTO temp.gone_row VALUES (?, ?)", (tbl, scope))
        for tbl, fields in SYNCED_RECORDS.items():
            if op_scope.PERSON_FIELD in fields:
                conn.execute(f"INSERT OR IGNORE INTO temp.gone_row SELECT ?, id FROM {tbl} "
                             "WHERE participant_id = ?", (tbl, scope))
        for tbl, (field, parent) in op_scope.THROUGH.items():
            conn.execute(f"INSERT OR IGNORE INTO temp.gone_row SELECT ?, r.id FROM {tbl} r "
                         f"JOIN temp.gone_row g ON g.tbl = ? AND g.row_id = r.{field}",
                         (tbl, parent))


def remove_scope(conn: Connection, scope: str, device: str, sent_to_supervisor: int) -> int:
    """Remove `scope` from this vault (in the caller's transaction). This device's own ops
    of it above `sent_to_supervisor` (the sseq a supervisor acknowledged) move to the
    outbox first. Returns how many records were removed."""
    columns = ", ".join(WIRE_COLUMNS)
    conn.execute(f"INSERT OR IGNORE INTO ops_outbox ({columns}) SELECT {columns} FROM main.ops "
                 "WHERE scope = ? AND device = ? AND sseq > ?", (scope, device, sent_to_supervisor))
    _rows_of(conn, scope)
    removed = 0
    with purging(conn):
        for tbl in SYNCED_RECORDS:
            removed += conn.execute(
                f"DELETE FROM {tbl} WHERE id IN (SELECT row_id FROM temp.gone_row WHERE tbl = ?)",
                (tbl,)).rowcount
        for table in ("field_head", "conflict"):
            conn.execute(f"DELETE FROM {table} WHERE (tbl, row_id) IN "
                         "(SELECT tbl, row_id FROM temp.gone_row)")
        for table in _LOCAL_BY_NOTE:
            conn.execute(f"DELETE FROM {table} WHERE note_id IN "
                         "(SELECT row_id FROM temp.gone_row WHERE tbl = 'note')")
        conn.execute("DELETE FROM handoff_seen WHERE id IN "
                     "(SELECT row_id FROM temp.gone_row WHERE tbl = 'handoff')")
        if op_scope.is_person(scope):
            for table in _LOCAL_BY_PERSON:
                conn.execute(f"DELETE FROM {table} WHERE participant_id = ?", (scope,))
            conn.execute("DELETE FROM search_text WHERE rowid IN (SELECT fts_rowid FROM "
                         "search_entry WHERE participant_id = ?)", (scope,))
            conn.execute("DELETE FROM search_entry WHERE participant_id = ?", (scope,))
            # FTS5 keeps deleted words in its index segments until they merge: merge now.
            conn.execute("INSERT INTO search_text (search_text) VALUES ('optimize')")
        conn.execute("DELETE FROM main.ops WHERE scope = ?", (scope,))
        conn.execute("DELETE FROM held WHERE scope = ?", (scope,))
        conn.execute("DELETE FROM chain_head WHERE scope = ? AND device != ?", (scope, device))
    conn.execute("DELETE FROM temp.gone_row")
    return removed


def release_outbox(conn: Connection, acknowledged: dict[str, int]) -> int:
    """Drop outbox ops a supervisor now holds (`acknowledged`: scope -> sseq of this
    device's ops the supervisor holds). Returns how many went."""
    gone = 0
    for scope, sseq in acknowledged.items():
        gone += conn.execute("DELETE FROM ops_outbox WHERE scope = ? AND sseq <= ?",
                             (scope, sseq)).rowcount
    return gone
