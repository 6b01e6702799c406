"""Helpers for driving the real app with Pilot at 80x24."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.plan_editor import PlanEditor
from tests.conftest import PASSPHRASE

SIZE = (80, 24)

_NAMED = {" ": "space", "/": "slash", "-": "minus", ".": "full_stop", ":": "colon",
          "?": "question_mark", "!": "exclamation_mark", ",": "comma", "'": "apostrophe"}


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*(_NAMED.get(ch, ch) for ch in text))


async def press(pilot: Pilot, *keys: str) -> None:
    """Press the keys, then let the app settle once."""
    await pilot.press(*keys)
    await pilot.pause()


async def keys(pilot: Pilot, *pressed: str) -> None:
    """Press the keys one at a time, letting the app settle after each."""
    for key in pressed:
        await press(pilot, key)


async def unlock(pilot: Pilot, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and let what opens next settle (the
    roster's counts included)."""
    await type_text(pilot, passphrase)
    await press(pilot, "enter")
    await pilot.pause()
    await counted(pilot)


async def counted(pilot: Pilot) -> None:
    """On the roster: let what its worker threads work out (the counts, near matches of
    a name with a typo) arrive."""
    from coachdesk.tui.screens.roster import RosterScreen

    screen = pilot.app.screen
    if not isinstance(screen, RosterScreen):
        return

    def done() -> bool:
        return bool(screen._counted_for) and not any(
            w.group.startswith("roster-") and not w.is_finished for w in pilot.app.workers)

    await wait_for(pilot, done)
    await pilot.pause()


@asynccontextmanager
async def unlocked(app: CoachdeskApp, **run_options: object) -> AsyncIterator[Pilot]:
    """The app running at 80x24 (`run_options` go to run_test), unlocked."""
    async with app.run_test(size=SIZE, **run_options) as pilot:  # type: ignore[arg-type]
        await pilot.pause()
        await unlock(pilot)
        assert pilot.app.vault is not None  # type: ignore[attr-defined]
        yield pilot


async def open_first_person(pilot: Pilot) -> None:
    """From the roster, the page of the first person on it."""
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, ParticipantScreen)


async def open_plan_editor(pilot: Pilot) -> None:
    """From the roster, the plan editor (p) of the first person on it."""
    await open_first_person(pilot)
    await press(pilot, "p")
    assert isinstance(pilot.app.screen, PlanEditor)


async def new_note(pilot: Pilot, *lines: str) -> None:
    """A new note for the selected person (Ctrl+O), the `lines` typed into its body."""
    await press(pilot, "ctrl+o")
    for number, line in enumerate(lines):
        if number:
            await pilot.press("enter")
        await type_text(pilot, line)


def visible_text(pilot: Pilot) -> str:
    """Plain text of the terminal as a person sees it (from an SVG screenshot)."""
    svg = pilot.app.export_screenshot()
    text = " ".join(re.findall(r">([^<]*)</text>", svg))
    return html.unescape(text).replace("\xa0", " ")


def squeezed(pilot: Pilot) -> str:
    """Visible text without spaces, so a word split across styled spans still matches."""
    return re.sub(r"\s+", "", visible_text(pilot))


async def wait_for(pilot: Pilot, done: Callable[[], object], *, within: float = 10.0) -> None:
    """Let the app run until `done()` is true, for at most `within` seconds (a bound for a
    loaded machine, not a timing assertion: the caller asserts the outcome after)."""
    waited = 0.0
    while not done() and waited < within:
        await pilot.pause(0.1)
        waited += 0.1
