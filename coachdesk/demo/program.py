"""Demo program data (issue 22): recovery-support fields of a few people, baselines done
(Rosa's and Jamal's), Jamal's six-month reassessment done, Tam's baseline missed (could not
be reached); the others' windows follow from their intake dates."""

from __future__ import annotations

import datetime as dt

from coachdesk.models.funder import funder
from coachdesk.models.program import recovery_lists
from coachdesk.store import participants, program
from coachdesk.store.vault import Vault

FIELDS: dict[str, dict[str, object]] = {
    "Rosa Delgado": {"pathways": ["medication", "peer"], "referral_reason": "overdose",
                     "engagement": "engaged", "living_situation": "with_others",
                     "supports": 3, "ed_visits": 1, "naloxone_given": 1},
    "Marcus Webb": {"pathways": ["twelve_step"], "referral_reason": "court",
                    "engagement": "engaged", "living_situation": "own_home", "supports": 2,
                    "no_shows": 2},
    "Jamal Okafor": {"pathways": ["harm_reduction", "support_groups"],
                     "referral_reason": "overdose", "engagement": "engaged",
                     "living_situation": "shelter", "supports": 1, "naloxone_given": 3,
                     "ed_visits": 2},
}

DONE = {"Rosa Delgado": [("baseline", 9)], "Jamal Okafor": [("baseline", 12), ("reassessment", 183)]}
"""Interviews done, by days after intake."""


def seed_program(vault: Vault) -> None:
    people = {p.alias: p for p in participants.roster(vault, status=None)}
    today = dt.date.today()
    lists = recovery_lists(None)  # the shipped lists: the demo names their ids
    grant = funder(None, "samhsa_suprt")
    for alias, values in FIELDS.items():
        if alias in people:
            program.set_recovery(vault, people[alias].id, dict(values), lists, today)
    for alias, done in DONE.items():
        person = people.get(alias)
        if person is None:
            continue
        for interview, days in done:
            on = person.intake_date + dt.timedelta(days=days)
            if on <= today:
                program.record_interview(vault, grant, person.id, person.intake_date, interview,
                                         "done", on, today=today)
    tam = people.get("Tam Nguyen")
    if tam is not None:
        program.record_interview(vault, grant, tam.id, tam.intake_date, "baseline", "missed",
                                 tam.intake_date + dt.timedelta(days=30), "unreachable",
                                 today=today)
