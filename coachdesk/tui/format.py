"""Formatting shared by several screens (plain functions, no widgets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachdesk.store.reviews import Entry

REVIEW_WORDS = {"reviewed": "reviewed", "follow_up": "needs follow-up", "comment": "wrote",
                "closed": "closed the follow-up"}


def clip(text: str, width: int) -> str:
    """`text` in at most `width` columns, an ellipsis where it was cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


def short_time(iso: str) -> str:
    """'2026-03-01T14:05:09+00:00' -> '2026-03-01 14:05' (as stored, no conversion)."""
    return iso[:16].replace("T", " ")


def thread_lines(thread: Sequence[Entry], names: Mapping[str, str], hidden: str = "") -> list[str]:
    """A note's review thread as markup lines, oldest first: when (local time), who (the
    member's name, else the author the entry carries), what (`hidden` instead of what
    was said, in discreet mode)."""
    from textual.markup import escape

    from coachdesk.models.followup import local_at

    lines = ["[b]Review[/b]"] if thread else []
    for entry in thread:
        who = names.get(entry.by, entry.author)
        said = f": {escape(hidden or entry.text)}" if entry.text else ""
        lines.append(f"[b]{escape(local_at(entry.at))} {escape(who)}[/b] "
                     f"{REVIEW_WORDS.get(entry.kind, entry.kind)}{said}")
    return lines


def in_own_words(kind: str) -> bool:
    """A crisis step of this kind is answered in the coach's own words (discreet mode
    hides it); so may be a kind this version does not know."""
    from coachdesk.protocols.model import STEP_KINDS, Step

    return STEP_KINDS.get(kind, Step).typed or kind not in STEP_KINDS
