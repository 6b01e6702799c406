"""The printable key card (docs/keycard.html) is generated from the bindings and matches them."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from coachdesk.tui import commands, keycard, keytable

ROOT = Path(__file__).resolve().parents[2]


def test_docs_keycard_is_the_generated_page() -> None:
    card = (ROOT / "docs" / "keycard.html").read_text(encoding="utf-8")
    assert card == keycard.html(), "run: python -m coachdesk.tui.keycard > docs/keycard.html"
    done = subprocess.run([sys.executable, "-m", "coachdesk.tui.keycard"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout == card and not done.stderr


def _card_pairs() -> set[tuple[str, str]]:
    card = (ROOT / "docs" / "keycard.html").read_text(encoding="utf-8")
    return {(unescape(k), unescape(v)) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card)}


def test_every_binding_is_on_the_card() -> None:
    pairs = _card_pairs()
    for command in commands.GLOBAL:
        assert (keytable.command_keys(command), command.help) in pairs, command.id
    for cls in keytable.screen_classes():
        if not cls.TITLE:
            continue
        for keys, what in keytable.screen_bindings(cls):
            assert (keys, what) in pairs or (keys, what) == ("Esc", "Back"), (cls.__name__, keys)


def test_the_card_is_a_plain_printable_page() -> None:
    card = keycard.html()
    assert "@page" in card and "<script" not in card and "http" not in card
