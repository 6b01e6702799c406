"""The roster: everyone on the caseload, found by typing part of a name."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from coachdesk.models import ParticipantRow, ParticipantType, Status
from coachdesk.store import action_items, participants
from coachdesk.sync import service as sync_service

SHOWN = 100
"""Rows drawn at once: typing narrows the list (keeps each keystroke fast at any caseload)."""

FILTERS: tuple[tuple[str, Status | None], ...] = (
    ("active", Status.ACTIVE),
    ("closed", Status.CLOSED),
    ("all", None),
)
KIND_SHORT = {ParticipantType.PERSON_IN_RECOVERY: "recovery", ParticipantType.LOVED_ONE: "loved one"}
FLAG_SHORT = {"recent_overdose": "!OD", "harm_self": "!self", "harm_others": "!others",
              "unreached": "!unreached"}


def flags_text(row: ParticipantRow) -> str:
    return " ".join(FLAG_SHORT.get(f, "!" + f) for f in row.safety_flags)


class RosterScreen(Screen[None]):
    TITLE = "Roster"
    HELP = (
        "Type a name or phone to search; Down moves into the list;\n"
        "Enter opens a person. Flags: !OD recent overdose, !self /\n"
        "!others risk of harm, !unreached hard to reach. Due: overdue\n"
        "action items (F3). 'unsynced': changes no peer has yet (F4)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add", "New", id="roster.add", tooltip="Add a participant"),
        Binding("enter", "open", "Open", id="roster.open", tooltip="Open the selected person"),
        Binding("ctrl+t", "cycle_filter", "Active/closed", id="roster.filter",
                tooltip="Show active, closed or all participants"),
        Binding("ctrl+o", "note", "Note", id="roster.note",
                tooltip="Session note for the selected person"),
        Binding("slash", "search", "Search", id="roster.search", tooltip="Search by name",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = 0
        self._rows: list[ParticipantRow] = []
        self._unsynced = 0  # changes no peer has acknowledged (sync); counted on show, not per key

    def compose(self) -> ComposeResult:
        with Horizontal(id="roster-bar"):
            yield Input(id="search", placeholder="type to search name or phone", compact=True)
            yield Static("", id="roster-status")
        table: DataTable[str] = DataTable(id="roster", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", width=22, key="name")
        table.add_column("Pronouns", width=9, key="pronouns")
        table.add_column("Type", width=9, key="type")
        table.add_column("Weeks", width=5, key="weeks")
        table.add_column("Flags", width=14, key="flags")
        table.add_column("Due", width=5, key="due")
        self._count_unsynced()
        self.refresh_rows()
        self.query_one("#search", Input).focus()

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.app.vault  # type: ignore[attr-defined]
        if vault is None:
            return
        label, status = FILTERS[self._filter]
        text = self.query_one("#search", Input).value
        self._rows = participants.roster(vault, text, status, limit=SHOWN + 1)
        more = len(self._rows) > SHOWN
        del self._rows[SHOWN:]
        discreet = self.app.discreet  # type: ignore[attr-defined]
        today = dt.date.today()
        overdue = action_items.overdue_counts(vault, today)
        table = self.query_one(DataTable)
        table.clear()
        for row in self._rows:
            weeks = max(0, (today - row.intake_date).days // 7)
            table.add_row(
                row.shown_name(discreet), row.pronouns, KIND_SHORT[row.kind],
                str(weeks), flags_text(row),
                f"!{overdue[row.id]}" if row.id in overdue else "", key=row.id,
            )
        if keep:
            for index, row in enumerate(self._rows):
                if row.id == keep:
                    table.move_cursor(row=index)
        noun = "person" if len(self._rows) == 1 else "people"
        unsynced = f" · {self._unsynced} unsynced" if self._unsynced else ""
        shown = f"first {SHOWN}, type to narrow" if more else f"{len(self._rows)} {noun}"
        self.query_one("#roster-status", Static).update(f"{label}: {shown}{unsynced}")

    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#search")
    def _search_enter(self) -> None:
        self.action_open()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        search = self.query_one("#search", Input)
        if event.key == "down" and search.has_focus and self._rows:
            self.query_one(DataTable).focus()
            event.stop()
        elif event.key == "escape" and search.has_focus and search.value:
            search.value = ""
            event.stop()

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self._rows:
            return None
        index = min(max(table.cursor_row, 0), len(self._rows) - 1)
        return self._rows[index].id

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        row_id = self.selected_id()
        if row_id:
            self.app.open_participant(row_id)  # type: ignore[attr-defined]

    def action_add(self) -> None:
        self.app.add_participant()  # type: ignore[attr-defined]

    def action_note(self) -> None:
        row_id = self.selected_id()
        if row_id:
            self.app.start_note(row_id)  # type: ignore[attr-defined]

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_cycle_filter(self) -> None:
        self._filter = (self._filter + 1) % len(FILTERS)
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        self._count_unsynced()
        self.refresh_rows(keep=self.selected_id())

    def _count_unsynced(self) -> None:
        vault = self.app.vault  # type: ignore[attr-defined]
        self._unsynced = sync_service.unacknowledged(vault) if vault is not None else 0
