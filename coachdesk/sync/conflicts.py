"""The Conflicts inbox: fields with several heads, and resolving one by choosing a value.

Resolving writes the chosen value with `store.records.update`, whose parents are all the
field's current heads, so the conflict clears here and on every peer that imports it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coachdesk.errors import CoachdeskError
from coachdesk.store import records
from coachdesk.store.vault import Vault


@dataclass(frozen=True, slots=True)
class Version:
    op_id: str
    device: str
    author: str
    hlc: str
    value: Any


@dataclass(frozen=True, slots=True)
class Conflict:
    tbl: str
    row_id: str
    field: str
    versions: tuple[Version, ...]  # highest (hlc, op_id) first: the one shown for now


def open_conflicts(vault: Vault, limit: int = 500) -> list[Conflict]:
    rows = vault.conn.execute(
        "SELECT c.tbl, c.row_id, c.field, o.op_id, o.device, o.author, o.hlc, o.value "
        "FROM (SELECT * FROM conflict ORDER BY tbl, row_id, field LIMIT ?) c "
        "JOIN field_head h ON h.tbl = c.tbl AND h.row_id = c.row_id AND h.field = c.field "
        "JOIN ops o ON o.op_id = h.op_id ORDER BY c.tbl, c.row_id, c.field, o.hlc DESC, o.op_id DESC",
        (limit,),
    ).fetchall()
    found: dict[tuple[str, str, str], list[Version]] = {}
    for tbl, row_id, field, op_id, device, author, hlc, value in rows:
        found.setdefault((tbl, row_id, field), []).append(
            Version(op_id, device, author, hlc, json.loads(value)))
    return [Conflict(*key, tuple(versions)) for key, versions in found.items()]


def count(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM conflict").fetchone()[0])


def resolve(vault: Vault, tbl: str, row_id: str, field: str, op_id: str) -> None:
    """Keep the value of head `op_id`: one new op whose parents are all the heads."""
    with vault.transaction() as conn:
        row = conn.execute(
            "SELECT o.value FROM field_head h JOIN ops o ON o.op_id = h.op_id "
            "WHERE h.tbl = ? AND h.row_id = ? AND h.field = ? AND h.op_id = ?",
            (tbl, row_id, field, op_id),
        ).fetchone()
        if row is None or not conn.execute(
                "SELECT 1 FROM conflict WHERE tbl = ? AND row_id = ? AND field = ?",
                (tbl, row_id, field)).fetchone():
            raise CoachdeskError("that conflict was already resolved")
        records.update(vault, tbl, row_id, {field: json.loads(row[0])},
                       action="conflict resolved", detail=field)
