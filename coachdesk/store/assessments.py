"""Assessments (recovery capital check-ins): append-only, one row per completed check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from coachdesk.errors import ValidationFailed
from coachdesk.models.assessment import Assessment, AssessmentRow, Instrument
from coachdesk.models.validation import first_problem
from coachdesk.store import people, records
from coachdesk.store.vault import Vault

TABLE = "assessment"
_COLUMNS = "id, origin, " + ", ".join(Assessment.model_fields)


def record(vault: Vault, participant_id: str, instrument: Instrument, answers: list[int],
           taken_on: dt.date | None = None) -> str:
    """Score and store a completed check-in; refuses missing or out-of-range answers."""
    total = instrument.score(answers)
    try:
        assessment = Assessment(participant_id=participant_id, instrument=instrument.id,
                                version=instrument.version, answers=list(answers), total=total,
                                taken_on=taken_on or dt.date.today())
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None
    return records.append(vault, TABLE, assessment.model_dump(mode="json"),
                          detail=f"participant={participant_id} instrument={instrument.id}")


def _row(values: tuple[Any, ...]) -> AssessmentRow:
    names = ["id", "origin", *Assessment.model_fields]
    return AssessmentRow.model_validate(dict(zip(names, values, strict=True)))


def history(vault: Vault, participant_id: str, instrument_id: str) -> list[AssessmentRow]:
    """Oldest first."""
    same, ids = people.matching(vault.conn, "participant_id", participant_id)
    return [_row(r) for r in vault.conn.execute(
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE {same} AND instrument = ? "
        "AND deleted = 0 ORDER BY taken_on, id", (*ids, instrument_id))]
