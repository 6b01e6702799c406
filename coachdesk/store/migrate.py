"""Numbered SQL migrations; the schema version lives in PRAGMA user_version."""

from __future__ import annotations

import functools
import re
from importlib import resources

from coachdesk.errors import NewerSchema
from coachdesk.store.db import Connection

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@functools.cache
def migrations() -> tuple[tuple[int, str], ...]:
    """(version, sql) for every file in store/migrations, in order (read once: the files
    ship with the package, and every unlock asks)."""
    found = []
    for entry in resources.files("coachdesk.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    # Strictly 1, 2, 3, ...: a vault at version N has run every migration up to N, so a
    # migration added later with a smaller number would never run on it.
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("store migrations must be numbered 0001, 0002, ... without gaps")
    return tuple(found)


def latest_version() -> int:
    return migrations()[-1][0]


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(conn: Connection) -> None:
    if schema_version(conn) > latest_version():
        raise NewerSchema(
            "this vault was written by a newer coachdesk; update coachdesk to open it"
        )


def upgrade(conn: Connection) -> int:
    """Apply every pending migration, each in its own transaction. Returns the version."""
    check_not_newer(conn)
    current = schema_version(conn)
    for version, sql in migrations():
        if version <= current:
            continue
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        current = version
    return current
