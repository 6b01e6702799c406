"""Demo: a fictional teammate's bundle already imported, with one conflict to resolve."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from coachdesk import config, shipped
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service


def seed(vault: Vault) -> None:
    data = shipped.json_data("demo", "sync_peer.json")
    key, conflict = data["sync_key"], data["conflict"]
    service.save_sync_key(vault, key)
    here = participants.find(vault, conflict["alias"]).id
    with tempfile.TemporaryDirectory(prefix="coachdesk-demo-") as tmp:
        root = Path(tmp)
        peer = Vault.create(root / "peer", config.DEMO_PASSPHRASE, data["peer_coach"],
                            enforce_strength=False)
        try:
            first = service.export_bundle(vault, root / "first.cdbundle", key, full=True)
            merge.import_bundle(peer, first.path, key)
            added = dict(data["peer_adds"])
            weeks = added.pop("intake_weeks_ago")
            added["intake_date"] = (dt.date.today() - dt.timedelta(weeks=weeks)).isoformat()
            added["adult_confirmed"] = True
            participants.create(peer, added)
            participants.update(peer, here, {conflict["field"]: conflict["peer"]})
            participants.update(vault, here, {conflict["field"]: conflict["here"]})
            back = service.export_bundle(peer, root / "back.cdbundle", key, full=True)
            merge.import_bundle(vault, back.path, key)
        finally:
            peer.close()
