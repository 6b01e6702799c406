"""One line asked over a review screen (a follow-up's request, a comment, an answer):
Enter writes it through `write` (a refusal shows in the box, nothing changed), Esc
cancels. Returns what `write` returned, or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, Static

from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class ReviewPrompt(CoachdeskModal[str | None]):
    TITLE = "Under the note"
    HELP = "Type one line. Enter writes it under the note; Esc cancels (nothing written)."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="reviewprompt.cancel",
                tooltip="Leave without writing"),
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def __init__(self, question: str, write: Callable[[str], str], *,
                 placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.write = write
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="reviewprompt-box", classes="dialog"):
            yield Static(f"[b]{escape(self.question)}[/b]")
            yield Input(id="reviewprompt-text", placeholder=self.placeholder, compact=True,
                        max_length=2000)
            yield Static("", id="reviewprompt-error", classes="error")
            yield Static("[dim]Enter writes it, Esc cancels.[/dim]")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.close_with(lambda: self.write(self.query_one(Input).value), "#reviewprompt-error",
                        failed="Not written")

    def action_cancel(self) -> None:
        self.dismiss(None)
