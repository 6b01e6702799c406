"""No plaintext of a participant's data may touch the disk: a canary string is written
through the real app, and every byte under the data dir (and the test's temp dir) is read."""

from __future__ import annotations

import secrets
from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.tui.app import CoachdeskApp
from tests.conftest import PASSPHRASE, person
from tests.tui.helpers import SIZE, type_text


def files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


async def test_canary_never_reaches_the_disk(tmp_path: Path) -> None:
    canary = "Canary" + secrets.token_hex(8)
    vault_dir = tmp_path / "vault"
    vault = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person(canary, phone="555 0000"))
    participants.update(vault, pid, {"pronouns": "she/her"})
    vault.close()

    app = CoachdeskApp(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "wrong passphrase here")  # a failed unlock is logged too
        await pilot.press("enter")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, canary[:10])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await type_text(pilot, canary + "Two")
        await pilot.press("tab", "tab", "tab", "space", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()

    for needle in (canary.encode(), canary.encode("utf-16-le"), b"555 0000"):
        assert files_containing(tmp_path, needle) == []
    assert any(vault_dir.iterdir())
