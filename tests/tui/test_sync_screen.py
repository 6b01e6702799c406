"""The Sync screen by keys only: import with a summary, conflicts side by side, export."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, conflicts, merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.conflict import ConflictScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.sync import SyncScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team, make_vault
from tests.tui.helpers import SIZE, counted, squeezed, type_text, wait_for


def two_vaults_in_conflict(vault_dir: Path, tmp_path: Path) -> tuple[str, Path]:
    """The app's vault (the supervisor's) and a coach's, who Riley is shared with, both
    changed Riley's phone number; returns (id, the coach's bundle)."""
    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(mine, person("Riley Shared"))
    theirs = make_vault(tmp_path, "peer")
    make_team(mine, theirs)
    caseload.share(mine, "Riley Shared", theirs.device)
    merge.import_bundle(theirs, service.export_bundle(mine, tmp_path / "0.cdbundle").path)
    participants.update(mine, pid, {"phone": "555 0101"})
    participants.update(theirs, pid, {"phone": "555 0202"})
    participants.create(theirs, person("Morgan New"))
    usb = tmp_path / "usb"
    usb.mkdir()
    path = service.export_bundle(theirs, usb / "peer.cdbundle").path
    mine.close()
    theirs.close()
    return pid, path


async def open_sync(pilot) -> None:
    await type_text(pilot, PASSPHRASE)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SyncScreen)


async def wait_for_work(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_import_summary_conflict_choice_and_export(vault_dir: Path, tmp_path: Path) -> None:
    pid, bundle = two_vaults_in_conflict(vault_dir, tmp_path)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        assert "nobundlefromtheteamyet" in squeezed(pilot)
        await pilot.press("tab")
        app.screen.query_one("#import-path").value = str(bundle.parent)  # a folder of bundles
        await pilot.press("enter")
        await wait_for_work(pilot)
        text = squeezed(pilot)
        assert "2newrecords" in text and "1conflict" in text, text  # Morgan + caseload
        assert "RileyShared" in text and "phone" in text

        app.screen.query_one("#conflicts").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        shown = squeezed(pilot)
        assert "5550101" in shown and "5550202" in shown  # side by side
        await pilot.press("f2")  # discreet: the values hidden, Ctrl+E shows the one focused
        await pilot.pause()
        shown = squeezed(pilot)
        assert "5550101" not in shown and "5550202" not in shown
        await pilot.press("ctrl+e")
        await pilot.pause()
        shown = squeezed(pilot)
        assert "5550101" in shown or "5550202" in shown
        assert not ("5550101" in shown and "5550202" in shown)
        await pilot.press("right")  # another version: hidden again
        await pilot.pause()
        shown = squeezed(pilot)
        assert "5550101" not in shown and "5550202" not in shown
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # keep the second version
        await pilot.pause()
        assert isinstance(app.screen, SyncScreen)
        assert conflicts.count(app.vault) == 0
        kept = participants.get(app.vault, pid, audited=False).phone
        assert kept in ("555 0101", "555 0202")
        assert "Noopenconflicts" in squeezed(pilot)

        export_dir = tmp_path / "out"
        export_dir.mkdir()
        field = app.screen.query_one("#export-path")
        field.value = str(export_dir)
        await pilot.press("f5")
        await wait_for_work(pilot)
        assert len(list(export_dir.glob("*.cdbundle"))) == 1
        assert "wrote" in squeezed(pilot)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)


async def test_a_bundle_for_someone_else_is_refused_inline_and_lock_drops_the_screen(
        vault_dir: Path, tmp_path: Path) -> None:
    two_vaults_in_conflict(vault_dir, tmp_path)
    outsider, friend = make_vault(tmp_path, "outsider"), make_vault(tmp_path, "friend")
    make_team(outsider, friend, name="Another team")
    participants.create(outsider, person("Not For You"))
    foreign = service.export_bundle(outsider, tmp_path / "foreign.cdbundle").path
    outsider.close()
    friend.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        await pilot.press("tab")
        app.screen.query_one("#import-path").value = str(foreign)
        await pilot.press("enter")
        await wait_for_work(pilot)
        assert "notaddressedtothisvault" in squeezed(pilot)
        assert participants.count(app.vault) == 1 and conflicts.count(app.vault) == 0
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        await pilot.press("f4")  # needs an unlocked vault: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)


async def test_roster_shows_unacknowledged_changes(vault_dir: Path) -> None:
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    participants.create(vault, person("Counted Change"))
    pending = service.unacknowledged(vault)
    vault.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await pilot.pause()
        await counted(pilot)
        assert f"{pending}unsynced" in squeezed(pilot)


async def test_panic_lock_during_an_import_leaves_all_or_nothing(vault_dir: Path,
                                                                 tmp_path: Path) -> None:
    import asyncio

    from tests.sync.syncutil import content

    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    peer = make_vault(tmp_path, "peer")
    make_team(mine, peer)
    before = content(mine)
    mine.close()
    with peer.transaction():
        for i in range(1500):
            participants.create(peer, person(f"Bulk Person {i:04d}"))
    bundle = service.export_bundle(peer, tmp_path / "big.cdbundle").path
    peer.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        app.screen.query_one("#import-path").value = str(bundle)
        app.screen.action_import()
        await asyncio.sleep(0.35)  # somewhere inside the import (about 0.8 s in all)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        assert vault.check() == []
        state = content(vault)
        assert state == before or len(state["records"]["participant"]) == 1500
    finally:
        vault.close()


async def test_a_first_team_file_is_trusted_only_after_the_fingerprint_is_confirmed(
        vault_dir: Path, tmp_path: Path) -> None:
    from coachdesk.sync import team
    from coachdesk.tui.screens.trust_team import TrustTeamQuestion

    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    sue = make_vault(tmp_path, "sue")
    with sue.transaction() as conn:
        team.create(conn, sue.keys, sue.identity(), "Harbor team")
        team.add_member(conn, sue.keys, sue.identity(), mine.identity())
    mine.close()
    participants.create(sue, person("From The Supervisor"))
    caseload.share(sue, "From The Supervisor", mine.device)  # so it may go to this coach
    bundle = service.export_bundle(sue, tmp_path / "first.cdbundle").path
    fingerprint = sue.identity().fingerprint
    sue.close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        for answer, joined in (("n", False), ("y", True)):
            app.screen.query_one("#import-path").value = str(bundle)
            app.screen.action_import()
            await wait_for(pilot, lambda: isinstance(app.screen, TrustTeamQuestion), within=20)
            assert isinstance(app.screen, TrustTeamQuestion)
            assert fingerprint.replace(" ", "") in squeezed(pilot)
            await pilot.press(answer)
            await wait_for_work(pilot)
            assert isinstance(app.screen, SyncScreen)
            assert (team.current(app.vault.conn) is not None) is joined
            assert (participants.count(app.vault) == 1) is joined
        assert "2newrecords" in squeezed(pilot)  # the person and its caseload record
