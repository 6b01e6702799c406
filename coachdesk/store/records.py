"""The one write path for synced records: op log + audit entry, in one transaction.

Every aggregate (participants, notes, consents...) writes through these four calls,
so a new synced record type needs no transaction or audit code of its own:

- `create(vault, table, values)` -> new id: a new row, every field written.
- `update(vault, table, row_id, changes, current=...)`: only the fields that differ.
- `tombstone(vault, table, row_id)`: the record leaves lists (the ops keep history).
- `append(vault, table, values)` -> new id: a whole row of an append-only table.

Each is audited with `<record> created|changed|deleted|recorded` unless the caller
names its own action (`action=`), or passes `action=None` when the caller audits
once for a batch. Called inside an open `vault.transaction()`, a call joins it, so
an aggregate can add its own SQL (a draft body, the search index) atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from coachdesk.ids import uuid7
from coachdesk.store import audit
from coachdesk.store.oplog import DELETED
from coachdesk.store.vault import Vault

_DEFAULT = "\x00default"


def label(table: str) -> str:
    """How a table reads in the audit log: `action_item` -> `action item`."""
    return table.replace("_", " ")


def _audit(vault: Vault, table: str, row_id: str, action: str | None, verb: str,
           detail: str) -> None:
    if action is None:
        return
    audited(vault, f"{label(table)} {verb}" if action == _DEFAULT else action, table, row_id,
            detail)


def audited(vault: Vault, action: str, table: str = "", row_id: str = "",
            detail: str = "") -> None:
    """One audit entry in the open transaction (a batch written with `action=None`)."""
    audit.record(vault.conn, vault.device, vault.coach, action, table, row_id, detail)


def create(vault: Vault, table: str, values: Mapping[str, Any], *,
           row_id: str | None = None, action: str | None = _DEFAULT, detail: str = "") -> str:
    """Write a new row of a synced table; returns its id."""
    return _new_row(vault, table, values, vault.ops.write, "created", row_id, action, detail)


def _new_row(vault: Vault, table: str, values: Mapping[str, Any],
             write: Callable[[str, str, Mapping[str, Any]], object], verb: str,
             row_id: str | None, action: str | None, detail: str) -> str:
    """A new row written with `write` (op log: every field, or the append-only row) and
    its audit entry, in one transaction; returns its id."""
    row_id = row_id or uuid7()
    with vault.transaction():
        write(table, row_id, values)
        _audit(vault, table, row_id, action, verb, detail)
    return row_id


def changed_fields(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `changes` whose value differs from `current` (order kept)."""
    return {k: v for k, v in changes.items() if current.get(k) != v}


def update(vault: Vault, table: str, row_id: str, changes: Mapping[str, Any], *,
           current: Mapping[str, Any] | None = None, action: str | None = _DEFAULT,
           detail: str | None = None) -> list[str]:
    """Write the fields of `changes` that differ from `current` (all of them when no
    `current` is given); returns the changed field names, sorted. Nothing changed:
    nothing written, nothing audited. The default detail lists the changed fields."""
    changed = dict(changes) if current is None else changed_fields(current, changes)
    if not changed:
        return []
    names = sorted(changed)
    with vault.transaction():
        vault.ops.write(table, row_id, changed)
        _audit(vault, table, row_id, action, "changed",
               ",".join(names) if detail is None else detail)
    return names


def tombstone(vault: Vault, table: str, row_id: str, *, action: str | None = _DEFAULT,
              detail: str = "") -> None:
    """Delete a record: a tombstone op (the op log keeps its history)."""
    with vault.transaction():
        vault.ops.write(table, row_id, {DELETED: True})
        _audit(vault, table, row_id, action, "deleted", detail)


def append(vault: Vault, table: str, values: Mapping[str, Any], *,
           row_id: str | None = None, action: str | None = _DEFAULT, detail: str = "") -> str:
    """Write a whole row of an append-only table once; returns its id."""
    return _new_row(vault, table, values, vault.ops.append, "recorded", row_id, action, detail)
