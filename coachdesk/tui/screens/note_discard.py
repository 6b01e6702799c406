"""Asked once before a draft is thrown away: y discards, n or Esc keeps it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class DiscardQuestion(CoachdeskModal[bool]):
    TITLE = "Discard"
    HELP = "y throws the draft away (it cannot be brought back); n or Esc keeps it."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard", id="discard.yes", tooltip="Throw the draft away"),
        Binding("n", "answer(False)", "Keep", id="discard.no", tooltip="Keep the draft"),
        Binding("escape", "answer(False)", "Keep", id="discard.keep", show=False,
                tooltip="Keep the draft"),
        # A modal hides the app's keys: the panic key in its footer, and F1 answers here.
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box"):
            yield Static("[b]Discard this draft? y/n[/b]")
            yield Static("[dim]It cannot be brought back.[/dim]")
        yield KeyLine()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)
