"""What the local draft tables of the editors share (plan_draft, addendum_draft: inside
the encrypted vault, never an op, never synced; one draft a record, keyed by its id).
The autosave writes one statement, with no op and no audit; a full disk is DiskFull."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from coachdesk.errors import CoachdeskError
from coachdesk.store.db import disk_full_is_an_error
from coachdesk.store.vault import Vault


def now() -> str:
    """When a draft is saved: local time, ISO 8601."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class DraftTable:
    """The table `name` holds the drafts of the records of `record`, keyed by `key`."""

    name: str
    key: str
    record: str

    def save(self, vault: Vault, upsert: str, args: tuple[Any, ...], gone: str) -> None:
        """Run `upsert` (an INSERT that writes nothing when the record is gone); nothing
        written: CoachdeskError(gone)."""
        with disk_full_is_an_error():
            cur = vault.conn.execute(upsert, args)
        if cur.rowcount == 0:
            raise CoachdeskError(gone)

    def discard(self, vault: Vault, key: str) -> None:
        with disk_full_is_an_error():
            vault.conn.execute(f"DELETE FROM {self.name} WHERE {self.key} = ?", (key,))

    def count(self, vault: Vault) -> int:
        """Drafts on this device (of records still in the vault)."""
        # CROSS JOIN: from the few drafts to their records, never a scan of every record
        # (the planner preferred walking all 50,000 notes: on the unlock path).
        return int(vault.conn.execute(
            f"SELECT count(*) FROM {self.name} d CROSS JOIN {self.record} r "
            f"ON r.id = d.{self.key} WHERE r.deleted = 0").fetchone()[0])
