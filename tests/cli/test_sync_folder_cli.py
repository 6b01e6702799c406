"""`coachdesk sync FOLDER` and `--watch` in a subprocess: the hub imports a coach's bundle
as it arrives and answers; SIGTERM and Ctrl+C finish and exit 0; the log names no one."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from tests.cli.test_caseload_cli import ENV
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import CLI, PASSPHRASE, cli_env, person
from tests.sync.syncutil import make_team


def read_until(proc: subprocess.Popen[str], text: str, seen: list[str], within: float = 30) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        line = proc.stdout.readline() if proc.stdout else ""
        if line:
            seen.append(line)
            if text in line:
                return
        elif proc.poll() is not None:
            break
    raise AssertionError(f"{text!r} never came: {seen}")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_hub_watches_answers_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    homes = {name: tmp_path / name for name in ("hub", "ann")}
    hub, ann = (Vault.create(home, PASSPHRASE, name.title()) for name, home in homes.items())
    make_team(hub, ann)
    kit = participants.create(ann, person("Kit Watched"))
    hub.close()
    ann.close()
    shared = tmp_path / "shared"
    shared.mkdir()
    first = run(homes["ann"], "sync", str(shared), **ENV)
    assert first.returncode == 0, first.stderr
    assert "wrote cd-" in first.stdout
    proc = subprocess.Popen([*CLI, "sync", str(shared), "--watch", "--interval", "0.2"],
                            env=cli_env(homes["hub"], **ENV), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    try:
        read_until(proc, "imported cd-", seen)
        read_until(proc, "wrote cd-", seen)  # the hub answers Ann
        ann = Vault.open(homes["ann"], PASSPHRASE)
        notes.finalize(ann, notes.start(ann, kit, "x"), "Kit found a job")
        ann.close()
        again = run(homes["ann"], "sync", str(shared), **ENV)
        assert again.returncode == 0, again.stderr
        read_until(proc, "imported cd-", seen)
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    seen.append(out)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    assert "Kit" not in "".join(seen)
    hub = Vault.open(homes["hub"], PASSPHRASE)
    try:
        assert hub.conn.execute("SELECT count(*) FROM note WHERE status = 'final'").fetchone()[0] == 1
        assert hub.check() == []
    finally:
        hub.close()


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Vault.create(home, PASSPHRASE, "Sam").close()
    assert_user_error(run(home, "sync", str(tmp_path / "nope"), **ENV), "does not exist")
