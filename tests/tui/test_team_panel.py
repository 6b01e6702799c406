"""The team panel on the Sync screen: members, short fingerprints, status, in 80x24."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store.vault import Vault
from coachdesk.sync import team_flow
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.widgets.team_panel import TeamPanel, short_fingerprint
from tests.conftest import PASSPHRASE
from tests.sync.syncutil import make_vault
from tests.tui.helpers import SIZE, squeezed
from tests.tui.test_sync_screen import open_sync


async def test_the_panel_shows_members_fingerprints_and_removal(vault_dir: Path, tmp_path: Path) -> None:
    mine = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    ana, ben = make_vault(tmp_path, "ana"), make_vault(tmp_path, "ben")
    team_flow.create_team(mine, "Harbor team")
    for coach in (ana, ben):
        team_flow.accept_request(mine, team_flow.write_request(coach, tmp_path / f"{coach.coach}.cdjoin"))
    team_flow.remove(mine, "ben")
    prints = {v.coach: short_fingerprint(v.identity().fingerprint) for v in (mine, ana, ben)}
    for v in (mine, ana, ben):
        v.close()

    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        seen = squeezed(pilot)
        assert "TeamHarborteam·version4" in seen
        for name, prints_short in prints.items():
            assert name.replace(" ", "") in seen and prints_short.replace(" ", "") in seen
        assert "removedv4" in seen and "(you)" in seen and "noneyet" in seen
        panel = app.screen.query_one(TeamPanel)
        assert panel.region.bottom <= SIZE[1] - 1  # above the footer, in 80x24


async def test_without_a_team_the_panel_says_how_to_make_one(vault_dir: Path) -> None:
    Vault.create(vault_dir, PASSPHRASE, "Sam Coach").close()
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_sync(pilot)
        seen = squeezed(pilot)
        assert "Noteamyet" in seen and "coachdeskteamcreateNAME" in seen
