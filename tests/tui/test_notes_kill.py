"""Killed while typing a note (SIGKILL, the real app in a pseudo-terminal): after more
than 2 s without typing, the draft is in the vault; the next unlock offers it back."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person
from tests.tui.test_crisis_kill import Terminal

CTRL_O = "\x0f"


def test_sigkill_while_typing_keeps_the_draft(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    vault = Vault.create(data_dir, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Kit Killtest"))
    vault.close()

    app = Terminal(data_dir, tmp_path / "home")
    try:
        app.wait_for("islocked")
        app.send(PASSPHRASE + "\r")
        app.wait_for("active:1person")
        app.send(CTRL_O)
        app.wait_for("Finalize")
        app.send("We walked to the food bank and", pause=0.05)
        time.sleep(2.5)  # typing stopped: the autosave promise is 2 s
        app.send(" then", pause=0.05)  # typed just before the kill: may be lost
    finally:
        status = app.kill()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    vault = Vault.open(data_dir, PASSPHRASE)
    [draft] = notes.drafts(vault)
    vault.close()
    assert draft.participant_id == pid
    assert draft.text.startswith("We walked to the food bank and")

    again = Terminal(data_dir, tmp_path / "home")
    try:
        again.wait_for("islocked")
        again.send(PASSPHRASE + "\r")
        again.wait_for("1unfinishednote")
    finally:
        again.quit()
