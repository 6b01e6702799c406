"""The resource directory: kept offline in the vault, imported and exported as CSV.

CSV header (exactly): name,kind,address,phone,hours,eligibility,languages,last_verified
A file is checked whole before anything is written: one bad row imports nothing.
Rows matching an existing service (same name and address) update it instead of
adding a duplicate, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.files import write_recorded
from coachdesk.models.resource import Resource, ResourceKind
from coachdesk.models.validation import first_problem, validated
from coachdesk.store import records
from coachdesk.store.vault import Vault

TABLE = "resource"
FIELDS = tuple(Resource.model_fields)
HEADER = ",".join(FIELDS)


class ResourceRow(Resource):
    id: str


def _stored(resource: Resource) -> dict[str, Any]:
    data = resource.model_dump(mode="json")
    data["last_verified"] = data["last_verified"] or ""
    return data


def validate(data: dict[str, Any]) -> Resource:
    return validated(Resource, data)


def create(vault: Vault, data: dict[str, Any] | Resource) -> str:
    resource = data if isinstance(data, Resource) else validate(data)
    return records.create(vault, TABLE, _stored(resource))


def all_resources(vault: Vault, text: str = "", kind: ResourceKind | None = None
                  ) -> list[ResourceRow]:
    sql = f"SELECT id, {', '.join(FIELDS)} FROM resource WHERE deleted = 0"
    args: list[Any] = []
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind.value)
    if text.strip():
        sql += " AND (name LIKE ? OR address LIKE ? OR eligibility LIKE ?)"
        args += [f"%{text.strip()}%"] * 3
    sql += " ORDER BY name COLLATE NOCASE"
    names = ("id", *FIELDS)
    return [ResourceRow.model_validate(dict(zip(names, row, strict=True)))
            for row in vault.conn.execute(sql, args)]


def get(vault: Vault, resource_id: str) -> ResourceRow | None:
    """The service, or None once it left the directory."""
    row = vault.conn.execute(f"SELECT id, {', '.join(FIELDS)} FROM resource WHERE id = ? AND "
                             "deleted = 0", (resource_id,)).fetchone()
    return ResourceRow.model_validate(dict(zip(("id", *FIELDS), row, strict=True))) if row else None


def parse_csv(text: str) -> list[Resource]:
    """Every row of a directory CSV, or ValidationFailed naming the first bad line."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationFailed("the file is empty") from None
    if [h.strip().lstrip("\ufeff") for h in header] != list(FIELDS):
        raise ValidationFailed(f"line 1: the header must be exactly {HEADER}")
    found = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(FIELDS):
            raise ValidationFailed(f"line {line}: {len(row)} columns, expected {len(FIELDS)}")
        try:
            found.append(Resource.model_validate(dict(zip(FIELDS, row, strict=True))))
        except ValidationError as exc:
            raise ValidationFailed(f"line {line}: {first_problem(exc)}") from None
    return found


def import_csv(vault: Vault, path: Path) -> tuple[int, int]:
    """Import a directory CSV in one transaction; returns (added, updated)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CoachdeskError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CoachdeskError(f"{path} is not a UTF-8 text file") from None
    incoming = parse_csv(text)
    existing = {r.key(): r for r in all_resources(vault)}
    added = updated = 0
    with vault.transaction():
        for resource in incoming:
            match = existing.get(resource.key())
            if match is None:
                row_id = records.create(vault, TABLE, _stored(resource), action=None)
                existing[resource.key()] = ResourceRow(id=row_id, **resource.model_dump())
                added += 1
                continue
            if records.update(vault, TABLE, match.id, _stored(resource),
                              current=_stored(match), action=None):
                updated += 1
        records.audited(vault, "resources imported", TABLE, "",
                        f"added={added} updated={updated}")
    return added, updated


def export_csv(vault: Vault, path: Path) -> int:
    """Write the directory to `path` (only there); returns the number of rows."""
    rows = all_resources(vault)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        data = _stored(row)
        writer.writerow([data[f] for f in FIELDS])
    write_recorded(vault, path, buffer.getvalue(), force=True,
                   record=lambda: vault.audit("resources exported", TABLE, "", f"rows={len(rows)}"))
    return len(rows)
