"""Killed mid-checklist (SIGKILL, the real app in a pseudo-terminal): the next unlock
reopens the checklist at the same step, with every answer given before the kill."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

from coachdesk.store import crisis
from tests.conftest import PASSPHRASE, cli_env
from tests.vaults import reopened, seeded

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]")
CTRL_R = "\x12"
CTRL_Q = "\x11"


class Terminal:
    """`python -m coachdesk` in an 80x24 pty; output is drained by a thread."""

    def __init__(self, data_dir: Path, home: Path) -> None:
        env = cli_env(home, TERM="xterm-256color", COLUMNS="80", LINES="24")
        env.pop("TEXTUAL", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size the terminal, then become the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(ROOT)
            os.execvpe(sys.executable, [sys.executable, "-m", "coachdesk", "--data-dir",
                                        str(data_dir)], env)
        self.output = bytearray()
        self.mark = 0
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def screen_text(self) -> str:
        text = ANSI.sub("", bytes(self.output[self.mark:]).decode("utf-8", "replace"))
        return re.sub(r"\s+", "", text)

    def wait_for(self, words: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if words in self.screen_text():
                self.mark = len(self.output)
                return
            time.sleep(0.05)
        raise AssertionError(f"{words!r} never appeared; last output: {self.screen_text()[-600:]}")

    def unlock(self, then: str) -> None:
        """Wait for the unlock screen, type the passphrase, wait for `then`."""
        self.wait_for("islocked")
        self.send(PASSPHRASE + "\r")
        self.wait_for(then)

    def send(self, *keys: str, pause: float = 0.3) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            time.sleep(pause)

    def kill(self) -> int:
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return status

    def quit(self) -> None:
        self.send(CTRL_Q)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def test_sigkill_mid_checklist_then_reopen_resumes_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "vault"
    seeded(data_dir)

    app = Terminal(data_dir, tmp_path / "home")
    try:
        app.unlock(then="active:0people")
        app.send(CTRL_R)
        app.wait_for("Opioidoverdoseresponse")
        app.send("1")
        app.wait_for("Isthisanoverdose?")
        app.send("y")
        app.wait_for("Call911now")
        app.send("\r", "y")
        app.wait_for("3answerssaved")
    finally:
        status = app.kill()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    with reopened(data_dir) as vault:
        [event] = crisis.unfinished(vault)
        kept = [(s.step_id, s.answer) for s in crisis.get(vault, event.id).steps]
    assert kept == [("signs", "yes"), ("call-911", "done"), ("have-naloxone", "yes")]

    again = Terminal(data_dir, tmp_path / "home")
    try:
        again.unlock(then="Givenaloxone")  # reopened by itself at the next step
        again.send("\r")
        again.wait_for("4answerssaved")
    finally:
        again.quit()
    with reopened(data_dir) as vault:
        steps = crisis.get(vault, event.id).steps
    assert [s.step_id for s in steps] == ["signs", "call-911", "have-naloxone", "give-dose"]
