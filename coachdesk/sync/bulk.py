"""A full bundle into a vault that holds no change yet (a new laptop, a hub's first
import): the same vault the ordinary merge gives, written the way a bulk load is.

    is_empty(conn)        no op and no derived head yet: the bulk path applies
    roomy_cache(conn)     a larger page cache for the length of the import
    copy_ops(conn)        every op of the attached bundle into main.ops, the op log's
                          indexes built once after the copy instead of row by row (but
                          KEPT_INDEXES, which no op of a bundle enters)

Finalized notes are derived set-based too (store/oplog.py, derive_touched(whole_log=True)).

Every check runs before, exactly as for any bundle (sync/merge.py): this module only
writes, inside the import's one transaction, so a failure anywhere rolls all of it back
(the dropped indexes too: SQLite's DDL is transactional).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from coachdesk.store.db import Connection
from coachdesk.store.oplog import Op

CACHE_KIB = 128 * 1024
"""The page cache while a full bundle goes in (SQLite's default is 2 MB): the op log's
unique (device, seq) index takes its rows out of order, and a page that leaves the cache
while the transaction runs is written to the WAL, often more than once."""


KEPT_INDEXES = ("ops_unchained",)
"""Left in place during the copy: it holds only ops without a chain value, and every op
of a bundle has one (sync/authorship.py checks each against it), so it stays empty and
costs nothing, where building it again would read the whole log once more."""


def is_empty(conn: Connection) -> bool:
    """True when this vault holds no op and no field head: every op of a bundle is new
    and every record it derives is new."""
    return bool(conn.execute("SELECT NOT EXISTS (SELECT 1 FROM main.ops) AND "
                             "NOT EXISTS (SELECT 1 FROM main.field_head)").fetchone()[0])


@contextlib.contextmanager
def roomy_cache(conn: Connection) -> Iterator[None]:
    """main's page cache at CACHE_KIB while inside, then back to what it was."""
    before = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    conn.execute(f"PRAGMA main.cache_size = {-CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA main.cache_size = {int(before)}")


def copy_ops(conn: Connection) -> int:
    """Insert every op of bundle.ops into the empty main.ops (in op_id order, the order
    both tables keep) with the log's own indexes dropped, then create them again from
    their schema text: one sorted build each instead of a million scattered inserts.
    Runs in the caller's transaction; returns the number of ops copied."""
    if not conn.in_transaction:
        raise RuntimeError("copy_ops runs inside the import's transaction")
    indexes = [(name, sql) for name, sql in conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'ops' "
        "AND sql IS NOT NULL ORDER BY name").fetchall() if name not in KEPT_INDEXES]
    for name, _ in indexes:
        conn.execute(f'DROP INDEX main."{name}"')
    copied = conn.execute(f"INSERT INTO main.ops ({Op.WIRE_COLUMNS}) SELECT {Op.WIRE_COLUMNS} "
                          "FROM bundle.ops ORDER BY op_id").rowcount
    index_again(conn, [sql for _, sql in indexes])
    return int(copied)


def index_again(conn: Connection, schema: list[str]) -> None:
    """Create the op log's indexes again from their schema text (a sorted build each)."""
    for sql in schema:
        conn.execute(sql)
