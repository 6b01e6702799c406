"""A line above the footer naming the keys the footer has no room for (a screen's bindings
with show=False), and that F1 lists them all: no key of a busy page goes unmentioned."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from coachdesk.tui.keynames import keys_of


def strip_text(bindings: Iterable[BindingType]) -> Text:
    parts = [f"{binding.key_display or keys_of(binding.key)} {binding.description}"
             for binding in bindings
             if isinstance(binding, Binding) and not binding.show and binding.description
             and binding.key != "escape"]
    return Text("  ".join([*parts, "F1 all keys"]))


class KeyStrip(Static):
    DEFAULT_CSS = """
    KeyStrip { height: auto; padding: 0 0 0 1; color: $text-muted; background: $footer-background; }
    """

    def __init__(self, bindings: Iterable[BindingType], *, id: str | None = None) -> None:
        super().__init__(strip_text(bindings), id=id)
