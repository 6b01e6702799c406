"""Consent kinds by keys: an old consent says it covers nothing until kinds are picked
(k), a plan copy then holds those kinds only; the handoff details of a referral (e)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.models.plan import Goal, Plan, SafetyPlan
from coachdesk.store import consents, participants, plans, referrals, resources
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.consents import ConsentKindsForm, ConsentScreen
from coachdesk.tui.screens.referrals import HandoffForm, ReferralsScreen
from tests.conftest import person
from tests.tui.helpers import press, squeezed, type_text, unlocked
from tests.vaults import created, reopened

TODAY = dt.date.today()


async def test_an_old_consent_gets_its_kinds_and_the_copy_follows(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Olda Consent"))
        plans.save(vault, pid, Plan(health=[Goal(text="GoalCanary walk")],
                                    safety=SafetyPlan(cope_alone=["SafetyCanary cook"])))
        cid = consents.add(vault, pid, {"recipient": "Eastside Clinic", "purpose": "care",
                                        "information": "goals", "signed_on": TODAY.isoformat(),
                                        "expiry_event": "discharge"})
    target = tmp_path / "copy.md"
    async with unlocked(app) as pilot:
        await press(pilot, "enter", "c")
        assert isinstance(app.screen, ConsentScreen)
        assert "Covers:nothingyet" in squeezed(pilot) and "presskto" in squeezed(pilot)
        await press(pilot, "k")
        assert isinstance(app.screen, ConsentKindsForm)
        await press(pilot, "tab", "space", "ctrl+s")  # plan goals (the second kind)
        assert isinstance(app.screen, ConsentScreen)
        assert "Covers:plangoals" in squeezed(pilot)
        await press(pilot, "escape", "x")
        await press(pilot, "tab")  # to the audience: the clinic
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        await press(pilot, "tab")
        await type_text(pilot, str(target))
        await press(pilot, "enter")
    text = target.read_text()
    assert "GoalCanary" in text and "SafetyCanary" not in text and "Eastside Clinic" in text
    with reopened(vault_dir) as vault:
        assert consents.get(vault, cid).kinds == ["plan_goals"]
        assert referrals.disclosures(vault, pid)[0][2] == "wellness plan: plan goals"


async def test_handoff_details_by_keys(vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Hana Doff"))
        rid = resources.create(vault, {"name": "Hilltop Withdrawal Center", "kind": "detox"})
        ref = referrals.add(vault, pid, rid)
    async with unlocked(app) as pilot:
        await press(pilot, "enter", "r")
        assert isinstance(app.screen, ReferralsScreen)
        await press(pilot, "e")
        assert isinstance(app.screen, HandoffForm)
        await type_text(pilot, "wants a bed this week")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "evenings")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReferralsScreen) and "Handoffdetailssaved" in squeezed(pilot)
    with reopened(vault_dir) as vault:
        got = referrals.get(vault, ref)
        assert (got.reason, got.best_time, got.message_ok) == ("wants a bed this week", "evenings", "")
