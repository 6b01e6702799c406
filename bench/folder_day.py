"""A day of bundles from 15 coaches through sync folders, as the hub takes them in
(issue 19): prints one JSON object (seconds, counts).

    python -m bench.folder_day [--coaches 15]

Each coach adds two people and writes eight finalized notes and a few edits during the
day, then syncs its folder (a star: one folder per coach, shared with the hub). Timed:
the hub's one pass over all the folders (imports every bundle, answers every coach).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from coachdesk.demo.sync_peer import make_team
from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import folder

PASSPHRASE = "bench folder day passphrase"


def person(alias: str) -> dict[str, object]:
    return {"alias": alias, "intake_date": dt.date.today().isoformat(), "adult_confirmed": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coaches", type=int, default=15)
    args = parser.parse_args(argv)
    quiet: list[str] = []
    with tempfile.TemporaryDirectory(prefix="coachdesk-folderday-") as tmp:
        root = Path(tmp)
        hub = Vault.create(root / "hub", PASSPHRASE, "Hub")
        coaches = [Vault.create(root / f"coach{i}", PASSPHRASE, f"Coach {i}")
                   for i in range(args.coaches)]
        make_team("Bench agency team", hub, *coaches)
        folders = []
        for i, coach in enumerate(coaches):
            shared = root / f"folder{i}"
            shared.mkdir()
            folders.append(shared)
            people = [participants.create(coach, person(f"Person {i}-{k}")) for k in range(2)]
            for n in range(8):
                body = f"Note {n}: " + "met at the clinic, talked about work and family. " * 8
                notes.finalize(coach, notes.start(coach, people[n % 2], body), body)
            for k in range(4):
                participants.update(coach, people[k % 2], {"phone": f"555 01{k:02d}"})
            folder.sync_once(coach, shared, quiet.append)
        ops = sum(c.conn.execute("SELECT count(*) FROM ops").fetchone()[0] for c in coaches)
        started = time.perf_counter()
        imported = 0
        for shared in folders:
            imported += len(folder.sync_once(hub, shared, quiet.append).imported)
        elapsed = time.perf_counter() - started
        for vault in (hub, *coaches):
            vault.close()
    json.dump({"hub_day_pass": elapsed, "bundles": imported, "ops": ops}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
