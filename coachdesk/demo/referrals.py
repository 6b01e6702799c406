"""Demo directory (assets/demo/resources.csv), referrals and one recorded disclosure."""

from __future__ import annotations

import datetime as dt

from coachdesk import shipped
from coachdesk.store import participants, referrals, resources
from coachdesk.store.vault import Vault


def seed_referrals(vault: Vault) -> None:
    resources.import_csv(vault, shipped.path("demo", "resources.csv"))
    by_name = {r.name: r.id for r in resources.all_resources(vault)}
    people = {p.alias: p.id for p in participants.roster(vault, status=None)}
    today = dt.date.today()
    plan = [
        ("Rosa Delgado", "Eastside Medication Clinic", "attended", None, 40),
        ("Rosa Delgado", "Northgate Housing Help Desk", "scheduled", today + dt.timedelta(days=5), 12),
        ("Marcus Webb", "Harbor Harm Reduction", "contacted", today - dt.timedelta(days=2), 9),
        ("Marcus Webb", "Hilltop Withdrawal Center", "suggested", today + dt.timedelta(days=1), 3),
        ("Jamal Okafor", "Second Chance Jobs", "declined", None, 20),
        ("Priya Raman", "Thursday Night Recovery Circle", "attended", None, 14),
    ]
    for alias, service, status, follow_up, days_ago in plan:
        if alias in people and service in by_name:
            referrals.add(vault, people[alias], by_name[service], status=status,
                          follow_up_on=follow_up,
                          referred_on=today - dt.timedelta(days=days_ago))
    rosa = people.get("Rosa Delgado")
    current = referrals.current_consents(vault, rosa) if rosa else []
    if rosa and current:
        referrals.record_disclosure(vault, rosa, current[0].id, "wellness plan")
