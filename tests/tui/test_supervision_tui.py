"""Supervision in the TUI at 80x24: the supervisor logs a session on the form (a bad value
is one line and nothing is saved); the bundle goes to the coach, who sees the session and
the item and marks it done; the coach's ledger shows progress, takes hours (more than 24 in
a day refused) and the self-care check-in saves on the laptop and is shared on request."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from coachdesk.store import ledger, selfcare
from coachdesk.store import supervision as store
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.ledger import LedgerScreen
from coachdesk.tui.screens.ledger_add import LedgerAddScreen
from coachdesk.tui.screens.selfcare import SelfcareScreen
from coachdesk.tui.screens.supervision import SupervisionScreen
from coachdesk.tui.screens.supervision_log import LogSessionScreen
from tests.conftest import PASSPHRASE
from tests.sync.syncutil import make_team
from tests.tui.helpers import press, type_text, unlocked, visible_text


def fill(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(selector, Input).value = text


async def test_a_session_logged_in_the_tui_reaches_the_coach(tmp_path: Path) -> None:
    homes = {name: tmp_path / name for name in ("robin", "ann", "bob")}
    vaults = {name: Vault.create(home, PASSPHRASE, name.title()) for name, home in homes.items()}
    make_team(vaults["robin"], vaults["ann"], vaults["bob"])
    robin, ann = vaults["robin"], vaults["ann"]

    async with unlocked(CoachdeskApp(homes["robin"])) as pilot:
        await press(pilot, "f11")
        assert isinstance(pilot.app.screen, SupervisionScreen)
        await press(pilot, "n")
        assert isinstance(pilot.app.screen, LogSessionScreen)
        fill(pilot, "#coaches", "Ann")
        fill(pilot, "#minutes", "45")
        fill(pilot, "#topics", "ethics, astrology")
        await press(pilot, "ctrl+s")
        assert "Not saved: unknown topic 'astrology'" in visible_text(pilot)
        assert store.sessions(robin) == []
        fill(pilot, "#topics", "ethics, selfcare")
        fill(pilot, "#note", "Talked about after-hours texts")
        fill(pilot, "#items", "Set an auto-reply; read the boundaries page")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, SupervisionScreen)
        assert "Ann" in visible_text(pilot) and "ethics, selfcare" in visible_text(pilot)
    assert len(store.items(robin, ann.device)) == 2

    merge.import_bundle(ann, service.export_bundle(robin, tmp_path / "r.cdbundle",
                                                   peer=ann.device).path)
    async with unlocked(CoachdeskApp(homes["ann"])) as pilot:
        await press(pilot, "f11")
        shown = visible_text(pilot)
        assert "your sessions: 1" in shown and "Set an auto-reply" in shown
        await press(pilot, "enter")
        assert "Talked about after-hours texts" in visible_text(pilot)
        await press(pilot, "f2")  # discreet mode hides the private note
        await press(pilot, "enter")
        assert "after-hours" not in visible_text(pilot)
        await press(pilot, "f2")
        await press(pilot, "n")
        assert isinstance(pilot.app.screen, SupervisionScreen)  # a coach logs nothing
        await press(pilot, "tab", "d")
        assert sum(1 for i in store.items(ann, ann.device) if i.item.done_at) == 1

        await press(pilot, "l")
        assert isinstance(pilot.app.screen, LedgerScreen)
        assert "supervision" in visible_text(pilot) and "0.8 of 25" in visible_text(pilot)
        await press(pilot, "a")
        assert isinstance(pilot.app.screen, LedgerAddScreen)
        fill(pilot, "#date", "2026-01-05")
        fill(pilot, "#title", "Ethics day")
        fill(pilot, "#hours", "25")
        fill(pilot, "#domain", "ethics")
        await press(pilot, "ctrl+s")
        assert "Not saved: hours" in visible_text(pilot)
        assert ledger.entries(ann, ann.device) == []
        fill(pilot, "#hours", "6")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, LedgerScreen)
        assert "Ethics day" in visible_text(pilot)
        await press(pilot, "escape", "w")
        assert isinstance(pilot.app.screen, SelfcareScreen)
        await type_text(pilot, "4")
        await press(pilot, "ctrl+s")
        assert "Not saved: question 2" in visible_text(pilot)
        for number, answer in enumerate("43524"):
            pilot.app.screen.query(Input)[number].value = answer
        fill(pilot, "#selfcare-note", "a long week")
        await press(pilot, "ctrl+s")
        assert len(selfcare.checkins(ann)) == 1
        await press(pilot, "ctrl+g")
    (session,) = store.sessions(ann, ann.device)
    (summary,) = selfcare.shared_for(ann, session.id)
    assert "rest 4/5" in summary and "a long week" not in summary
    for vault in vaults.values():
        vault.close()
