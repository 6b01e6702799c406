"""A recovery capital check-in: one statement at a time, answered with a digit."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.models.assessment import Instrument
from coachdesk.store import assessments
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine


class CheckinScreen(CoachdeskScreen[str | None]):
    """Returns the new assessment's id when saved, None when left."""

    TITLE = "Check-in"
    HELP = (
        "Read each statement aloud; the person says how much they\n"
        "agree. Type the answer's digit (1 to 6). Backspace goes\n"
        "back one statement. After the last one the total and its\n"
        "meaning show: Enter saves, Esc leaves without saving."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace", "back_one", "Back one", id="checkin.back",
                tooltip="Go back to the previous statement"),
        Binding("enter", "save", "Save", id="checkin.save", tooltip="Save (after the last statement)"),
        Binding("escape", "leave", "Leave", id="checkin.leave", tooltip="Leave without saving"),
    ]

    def __init__(self, participant_id: str, instrument: Instrument) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.instrument = instrument
        self.answers: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="checkin-box"):
            yield Static(escape(self.instrument.name), id="checkin-title")
            yield Static("", id="checkin-progress")
            yield Static("", id="checkin-item")
            yield Static("", id="checkin-scale")
            yield Static("", id="checkin-message", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        scale = "\n".join(f"  {k}  {escape(v)}" for k, v in sorted(self.instrument.scale.items()))
        self.query_one("#checkin-scale", Static).update(scale)
        self.show()

    @property
    def finished(self) -> bool:
        return len(self.answers) == len(self.instrument.items)

    def show(self, message: str = "") -> None:
        count = len(self.instrument.items)
        progress = self.query_one("#checkin-progress", Static)
        item = self.query_one("#checkin-item", Static)
        self.query_one("#checkin-scale", Static).display = not self.finished
        if self.finished:
            total = sum(self.answers)
            low, high = self.instrument.total_range
            progress.update(f"All {count} answered: {' '.join(map(str, self.answers))}")
            item.update(f"[b]Total {total}[/b] (from {low} to {high})\n"
                        f"{escape(self.instrument.meaning(total))}\n\n"
                        "Enter saves · Backspace changes the last answer · Esc leaves without saving")
        else:
            number = len(self.answers) + 1
            progress.update(f"Statement {number} of {count}")
            item.update(f"[b]{escape(self.instrument.items[number - 1].text)}[/b]")
        self.query_one("#checkin-message", Static).update(escape(message))

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if len(char) != 1 or not char.isprintable() or char in "?":
            return
        event.stop()
        low, high = self.instrument.lowest, self.instrument.highest
        if self.finished:
            self.show("All statements are answered: Enter saves, Backspace goes back.")
        elif char.isdigit() and int(char) in self.instrument.scale:
            self.answers.append(int(char))
            self.show()
        else:
            self.show(f"'{char}' is not an answer: type a digit from {low} to {high}.")

    def action_back_one(self) -> None:
        if self.answers:
            self.answers.pop()
        self.show()

    def action_save(self) -> None:
        if not self.finished:
            self.show(f"Answer all {len(self.instrument.items)} statements first.")
            return
        vault = self.vault
        try:
            row_id = assessments.record(vault, self.participant_id, self.instrument, self.answers)
        except CoachdeskError as exc:
            self.show(f"Not saved: {exc}")
            return
        self.dismiss(row_id)

    def action_leave(self) -> None:
        self.dismiss(None)
