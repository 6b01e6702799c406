"""Supervision: a supervisor's sessions with the team (n logs one); a coach's own sessions
and the items they left (d marks one done). Enter shows a session's topics and note."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import DataTable, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models.competency import label
from coachdesk.store import selfcare
from coachdesk.store.supervision import ItemRow, SessionRow
from coachdesk.sync import supervision
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


class SupervisionScreen(CoachdeskScreen[None]):
    TITLE = "Supervision"
    HELP = ("A supervisor sees the team's sessions and logs one with n\n"
            "(several coaches: a group session); a coach sees their own.\n"
            "Tab moves between sessions and items; d marks an item done.\n"
            "Enter shows a session's topics and private note (hidden in\n"
            "discreet mode). l opens your ledger, w your self-care check-in.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "log", "Log", id="supervision.log",
                tooltip="Log a supervision session (supervisors)"),
        Binding("d", "done", "Done", id="supervision.done", tooltip="Mark the selected item done"),
        Binding("enter", "show", "Details", id="supervision.show",
                tooltip="The selected session's topics and note"),
        Binding("l", "ledger", "My ledger", id="supervision.ledger", show=False,
                tooltip="Your training hours and credential progress"),
        Binding("w", "selfcare", "Self-care", id="supervision.selfcare", show=False,
                tooltip="Your private self-care check-in"),
        Binding("escape", "back", "Back", id="supervision.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: list[SessionRow] = []
        self._items: list[ItemRow] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="supervision-title")
        yield RecordTable(("Date", 10), ("Coach", 16), ("Min", 4), ("Format", 10),
                          ("Topics", 30), id="supervision-sessions")
        yield Static(" Items", id="supervision-items-title")
        yield RecordTable(("", 6), ("Coach", 16), ("Item", 50), id="supervision-items")
        yield Static("", id="supervision-detail")
        yield KeyLine()

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one("#supervision-sessions", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def redraw_names(self) -> None:
        self.refresh_rows()
        if self.focused is self.query_one("#supervision-sessions", DataTable):
            self.action_show()

    def _coach_name(self, names: dict[str, str], device: str) -> str:
        return self.shown(names.get(device, device[:8]))

    def refresh_rows(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        lead = supervision.is_supervisor(vault)
        names = supervision.names(vault)
        self._sessions = supervision.visible_sessions(vault)
        self._items = supervision.visible_items(vault)
        table = self.query_one("#supervision-sessions", DataTable)
        at = table.cursor_row
        table.clear()
        for row in self._sessions:
            s = row.session
            table.add_row(s.held_on.isoformat(), self._coach_name(names, s.coach), str(s.minutes),
                          s.format, ", ".join(s.topics), key=row.id)
        if 0 < at < table.row_count:
            table.move_cursor(row=at)
        items = self.query_one("#supervision-items", DataTable)
        keep = items.cursor_row
        items.clear()
        for item in self._items:
            items.add_row("✓ done" if item.item.done_at else "open",
                          self._coach_name(names, item.item.coach),
                          self.secret(item.item.text, item.id), key=item.id)
        if 0 < keep < items.row_count:
            items.move_cursor(row=keep)
        hours = sum(r.session.minutes for r in self._sessions) / 60
        whose = "the team's sessions" if lead else "your sessions"
        still = sum(1 for i in self._items if not i.item.done_at)
        self.query_one("#supervision-title", Static).update(
            f" {whose}: {len(self._sessions)}, {hours:.1f} h · open items: {still}"
            " · l ledger · w self-care")

    def action_log(self) -> None:
        if not supervision.is_supervisor(self.vault):
            self.notify(supervision.REFUSED, severity="error")
            return
        from coachdesk.tui.screens.supervision_log import LogSessionScreen

        self.app.push_screen(LogSessionScreen())

    def action_done(self) -> None:
        table = self.query_one("#supervision-items", DataTable)
        if not self._items or not 0 <= table.cursor_row < len(self._items):
            return
        item = self._items[table.cursor_row]
        try:
            supervision.mark_done(self.vault, item.id, not item.item.done_at)
        except CoachdeskError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_rows()
        table.move_cursor(row=min(table.cursor_row, max(len(self._items) - 1, 0)))

    @on(DataTable.RowSelected, "#supervision-sessions")
    def action_show(self) -> None:
        table = self.query_one("#supervision-sessions", DataTable)
        if not self._sessions or not 0 <= table.cursor_row < len(self._sessions):
            return
        row = self._sessions[table.cursor_row]
        s = row.session
        topics = "; ".join(label(t) for t in s.topics) or "no topic"
        hidden = self.hides(row.id)
        note = "(hidden in discreet mode: Ctrl+E shows it)" if hidden else (s.private_note or "(no note)")
        shared = selfcare.shared_for(self.vault, row.id)
        care = ("(hidden in discreet mode)" if hidden else shared[-1]) if shared else ""
        self.query_one("#supervision-detail", Static).update(escape(
            f" {s.held_on.isoformat()}: {topics}"[:78] + f"\n note: {note}"[:78]
            + (f"\n self-care shared: {care}"[:78] if care else "")))

    def action_ledger(self) -> None:
        from coachdesk.tui.screens.ledger import LedgerScreen

        self.app.push_screen(LedgerScreen())

    def action_selfcare(self) -> None:
        from coachdesk.tui.screens.selfcare import SelfcareScreen

        self.app.push_screen(SelfcareScreen())

    def action_back(self) -> None:
        self.dismiss(None)
