"""Full-text search (SQLite FTS5) over note bodies, addenda and plan text.

The index lives in the encrypted vault only, is local (never synced) and derived:
`reindex.rebuild` makes it again from the records. Writers keep it current inside their own transactions.
Drafts are not indexed: a note is found once it is finalized.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from coachdesk.store.db import Connection
from coachdesk.store.vault import Vault

HIT_START = "\x02"
HIT_END = "\x03"
"""Markers around matched words in snippets (the TUI turns them into highlighting)."""


@dataclass(frozen=True)
class Hit:
    kind: str          # "note", "addendum" or "plan"
    row_id: str
    participant_id: str
    note_id: str
    snippet: str
    alias: str
    at: str = ""
    """When: the note's occurred_at, the addendum's or plan revision's time (ISO)."""
    note_kind: str = ""
    """The note's contact type ('' for a plan, or a note without one)."""


def _forget(conn: Connection, where: str, args: tuple[str, ...]) -> None:
    """Drop the indexed texts whose search_entry matches (found by an index, not a scan)."""
    found = [r[0] for r in conn.execute(f"SELECT fts_rowid FROM search_entry WHERE {where}",
                                        args)]
    for rowid in found:
        conn.execute("DELETE FROM search_text WHERE rowid = ?", (rowid,))
    if found:
        conn.execute(f"DELETE FROM search_entry WHERE {where}", args)


def _insert(conn: Connection, kind: str, row_id: str, participant_id: str, text: str,
            note_id: str) -> None:
    cursor = conn.execute(
        "INSERT INTO search_text (text, kind, row_id, participant_id, note_id) "
        "VALUES (?, ?, ?, ?, ?)", (text, kind, row_id, participant_id, note_id))
    conn.execute("INSERT INTO search_entry (fts_rowid, kind, row_id, participant_id, note_id) "
                 "VALUES (?, ?, ?, ?, ?)", (cursor.lastrowid, kind, row_id, participant_id,
                                            note_id))


def index_text(conn: Connection, kind: str, row_id: str, participant_id: str, text: str,
               note_id: str = "") -> None:
    """(Re)index one text. A plan keeps only its newest revision in the index."""
    if kind == "plan":
        _forget(conn, "kind = 'plan' AND participant_id = ?", (participant_id,))
    else:
        _forget(conn, "kind = ? AND row_id = ?", (kind, row_id))
    if text.strip():
        _insert(conn, kind, row_id, participant_id, text, note_id)


def forget_note(conn: Connection, note_id: str) -> None:
    _forget(conn, "note_id = ?", (note_id,))


CHECKED_SETTING = "search_index_checked"
"""Local (setting table): [rowid, op_id] of the newest op when the index was last found
current; `is_stale` then looks only at the records of the ops written after it."""

_STALE_NOTE = (
    "SELECT 1 FROM note n WHERE n.id IN (SELECT row_id FROM ops WHERE rowid > ?1 AND "
    "+tbl = 'note') AND ((n.deleted = 0 AND n.status = 'final' AND n.body != '') != EXISTS "
    "(SELECT 1 FROM search_entry e WHERE e.kind = 'note' AND e.row_id = n.id) "
    "OR (n.deleted != 0 AND EXISTS (SELECT 1 FROM search_entry e WHERE e.note_id = n.id)) "
    "OR (n.deleted = 0 AND EXISTS (SELECT 1 FROM addendum a WHERE a.note_id = n.id AND "
    "NOT EXISTS (SELECT 1 FROM search_entry e WHERE e.kind = 'addendum' AND e.row_id = a.id)))"
    ") LIMIT 1")
"""A note written since op ?1 whose indexed state is not what it shows (indexed when final,
nothing of it when deleted, every addendum of it indexed). `+tbl`: the ops after ?1 by
rowid, not every note op through the index on tbl."""
_STALE_ADDENDUM = (
    "SELECT 1 FROM addendum a JOIN note n ON n.id = a.note_id WHERE a.id IN (SELECT row_id "
    "FROM ops WHERE rowid > ?1 AND +tbl = 'addendum') AND n.deleted = 0 AND NOT EXISTS "
    "(SELECT 1 FROM search_entry e WHERE e.kind = 'addendum' AND e.row_id = a.id) LIMIT 1")


def is_stale(vault: Vault) -> bool:
    """True when records arrived (e.g. by a sync import) that the index does not hold.

    Counting every note reads every note's body (seconds in a big vault), so that is done
    once; then only the notes and addenda of ops written since the index was last found
    current are looked at (the op log's rowids only grow, but for a purge that removed
    the newest op: then its rowid no longer holds the same op, and all is counted again)."""
    conn = vault.conn
    top = conn.execute("SELECT rowid, op_id FROM ops ORDER BY rowid DESC LIMIT 1").fetchone()
    since = _checked_up_to(conn)
    if since is None:
        stale = _stale_by_counts(conn)
    else:
        stale = any(conn.execute(sql, (since,)).fetchone() for sql in (_STALE_NOTE,
                                                                       _STALE_ADDENDUM))
    if not stale and top is not None:
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value",
                     (CHECKED_SETTING, json.dumps([top[0], top[1]])))
    return stale


def _checked_up_to(conn: Connection) -> int | None:
    """The rowid of the op up to which the index was found current, if that op is still
    there at that rowid."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (CHECKED_SETTING,)).fetchone()
    try:
        rowid, op_id = json.loads(row[0]) if row else (None, None)
    except (ValueError, TypeError):
        return None
    if not isinstance(rowid, int) or conn.execute(
            "SELECT 1 FROM ops WHERE rowid = ? AND op_id = ?", (rowid, op_id)).fetchone() is None:
        return None
    return rowid


def _stale_by_counts(conn: Connection) -> bool:
    # search_entry mirrors search_text row for row: counted on its index, not by reading
    # every indexed text.
    have = conn.execute("SELECT count(*) FROM search_entry WHERE kind != 'plan'").fetchone()[0]
    want = conn.execute(
        "SELECT (SELECT count(*) FROM note WHERE deleted = 0 AND status = 'final' AND body != '')"
        " + (SELECT count(*) FROM addendum a JOIN note n ON n.id = a.note_id "
        "WHERE n.deleted = 0)").fetchone()[0]
    return int(have) != int(want)


def fts_query(text: str) -> str:
    """The words typed, each as a quoted prefix term (no FTS syntax reaches SQLite)."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{w}"*' for w in words[:12])


RECENT = 500
"""Ranking looks at the newest this many matching texts: bm25 over every match of a
common word in years of notes costs seconds, and a coach looks for recent things."""


def search(vault: Vault, text: str, limit: int = 50) -> list[Hit]:
    """Best matches first (bm25) among the newest RECENT matching texts, with a snippet;
    deleted notes and people are not found.

    One MATCH: FTS5 walks its index once per MATCH, and for a prefix term ("bus"*) that
    walk merges the postings of every word with that prefix in the whole index, which
    grows with the vault (tens of milliseconds at ten times the bench scale). The
    newest RECENT matches come in rowid order, scored and cut to a snippet as they
    come; ranking, the join to people and notes, and the limit work on those rows."""
    query = fts_query(text)
    if not query:
        return []
    rows = vault.conn.execute(
        "WITH recent AS MATERIALIZED (SELECT rowid AS fts_rowid, kind, row_id, participant_id, "
        f"note_id, bm25(search_text) AS score, snippet(search_text, 0, '{HIT_START}', "
        f"'{HIT_END}', '…', 10) AS snippet FROM search_text WHERE search_text MATCH ? "
        "ORDER BY rowid DESC LIMIT ?) "
        "SELECT s.kind, s.row_id, s.participant_id, s.note_id, s.snippet, p.alias, "
        "CASE s.kind WHEN 'note' THEN n.occurred_at WHEN 'addendum' THEN a.at "
        "ELSE r.created_at END, coalesce(n.contact_type, '') "
        "FROM recent s JOIN participant p ON p.id = s.participant_id AND p.deleted = 0 "
        "LEFT JOIN note n ON n.id = s.note_id "
        "LEFT JOIN addendum a ON s.kind = 'addendum' AND a.id = s.row_id "
        "LEFT JOIN plan_revision r ON s.kind = 'plan' AND r.id = s.row_id "
        "WHERE (s.note_id = '' OR n.deleted = 0) ORDER BY s.score, s.fts_rowid DESC LIMIT ?",
        (query, RECENT, limit)).fetchall()
    return [Hit(kind, row_id, pid, note_id, snippet, alias, at or "", note_kind)
            for kind, row_id, pid, note_id, snippet, alias, at, note_kind in rows]
