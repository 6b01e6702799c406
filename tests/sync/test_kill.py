"""kill -9 during `coachdesk import`: the vault is whole, and holds all of it or none."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service
from tests.conftest import CLI, PASSPHRASE, cli_env, person
from tests.sync.syncutil import content, make_team


def test_sigkill_at_random_moments_leaves_before_or_after(tmp_path: Path) -> None:
    sender = Vault.create(tmp_path / "sender", PASSPHRASE, "Sender")
    pristine = tmp_path / "pristine"
    receiver = Vault.create(pristine, PASSPHRASE, "Receiver")
    make_team(sender, receiver)
    with sender.transaction():
        for i in range(800):
            participants.create(sender, person(f"Kill Test {i:03d}", phone=f"555 {i:04d}"))
    path = service.export_bundle(sender, tmp_path / "big.cdbundle", full=True).path
    sender.close()
    participants.create(receiver, person("Already There"))
    before = content(receiver)
    receiver.close()
    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    done = Vault.open(reference, PASSPHRASE)
    merge.import_bundle(done, path)
    after = content(done)
    done.close()

    env = cli_env(pristine, COACHDESK_PASSPHRASE=PASSPHRASE)
    timing = tmp_path / "timing"
    shutil.copytree(pristine, timing)
    started = time.monotonic()
    subprocess.run([*CLI, "import", str(path)], env={**env, "COACHDESK_HOME": str(timing)},
                   capture_output=True, timeout=60, check=True)
    full_run = time.monotonic() - started
    rng = random.Random(9)
    seen = set()
    for attempt in range(4):
        home = tmp_path / f"victim{attempt}"
        shutil.copytree(pristine, home)
        proc = subprocess.Popen([*CLI, "import", str(path)], env={**env, "COACHDESK_HOME": str(home)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.3) * full_run)
        proc.send_signal(signal.SIGKILL)
        finished = proc.wait(timeout=30) == 0
        check = subprocess.run([*CLI, "check"], env={**env, "COACHDESK_HOME": str(home)},
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr
        vault = Vault.open(home, PASSPHRASE)
        state = content(vault)
        vault.close()
        assert state in (before, after), "a killed import left the vault half-updated"
        assert state == after or not finished
        seen.add("after" if state == after else "before")
    print(f"killed imports left the vault: {sorted(seen)} (full run {full_run:.2f} s)")
