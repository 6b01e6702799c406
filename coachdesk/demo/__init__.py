"""The demo vault: fictional people (assets/demo/), passphrase `demo`.

`ensure_demo_vault` is the entry the CLI calls; each module of this package seeds one
part of the fiction (plans, crisis, referrals, followups, notes, sync_peer)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from coachdesk import config, shipped
from coachdesk.demo import crisis, followups, notes, plans, program, referrals, sync_peer
from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.store import vault as vaults
from coachdesk.store.vault import Vault

DEMO_COACH = "Demo Coach"
BUILDING = ".demo-building-"


def ensure_demo_vault(base: Path) -> Path:
    """Create and fill the demo vault on first use; returns its directory.

    It is built in a folder beside it and renamed into place when full, so a failed
    build (or kill -9 during one) never leaves a half-made demo vault behind."""
    directory = config.demo_dir(base)
    if vaults.exists(directory):
        return directory
    _remove_abandoned_builds(base)
    work = Path(tempfile.mkdtemp(prefix=f"{BUILDING}{os.getpid()}-", dir=base))
    try:
        vault = Vault.create(work, config.DEMO_PASSPHRASE, DEMO_COACH, enforce_strength=False)
        try:
            seed(vault)
        except (KeyError, IndexError, TypeError, ValueError):
            raise shipped.AssetError("the demo data shipped with coachdesk is damaged: "
                                     "reinstall coachdesk") from None
        finally:
            vault.close()
        try:
            work.rename(directory)
        except OSError as exc:
            raise CoachdeskError(f"cannot put the demo vault in {directory}: {exc.strerror}") from None
        _sync_folder(base)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return directory


def _remove_abandoned_builds(base: Path) -> None:
    """Builds left by a process that is gone (killed): fictional data, safe to drop."""
    for leftover in base.glob(BUILDING + "*"):
        pid = leftover.name[len(BUILDING):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def seed(vault: Vault) -> None:
    people = shipped.json_data("demo", "participants.json")
    today = dt.date.today()
    for person in people:
        weeks = person.pop("intake_weeks_ago")
        person["intake_date"] = (today - dt.timedelta(weeks=weeks)).isoformat()
        person["adult_confirmed"] = True
        participants.create(vault, person)
    plans.seed_plans(vault)
    crisis.seed_crisis(vault)
    referrals.seed_referrals(vault)
    followups.seed_followups(vault)
    program.seed_program(vault)
    notes.seed_notes(vault)
    sync_peer.seed(vault)
