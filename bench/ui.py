"""UI figures, driven headless with Pilot on a vault; prints one JSON object.

    python -m bench.ui DIR [--runs N]
Run in its own process so that peak RSS is the app's own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from bench.make_vault import PASSPHRASE
from bench.stats import summary
from coachdesk.tui.app import CoachdeskApp

SIZE = (80, 24)


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*("space" if c == " " else c for c in text))


async def keystroke(pilot, key: str, ready=None) -> float:  # type: ignore[no-untyped-def]
    """Seconds from a key event to the screen drawn with its effect.

    Pilot.press waits for idle in 20 ms steps, so instead: post the key, wait until every
    widget has handled what was queued (twice: handlers queue more; and again until
    `ready()` holds, for a new screen whose widgets mount later), then draw the whole
    screen once (through the compositor). The same for the baseline.
    """
    app = pilot.app
    started = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    await _settle(pilot, ready)
    return time.perf_counter() - started


async def _settle(pilot, ready) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot._wait_for_screen()
    for _ in range(1000):
        if ready is None or ready():
            break
        await pilot._wait_for_screen()
    else:
        raise RuntimeError("the screen never became ready")
    await pilot._wait_for_screen()  # what the new screen's widgets queued as they mounted
    app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


async def bare_keystrokes(runs: int) -> list[float]:
    """Baseline: a keystroke into the Input of a bare Textual app."""

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    samples = []
    async with Bare().run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(runs):
            samples.append(await keystroke(pilot, "abcdefghij"[i % 10]))
    return samples


def time_vault_opens() -> list[float]:
    """From now on, every Vault.open (the key slot's KDF, then keying the vault) appends
    its seconds to the returned list: unlock minus that is what the app itself spends."""
    from coachdesk.store import vault as vault_module

    seconds: list[float] = []
    real_open = vault_module.Vault.open

    def timed_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real_open(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    vault_module.Vault.open = timed_open  # type: ignore[method-assign]
    return seconds


async def coachdesk_figures(directory: Path, runs: int) -> dict[str, list[float]]:
    from coachdesk.tui.screens.roster import RosterScreen

    opens = time_vault_opens()
    out: dict[str, list[float]] = {"unlock_to_roster": [], "unlock_after_key": [],
                                   "first_keystroke": [], "roster_keystroke": [],
                                   "open_participant": [], "open_note": [], "fts_search": [],
                                   "editor_keystroke": []}
    app = CoachdeskApp(directory)

    def roster_drawn() -> bool:
        screen = app.screen
        return isinstance(screen, RosterScreen) and bool(
            screen.query("OptionList") and screen.query_one("OptionList").option_count)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(max(3, runs // 5)):
            await _type(pilot, PASSPHRASE)
            out["unlock_to_roster"].append(await keystroke(pilot, "enter", roster_drawn))
            out["unlock_after_key"].append(out["unlock_to_roster"][-1] - opens[-1])
            # The first letter typed right after unlock: while the roster's counts are
            # still being worked out (in a worker thread), not after a pause.
            out["first_keystroke"].append(await keystroke(pilot, "a"))
            await pilot.press("ctrl+l")
            await pilot.pause()
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        # A coach looks at the roster for a moment: the app's first pause after unlock,
        # when it moves what settled out of the collector's way (tui/collector.py).
        await pilot.pause(1.6)
        for i in range(runs):
            key = "a" if i % 2 == 0 else "backspace"
            out["roster_keystroke"].append(await keystroke(pilot, key))
        roster = app.screen
        for _ in range(runs):
            out["open_participant"].append(
                await keystroke(pilot, "enter", new_screen_mounted(app, roster)))
            assert app.screen is not roster
            await pilot.press("escape")
            await pilot.pause()
        await note_figures(pilot, out, runs)
    return out


def new_screen_mounted(app, old):  # type: ignore[no-untyped-def]
    """A readiness test: another screen is on top, all its widgets are mounted and no
    layout is pending (a kept page refilled for another person is laid out again at the
    next frame: the clock stops after that)."""
    def ready() -> bool:
        screen = app.screen
        return screen is not old and bool(screen.children) and all(
            w.is_mounted for w in screen.walk_children()) and not screen._layout_required
    return ready


async def timed_open(pilot, open_it) -> float:  # type: ignore[no-untyped-def]
    app = pilot.app
    ready = new_screen_mounted(app, app.screen)
    started = time.perf_counter()
    open_it()
    await _settle(pilot, ready)
    return time.perf_counter() - started


async def note_figures(pilot, out: dict[str, list[float]], runs: int) -> None:  # type: ignore[no-untyped-def]
    import random

    from bench.make_vault import WORDS
    from coachdesk.store import notes, search

    app = pilot.app
    vault = app.vault
    ids = [r[0] for r in vault.conn.execute(
        "SELECT id FROM note WHERE deleted = 0 AND status = 'final' LIMIT 200")]
    if not ids:
        return
    rng = random.Random(3)
    for _ in range(runs):
        out["open_note"].append(await timed_open(pilot, lambda: app.open_note(rng.choice(ids))))
        await pilot.press("escape")
        await pilot.pause()
    for _ in range(runs):
        word = rng.choice(WORDS)
        started = time.perf_counter()
        search.search(vault, word)
        out["fts_search"].append(time.perf_counter() - started)
    pid = vault.conn.execute("SELECT participant_id FROM note LIMIT 1").fetchone()[0]
    # 5,000 words in lines of about twelve words, as typed notes are (not one giant line).
    words = [rng.choice(WORDS) for _ in range(5000)]
    long_text = "\n".join(" ".join(words[i:i + 12]) for i in range(0, 5000, 12))
    draft = notes.start(vault, pid, long_text)
    await timed_open(pilot, lambda: app.open_note(draft))
    app.screen.query_one("TextArea").focus()
    await pilot.press("end")
    for i in range(runs):
        out["editor_keystroke"].append(await keystroke(pilot, "abcdefgh"[i % 8]))


def kdf_unlock(directory: Path, runs: int = 5) -> list[float]:
    from coachdesk.store.vault import Vault

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        Vault.open(directory, PASSPHRASE).close()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    figures = asyncio.run(coachdesk_figures(args.directory, args.runs))
    figures["bare_keystroke"] = asyncio.run(bare_keystrokes(args.runs))
    figures["vault_open_with_kdf"] = kdf_unlock(args.directory)
    result = {name: summary(samples) for name, samples in figures.items()}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
