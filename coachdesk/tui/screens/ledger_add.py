"""A line of the coach's ledger: date, title, provider, hours, domain, kind."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Input, Label, Static

from coachdesk.errors import ValidationFailed
from coachdesk.store import ledger
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox


class LedgerAddScreen(CoachdeskScreen[None]):
    TITLE = "Add hours"
    HELP = ("Training or continuing-education hours you took: at most 24\n"
            "hours in a day. Domain: one of the ids listed (or empty).\n"
            "Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="ledger_add.save", tooltip="Save the line"),
        Binding("escape", "back", "Cancel", id="ledger_add.back", tooltip="Leave without saving"),
    ]

    def __init__(self, domains: set[str]) -> None:
        super().__init__()
        self.domains = domains

    def compose(self) -> ComposeResult:
        yield Static("[b]Add training hours[/b]", markup=True, id="form-title")
        with Grid(id="form"):
            yield Label("Date")
            yield Input(dt.date.today().isoformat(), id="date", compact=True, max_length=10)
            yield Label("Title")
            yield Input(id="title", compact=True, max_length=200)
            yield Label("Provider")
            yield Input(id="provider", compact=True, max_length=200)
            yield Label("Hours")
            yield Input(id="hours", compact=True, max_length=6, restrict=r"[0-9.\-]*")
            yield Label("Domain")
            yield Input(id="domain", compact=True, max_length=60, placeholder="e.g. ethics")
            yield Label("Continuing ed.")
            yield TickBox("continuing education (not initial training)", id="continuing",
                          compact=True)
        yield Static(" Domains: " + ", ".join(sorted(self.domains)), classes="explain")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _save(self) -> None:
        try:
            taken_on = dt.date.fromisoformat(self._value("date"))
        except ValueError:
            raise ValidationFailed("date: write it as YYYY-MM-DD") from None
        try:
            hours = float(self._value("hours"))
        except ValueError:
            raise ValidationFailed("hours: a number, like 1.5") from None
        kind = "continuing_education" if self.query_one("#continuing", TickBox).value else "training"
        ledger.add(self.vault, {"taken_on": taken_on, "title": self._value("title"),
                                "provider": self._value("provider"), "hours": hours,
                                "domain": self._value("domain"), "kind": kind}, self.domains)
        self.notify("Hours added.")

    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def action_back(self) -> None:
        self.dismiss(None)
