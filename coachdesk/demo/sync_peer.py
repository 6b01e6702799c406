"""Demo: a small fictional team (a supervisor and two coaches, this vault one of them),
a teammate's bundle already imported, with one conflict to resolve."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from coachdesk import config, shipped
from coachdesk.demo import reviews
from coachdesk.demo import supervision as demo_supervision
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service, team


def make_team(name: str, supervisor: Vault, *coaches: Vault, role: str = "coach") -> None:
    """The supervisor makes the team and adds the coaches (as `role`); each keeps the
    team file."""
    with supervisor.transaction() as conn:
        held = team.create(conn, supervisor.keys, supervisor.identity(), name)
        for coach in coaches:
            held = team.add_member(conn, supervisor.keys, supervisor.identity(), coach.identity(),
                                   role)
    for coach in coaches:
        with coach.transaction() as conn:
            team.accept(conn, held, device=coach.device, coach=coach.coach, own=coach.identity())


def _exchange(sender: Vault, receiver: Vault, root: Path) -> None:
    """A full bundle from `sender` to `receiver`, imported there."""
    bundle = service.export_bundle(sender, root / f"{sender.device}-to-{receiver.device}.cdbundle",
                                   peer=receiver.device, full=True)
    merge.import_bundle(receiver, bundle.path)


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
            # The supervisor hears from this coach and shares two of its people with the
            # peer coach (one of them, Tam, both coaches then edit at once: a conflict).
            make_team(data["team"]["name"], supervisor, vault, peer)
            _exchange(vault, supervisor, root)
            reviews.seed(supervisor, data["reviews"])  # they travel back below
            for alias in (conflict["alias"], data["share"]["alias"]):
                caseload.share(supervisor, alias, peer.device)
            _exchange(supervisor, peer, root)
            added = dict(data["peer_adds"])
            weeks = added.pop("intake_weeks_ago")
            added["intake_date"] = (dt.date.today() - dt.timedelta(weeks=weeks)).isoformat()
            added["adult_confirmed"] = True
            participants.create(peer, added)
            participants.update(peer, here, {conflict["field"]: conflict["peer"]})
            participants.update(vault, here, {conflict["field"]: conflict["here"]})
            _exchange(peer, vault, root)
            # The peer's new person is transferred to this coach, with a handoff note.
            _exchange(peer, supervisor, root)
            caseload.transfer(supervisor, data["transfer"]["alias"], vault.device,
                              data["transfer"]["note"])
            demo_supervision.seed_sessions(supervisor, vault, peer)
            _exchange(supervisor, vault, root)
            demo_supervision.seed_ledger(vault)
            # The coach sends the day's work and hears back: the demo opens with nothing
            # waiting to be sent (only the conflict to resolve).
            _exchange(vault, supervisor, root)
            _exchange(supervisor, vault, root)
        finally:
            peer.close()
            supervisor.close()
