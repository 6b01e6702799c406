"""Helpers for driving the real app with Pilot at 80x24."""

from __future__ import annotations

import html
import re

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
