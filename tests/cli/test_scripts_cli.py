"""The CLI as scripts expect it: exit codes, the environment in --help, choices, shell
completion, a passphrase command, strong passphrases, a progress bar only on a terminal."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coachdesk.cli_progress import bar
from tests.cli.test_cli import CLI, assert_user_error, run, tree_digest
from tests.conftest import PASSPHRASE, cli_env

PRINTS = f"{sys.executable} -c"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert run(home, "init", "--coach", "Sam", COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0
    return home


def test_help_lists_the_environment_and_exit_codes(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    for name in ("COACHDESK_HOME", "COACHDESK_PASSPHRASE", "COACHDESK_PASSPHRASE_COMMAND",
                 "COACHDESK_NEW_PASSPHRASE", "NO_COLOR", "130"):
        assert name in result.stdout


def test_fixed_values_are_choices(home: Path, tmp_path: Path) -> None:
    result = run(home, "plan", "export", "x", "--format", "pdf", "--out", str(tmp_path / "p"),
                 COACHDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 2 and "invalid choice: 'pdf'" in result.stderr
    assert "Traceback" not in result.stderr


def test_completion_scripts_name_the_commands(tmp_path: Path) -> None:
    for shell in ("bash", "zsh"):
        result = run(tmp_path, "completion", shell)
        assert result.returncode == 0, result.stderr
        for command in ("export", "import", "caseload", "supervision"):
            assert command in result.stdout
    assert run(tmp_path, "completion", "fish").returncode == 2
    if shutil.which("bash"):
        script = tmp_path / "c.bash"
        script.write_text(run(tmp_path, "completion", "bash").stdout)
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0


def test_passphrase_command_gives_the_first_line(home: Path) -> None:
    printer = f"{PRINTS} \"print('{PASSPHRASE}'); print('login: sam')\""
    result = run(home, "check", COACHDESK_PASSPHRASE_COMMAND=printer)
    assert result.returncode == 0, result.stderr
    wrong = f"{PRINTS} \"print('not it at all')\""
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE_COMMAND=wrong), "passphrase")


def test_passphrase_command_that_fails_is_one_line(home: Path) -> None:
    failing = f"{PRINTS} \"import sys; sys.exit(3)\""
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE_COMMAND=failing), "failed (exit 3)")
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE_COMMAND="/no/such/program"),
                      "cannot run /no/such/program")
    silent = f"{PRINTS} \"pass\""
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE_COMMAND=silent), "printed no passphrase")
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE_COMMAND="'unclosed"),
                      "cannot be read as a command")
    # the variable wins over the command
    assert run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE,
               COACHDESK_PASSPHRASE_COMMAND=failing).returncode == 0


def test_guessable_passphrases_are_refused(home: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    assert_user_error(run(new, "init", "--coach", "S", COACHDESK_PASSPHRASE="a" * 20),
                      "too easy to guess")
    assert_user_error(run(new, "init", "--coach", "S", COACHDESK_PASSPHRASE="password123"),
                      "too easy to guess")
    assert not new.exists() or not any(new.iterdir())
    before = tree_digest(home)
    assert_user_error(run(home, "passwd", COACHDESK_PASSPHRASE=PASSPHRASE,
                          COACHDESK_NEW_PASSPHRASE="qwertyuiop"), "too easy to guess")
    assert tree_digest(home) == before
    assert run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0


def test_ctrl_c_exits_130(home: Path) -> None:
    """Interrupted while it waits (here for a passphrase command): exit 130, one line."""
    proc = subprocess.Popen([*CLI, "check"], env=cli_env(
        home, COACHDESK_PASSPHRASE_COMMAND=f"{PRINTS} \"import time; time.sleep(30)\""),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not children.read_text().strip():
            time.sleep(0.05)
        assert children.read_text().strip(), "the passphrase command never started"
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert err.strip() == "error: interrupted"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_draws_on_a_terminal_and_wipes_itself() -> None:
    screen = Terminal()
    with bar("importing", screen, delay=0) as step:
        step(0.5, "checking every change")
    text = screen.getvalue()
    assert "importing [##########..........]  50% checking every change" in text
    assert text.endswith("\r")


def test_bar_is_silent_when_not_a_terminal() -> None:
    piped = io.StringIO()
    with bar("importing", piped, delay=0) as step:
        step(0.5, "checking every change")
    assert piped.getvalue() == ""
