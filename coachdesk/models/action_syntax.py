"""Action items written inline in a note body, one a line:

    - [ ] call the housing office @coach due:2026-03-01
    - [ ] book a ride to the clinic @participant due:tomorrow
    - [ ] ask about the food bank due:+3d

`@participant`, `@coach` or `@other` names the owner (coach if none); `due:` takes a date
(YYYY-MM-DD), `today`, `tomorrow` or `+Nd` (N days from the note's date). Both optional.
A line starting `- [x]` is an item already done. Template guidance (a line starting
with `>>`) is never an item. When a note is finalized, `absolute_dates` writes each
relative due word as its date, so the text keeps meaning what it meant that day.
Pure: no I/O, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from coachdesk.models.note import Owner
from coachdesk.models.templates import is_guidance

_ITEM = re.compile(r"^\s*[-*]\s*\[( |x|X)\]\s*(.*)$")
_OWNER = re.compile(r"(?:^|\s)@(\w+)")
_DUE = re.compile(r"(?:^|\s)due:(\S*)")
_REL = re.compile(r"^\+(\d{1,3})d$")
_DUE_WORD = re.compile(r"(^|\s)due:(\S+)")

SYNTAX_HELP = (
    "Action items, one a line:  - [ ] what @owner due:date\n"
    "  owner: @participant, @coach or @other (coach if none)\n"
    "  due: YYYY-MM-DD, today, tomorrow or +3d (from the note's date)"
)


@dataclass(frozen=True)
class ParsedItem:
    line: int
    text: str
    owner: Owner
    due: dt.date | None
    done: bool


@dataclass(frozen=True)
class ParseResult:
    items: list[ParsedItem]
    problems: list[str]


def parse_due(word: str, today: dt.date) -> dt.date:
    """A due word as a date; ValueError with a short reason."""
    lowered = word.lower()
    if lowered == "today":
        return today
    if lowered == "tomorrow":
        return today + dt.timedelta(days=1)
    rel = _REL.match(lowered)
    if rel:
        return today + dt.timedelta(days=int(rel.group(1)))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        raise ValueError(f"due date {word!r} is not YYYY-MM-DD, today, tomorrow or +Nd")
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise ValueError(f"due date {word!r} is not a real date") from None


def parse(body: str, today: dt.date) -> ParseResult:
    """Every action-item line of `body`, and one message per line that has a problem."""
    items: list[ParsedItem] = []
    problems: list[str] = []
    for number, line in enumerate(body.splitlines(), start=1):
        match = None if is_guidance(line) else _ITEM.match(line)
        if not match:
            continue
        done = match.group(1) != " "
        rest = match.group(2)
        owner = Owner.COACH
        owner_match = _OWNER.search(rest)
        if owner_match:
            try:
                owner = Owner(owner_match.group(1).lower())
            except ValueError:
                problems.append(f"line {number}: owner @{owner_match.group(1)} is not "
                                "@participant, @coach or @other")
                continue
        due: dt.date | None = None
        due_match = _DUE.search(rest)
        if due_match:
            try:
                due = parse_due(due_match.group(1), today)
            except ValueError as exc:
                problems.append(f"line {number}: {exc}")
                continue
        text = _DUE.sub(" ", _OWNER.sub(" ", rest))
        text = " ".join(text.split())
        if not text:
            problems.append(f"line {number}: the action item says nothing")
            continue
        if len(text) > 500:
            problems.append(f"line {number}: the action item is longer than 500 characters")
            continue
        items.append(ParsedItem(number, text, owner, due, done))
    return ParseResult(items, problems)


def absolute_dates(body: str, today: dt.date) -> str:
    """`body` with every relative due word of an action item (`due:today`,
    `due:tomorrow`, `due:+7d`) written as its date (`due:2026-03-17`); nothing else
    changes. Words that are no date are left for `parse` to name."""
    def absolute(match: re.Match[str]) -> str:
        word = match.group(2)
        if word.lower() not in ("today", "tomorrow") and not _REL.match(word.lower()):
            return match.group(0)
        return f"{match.group(1)}due:{parse_due(word, today).isoformat()}"

    lines = body.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not is_guidance(line) and _ITEM.match(line):
            lines[index] = _DUE_WORD.sub(absolute, line)
    return "".join(lines)
