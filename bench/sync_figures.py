"""Sync figures on a bench vault; prints one JSON object (seconds).

    python -m bench.sync_figures DIR
Baseline: a raw `sqlcipher_export` of the same vault into a fresh encrypted file.
"""

from __future__ import annotations

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
from coachdesk.sync import merge, service

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


def main() -> int:
    source = Path(sys.argv[1])
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="coachdesk-syncbench-") as tmp:
        work = Path(tmp)
        # A copy: the figures below change the vault (an acknowledgement, 100 edits),
        # and a bench vault must measure the same on every run.
        shutil.copytree(source, work / "vault")
        vault = Vault.open(work / "vault", PASSPHRASE)
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
