"""Pydantic models: the one definition of each record.

`SYNCED_RECORDS` names every record table that is derived from the op log,
with the fields an op may set on it. The op log and bundle import accept no other.
`APPEND_ONLY` tables get each row once, whole, and never an edit op (their SQL
tables refuse UPDATE with a trigger).
"""

from coachdesk.models.crisis import (
    CrisisEvent,
    CrisisEventRow,
    CrisisRecord,
    CrisisStep,
    CrisisStepRow,
)
from coachdesk.models.participant import (
    PATHWAYS,
    SAFETY_FLAGS,
    Participant,
    ParticipantRow,
    ParticipantType,
    Status,
)

SYNCED_RECORDS: dict[str, tuple[str, ...]] = {
    "participant": tuple(Participant.model_fields),
    "crisis_event": tuple(CrisisEvent.model_fields),
    "crisis_step": tuple(CrisisStep.model_fields),
}
APPEND_ONLY: frozenset[str] = frozenset({"crisis_event", "crisis_step"})

__all__ = [
    "APPEND_ONLY",
    "CrisisEvent",
    "CrisisEventRow",
    "CrisisRecord",
    "CrisisStep",
    "CrisisStepRow",
    "PATHWAYS",
    "SAFETY_FLAGS",
    "SYNCED_RECORDS",
    "Participant",
    "ParticipantRow",
    "ParticipantType",
    "Status",
]
