"""A team's hub with known counts, built the real way: coaches write in their own vaults
and send bundles to the hub (tests/sync/syncutil)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import notes, participants, referrals, resources
from coachdesk.store.vault import Vault
from tests.conftest import person
from tests.sync.syncutil import make_team, make_vault, send

MONTH = dt.date.today().strftime("%Y-%m")


def coach_work(vault: Vault, people: int, minutes: int, *, referred: int = 0) -> None:
    """`people` new people this month, each with one finalized contact of `minutes`."""
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    service = resources.create(vault, {"name": f"Hilltop {vault.coach}", "kind": "detox"})
    for n in range(people):
        pid = participants.create(vault, person(f"{vault.coach} person {n}",
                                                intake_date=dt.date.today().isoformat()))
        note = notes.start(vault, pid, occurred_at=now)
        notes.save_header(vault, note, {"setting": "phone", "duration_min": minutes,
                                        "contact_type": "check-in"})
        notes.finalize(vault, note, "talked about the week")
        if n < referred:
            referrals.add(vault, pid, service)


def team_hub(root: Path, hub: str, work: dict[str, tuple[int, int, int]], *,
             team: str = "Harbor team") -> Vault:
    """The hub of a team whose coaches (name -> (people, minutes each, referrals)) did
    their work and sent it; the coaches' vaults are closed, the hub's is returned open."""
    vaults = [make_vault(root, name) for name in (hub, *work)]
    make_team(*vaults, name=team)  # as make_vaults(..., scoped=True), with the team's name
    for coach, (people, minutes, referred) in zip(vaults[1:], work.values(), strict=True):
        coach_work(coach, people, minutes, referred=referred)
        send(coach, vaults[0], root / f"{coach.coach}.bundle")
        coach.close()
    return vaults[0]
