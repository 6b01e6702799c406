"""The audit log screen: shows entries, filters, exports (and the export is audited)."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import audit
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.audit_log import AuditLogScreen
from tests.conftest import PASSPHRASE
from tests.tui.helpers import SIZE, squeezed, type_text
from tests.tui.test_shell import seeded, unlock


async def test_audit_screen_filters_and_exports(vault_dir: Path, tmp_path: Path) -> None:
    seeded(vault_dir, "Audrey Audit")
    out = tmp_path / "audit.csv"
    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, AuditLogScreen)
        text = squeezed(pilot)
        assert "unlock" in text and "participantcreated" in text and "Audrey" not in text
        await type_text(pilot, "created")
        await pilot.pause()
        assert "unlock" not in squeezed(pilot).replace("Audit", "")
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await pilot.press("enter")
        await pilot.pause()
        assert "Wrote" in squeezed(pilot)
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await pilot.press("enter")
        await pilot.pause()
        assert "alreadyexists" in squeezed(pilot)
    assert out.read_text().startswith("seq,at,device")
    vault = Vault.open(vault_dir, PASSPHRASE)
    assert "audit log exported" in [row[2] for row in audit.recent(vault.conn)]
    vault.close()
