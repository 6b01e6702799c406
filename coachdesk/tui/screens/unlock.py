"""The unlock screen: one passphrase field. Shown at start and after every lock."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from coachdesk.errors import CoachdeskError
from coachdesk.tui.screens.base import CoachdeskScreen


class UnlockScreen(CoachdeskScreen[None]):
    TITLE = "Unlock"
    HELP = "Type your passphrase and press Enter. Ctrl+Q quits."
    STYLED_AT_START = True
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, hint: str = "", message: str = "") -> None:
        super().__init__()
        self._hint = hint
        self._message = message

    def compose(self) -> ComposeResult:
        # Few widgets on purpose: this screen is on the start-up path.
        notes = [n for n in (self._message, self._hint) if n]
        intro = "[b]coachdesk[/b] is locked" + "".join(f"\n[dim]{n}[/dim]" for n in notes)
        with Vertical(id="gate"):
            yield Static(intro + "\n\nPassphrase", markup=True)
            yield Input(id="passphrase", password=True, compact=True)
            yield Static("", id="error", classes="error")
        # A plain key line instead of a Footer: the unlock screen is the start-up path.
        yield Static(" [b]Enter[/b] unlock   [b]F1[/b] help   [b]^Q[/b] quit", id="keyline",
                     markup=True)

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _unlock(self, event: Input.Submitted) -> None:
        field = event.input
        secret, field.value = field.value, ""
        if not secret:
            return
        try:
            self.cd_app.unlock(secret)
        except CoachdeskError as exc:
            self.query_one("#error", Static).update(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            self.query_one("#error", Static).add_class("failed")
