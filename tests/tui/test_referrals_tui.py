"""Referrals by keys: pick a service by typing, follow-up, status, packet under a consent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.store import consents, participants, referrals, resources
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.referrals import ReferralsScreen
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, squeezed, type_text
from tests.tui.test_shell import unlock


async def test_referral_by_keys_then_packet_and_accounting(vault_dir: Path, tmp_path: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Refa Keys"))
    resources.create(vault, {"name": "Hilltop Withdrawal Center", "kind": "detox"})
    resources.create(vault, {"name": "Harbor Harm Reduction", "kind": "harm_reduction"})
    today = dt.date.today()
    consents.add(vault, pid, {"recipient": "Hilltop intake", "purpose": "admission",
                              "information": "referral", "signed_on": today.isoformat(),
                              "expires_on": (today + dt.timedelta(days=30)).isoformat()})
    vault.close()
    packet = tmp_path / "packet.md"
    follow = (today + dt.timedelta(days=3)).isoformat()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("enter")  # the person's page
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReferralsScreen)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "hill")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "HilltopWithdrawal" in squeezed(pilot)
        await pilot.press("u")
        await type_text(pilot, "2026-02-30")
        await pilot.press("enter")
        await pilot.pause()
        assert "Notsaved" in squeezed(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, follow)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3")  # scheduled
        await pilot.pause()
        assert "scheduled" in squeezed(pilot)
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, str(packet))
        await pilot.press("enter")
        await pilot.pause()
        assert "1recorded" in squeezed(pilot)
    assert "42 CFR part 2" in packet.read_text()
    vault = Vault.open(vault_dir, PASSPHRASE)
    [ref] = referrals.for_participant(vault, pid)
    assert (ref.status, ref.follow_up_on) == ("scheduled", follow)
    assert referrals.disclosures(vault, pid)[0][1] == "Hilltop intake"
    vault.close()


async def test_referral_follow_ups_show_among_action_items(vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Fola Lowup"))
    rid = resources.create(vault, {"name": "Open Door Counseling", "kind": "mental_health"})
    referrals.add(vault, pid, rid, follow_up_on=dt.date.today() - dt.timedelta(days=1))
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f3")
        await pilot.pause()
        text = squeezed(pilot)
        assert "referral:OpenDoor" in text and "1overdue" in text
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ParticipantScreen"
