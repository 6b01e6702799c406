"""Pydantic models: the one definition of each record.

`SYNCED_RECORDS` names every record table that is derived from the op log,
with the fields an op may set on it. The op log and bundle import accept no other.
`APPEND_ONLY` tables get each row once, whole, and never an edit op (their SQL
tables refuse UPDATE with a trigger).
"""

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
}
APPEND_ONLY: frozenset[str] = frozenset()

# --- plans, consent, assessments (issue 3) ---
from coachdesk.models.assessment import Assessment  # noqa: E402
from coachdesk.models.consent import Consent  # noqa: E402
from coachdesk.models.plan import PlanRevision  # noqa: E402

SYNCED_RECORDS["plan_revision"] = tuple(PlanRevision.model_fields)
SYNCED_RECORDS["consent"] = tuple(Consent.model_fields)
SYNCED_RECORDS["assessment"] = tuple(Assessment.model_fields)
APPEND_ONLY = APPEND_ONLY | {"plan_revision", "assessment"}

__all__ = [
    "APPEND_ONLY",
    "PATHWAYS",
    "SAFETY_FLAGS",
    "SYNCED_RECORDS",
    "Participant",
    "ParticipantRow",
    "ParticipantType",
    "Status",
]
