"""Referrals by keys: pick a service by typing, follow-up, status, packet under a consent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import consents, participants, referrals, resources
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.referrals import ReferralsScreen
from tests.conftest import person
from tests.tui.helpers import press, squeezed, type_text, unlocked
from tests.vaults import created, reopened


async def test_referral_by_keys_then_packet_and_accounting(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Refa Keys"))
        resources.create(vault, {"name": "Hilltop Withdrawal Center", "kind": "detox"})
        resources.create(vault, {"name": "Harbor Harm Reduction", "kind": "harm_reduction"})
        today = dt.date.today()
        consents.add(vault, pid, {"recipient": "Hilltop intake", "purpose": "admission",
                                  "information": "referral", "signed_on": today.isoformat(),
                                  "kinds": ["referral_reason", "contact"],
                                  "expires_on": (today + dt.timedelta(days=30)).isoformat()})
    packet = tmp_path / "packet.md"
    follow = (today + dt.timedelta(days=3)).isoformat()
    async with unlocked(app) as pilot:
        await press(pilot, "enter")  # the person's page
        await press(pilot, "r")
        assert isinstance(app.screen, ReferralsScreen)
        await press(pilot, "n")
        await type_text(pilot, "hill")
        await pilot.pause()
        await press(pilot, "enter")
        assert "HilltopWithdrawal" in squeezed(pilot)
        await pilot.press("u")
        await type_text(pilot, "2026-02-30")
        await press(pilot, "enter")
        assert "Notsaved" in squeezed(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, follow)
        await press(pilot, "enter")
        await press(pilot, "3")  # scheduled
        assert "scheduled" in squeezed(pilot)
        await press(pilot, "s")
        await type_text(pilot, str(packet))
        await press(pilot, "enter")
        assert "1recorded" in squeezed(pilot)
    assert "42 CFR part 2" in packet.read_text()
    with reopened(vault_dir) as vault:
        [ref] = referrals.for_participant(vault, pid)
        assert (ref.status, ref.follow_up_on) == ("scheduled", follow)
        assert referrals.disclosures(vault, pid)[0][1] == "Hilltop intake"


async def test_referral_follow_ups_show_among_action_items(vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        pid = participants.create(vault, person("Fola Lowup"))
        rid = resources.create(vault, {"name": "Open Door Counseling", "kind": "mental_health"})
        referrals.add(vault, pid, rid, follow_up_on=dt.date.today() - dt.timedelta(days=1))
    async with unlocked(app) as pilot:
        await press(pilot, "f3")
        text = squeezed(pilot)
        assert "referral:OpenDoor" in text and "1overdue" in text
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ParticipantScreen"
