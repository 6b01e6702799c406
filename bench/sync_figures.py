"""Sync figures on a bench vault; prints one JSON object (seconds).

    python -m bench.sync_figures DIR [--skip-full-bundle]
Baseline: a raw `sqlcipher_export` of the same vault into a fresh encrypted file.

With --skip-full-bundle (the bench does so above scale 1, where a full bundle to a hub
costs tens of minutes) no full bundle is timed: the peer is a coach who shares a few
of the vault's people, so the 100 changes still travel through the big vault both ways
(its incremental export, and its import of the coach's 100 changes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.make_vault import PASSPHRASE
from coachdesk.demo.sync_peer import make_team
from coachdesk.store import participants
from coachdesk.store.db import passphrase_key
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload, merge, service

KEY = "bench raw export key"


def timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def raw_export(vault: Vault, target: Path) -> float:
    def run() -> None:
        vault.conn.execute(f"ATTACH DATABASE ? AS plain KEY {passphrase_key(KEY)}", (str(target),))
        vault.conn.execute("SELECT sqlcipher_export('plain')").fetchall()
        vault.conn.execute("DETACH DATABASE plain")

    return timed(run)[0]


SHARED_PEOPLE = 10
"""How many of the vault's people the coach peer shares (--skip-full-bundle)."""


def hundred_changes(vault: Vault, ids: list[str], tag: str) -> None:
    for i in range(100):
        participants.update(vault, ids[i % len(ids)], {"phone": f"555 {tag}{i:03d}"})


def incremental_with_coach(vault: Vault, work: Path) -> dict[str, float]:
    """The big vault as a supervisor with a coach who shares SHARED_PEOPLE of its people:
    100 changes from it to the coach, then 100 from the coach into it (both timed)."""
    out: dict[str, float] = {}
    peer = Vault.create(work / "peer", PASSPHRASE, "Bench Peer")
    make_team("Bench team", vault, peer)
    ids = [p.id for p in participants.roster(vault, limit=SHARED_PEOPLE)]
    for person in ids:
        caseload.share(vault, person, peer.device)
    service.export_bundle(vault, work / "start.cdbundle", peer=peer.device, full=True)
    merge.import_bundle(peer, work / "start.cdbundle")
    service.export_bundle(peer, work / "ack.cdbundle", full=True)
    merge.import_bundle(vault, work / "ack.cdbundle")
    hundred_changes(vault, ids, "9")
    out["incremental_100_export"], _ = timed(lambda: service.export_bundle(
        vault, work / "inc.cdbundle", peer=peer.device))
    arrived = [merge.import_bundle(peer, work / "inc.cdbundle").new_ops]
    hundred_changes(peer, ids, "8")
    service.export_bundle(peer, work / "back.cdbundle", peer=vault.device)
    out["incremental_100_import"], summary = timed(lambda: merge.import_bundle(
        vault, work / "back.cdbundle"))
    arrived.append(summary.new_ops)
    peer.close()
    if min(arrived) < 100:
        raise RuntimeError(f"the 100 changes did not all travel: {arrived} new ops")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--skip-full-bundle", action="store_true",
                        help="no full bundle (and no raw export): only the 100 changes")
    args = parser.parse_args(argv)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="coachdesk-syncbench-") as tmp:
        work = Path(tmp)
        # A copy: the figures below change the vault (an acknowledgement, 100 edits),
        # and a bench vault must measure the same on every run.
        shutil.copytree(args.directory, work / "vault")
        vault = Vault.open(work / "vault", PASSPHRASE)
        if args.skip_full_bundle:
            out.update(incremental_with_coach(vault, work))
            vault.close()
            json.dump(out, sys.stdout)
            return 0
        out["raw_sqlcipher_export"] = raw_export(vault, work / "raw.db")
        peer = Vault.create(work / "peer", PASSPHRASE, "Bench Peer")
        # A bundle is addressed and signed; the peer is a second supervisor (a hub), so a
        # full bundle carries every record (a coach would receive only its own people).
        make_team("Bench team", vault, peer, role="supervisor")
        out["full_export"], _ = timed(lambda: service.export_bundle(
            vault, work / "full.cdbundle", full=True))
        out["full_import"], _ = timed(lambda: merge.import_bundle(
            peer, work / "full.cdbundle"))
        # The peer acknowledges everything; then 100 changes travel incrementally.
        service.export_bundle(peer, work / "ack.cdbundle", full=True)
        merge.import_bundle(vault, work / "ack.cdbundle")
        ids = [p.id for p in participants.roster(vault, status=None, limit=100)]
        for i in range(100):
            participants.update(vault, ids[i % len(ids)], {"phone": f"555 9{i:03d}"})
        out["incremental_100_export"], _ = timed(lambda: service.export_bundle(
            vault, work / "inc.cdbundle", peer=peer.device))
        out["incremental_100_import"], _ = timed(lambda: merge.import_bundle(
            peer, work / "inc.cdbundle"))
        vault.close()
        peer.close()
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
