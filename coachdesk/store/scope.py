"""Whose an op is: its scope, which decides which vaults may hold it (issue 17).

    scope_of(conn, tbl, row_id, fields, device)  the scope of an op a vault writes now
    TEAM_WIDE / THROUGH / PRIVATE                 the rules, one place

A person's records (the participant row, records keyed by their id, every record naming
them, addenda and reviews through their note, crisis steps through their event) have the
person's id as scope. A record naming a coach (supervision, training) is private to that coach and the
supervisors: scope "@<coach device>". Team-wide
records (the resource directory, coach profiles, who coaches whom) have scope "". A
record about no person (a crisis checklist run for no one) is private to the device that
started it and the supervisors: scope "@<device>". A row's scope never changes: every op
on it takes the scope of the row's first op.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coachdesk.registry import SYNCED_RECORDS
from coachdesk.store.db import Connection

TEAM = ""
TEAM_WIDE = frozenset({"resource", "coach_profile", "caseload", "person_merge"})
THROUGH: dict[str, tuple[str, str]] = {"addendum": ("note_id", "note"),
                                       "crisis_step": ("event_id", "crisis_event"),
                                       "review_entry": ("note_id", "note")}
"""tbl -> (field naming the parent row, parent table): the row takes its parent's scope."""
PERSON_KEYED = frozenset({"recovery_support"})
"""Tables whose row id is the person's id (one record a person): the person's scope."""
PERSON_FIELD = "participant_id"
COACH_FIELD = "coach"
"""A record about a coach (a supervision session, a training hour): private to them."""
PRIVATE = "@"


def private(device: str) -> str:
    return PRIVATE + device


def is_person(scope: str) -> bool:
    return bool(scope) and not scope.startswith(PRIVATE)


def rule_gaps() -> list[str]:
    """Synced tables no rule covers (a test keeps this empty)."""
    return [t for t, fields in SYNCED_RECORDS.items()
            if t != "participant" and t not in TEAM_WIDE and t not in PERSON_KEYED and t not in THROUGH
            and PERSON_FIELD not in fields and COACH_FIELD not in fields]


def row_scope(conn: Connection, tbl: str, row_id: str) -> str | None:
    """The scope of a row this vault holds ops of; None if it holds none."""
    row = conn.execute("SELECT scope FROM main.ops WHERE tbl = ? AND row_id = ? LIMIT 1",
                       (tbl, row_id)).fetchone()
    return None if row is None else str(row[0])


def scope_of(conn: Connection, tbl: str, row_id: str, fields: Mapping[str, Any],
             device: str) -> str:
    """The scope of a new op on (tbl, row_id) setting `fields`, written by `device`."""
    if tbl == "participant" or tbl in PERSON_KEYED:
        return row_id
    if tbl in TEAM_WIDE:
        return TEAM
    held = row_scope(conn, tbl, row_id)
    if held is not None:
        return held
    if tbl in THROUGH:
        field, parent = THROUGH[tbl]
        found = row_scope(conn, parent, str(fields.get(field) or ""))
        return found if found is not None else private(device)
    person = fields.get(PERSON_FIELD)
    if person:
        return str(person)
    coach = fields.get(COACH_FIELD) if COACH_FIELD in SYNCED_RECORDS.get(tbl, ()) else None
    return private(str(coach)) if coach else private(device)


PRIMARY_SQL = "(CASE WHEN primary_coach = '' THEN origin ELSE primary_coach END)"
"""A person's primary coach in SQL over participant_card: '' is whoever added them."""


def people_of(conn: Connection, device: str) -> set[str]:
    """The people `device` coaches (primary or secondary), as this vault knows them;
    deleted ones too (their history still travels), and the records merged into them."""
    mine = {r[0] for r in conn.execute(
        f"SELECT id FROM participant_card WHERE {PRIMARY_SQL} = ?1 OR secondary_coach = ?1",
        (device,))}
    # A record merged into another person goes with that person (store/people.py), not
    # with its own caseload record: whoever holds the person holds both histories.
    return mine | {merged for merged, person in conn.execute(
        "SELECT id, person FROM merged_person") if person in mine}


def allowed(conn: Connection, device: str, supervisor: bool) -> set[str] | None:
    """The scopes `device` may hold; None: every one (a supervisor)."""
    if supervisor:
        return None
    return {TEAM, private(device), *people_of(conn, device)}
