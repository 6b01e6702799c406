"""Wellness plan revisions: append-only; saving adds a revision whose parent is the one
it was edited from. Two heads (revisions nobody edited further) mean the plan diverged,
e.g. edited on two laptops from the same revision; both are kept and shown, never merged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.ids import uuid7
from coachdesk.models.plan import Plan, PlanRevision, PlanRevisionRow
from coachdesk.models.plan_diff import Change, diff_plans
from coachdesk.models.plan_text import format_plan
from coachdesk.models.validation import first_problem
from coachdesk.store import people, records, search
from coachdesk.store.vault import Vault

TABLE = "plan_revision"
_COLUMNS = "id, origin, " + ", ".join(PlanRevision.model_fields)


class NothingChanged(CoachdeskError):
    def __init__(self) -> None:
        super().__init__("nothing changed since the revision it was edited from")


@dataclass(frozen=True)
class PlanState:
    """All revisions of one participant's plan, newest first, and what is current."""

    revisions: list[PlanRevisionRow]
    heads: list[PlanRevisionRow]

    @property
    def current(self) -> PlanRevisionRow | None:
        """The newest head by created_at (the one shown while diverged)."""
        return self.heads[0] if self.heads else None

    @property
    def diverged(self) -> bool:
        return len(self.heads) > 1

    def by_id(self, revision_id: str) -> PlanRevisionRow | None:
        return next((r for r in self.revisions if r.id == revision_id), None)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def validate(data: dict[str, Any] | Plan) -> Plan:
    if isinstance(data, Plan):
        return data
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None


def _row(values: tuple[Any, ...]) -> PlanRevisionRow:
    names = ["id", "origin", *PlanRevision.model_fields]
    return PlanRevisionRow.model_validate(dict(zip(names, values, strict=True)))


def _sort_key(rev: PlanRevisionRow) -> tuple[str, str]:
    return rev.created_at, rev.id


def state(vault: Vault, participant_id: str) -> PlanState:
    """Every revision (newest first) and the heads (newest first). Not audited."""
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    rows = [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE {same} AND deleted = 0", ids)]
    rows.sort(key=_sort_key, reverse=True)
    replaced = {r.parent_id for r in rows} | {s for r in rows for s in r.superseded}
    heads = [r for r in rows if r.id not in replaced]
    return PlanState(rows, heads)


def save(vault: Vault, participant_id: str, plan: Plan | dict[str, Any], parent_id: str = "",
         *, at: str | None = None) -> str:
    """Append a revision edited from `parent_id` ('' for a first plan); returns its id.

    When the plan has diverged and `parent_id` is the current head, the other heads are
    recorded as superseded: the author saw the warning and chose this version.
    """
    plan = validate(plan)
    current = state(vault, participant_id)
    if parent_id:
        parent = current.by_id(parent_id)
        if parent is None:
            raise CoachdeskError("the revision this plan was edited from is not in the vault")
        if parent.plan == plan:
            raise NothingChanged()
    elif current.revisions:
        raise CoachdeskError("this participant already has a plan: edit the current one")
    elif plan.is_empty():
        raise ValidationFailed("the plan is empty: write at least one goal or item")
    superseded = sorted(h.id for h in current.heads if h.id != parent_id) if (
        current.diverged and current.current is not None and parent_id == current.current.id) else []
    row_id = uuid7()
    record = PlanRevision(participant_id=participant_id, parent_id=parent_id,
                          superseded=superseded, plan=plan,
                          created_at=at or _now(), author=vault.coach)
    with vault.transaction() as conn:
        records.append(vault, TABLE, record.model_dump(mode="json"), row_id=row_id,
                       action="plan revised",
                       detail=f"participant={participant_id} parent={parent_id or '-'} "
                              f"goals={len(plan.goals())}")
        search.index_text(conn, "plan", row_id, participant_id, format_plan(plan))
    return row_id


def changes(plan_state: PlanState, revision_id: str) -> list[Change]:
    """What revision `revision_id` changed compared with the revision it was edited from."""
    revision = plan_state.by_id(revision_id)
    if revision is None:
        raise CoachdeskError("no such plan revision")
    parent = plan_state.by_id(revision.parent_id) if revision.parent_id else None
    return diff_plans(parent.plan if parent else None, revision.plan)


def viewed(vault: Vault, participant_id: str, revision_id: str, what: str = "plan viewed") -> None:
    vault.audit(what, TABLE, revision_id, f"participant={participant_id}")
