"""Helpers for driving the real app with Pilot at 80x24."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from textual.pilot import Pilot

SIZE = (80, 24)

_NAMED = {" ": "space", "/": "slash", "-": "minus", ".": "full_stop", ":": "colon",
          "?": "question_mark", "!": "exclamation_mark", ",": "comma", "'": "apostrophe"}


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*(_NAMED.get(ch, ch) for ch in text))


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
