"""Demo data for the crisis checklist: one finished overdose response (fiction)."""

from __future__ import annotations

import datetime as dt

from coachdesk import shipped
from coachdesk.protocols import Walk, load_file
from coachdesk.store import crisis, participants
from coachdesk.store.vault import Vault


def seed_crisis(vault: Vault) -> None:
    """Walk the shipped overdose protocol with the answers in assets/demo/crisis.json."""
    data = shipped.json_data("demo", "crisis.json")
    protocol = load_file(shipped.path("protocols", data["protocol"]))
    person = participants.find(vault, data["participant"])
    day = dt.date.today() - dt.timedelta(days=data["days_ago"])
    began = dt.datetime.combine(day, dt.time.fromisoformat(data["start"])).astimezone()

    def stamp(seconds: int) -> str:
        return (began + dt.timedelta(seconds=seconds)).astimezone(dt.UTC).isoformat(
            timespec="milliseconds")

    event_id = crisis.start(vault, protocol, person.id, at=stamp(0))
    walk = Walk(protocol)
    for seconds, raw in data["steps"]:
        step = walk.current
        answer = walk.answer(raw)
        crisis.record(vault, event_id, step.id, step.kind, step.label, answer, at=stamp(seconds))
    if not walk.finished:
        raise RuntimeError("assets/demo/crisis.json does not reach an end of the protocol")
    settings = vault.settings()
    if not settings.crisis_line and not settings.supervisor_phone:
        vault.save_settings(settings.model_copy(update={
            "crisis_line": data["crisis_line"], "supervisor_phone": data["supervisor_phone"],
            "coach_phone": data.get("coach_phone", "")}))
