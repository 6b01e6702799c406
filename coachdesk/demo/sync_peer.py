"""Demo: a small fictional team (a supervisor and two coaches, this vault one of them),
a teammate's bundle already imported, with one conflict to resolve."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from coachdesk import config, shipped
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service, team


def make_team(name: str, supervisor: Vault, *coaches: Vault) -> None:
    """The supervisor makes the team and adds the coaches; each coach keeps the team file."""
    with supervisor.transaction() as conn:
        held = team.create(conn, supervisor.keys, supervisor.identity(), name)
        for coach in coaches:
            held = team.add_member(conn, supervisor.keys, supervisor.identity(), coach.identity())
    for coach in coaches:
        with coach.transaction() as conn:
            team.accept(conn, held, device=coach.device, coach=coach.coach, own=coach.identity())


def _supervise(data: dict[str, Any], root: Path, supervisor: Vault, coach: Vault,
               peer: Vault) -> None:
    """The supervisor hears from both coaches, transfers the peer's new person to this
    vault's coach (with a handoff note) and shares one of this coach's people with the peer."""
    for sender in (coach, peer):
        bundle = service.export_bundle(sender, root / f"to-supervisor-{sender.device}.cdbundle",
                                       peer=supervisor.device, full=True)
        merge.import_bundle(supervisor, bundle.path)
    caseload.transfer(supervisor, data["transfer"]["alias"], coach.device, data["transfer"]["note"])
    caseload.share(supervisor, data["share"]["alias"], peer.device)
    news = service.export_bundle(supervisor, root / "from-supervisor.cdbundle", peer=coach.device)
    merge.import_bundle(coach, news.path)


def seed(vault: Vault) -> None:
    data = shipped.json_data("demo", "sync_peer.json")
    conflict = data["conflict"]
    here = participants.find(vault, conflict["alias"]).id
    with tempfile.TemporaryDirectory(prefix="coachdesk-demo-") as tmp:
        root = Path(tmp)
        supervisor = Vault.create(root / "supervisor", config.DEMO_PASSPHRASE,
                                  data["team"]["supervisor"], enforce_strength=False)
        peer = Vault.create(root / "peer", config.DEMO_PASSPHRASE, data["peer_coach"],
                            enforce_strength=False)
        try:
            make_team(data["team"]["name"], supervisor, vault, peer)
            first = service.export_bundle(vault, root / "first.cdbundle", peer=peer.device,
                                          full=True)
            merge.import_bundle(peer, first.path)
            added = dict(data["peer_adds"])
            weeks = added.pop("intake_weeks_ago")
            added["intake_date"] = (dt.date.today() - dt.timedelta(weeks=weeks)).isoformat()
            added["adult_confirmed"] = True
            participants.create(peer, added)
            participants.update(peer, here, {conflict["field"]: conflict["peer"]})
            participants.update(vault, here, {conflict["field"]: conflict["here"]})
            back = service.export_bundle(peer, root / "back.cdbundle", peer=vault.device,
                                         full=True)
            merge.import_bundle(vault, back.path)
            _supervise(data, root, supervisor, vault, peer)
        finally:
            peer.close()
            supervisor.close()
