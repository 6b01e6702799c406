"""The supervisor logs a supervision session: coach (or several), date, minutes, topics, a
private note and items for the coach. Ctrl+S saves; a bad value is one line, nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Input, Label, Static

from coachdesk.errors import ValidationFailed
from coachdesk.models.competency import domains
from coachdesk.sync import supervision
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


class LogSessionScreen(CoachdeskScreen[None]):
    TITLE = "Log a supervision session"
    HELP = ("Coaches separated by commas make a group session.\n"
            "Topics: competency domain ids separated by commas (listed).\n"
            "Items: what each coach takes away, separated by ;\n"
            "The note is private to you and the coach.\n"
            "Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="supervision_log.save", tooltip="Save the session"),
        Binding("escape", "back", "Cancel", id="supervision_log.back",
                tooltip="Leave without saving"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("[b]Log a supervision session[/b]", markup=True, id="form-title")
        with Grid(id="form"):
            yield Label("Coach(es)")
            yield Input(id="coaches", compact=True, max_length=200,
                        placeholder="name, or names separated by commas")
            yield Label("Date")
            yield Input(dt.date.today().isoformat(), id="date", compact=True, max_length=10)
            yield Label("Minutes")
            yield Input("60", id="minutes", compact=True, max_length=5, restrict=r"[0-9]*")
            yield Label("Topics")
            yield Input(id="topics", compact=True, max_length=200, placeholder="ethics, selfcare")
            yield Label("Private note")
            yield Input(id="note", compact=True, max_length=4000)
            yield Label("Items")
            yield Input(id="items", compact=True, max_length=2000,
                        placeholder="separated by ;")
        yield Static(" Topics: " + ", ".join(d.id for d in domains()), classes="explain",
                     id="topics-known")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#coaches", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _save(self) -> None:
        try:
            held_on = dt.date.fromisoformat(self._value("date").strip())
        except ValueError:
            raise ValidationFailed("date: write it as YYYY-MM-DD") from None
        minutes_text = self._value("minutes").strip()
        if not minutes_text.isdigit():
            raise ValidationFailed("minutes: a whole number")
        supervision.log_session(self.vault, _split(self._value("coaches"), ","), held_on=held_on,
                                minutes=int(minutes_text), topics=_split(self._value("topics"), ","),
                                note=self._value("note"), items=_split(self._value("items"), ";"))
        self.notify("Session logged.")

    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def action_back(self) -> None:
        self.dismiss(None)
