"""A running crisis checklist never auto-locks in the middle: the idle lock waits up to the
vault's crisis minutes, then counts down 30 seconds that any key cancels; the panic key
still locks at once. Time is the app's own clock hook, moved by the test (no sleeping)."""

from __future__ import annotations

import time
from pathlib import Path

from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.idle import COUNTDOWN_SECONDS, StillThere, verdict
from coachdesk.tui.screens.crisis_checklist import CrisisScreen
from coachdesk.tui.screens.crisis_summary import CrisisSummary
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.tui.helpers import keys, squeezed, unlock, unlocked
from tests.tui.test_crisis import current_step, stored
from tests.vaults import reopened, seeded

MINUTE = 60.0


class FakeClock:
    """Wall and monotonic time moving together (no clock jump), only when told."""

    def __init__(self) -> None:
        self.wall, self.mono = time.time(), time.monotonic()

    def __call__(self) -> tuple[float, float]:
        return self.wall, self.mono

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


async def started(vault_dir: Path) -> tuple[CoachdeskApp, FakeClock]:
    seeded(vault_dir, "Idris Idle")
    app = CoachdeskApp(vault_dir)
    clock = FakeClock()
    app.clock = clock
    return app, clock


async def idle_check(pilot, clock: FakeClock, seconds: float) -> None:
    """Nobody presses a key for `seconds`; then the app's idle timer looks."""
    clock.advance(seconds)
    pilot.app._watch_idle()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def counting_down(app: CoachdeskApp) -> bool:
    return bool(app.screen.query(StillThere))


def test_the_rule() -> None:
    assert verdict(301, 300, None).what == "lock"
    assert verdict(301, 300, 1800).what == "wait"
    assert verdict(1801, 300, 1800).what == "countdown"
    assert verdict(1800 + COUNTDOWN_SECONDS + 1, 300, 1800).what == "lock"
    # crisis minutes below the ordinary auto-lock never lock sooner than it
    assert verdict(400, 600, 300).what == "wait"
    assert verdict(601, 600, 300).what == "countdown"


async def test_no_idle_lock_while_a_checklist_runs_and_any_key_cancels_the_countdown(
        vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        assert current_step(app) == "signs"
        await idle_check(pilot, clock, 10 * MINUTE)  # twice the ordinary 5 minutes
        assert app.vault is not None and current_step(app) == "signs"
        assert not counting_down(app)
        await idle_check(pilot, clock, 20 * MINUTE + 0.5)  # the 30 crisis minutes are up
        assert app.vault is not None and counting_down(app)
        text = squeezed(pilot)
        assert "Stillthere?Lockingin30s.Pressanykeytostay." in text
        assert "Isthisanoverdose?" in text  # the step stays in view
        assert "Pressanykeytostay.^lLock" in text  # and so does the panic key, below
        await keys(pilot, "y")  # only cancels: it does not answer the step
        assert not counting_down(app) and "Stillthere" not in squeezed(pilot)
        assert current_step(app) == "signs" and app.vault is not None
        await idle_check(pilot, clock, 29 * MINUTE)  # the key started a new wait
        assert app.vault is not None and not counting_down(app)
    [record] = stored(vault_dir)
    assert record.steps == []


async def test_it_locks_after_the_countdown_and_unlock_resumes(vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "3", "y")
        assert current_step(app) == "ask"
        await idle_check(pilot, clock, 30 * MINUTE + 0.5)
        assert counting_down(app)
        await idle_check(pilot, clock, 20)
        assert "Lockingin10s" in squeezed(pilot) and app.vault is not None
        await idle_check(pilot, clock, 10)
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert "Stillthere" not in squeezed(pilot) and "Ask" not in squeezed(pilot)
        await unlock(pilot)
        assert current_step(app) == "ask" and not counting_down(app)


async def test_a_hidden_checklist_still_runs_and_the_countdown_shows_where_you_are(
        vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "y", "escape")
        assert isinstance(app.screen, RosterScreen)
        await idle_check(pilot, clock, 29 * MINUTE)
        assert app.vault is not None and isinstance(app.screen, RosterScreen)
        await idle_check(pilot, clock, 1 * MINUTE + 1)
        assert counting_down(app) and "Stillthere?" in squeezed(pilot)
        await keys(pilot, "ctrl+l")  # the panic key still locks at once
        assert isinstance(app.screen, UnlockScreen) and app.vault is None


async def test_the_ordinary_idle_lock_is_back_once_the_checklist_ends(vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        await idle_check(pilot, clock, 6 * MINUTE)
        assert app.vault is not None
        await keys(pilot, "x", "x")
        assert isinstance(app.screen, CrisisSummary)
        await idle_check(pilot, clock, 4 * MINUTE)
        assert app.vault is not None
        await idle_check(pilot, clock, 1 * MINUTE + 1)
        assert isinstance(app.screen, UnlockScreen) and app.vault is None


async def test_the_crisis_minutes_come_from_the_vault_settings(vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    with reopened(vault_dir) as vault:
        vault.save_settings(vault.settings().model_copy(update={"crisis_lock_minutes": 10.0}))
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        await idle_check(pilot, clock, 9 * MINUTE)
        assert not counting_down(app)
        await idle_check(pilot, clock, 1 * MINUTE + 1)
        assert counting_down(app)


async def test_the_clock_jump_lock_stays_as_it_was(vault_dir: Path) -> None:
    app, clock = await started(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        clock.wall += 3600  # suspended for an hour: the wall clock moved, monotonic did not
        app._watch_idle()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        await unlock(pilot)
        assert current_step(app) == "signs"


async def test_ctrl_r_goes_straight_back_to_the_running_checklist(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "y", "escape")
        assert isinstance(app.screen, RosterScreen)
        await keys(pilot, "ctrl+r")  # not the picker: the checklist, at its step
        assert current_step(app) == "call-911"
        await keys(pilot, "escape", "f9", "ctrl+r")
        assert current_step(app) == "call-911"


async def test_a_copy_left_below_catches_up_when_it_shows_again(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "y", "f9")  # settings over the checklist
        below = app.screen_stack[-2]
        assert isinstance(below, CrisisScreen)
        await keys(pilot, "ctrl+r")  # a second copy on top
        assert app.screen is not below and current_step(app) == "call-911"
        await keys(pilot, "enter", "escape", "escape")  # answer there, hide it, leave settings
        assert app.screen is below and current_step(app) == "have-naloxone"
        await keys(pilot, "y")
        assert current_step(app) == "give-dose"
    [record] = stored(vault_dir)
    assert [s.step_id for s in record.steps] == ["signs", "call-911", "have-naloxone"]
