"""The Go menu (Ctrl+G): every F-key command by a letter, the app's and this screen's, for
terminals that take F-keys for themselves (GNOME Terminal: F1, F10, F11; laptops without
an Fn lock). Ctrl+G, then the letter; Esc closes."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from coachdesk.tui import commands
from coachdesk.tui.keynames import keys_of
from coachdesk.tui.screens.base import CoachdeskModal

F_KEY = re.compile(r"f\d+")


def screen_f_keys(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, description, action) of the screen's own bindings on an F-key."""
    found: list[tuple[str, str, str]] = []
    for binding in getattr(screen, "BINDINGS", []):
        if (isinstance(binding, Binding) and binding.description
                and any(F_KEY.fullmatch(key) for key in binding.key.split(","))):
            found.append((binding.key, binding.tooltip or binding.description, binding.action))
    return found


class GoScreen(CoachdeskModal[None]):
    TITLE = "Go"
    HELP = "Every F-key command by a letter: press the letter. Esc closes."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="go.close", tooltip="Close"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under
        self.entries = [entry for entry in commands.go_entries(screen_f_keys(under))
                        if self._applies(entry[3])]

    def _applies(self, action: str) -> bool:
        """A global command that needs the vault is left out while it is locked."""
        if not action.startswith("app."):
            return True
        _, name, parameters = parse(action)
        return self.app.check_action(name, parameters) is not False

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for letter, keys, what, _ in self.entries:
            table.add_row(letter, keys_of(keys), what)
        with Vertical(id="go-box", classes="dialog"):
            yield Static(Text("Go: press a letter (Esc closes)", style="bold"))
            yield Static(table)

    def on_key(self, event: events.Key) -> None:
        chosen = next((entry for entry in self.entries if entry[0] == event.character), None)
        if chosen is None:
            return
        event.stop()
        _, _, _, action = chosen
        under = self.under
        self.dismiss(None)
        if action.startswith("app."):
            self.app.call_later(self.app.run_action, action)
        else:
            self.app.call_later(self.app.run_action, action, under)
