"""The audit log screen: shows entries, filters, exports (and the export is audited)."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import audit
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.audit_log import AuditLogScreen
from tests.tui.helpers import press, squeezed, type_text, unlocked
from tests.vaults import reopened, seeded


async def test_audit_screen_filters_and_exports(vault_dir: Path, app: CoachdeskApp, tmp_path: Path) -> None:
    seeded(vault_dir, "Audrey Audit")
    out = tmp_path / "audit.csv"
    async with unlocked(app) as pilot:
        await press(pilot, "f8")
        assert isinstance(app.screen, AuditLogScreen)
        text = squeezed(pilot)
        assert "unlock" in text and "participantcreated" in text
        assert "person:AudreyAudit" in text  # the person, not the end of an id
        await press(pilot, "f2")  # discreet: initials
        assert "person:AA" in squeezed(pilot) and "Audrey" not in squeezed(pilot)
        await press(pilot, "f2")
        await type_text(pilot, "created")
        await pilot.pause()
        assert "unlock" not in squeezed(pilot).replace("Audit", "")
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await press(pilot, "enter")
        assert "Wrote" in squeezed(pilot)
        await pilot.press("ctrl+s")
        await type_text(pilot, str(out))
        await press(pilot, "enter")
        assert "alreadyexists" in squeezed(pilot)
    assert out.read_text().startswith("seq,at,device")
    with reopened(vault_dir) as vault:
        assert "audit log exported" in [row[2] for row in audit.recent(vault.conn)]
