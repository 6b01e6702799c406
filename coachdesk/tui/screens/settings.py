"""Settings for this vault: auto-lock, discreet mode, crisis numbers."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Input, Label, Static

from coachdesk.models.settings import Settings
from coachdesk.models.validation import first_problem
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox


class SettingsScreen(CoachdeskScreen[None]):
    TITLE = "Settings"
    HELP = ("Settings belong to this vault and stay on this laptop (they are not synced).\n"
            "While a crisis checklist runs, the vault waits longer before it locks (the crisis\n"
            "minutes), then shows a 30-second countdown that any key cancels.\n"
            "Tab moves between fields, Space ticks a box, Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Save the settings"),
        Binding("escape", "back", "Back", id="settings.back", tooltip="Leave without saving"),
    ]

    def compose(self) -> ComposeResult:
        current: Settings = self.vault.settings()
        yield Static("[b]Settings[/b]", markup=True, id="form-title")
        with Grid(id="form"):
            yield Label("Auto-lock minutes")
            yield Input(f"{current.idle_lock_minutes:g}", id="idle", compact=True, max_length=6)
            yield Label("Crisis auto-lock")
            yield Input(f"{current.crisis_lock_minutes:g}", id="crisis-idle", compact=True,
                        max_length=6)
            yield Label("Discreet mode")
            yield TickBox("initials instead of names", value=current.discreet, id="discreet",
                          compact=True)
            yield Label("Local crisis line")
            yield Input(current.crisis_line, id="crisis", compact=True, max_length=40,
                        placeholder="shown on crisis call steps, next to 911 and 988")
            yield Label("Supervisor's phone")
            yield Input(current.supervisor_phone, id="supervisor", compact=True, max_length=40)
            yield Label("My work phone")
            yield Input(current.coach_phone, id="coach-phone", compact=True, max_length=40,
                        placeholder="printed on plans and referral packets")
        yield Static(" Crisis auto-lock: while a crisis checklist runs, the minutes without a key"
                     "\n before a 30-second countdown that any key cancels.", classes="explain")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#idle", Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        app = self.cd_app
        data = {
            "idle_lock_minutes": self.query_one("#idle", Input).value.strip(),
            "crisis_lock_minutes": self.query_one("#crisis-idle", Input).value.strip(),
            "discreet": self.query_one("#discreet", TickBox).value,
            "crisis_line": self.query_one("#crisis", Input).value.strip(),
            "supervisor_phone": self.query_one("#supervisor", Input).value.strip(),
            "coach_phone": self.query_one("#coach-phone", Input).value.strip(),
        }
        try:
            # Over the stored settings: what this form does not show (the sync folder) stays.
            settings = Settings.model_validate({**self.vault.settings().model_dump(), **data})
        except ValidationError as exc:
            self.query_one("#error", Static).update(f"Not saved: {first_problem(exc)}")
            return
        self.vault.save_settings(settings)
        app.apply_settings(settings)
        app.notify("Settings saved.")
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
