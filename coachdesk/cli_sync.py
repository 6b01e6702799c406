"""`coachdesk sync FOLDER...`: sync through a folder a sync engine carries (sync/folder.py).

    coachdesk sync FOLDER [FOLDER ...]             one pass: write, import, clean up
    coachdesk sync FOLDER [FOLDER ...] --watch     the headless hub: until Ctrl+C or SIGTERM

One log line per bundle (time, file, sender, counts), never a participant's data. The
passphrase comes the usual ways (COACHDESK_PASSPHRASE, --passphrase-file): the vault is
unlocked only in this process. Ctrl+C or SIGTERM finishes the bundle in hand and exits 0.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from coachdesk.cli_team import Opener, _bind


def _log(line: str) -> None:
    from coachdesk.store.audit import now_iso

    print(f"{now_iso()} {line}", flush=True)


def cmd_sync(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import folder

    folders = [folder.check_folder(Path(f)) for f in args.folders]
    stopping: list[int] = []

    def stop_now(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    vault = open_vault(args)
    try:
        if not args.watch:
            refused = 0
            for path in folders:
                done = folder.sync_once(vault, path, _log)
                refused += len(done.refused)
                _log(f"{path}: {len(done.written)} written, {len(done.imported)} imported, "
                     f"{done.removed} removed")
            return 1 if refused else 0
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop_now)
        _log(f"watching {', '.join(str(p) for p in folders)} (Ctrl+C or SIGTERM stops)")
        folder.watch(vault, folders, _log, stop=lambda: bool(stopping),
                     interval=args.interval)
        _log("stopped")
        return 0
    finally:
        vault.close()


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    p = sub.add_parser("sync", parents=[common],
                       help="sync through folders a sync engine carries (Syncthing, a share)")
    p.add_argument("folders", metavar="FOLDER", nargs="+", help="a sync folder")
    p.add_argument("--watch", action="store_true",
                   help="keep going (the team's hub): import bundles as they arrive, answer them")
    p.add_argument("--interval", type=float, default=2.0, metavar="SECONDS",
                   help="how often --watch looks at the folders (default 2)")
    p.set_defaults(func=_bind(cmd_sync, open_vault))


