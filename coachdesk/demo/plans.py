"""Demo plans, consents and recovery capital histories (fiction, assets/demo/)."""

from __future__ import annotations

import datetime as dt
import re

from coachdesk import shipped
from coachdesk.models.assessment import load_instrument
from coachdesk.models.plan_text import parse_plan
from coachdesk.store import assessments, consents, participants, plans
from coachdesk.store.vault import Vault

_BLOCK = re.compile(r"^=== (.+?) \| (\d+)( \| branch)?$", re.MULTILINE)
_RELATIVE = re.compile(r"\(by \+(\d+)\)")


def _stamp(weeks_ago: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=weeks_ago)
    return moment.isoformat(timespec="milliseconds")


def seed_plans(vault: Vault) -> None:
    today = dt.date.today()
    text = shipped.text("demo", "plans.txt")
    parts = _BLOCK.split(text)[1:]
    chains: dict[str, list[str]] = {}
    for alias, weeks, branch, body in zip(*[iter(parts)] * 4, strict=True):
        body = _RELATIVE.sub(lambda m: f"(by {(today + dt.timedelta(days=int(m[1]))).isoformat()})",
                             body)
        person = participants.find(vault, alias)
        chain = chains.setdefault(person.id, [])
        parent = (chain[-2] if branch else chain[-1]) if chain else ""
        chain.append(plans.save(vault, person.id, parse_plan(body), parent,
                                at=_stamp(int(weeks))))
    for item in shipped.json_data("demo", "consents.json"):
        person = participants.find(vault, item.pop("alias"))
        signed = today - dt.timedelta(weeks=item.pop("signed_weeks_ago"))
        data = {**item, "signed_on": signed.isoformat()}
        if "expires_weeks_from_now" in data:
            weeks = data.pop("expires_weeks_from_now")
            data["expires_on"] = (today + dt.timedelta(weeks=weeks)).isoformat()
        consents.add(vault, person.id, data)
    barc10 = load_instrument("barc10")
    history = shipped.json_data("demo", "barc10.json")
    for alias, checkins in history.items():
        person = participants.find(vault, alias)
        for weeks_ago, answers in checkins:
            assessments.record(vault, person.id, barc10, answers,
                               taken_on=today - dt.timedelta(weeks=weeks_ago))
