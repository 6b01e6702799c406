"""First run: the coach's name and a passphrase typed twice. No recovery by default."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from coachdesk.errors import CoachdeskError
from coachdesk.passphrase import passphrase_hint
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine


class SetupScreen(CoachdeskScreen[None]):
    TITLE = "First-run setup"
    HELP = "Create your encrypted vault. Tab moves between fields; Enter on the last one creates it."
    STYLED_AT_START = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create vault", id="setup.create"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="gate"):
            yield Static("[b]Welcome to coachdesk[/b]", markup=True)
            yield Static(
                "Everything you write stays on this laptop, encrypted. Without the "
                "passphrase nobody can read it, including you: there is no recovery.",
                classes="explain",
            )
            yield Label("Your name (as it appears on notes)")
            yield Input(id="coach", placeholder="e.g. Sam R.", compact=True)
            yield Label("Passphrase (a few unrelated words are best)")
            yield Input(id="pass1", password=True, compact=True)
            yield Label("Passphrase again")
            yield Input(id="pass2", password=True, compact=True)
            yield Static("", id="hint")
            yield Static("", id="error", classes="error")
        yield KeyLine()

    @on(Input.Changed, "#pass1")
    def _hint(self, event: Input.Changed) -> None:
        self.query_one("#hint", Static).update(
            f"strength: {passphrase_hint(event.value)}" if event.value else ""
        )

    @on(Input.Submitted, "#coach")
    @on(Input.Submitted, "#pass1")
    def _next(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#pass2")
    def action_create(self) -> None:
        coach = self.query_one("#coach", Input).value
        first = self.query_one("#pass1", Input).value
        second = self.query_one("#pass2", Input).value
        error = self.query_one("#error", Static)
        if first != second:
            error.update("The two passphrases differ.")
            self.query_one("#pass2", Input).value = ""
            self.query_one("#pass2", Input).focus()
            return
        try:
            self.cd_app.create_vault(coach, first)
        except CoachdeskError as exc:
            error.update(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
