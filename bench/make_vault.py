"""Build a synthetic vault of a real caseload, through the project's own store code.

    python -m bench.make_vault DIR [--scale 1.0]

Scale 1.0: 2,000 participants, 50,000 notes of 100-600 words, 5,000 plan revisions,
20,000 action items, 2,000 crisis events. The passphrase is `bench passphrase`.
Every record is fictional; the words come from a small built-in list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from coachdesk.store import participants
from coachdesk.store.vault import Vault

PASSPHRASE = "bench passphrase"
FULL = {"participants": 2_000, "notes": 50_000, "plans": 5_000, "actions": 20_000,
        "crisis": 2_000}
WORDS = tuple(
    "met at the clinic talked about housing goals and the week ahead felt hopeful "
    "called sister support group meeting tomorrow medication pickup went well stress "
    "at work sleep better cravings lower walked together coffee plans for the weekend "
    "court date reminder transport bus pass job application resume interview practice "
    "family dinner boundaries gratitude list journaling breathing exercise recovery "
    "meeting sponsor phone call check in naloxone kit safe storage appointment doctor".split(" ")
)
FIRST = tuple("Ada Ben Cleo Dev Eli Fay Gus Hal Ivy Jon Kai Lu Mo Nia Oz Pia Quin Ray Sol Tia "
              "Uma Vic Wes Xan Yas Zoe".split(" "))
LAST = tuple("Abbot Birch Crane Dale Eaton Frost Grove Hale Irwin Joyce Knox Lyle Marsh Noble "
             "Orr Pike Quill Reed Stone Thorn Upton Vale Webb Young Zell".split(" "))


def text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def make_participants(vault: Vault, count: int, rng: random.Random) -> list[str]:
    today = dt.date.today()
    ids = []
    with vault.transaction():
        for i in range(count):
            ids.append(participants.create(vault, {
                "alias": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:04d}",
                "adult_confirmed": True,
                "intake_date": (today - dt.timedelta(days=rng.randint(0, 900))).isoformat(),
                "phone": f"555 {i:04d}",
                "status": "active" if rng.random() < 0.8 else "closed",
            }))
    return ids


# Later features register their generators here: name -> fn(vault, count, ids, rng).
GENERATORS: dict[str, Callable[[Vault, int, list[str], random.Random], None]] = {}


def build(directory: Path, scale: float = 1.0, seed: int = 7,
          report: Callable[[str], None] = print) -> Path:
    rng = random.Random(seed)
    vault = Vault.create(directory, PASSPHRASE, "Bench Coach")
    try:
        started = time.perf_counter()
        ids = make_participants(vault, max(1, int(FULL["participants"] * scale)), rng)
        report(f"participants: {len(ids)} ({time.perf_counter() - started:.1f} s)")
        for name, generate in GENERATORS.items():
            started = time.perf_counter()
            count = max(1, int(FULL[name] * scale))
            generate(vault, count, ids, rng)
            report(f"{name}: {count} ({time.perf_counter() - started:.1f} s)")
    finally:
        vault.close()
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    build(args.directory, args.scale, report=lambda line: print(line, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
