"""The cut-off check: a word cut short on a rendered line that still has room.

A line is split into panes at box-drawing and block characters (borders, scrollbars).
A pane "has room" when it ends in at least two blanks. In such a pane, a token that ends
in an ellipsis, or that is not a known word but the start of one (the vault's own
texts, coachdesk's and Textual's strings), is a word cut while there was room.
"""

from __future__ import annotations

import calendar
import io
import re
from functools import cache
from pathlib import Path

import textual
from rich.console import Console
from textual.app import App

import coachdesk
from coachdesk import config
from coachdesk.store.vault import Vault

PANE_EDGE = re.compile(r"[\u2500-\u259f]")
TOKEN = re.compile(r"[\w'’-]*\w…?|…")
WORD = re.compile(r"[\w'’-]*\w…?")
ROOM = 5  # more than what a cut at the column edge leaves: its padding, the column Rich
# keeps back, and a 2-column scrollbar track (blank where the thumb is not)


def rendered_lines(app: App[object]) -> list[str]:
    """The terminal's lines as a person sees them (the screen and those under a modal)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(  # noqa: SLF001 - what export_screenshot does
        full=True, screen_stack=app._background_screens))  # noqa: SLF001
    return console.export_text().splitlines()


@cache
def _source_words() -> frozenset[str]:
    """Every word in coachdesk's files (code, shipped assets) and Textual's code."""
    words: set[str] = set()
    texts = ("*.py", "*.tcss", "*.toml", "*.yaml", "*.yml", "*.json", "*.md", "*.csv",
             "*.txt", "*.html")
    roots = [(Path(coachdesk.__file__).parent, texts), (config.assets_dir(), texts),
             (Path(textual.__file__).parent, ("*.py",))]
    for root, patterns in roots:
        for pattern in patterns:
            for path in root.rglob(pattern):
                words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(words)


def vault_words(directory: Path, passphrase: str) -> set[str]:
    """Every word of every text in the vault (read in memory, never written out)."""
    vault = Vault.open(directory, passphrase)
    words: set[str] = set()
    try:
        tables = [name for (name,) in vault.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in vault.conn.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - names from the schema
                for value in row:
                    if isinstance(value, str):
                        words.update(WORD.findall(value))
    finally:
        vault.close()
    return words


class Vocabulary:
    """Known words, and every proper start of one (case-insensitive)."""

    def __init__(self, words: set[str]) -> None:
        dates = {*calendar.month_abbr, *calendar.day_abbr, *calendar.month_name,
                 *calendar.day_name} - {""}  # "Mon 23 Nov": abbreviations, not cuts
        everything = {word.lower() for word in words | _source_words() | dates}
        self.ellipsised = {word for word in everything if word.endswith("…")}
        self.words = {word for word in everything if not word.endswith("…")}
        self.starts = {word[:end] for word in self.words for end in range(1, len(word))}

    def is_cut(self, token: str) -> bool:
        lowered = token.lower()
        if lowered.endswith("…"):
            return lowered not in self.ellipsised
        return (any(ch.isalpha() for ch in lowered) and len(lowered) >= 2
                and lowered not in self.words and lowered in self.starts)


def cut_words(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    """Each line holding a word cut short in a pane with room, as "row N: 'word' in ...". """
    found: list[str] = []
    for number, line in enumerate(lines):
        for pane in PANE_EDGE.split(line):
            if len(pane) - len(pane.rstrip()) < ROOM or not pane.strip():
                continue
            for token in TOKEN.findall(pane):
                if vocabulary.is_cut(token):
                    found.append(f"row {number}: {token!r} in {pane.strip()!r}")
    return found


def hidden_footer_keys(app: App[object]) -> list[str]:
    """The keys of the screen's key line that do not fit on it."""
    from coachdesk.tui.widgets.key_line import KeyLine

    return [cut for line in app.screen.query(KeyLine) for cut in line.hidden()]
