"""Ctrl+Y on the Sync screen syncs the folder a sync engine carries and remembers it."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team, make_vault
from tests.tui.helpers import SIZE, squeezed
from tests.tui.test_sync_screen import open_sync, wait_for_work


async def test_ctrl_y_writes_into_the_sync_folder_and_remembers_it(vault_dir: Path,
                                                                   tmp_path: Path) -> None:
    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    hub = make_vault(tmp_path, "hub")
    make_team(hub, mine)
    participants.create(mine, person("Lee Synced"))
    mine.close()
    hub.close()
    shared = tmp_path / "shared"
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        app.screen.query_one("#folder-path").value = str(shared)
        await pilot.press("ctrl+y")
        await wait_for_work(pilot)
        assert "doesnotexist" in squeezed(pilot)  # one line, nothing written
        shared.mkdir()
        await pilot.press("ctrl+y")
        await wait_for_work(pilot)
        assert "1written,0imported" in squeezed(pilot)
        assert [p.name[:3] for p in shared.iterdir()] == ["cd-"]
        assert app.vault is not None and app.vault.settings().sync_folder == str(shared)
