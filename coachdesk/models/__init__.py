"""Pydantic models: the one definition of each record (registry.py lists the synced ones)."""

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
from coachdesk.registry import APPEND_ONLY, SYNCED_RECORDS

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
