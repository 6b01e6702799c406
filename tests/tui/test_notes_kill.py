"""Killed while typing a note (SIGKILL, the real app in a pseudo-terminal): after more
than 2 s without typing, the draft is in the vault; the next unlock offers it back. Killed
while typing steadily, at most the last 2 s of typing are missing."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from coachdesk.store import notes
from tests.tui.test_crisis_kill import Terminal
from tests.vaults import reopened, seeded

CTRL_O = "\x0f"


def test_sigkill_while_typing_keeps_the_draft(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    [pid] = seeded(data_dir, "Kit Killtest")

    app = Terminal(data_dir, tmp_path / "home")
    try:
        app.unlock(then="active:1person")
        app.send(CTRL_O)
        app.wait_for("Finalize")
        app.send("We walked to the food bank and", pause=0.05)
        time.sleep(2.5)  # typing stopped: the autosave promise is 2 s
        app.send(" then", pause=0.05)  # typed just before the kill: may be lost
    finally:
        status = app.kill()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    with reopened(data_dir) as vault:
        [draft] = notes.drafts(vault)
    assert draft.participant_id == pid
    assert draft.text.startswith("We walked to the food bank and")

    again = Terminal(data_dir, tmp_path / "home")
    try:
        again.unlock(then="1unfinishednote")
    finally:
        again.quit()


CHARS_PER_SECOND = 6
TYPING_SECONDS = 10.0
PROMISE_SECONDS = 2.0
SLACK_CHARS = 6  # the app's own latency on a busy machine (one second of typing)
SENTENCE = "we walked to the food bank and talked about the job fair on friday "


def test_sigkill_during_steady_typing_loses_at_most_two_seconds(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    seeded(data_dir, "Kit Killtest")
    kill_at = random.uniform(2.5, TYPING_SECONDS)  # a random moment of the typing

    app = Terminal(data_dir, tmp_path / "home")
    typed = ""
    try:
        app.unlock(then="active:1person")
        app.send(CTRL_O)
        app.wait_for("Finalize")
        start = time.monotonic()
        while True:  # never a pause: a debounce would save nothing
            char = SENTENCE[len(typed) % len(SENTENCE)]
            app.send(char, pause=0)
            typed += char
            next_at = start + len(typed) / CHARS_PER_SECOND
            if next_at - start > kill_at:
                time.sleep(max(0.0, start + kill_at - time.monotonic()))
                break
            time.sleep(max(0.0, next_at - time.monotonic()))
    finally:
        status = app.kill()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    with reopened(data_dir) as vault:
        [draft] = notes.drafts(vault)
    saved = draft.text
    missing = len(typed) - len(saved)
    where = f"killed after {kill_at:.1f} s of typing: {len(typed)} typed, {len(saved)} saved"
    assert typed.startswith(saved), where
    assert missing <= PROMISE_SECONDS * CHARS_PER_SECOND + SLACK_CHARS, where
