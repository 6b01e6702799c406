"""Build a synthetic vault of a real caseload, through the project's own store code.

    python -m bench.make_vault DIR [--scale 1.0]

Scale 1.0: 2,000 participants, 50,000 notes of 100-600 words, 5,000 plan revisions,
20,000 action items, 2,000 crisis events, 2,000 check-in schedules with 5 calls each.
The passphrase is `bench passphrase`.
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
        "crisis": 2_000, "followups": 2_000}
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


BUILD_CACHE_KIB = 1_048_576
"""The build's page cache (1 GiB): at scale 10 the op log's indexes outgrow SQLite's
default 8 MB many times over, and every page missed is read and decrypted again."""
NOTES_PER_TRANSACTION = 2_000


def text(rng: random.Random, low: int, high: int) -> str:
    """`low` to `high` words from WORDS (one `choices` call: a note costs microseconds)."""
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def tune_for_build(vault: Vault) -> None:
    """Connection settings for this build only (nothing in the file depends on them): a
    big page cache, and no fsync per commit (a crashed build is simply built again)."""
    vault.conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
    vault.conn.execute("PRAGMA synchronous = OFF")


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


def make_notes(vault: Vault, count: int, ids: list[str], rng: random.Random) -> None:
    from coachdesk.store import notes

    settings = ("emergency department", "court", "outpatient", "community/outreach", "phone")
    active = [p.id for p in participants.roster(vault, limit=100_000)] or ids
    day = dt.datetime.now() - dt.timedelta(days=900)
    step = dt.timedelta(days=900) / max(count, 1)  # the newest note is today at any scale
    for start in range(0, count, NOTES_PER_TRANSACTION):
        with vault.transaction():
            for i in range(start, min(count, start + NOTES_PER_TRANSACTION)):
                when = (day + step * i).strftime("%Y-%m-%d %H:%M")
                note_id = notes.start(vault, rng.choice(active), occurred_at=when)
                notes.save_header(vault, note_id, {"duration_min": rng.choice((15, 30, 45, 60)),
                                                   "setting": rng.choice(settings)})
                notes.finalize(vault, note_id, text(rng, 100, 600))


def make_plans(vault: Vault, count: int, ids: list[str], rng: random.Random) -> None:
    from coachdesk.models.plan_text import parse_plan
    from coachdesk.store import plans

    parents: dict[str, str] = {}
    with vault.transaction():
        for _ in range(count):
            pid = rng.choice(ids[: max(1, len(ids) // 2)])
            goals = "\n".join(f"- {text(rng, 4, 9)}\n  - [participant] {text(rng, 3, 7)}"
                              for _ in range(rng.randint(1, 3)))
            plan = parse_plan(f"## Health\n{goals}\n## Community\n- {text(rng, 4, 9)}\n")
            parents[pid] = plans.save(vault, pid, plan, parents.get(pid, ""))


def make_actions(vault: Vault, count: int, ids: list[str], rng: random.Random) -> None:
    from coachdesk.store import action_items

    today = dt.date.today()
    with vault.transaction():
        for _ in range(count):
            due = today + dt.timedelta(days=rng.randint(-60, 60))
            action_items.add(vault, {"participant_id": rng.choice(ids), "note_id": "",
                                     "text": text(rng, 3, 8), "owner": rng.choice(
                                         ("participant", "coach", "other")),
                                     "due": due.isoformat()})


def make_crisis(vault: Vault, count: int, ids: list[str], rng: random.Random) -> None:
    from coachdesk.store import crisis

    class Protocol:
        id, version, title = "overdose", 1, "Opioid overdose response"

    with vault.transaction():
        for _ in range(count):
            event = crisis.start(vault, Protocol(), rng.choice(ids))
            for n, step in enumerate(("signs", "call", "naloxone", "breathing")):
                crisis.record(vault, event, step, "yesno", f"step {n}", rng.choice(("yes", "no")))
            crisis.record(vault, event, "end", "end", "Done", "EMS arrived and took over")


def make_followups(vault: Vault, count: int, ids: list[str], rng: random.Random) -> None:
    from coachdesk.store import followups

    today = dt.date.today()
    outcomes = ("reached", "no answer", "left message", "declined")
    with vault.transaction():
        for _ in range(count):
            pid = rng.choice(ids)
            start = today - dt.timedelta(days=rng.randint(0, 300))
            sid = followups.add_schedule(vault, pid, {"every": 1, "unit": "weeks",
                                                      "times": 12, "starts_on": start})
            for week in range(5):
                due = start + dt.timedelta(weeks=week)
                followups.log_attempt(vault, pid, rng.choice(outcomes), schedule_id=sid,
                                      due_on=due, start_note=False,
                                      at=f"{due.isoformat()}T15:00:00.000000+00:00")


# name -> fn(vault, count, participant ids, rng); counts come from FULL x scale.
GENERATORS: dict[str, Callable[[Vault, int, list[str], random.Random], None]] = {
    "notes": make_notes, "plans": make_plans, "actions": make_actions, "crisis": make_crisis,
    "followups": make_followups,
}


def build(directory: Path, scale: float = 1.0, seed: int = 7,
          report: Callable[[str], None] = print) -> Path:
    rng = random.Random(seed)
    vault = Vault.create(directory, PASSPHRASE, "Bench Coach")
    tune_for_build(vault)
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
