"""A person with a draft leaves the coach's caseload during an import on the Sync screen:
the coach is asked first; n imports nothing, y removes the person and keeps the draft
for the supervisor."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.leaving import LeavingQuestion
from coachdesk.tui.screens.sync import SyncScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team, make_vault
from tests.tui.helpers import SIZE, squeezed, wait_for
from tests.tui.test_sync_screen import open_sync, wait_for_work


def transferred_away(vault_dir: Path, tmp_path: Path) -> Path:
    """Sam adds Kit and starts a note; the supervisor moves Kit to Bob. Returns the
    supervisor's bundle for Sam."""
    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    sue, bob = make_vault(tmp_path, "sue"), make_vault(tmp_path, "bob")
    make_team(sue, mine, bob)
    kit = participants.create(mine, person("Kit Leaving"))
    draft = notes.start(mine, kit, "")
    notes.save_draft(mine, draft, "words still being written")
    merge.import_bundle(sue, service.export_bundle(mine, tmp_path / "up.cdbundle",
                                                   peer=sue.device).path)
    caseload.transfer(sue, kit, bob.device, "Bob works days")
    path = service.export_bundle(sue, tmp_path / "down.cdbundle", peer=mine.device).path
    for vault in (mine, sue, bob):
        vault.close()
    return path


async def ask(pilot, bundle: Path) -> None:
    app = pilot.app
    app.screen.query_one("#import-path").value = str(bundle)
    app.screen.action_import()
    await wait_for(pilot, lambda: isinstance(app.screen, LeavingQuestion), within=20)
    assert isinstance(app.screen, LeavingQuestion)


async def test_leaving_asks_first_and_keeps_the_draft(vault_dir: Path, tmp_path: Path) -> None:
    bundle = transferred_away(vault_dir, tmp_path)
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        await ask(pilot, bundle)
        assert "KitLeaving:1draft(s)" in squeezed(pilot)
        await pilot.press("n")
        await wait_for_work(pilot)
        assert isinstance(app.screen, SyncScreen)
        assert participants.count(app.vault) == 1
        assert "nothingchanged" in squeezed(pilot)
        await ask(pilot, bundle)
        await pilot.press("y")
        await wait_for_work(pilot)
        assert participants.count(app.vault) == 0
        assert "leftthisvault'scaseload" in squeezed(pilot)
        outbox = app.vault.conn.execute("SELECT value FROM ops_outbox WHERE field = 'body'").fetchall()
        assert [r[0] for r in outbox] == ['"words still being written"']
