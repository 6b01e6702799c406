"""Caseloads in the TUI (issue 17): the roster's views by coach, the supervisor's Assign
screen, the handoff note shown first, a person's preferences on the form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.roster import RosterScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team, make_vault
from tests.tui.helpers import press, unlocked, visible_text


def sync(sender: Vault, receiver: Vault, path: Path) -> None:
    merge.import_bundle(receiver, service.export_bundle(sender, path, peer=receiver.device).path)


@contextmanager
def world(tmp_path: Path, vault_dir: Path, me: str) -> Iterator[dict[str, Vault]]:
    """Sue (supervisor), Ann and Bob (coaches) in one team; the vault named `me` is the
    app's (at vault_dir, the test passphrase). Every vault is closed when the block ends."""
    vaults: dict[str, Vault] = {}
    for name in ("sue", "ann", "bob"):
        vaults[name] = (Vault.create(vault_dir, PASSPHRASE, name.title()) if name == me
                        else make_vault(tmp_path, name))
    make_team(vaults["sue"], vaults["ann"], vaults["bob"])
    try:
        yield vaults
    finally:
        for vault in vaults.values():
            vault.close()


def caseloads_of_three(tmp_path: Path, v: dict[str, Vault]) -> dict[str, str]:
    """Ann adds two people, Bob one; Sue shares one of Ann's with Bob, then everyone
    holds everything. Their ids by alias."""
    ids = {alias: participants.create(v["ann"], person(alias)) for alias in ("Ann One", "Ann Two")}
    ids["Bob One"] = participants.create(v["bob"], person("Bob One"))
    for coach in ("ann", "bob"):
        sync(v[coach], v["sue"], tmp_path / f"{coach}.cdbundle")
    caseload.share(v["sue"], "Ann Two", "bob")
    for coach in ("ann", "bob"):
        sync(v["sue"], v[coach], tmp_path / f"sue-{coach}.cdbundle")
    return ids


def words(pilot: Pilot) -> str:
    """The screen's text, every run of spaces one space (bold splits the spans)."""
    return " ".join(visible_text(pilot).split())


def rows(app: CoachdeskApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, RosterScreen)
    return [row.alias for row in screen._rows]


async def test_a_supervisor_cycles_the_roster_by_coach_with_counts(tmp_path: Path,
                                                                   vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "sue") as v:
        caseloads_of_three(tmp_path, v)
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await pilot.pause()
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]
        assert "View: whole team (1/4, F6) · 3 active · you: 0 primary, 0 shared" \
            in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann One", "Ann Two"]
        text = words(pilot)
        assert "View: Ann (2/4, F6) · Ann: 2 primary, 0 shared" in text
        assert "P Ann One" in text and "P Ann Two" in text
        await press(pilot, "f6")
        assert rows(app) == ["Ann Two", "Bob One"]
        text = words(pilot)
        assert "Bob: 1 primary, 1 shared" in text
        assert "S Ann Two" in text and "P Bob One" in text
        await press(pilot, "f6")
        assert rows(app) == [] and "Sue: 0 primary, 0 shared" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]


async def test_a_coach_cycles_everyone_mine_and_shared_with_me(tmp_path: Path,
                                                              vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "bob") as v:
        caseloads_of_three(tmp_path, v)
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await pilot.pause()
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]
        text = words(pilot)
        assert "View: everyone (1/3, F6) · 3 active · you: 1 primary, 1 shared" in text
        assert "P Ann One" not in text and "S Ann One" not in text
        assert "S Ann Two" in text and "P Bob One" in text
        await press(pilot, "f6")
        assert rows(app) == ["Bob One"] and "View: mine (2/3" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann Two"] and "View: shared with me (3/3" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]
