"""Set or clear a participant's safety flags (shown next to the name everywhere)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox, Static

from coachdesk.models import SAFETY_FLAGS, ParticipantRow
from coachdesk.store import participants
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox


class FlagsScreen(CoachdeskModal[bool]):
    """Returns True when the flags were saved."""

    TITLE = "Safety flags"
    HELP = "Up / Down (or Tab) move, Space ticks or clears a flag,\nCtrl+S saves, Esc cancels."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="flags.save", tooltip="Save the flags"),
        Binding("escape", "cancel", "Cancel", id="flags.cancel", tooltip="Leave without saving"),
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
    ]

    def __init__(self, person: ParticipantRow) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical(id="flags-box", classes="dialog"):
            yield Static("[b]Safety flags[/b] (shown next to the name everywhere)")
            for flag, label in SAFETY_FLAGS.items():
                yield TickBox(label, value=flag in self.person.safety_flags, id=f"flag-{flag}",
                              compact=True)
            yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query(Checkbox).first().focus()

    def chosen(self) -> list[str]:
        return [f for f in SAFETY_FLAGS if self.query_one(f"#flag-{f}", Checkbox).value]

    def action_save(self) -> None:
        def save() -> bool:
            participants.update(self.vault, self.person.id, {"safety_flags": self.chosen()})
            return True

        self.close_with(save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)
