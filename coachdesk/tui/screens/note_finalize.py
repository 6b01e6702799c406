"""Asked when a note is finalized without what the monthly report needs: minutes,
setting and contact type, filled in from the note, else from the last finalized note.
Returns the three values (the editor saves them and finalizes), or None on Esc."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Select, Static

from coachdesk.models.note import MAX_DURATION_MIN, ContactType, Note, Setting
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class FinalizeForm(CoachdeskModal[dict[str, Any] | None]):
    TITLE = "Finalize"
    HELP = (
        "Reports count each contact by its minutes, setting and type.\n"
        "Tab moves between the fields. F10 (or Enter in Minutes)\n"
        "finalizes: the note is then locked. Esc goes back to the note."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "done", "Finalize", id="finalize.done", tooltip="Finalize the note"),
        Binding("ctrl+s", "done", "Finalize", id="finalize.save", show=False,
                tooltip="Finalize the note"),
        Binding("escape", "cancel", "Back", id="finalize.cancel",
                tooltip="Back to the note, not finalized"),
        # A modal hides the app's keys: the panic key in its footer, and F1 answers here.
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def __init__(self, who: str, when: str, note: Note, last: dict[str, Any],
                 items: int) -> None:
        super().__init__()
        self.who, self.when, self.items = who, when, items
        self.values = {name: getattr(note, name) or last.get(name, "")
                       for name in ("duration_min", "setting", "contact_type")}
        self.missing = [name for name in self.values if not getattr(note, name)]
        self.from_last = any(last.get(name) for name in self.missing)

    def compose(self) -> ComposeResult:
        items = f"{self.items} action item{'s' * (self.items != 1)}"
        with Vertical(id="finalize-box"):
            yield Static(f"[b]Finalize[/b] the note for {escape(self.who)}, {self.when}")
            yield Static("[dim]Reports need these" + ("; filled in from your last note."
                         if self.from_last else ".") + "[/dim]")
            with Horizontal(classes="finalize-row"):
                yield Static("Minutes", classes="finalize-label")
                yield Input(str(self.values["duration_min"] or ""), id="finalize-minutes",
                            type="integer", compact=True, placeholder="min")
            with Horizontal(classes="finalize-row"):
                yield Static("Setting", classes="finalize-label")
                yield Select([(s.value, s.value) for s in Setting], id="finalize-setting",
                             compact=True, prompt="choose")
            with Horizontal(classes="finalize-row"):
                yield Static("Contact type", classes="finalize-label")
                yield Select([(c.value, c.value) for c in ContactType], id="finalize-contact",
                             compact=True, prompt="choose")
            yield Static(f"[dim]F10 finalizes ({items}); then it is locked.[/dim]")
            yield Static("", id="finalize-problem", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        for widget_id, name in (("#finalize-setting", "setting"),
                                ("#finalize-contact", "contact_type")):
            if self.values[name]:
                self.query_one(widget_id, Select).value = str(self.values[name])
        first = {"duration_min": "#finalize-minutes", "setting": "#finalize-setting",
                 "contact_type": "#finalize-contact"}[(self.missing or ["duration_min"])[0]]
        self.query_one(first).focus()

    @on(Input.Submitted, "#finalize-minutes")
    def action_done(self) -> None:
        minutes = self.query_one("#finalize-minutes", Input).value.strip()
        setting = self.query_one("#finalize-setting", Select).value
        contact = self.query_one("#finalize-contact", Select).value
        problem = self.query_one("#finalize-problem", Static)
        if not minutes.isdigit() or int(minutes) > MAX_DURATION_MIN:
            problem.update(f"Minutes: a whole number from 0 to {MAX_DURATION_MIN}.")
            self.query_one("#finalize-minutes").focus()
            return
        if not isinstance(setting, str):
            problem.update("Choose the setting.")
            self.query_one("#finalize-setting").focus()
            return
        if not isinstance(contact, str):
            problem.update("Choose the contact type.")
            self.query_one("#finalize-contact").focus()
            return
        self.dismiss({"duration_min": int(minutes), "setting": setting, "contact_type": contact})

    def action_cancel(self) -> None:
        self.dismiss(None)
