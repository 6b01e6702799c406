"""The synced record types: each op-log table and the pydantic model that defines it.

`coachdesk/registry.py` (the table -> fields list the op log and bundle import trust)
is generated from this map, so it never repeats a field list by hand. registry.py stays
a plain literal because the op log loads before unlock, where pydantic would slow
start-up. After changing a synced model, or adding one here, regenerate it:

    python -m coachdesk.models.synced          # rewrites coachdesk/registry.py
    python -m coachdesk.models.synced --check  # exit 1 if it is out of date

A test fails while registry.py differs from what this module renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel

from coachdesk.models.assessment import Assessment
from coachdesk.models.caseload import Caseload, CoachProfile, Handoff
from coachdesk.models.consent import Consent
from coachdesk.models.crisis import CrisisEvent, CrisisStep
from coachdesk.models.followup import CheckinAttempt, CheckinSchedule
from coachdesk.models.note import ActionItem, Addendum, Note
from coachdesk.models.participant import Participant
from coachdesk.models.person_merge import PersonMerge
from coachdesk.models.plan import PlanRevision
from coachdesk.models.program import FunderInterview, ProgramEpisode, RecoverySupport
from coachdesk.models.referral import Disclosure, Referral
from coachdesk.models.resource import Resource
from coachdesk.models.supervision import (
    ReviewEntry,
    SelfcareShare,
    SupervisionItem,
    SupervisionSession,
    TrainingEntry,
)

SYNCED_MODELS: dict[str, type[BaseModel]] = {
    "participant": Participant,
    "resource": Resource,
    "plan_revision": PlanRevision,
    "consent": Consent,
    "assessment": Assessment,
    "crisis_event": CrisisEvent,
    "crisis_step": CrisisStep,
    "referral": Referral,
    "disclosure": Disclosure,
    "note": Note,
    "addendum": Addendum,
    "action_item": ActionItem,
    "checkin_schedule": CheckinSchedule,
    "checkin_attempt": CheckinAttempt,
    "coach_profile": CoachProfile,
    "handoff": Handoff,
    "caseload": Caseload,
    "review_entry": ReviewEntry,
    "supervision_session": SupervisionSession,
    "supervision_item": SupervisionItem,
    "training_entry": TrainingEntry,
    "selfcare_share": SelfcareShare,
    "recovery_support": RecoverySupport,
    "program_episode": ProgramEpisode,
    "funder_interview": FunderInterview,
    "person_merge": PersonMerge,
}
"""Table -> model, in registry order. A new synced record type is one line here."""

APPEND_ONLY_TABLES: tuple[str, ...] = ("plan_revision", "assessment", "crisis_event",
                                       "crisis_step", "disclosure", "addendum",
                                       "checkin_attempt", "handoff", "review_entry",
                                       "person_merge")
"""Tables whose rows are written once, whole (their SQL refuses UPDATE and DELETE)."""

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "registry.py"

_HEADER = '''"""Which record tables are derived from the op log, and the fields an op may set.

GENERATED from the pydantic models by `python -m coachdesk.models.synced`: do not edit
by hand (a test fails when this file differs from what the models say). Kept free of
pydantic so the op log (and start-up) stays light. The op log and bundle import accept
no other table or field. `APPEND_ONLY` tables get each row once, whole, and never an
edit op (their SQL tables refuse UPDATE and DELETE with triggers).
"""
'''


def _wrapped(items: list[str], first: str, indent: str, close: str, width: int = 100) -> list[str]:
    """`first` + items joined by ", ", wrapped under `indent`, ending with `close`."""
    lines, line = [], first
    for i, item in enumerate(items):
        piece = item + (", " if i < len(items) - 1 else close)
        if len(line) + len(piece.rstrip()) > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line)
    return lines


def registry_source() -> str:
    """The text of coachdesk/registry.py, as the models define it."""
    unknown = set(APPEND_ONLY_TABLES) - set(SYNCED_MODELS)
    if unknown:
        raise ValueError(f"append-only tables without a model: {sorted(unknown)}")
    out = [_HEADER, "SYNCED_RECORDS: dict[str, tuple[str, ...]] = {"]
    for table, model in SYNCED_MODELS.items():
        start = f'    "{table}": ('
        fields = list(model.model_fields)
        out += _wrapped([f'"{f}"' for f in fields], start, " " * len(start),
                        ",)," if len(fields) == 1 else "),")  # a one-field tuple keeps its comma
    out += ["}", ""]
    start = "APPEND_ONLY: frozenset[str] = frozenset({"
    out += _wrapped([f'"{t}"' for t in APPEND_ONLY_TABLES], start, " " * len(start), "})")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    wanted = registry_source()
    current = REGISTRY_PATH.read_text(encoding="utf-8")
    if "--check" in argv:
        if current != wanted:
            print("error: coachdesk/registry.py is out of date: run "
                  "python -m coachdesk.models.synced", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        REGISTRY_PATH.write_text(wanted, encoding="utf-8")
        print("coachdesk/registry.py regenerated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
