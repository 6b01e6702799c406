"""One person, however many records: merging two records of one person (issue 22).

    merge(vault, merged_id, into_id, reason)   one audited operation: a person_merge record
    refresh(conn)                              merged_person again from every merge held
    ids_of(conn, person) / matching(...)       a person's own id and the ids merged into it
    person_of(conn, any_id)                    the person an id is read as now

Nothing is rewritten: the merged-away record, its notes, plans and follow-ups keep their
ops (both histories stay in the log, and a laptop that has not heard of the merge yet can
still add to it). Every read of a person takes the ids merged into them, and the roster's
view leaves the merged-away record out. `merged_person` is worked out from the merges
alone, in one order every vault agrees on, so vaults holding the same merges read the
same people (sync converges): the merges are taken oldest first (time, then id); each
joins the person its `merged_id` now is into the person its `into_id` now is, and a merge
that would join a person to themselves (two laptops merged A into B and B into A) is
read as done already.
"""

from __future__ import annotations

from coachdesk.errors import CoachdeskError
from coachdesk.store import records
from coachdesk.store.db import Connection
from coachdesk.store.vault import Vault

TABLE = "person_merge"


def refresh(conn: Connection) -> None:
    """Work `merged_person` out again from the merges this vault holds."""
    into: dict[str, str] = {}

    def now(person: str) -> str:
        seen = set()
        while person in into and person not in seen:
            seen.add(person)
            person = into[person]
        return person

    for merged, target in conn.execute(
            "SELECT merged_id, into_id FROM person_merge WHERE deleted = 0 ORDER BY at, id"):
        merged, target = now(merged), now(target)
        if merged != target:
            into[merged] = target
    conn.execute("DELETE FROM merged_person")
    conn.executemany("INSERT INTO merged_person (id, person) VALUES (?, ?)",
                     [(merged, now(merged)) for merged in into])


def person_of(conn: Connection, any_id: str) -> str:
    row = conn.execute("SELECT person FROM merged_person WHERE id = ?", (any_id,)).fetchone()
    return str(row[0]) if row else any_id


def ids_of(conn: Connection, person: str) -> tuple[str, ...]:
    """The person's own id first, then every id merged into them."""
    return (person, *(r[0] for r in conn.execute(
        "SELECT id FROM merged_person WHERE person = ? ORDER BY id", (person,))))


def matching(conn: Connection, column: str, person: str) -> tuple[str, tuple[str, ...]]:
    """SQL (`column IN (?, ...)`) and its arguments: the rows of `person`, merged ones too.
    `column` is ours (never user text); most people have one id, an `IN (?)` the planner
    reads as `= ?` on the same index."""
    ids = ids_of(conn, person)
    return f"{column} IN ({', '.join('?' * len(ids))})", ids


def merge(vault: Vault, merged_id: str, into_id: str, reason: str = "") -> str:
    """Merge the record `merged_id` into `into_id` (both of one person), audited. Refused
    in one line, nothing changed: the same record, an unknown or deleted one, a record
    merged already, or a closed record to merge into."""
    from coachdesk.models.person_merge import PersonMerge
    from coachdesk.models.validation import validated
    from coachdesk.store import audit

    conn = vault.conn
    if merged_id == into_id:
        raise CoachdeskError("a person cannot be merged into themselves")
    for row_id in (merged_id, into_id):
        if person_of(conn, row_id) != row_id:
            raise CoachdeskError("that record was merged already: merge into the person it "
                                 "was merged into")
    found = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT id, status, alias FROM participant WHERE deleted = 0 AND id IN (?, ?)",
        (merged_id, into_id))}
    if merged_id not in found or into_id not in found:
        raise CoachdeskError("no such person here (or their record was deleted)")
    if found[into_id][0] == "closed":
        raise CoachdeskError(f"{found[into_id][1]}'s record is closed: merge into an open "
                             "record (reopen it first)")
    merge_record = validated(PersonMerge, {"merged_id": merged_id, "into_id": into_id,
                                           "reason": reason, "at": audit.now_iso()})
    with vault.transaction():
        row_id = records.append(vault, TABLE, merge_record.model_dump(mode="json"), action=None)
        refresh(conn)
        vault.audit("people merged", "participant", into_id,
                    detail=f"merged={merged_id} into={into_id} merge={row_id}")
    return row_id


def moved(conn: Connection) -> dict[str, str]:
    """Every merged record's id -> the person it is read as now (few rows)."""
    return {str(a): str(b) for a, b in conn.execute("SELECT id, person FROM merged_person")}


def as_people(conn: Connection, ids: set[str]) -> set[str]:
    """Ids read as the people they are now (a merged record's id as its person's)."""
    merged = moved(conn)
    return {merged.get(i, i) for i in ids}


def counted_as_people(conn: Connection, counts: dict[str, int]) -> dict[str, int]:
    """Counts per id added up per person (a merged record's count goes to its person)."""
    merged = moved(conn)
    if not merged:
        return counts
    out: dict[str, int] = {}
    for key, n in counts.items():
        person = merged.get(key, key)
        out[person] = out.get(person, 0) + n
    return out
