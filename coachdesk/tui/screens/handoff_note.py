"""The handoff note shown first: the supervisor's note to this coach about a person just
transferred to them (who wrote it, from which coach, when). Seen once on this vault."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from coachdesk.models.followup import local_at
from coachdesk.store import handoff_seen
from coachdesk.store.handoff_seen import Unseen
from coachdesk.sync import caseload
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine

PAGE = "page"
"""The reveal key (discreet mode) shows the handoff notes."""


class HandoffNoteScreen(CoachdeskModal[None]):
    TITLE = "Handoff note"
    HELP = ("The note the supervisor left when this person was transferred to you.\n"
            "It shows once on this vault. Enter or Esc closes it.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Close", id="handoff.close",
                tooltip="Close the note and show the person's page"),
    ]

    def __init__(self, participant_id: str, notes: list[Unseen]) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.notes = notes

    def compose(self) -> ComposeResult:
        names = caseload.coach_names(self.vault)

        def who(device: str) -> str:
            return names.get(device, device[:8]) if device else "no one"

        alias = self.name_of(self.participant_id)
        with Vertical(id="handoff-box", classes="dialog"):
            yield Static(f"[b]Handoff note: {escape(alias)} is now yours[/b]")
            with VerticalScroll(id="handoff-notes"):
                for note in self.notes:
                    yield Static(escape(f"{who(note.writer)} wrote, {local_at(note.at)}, "
                                        f"from {who(note.from_coach)}'s caseload:"),
                                 classes="explain")
                    yield Static(escape(self.secret(note.note, PAGE)), classes="handoff-text")
            yield Static("[dim]Enter or Esc closes; it will not show again here.[/dim]")
        yield KeyLine()

    def selected_key(self) -> str:
        return PAGE  # the reveal key (discreet mode) shows the notes

    def redraw_names(self) -> None:
        for widget, note in zip(self.query(".handoff-text").results(Static), self.notes, strict=False):
            widget.update(escape(self.secret(note.note, PAGE)))

    def on_mount(self) -> None:
        handoff_seen.mark_seen(self.vault, self.participant_id, [n.id for n in self.notes])

    def action_close(self) -> None:
        self.dismiss(None)
