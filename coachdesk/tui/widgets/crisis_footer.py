"""The footer of the crisis screens: the panic key's label first, never cut off at 80 columns.

A crisis screen has many keys; Textual's footer lists the screen's own first and the
app's after them, so at 80 columns "Lock" was cut to "^l Loc". Here the lock key is
moved to the left edge and the command palette key (Ctrl+P still works) is left out.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from coachdesk.tui import commands


class CrisisFooter(Footer):
    DEFAULT_CSS = """
    CrisisFooter FooterKey.-panic {
        dock: left;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action == commands.LOCK.action:
                widget.add_class("-panic")
            yield widget
