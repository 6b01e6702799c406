"""What the roster counts for everyone on it: unsynced changes, caseloads, and per person
the flags (unfinished note, hard to reach, review follow-up) and what is due.

Counting reads every open item and check-in schedule in the vault, which grows with the
caseload: the roster runs `count` in a worker thread on a reader connection
(`Vault.reader`), so unlocking and typing never wait for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coachdesk.store import action_items, followups, notes, people, reviews
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from coachdesk.sync import service as sync_service


@dataclass(frozen=True)
class RosterCounts:
    unsynced: int = 0
    """Changes no peer has acknowledged (sync)."""
    loads: dict[str, tuple[int, int]] = field(default_factory=dict)
    """coach -> active (primary, secondary)."""
    drafted: frozenset[str] = frozenset()
    """People with an unfinished note on this device."""
    hard: frozenset[str] = frozenset()
    """People the last three calls did not reach."""
    follow_up: frozenset[str] = frozenset()
    """People with a note needing follow-up (a supervisor's review, not closed yet)."""
    due: dict[str, int] = field(default_factory=dict)
    """person -> overdue action items + check-ins waiting for a call."""


def count(vault: Vault, today: dt.date) -> RosterCounts:
    """Everything the roster counts (ids of records merged into a person count as that
    person's)."""
    conn = vault.conn
    due = action_items.overdue_counts(vault, today)
    for pid, n in followups.due_counts(vault, today).items():
        due[pid] = due.get(pid, 0) + n
    return RosterCounts(
        unsynced=sync_service.unacknowledged(vault),
        loads=caseload.caseloads(vault),
        drafted=frozenset(people.as_people(
            conn, {note.participant_id for note in notes.drafts(vault)})),
        hard=frozenset(people.as_people(conn, followups.hard_to_reach(vault))),
        follow_up=frozenset(people.as_people(conn, reviews.follow_up_people(vault))),
        due=people.counted_as_people(conn, due))
