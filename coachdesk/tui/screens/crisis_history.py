"""Past crisis checklists, newest first: Enter opens one (its summary, or the running list)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from coachdesk.export.incident import local_time
from coachdesk.store import crisis
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.crisis_footer import CrisisFooter
from coachdesk.tui.widgets.record_table import RecordTable


class CrisisHistory(CoachdeskScreen[None]):
    TITLE = "Past crisis checklists"
    HELP = "Every crisis checklist in this vault, newest first. Enter opens it; Esc goes back."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="history.open", tooltip="Open the selected checklist"),
        Binding("escape", "close", "Close", id="history.close", tooltip="Back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield Static(" CRISIS  Past checklists  ·  Enter opens one", id="crisis-head")
        yield RecordTable(("Started", 16, "started"), ("Checklist", 24, "title"),
                          ("Person", 12, "person"), ("Outcome", 20, "outcome"), id="history-table")
        yield CrisisFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for record in crisis.history(self.vault):
            pid = record.participant_id
            table.add_row(
                f"{local_time(record.event.started_at):%Y-%m-%d %H:%M}",
                Text(record.event.protocol_title),
                Text(self.name_of(pid) if pid else "-"),
                Text(record.outcome or "not ended"),
                key=record.event.id,
            )
            self._ids.append((record.event.id, record.ended))
        table.focus()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self._ids:
            return
        event_id, ended = self._ids[min(max(table.cursor_row, 0), len(self._ids) - 1)]
        if ended:
            self.app.open_crisis_summary(event_id)  # type: ignore[attr-defined]
        else:
            self.app.open_checklist(event_id)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.app.pop_screen()
