"""The coach's self-care check-in: a few 1-5 questions and a line of text, kept on this
laptop only. Ctrl+S saves; Ctrl+G shares the latest check-in's scales with the supervisor
for your latest session (tick the box to add your line of text)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.markup import escape
from textual.widgets import Input, Label, Static

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.selfcare import instrument
from coachdesk.store import selfcare, supervision
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox


class SelfcareScreen(CoachdeskScreen[None]):
    TITLE = "Self-care check-in"
    HELP = ("Only you see this: it stays on this laptop, never in a bundle.\n"
            "Answer each question 1 (low) to 5 (high); the line is optional.\n"
            "Ctrl+S saves. Ctrl+G shares your latest check-in's numbers with\n"
            "your supervisor, for your latest session (tick the box to add\n"
            "your line of text too).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="selfcare.save", tooltip="Save the check-in"),
        Binding("ctrl+g", "share", "Share", id="selfcare.share",
                tooltip="Share the latest check-in's summary for your latest session"),
        Binding("escape", "back", "Back", id="selfcare.back", tooltip="Back"),
    ]

    def compose(self) -> ComposeResult:
        form = instrument()
        yield Static(f"[b]{escape(form.name)}[/b]", markup=True, id="form-title")
        yield Static(escape(" " + form.about), classes="explain")
        with Grid(id="selfcare-form"):
            for item in form.items:
                yield Input(id=f"q-{item.id}", compact=True, max_length=1, restrict=r"[1-5]?",
                            placeholder="·")
                yield Label(escape(item.text))
        yield Input(id="selfcare-note", compact=True, max_length=300,
                    placeholder=form.text_prompt)
        yield TickBox("when I share, include my line of text", id="selfcare-with-note",
                      compact=True)
        yield Static("", id="selfcare-status", classes="explain")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(f"#q-{instrument().items[0].id}", Input).focus()
        self._status()

    def _status(self) -> None:
        taken = selfcare.checkins(self.vault)
        when = taken[0].taken_at[:10] if taken else "never"
        self.query_one("#selfcare-status", Static).update(
            f" Last check-in: {when} · {len(taken)} kept on this laptop")

    def _answers(self) -> list[int]:
        answers = []
        for number, item in enumerate(instrument().items, start=1):
            value = self.query_one(f"#q-{item.id}", Input).value.strip()
            if not value:
                raise ValidationFailed(f"question {number}: answer 1 to 5")
            answers.append(int(value))
        return answers

    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        try:
            selfcare.record(self.vault, self._answers(),
                            self.query_one("#selfcare-note", Input).value)
        except CoachdeskError as exc:
            error.update(escape(f"Not saved: {exc}"))
            return
        error.update("")
        for field in self.query(Input):
            field.value = ""
        self.notify("Check-in saved on this laptop.")
        self._status()

    def action_share(self) -> None:
        vault = self.vault
        error = self.query_one("#error", Static)
        taken = selfcare.checkins(vault)
        mine = supervision.sessions(vault, vault.device)
        if not taken or not mine:
            error.update("Not shared: " + ("save a check-in first" if not taken
                                           else "you have no supervision session yet"))
            return
        with_note = self.query_one("#selfcare-with-note", TickBox).value
        try:
            selfcare.share(vault, taken[0].id, mine[0].id, with_note=with_note)
        except CoachdeskError as exc:
            error.update(escape(f"Not shared: {exc}"))
            return
        error.update("")
        self.notify(f"Shared with your supervisor for the session of "
                    f"{mine[0].session.held_on.isoformat()}.")

    def action_back(self) -> None:
        self.dismiss(None)
