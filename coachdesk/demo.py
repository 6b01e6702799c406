"""The demo vault: fictional people (assets/demo/), passphrase `demo`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from coachdesk import config
from coachdesk.demo_plans import seed_plans
from coachdesk.store import participants
from coachdesk.store import vault as vaults
from coachdesk.store.vault import Vault

DEMO_COACH = "Demo Coach"


def ensure_demo_vault(base: Path) -> Path:
    """Create and fill the demo vault on first use; returns its directory."""
    directory = config.demo_dir(base)
    if vaults.exists(directory):
        return directory
    vault = Vault.create(directory, config.DEMO_PASSPHRASE, DEMO_COACH, enforce_strength=False)
    try:
        seed(vault)
    finally:
        vault.close()
    return directory


def seed(vault: Vault) -> None:
    people = json.loads((config.assets_dir() / "demo" / "participants.json").read_text("utf-8"))
    today = dt.date.today()
    for person in people:
        weeks = person.pop("intake_weeks_ago")
        person["intake_date"] = (today - dt.timedelta(weeks=weeks)).isoformat()
        person["adult_confirmed"] = True
        participants.create(vault, person)
    seed_plans(vault)
    from coachdesk.demo_crisis import seed_crisis

    seed_crisis(vault)
    from coachdesk.demo_referrals import seed_referrals

    seed_referrals(vault)
    from coachdesk.demo_followups import seed_followups

    seed_followups(vault)
    from coachdesk.demo_notes import seed_notes

    seed_notes(vault)
    from coachdesk.sync import demo_peer

    demo_peer.seed(vault)
