"""All notes of one person, newest first; Enter opens one."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from coachdesk.models.note import NoteRow
from coachdesk.store import notes, reviews
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable

REVIEW_WORDS = {reviews.NONE: "", "reviewed": "reviewed", "follow_up": "follow-up",
                "closed": "closed"}


class NoteListScreen(CoachdeskScreen[None]):
    TITLE = "Notes"
    HELP = ("One person's notes, newest first. Enter opens a note; drafts open in the editor.\n"
            "Review: reviewed, follow-up (open: F7 shows the thread), closed.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="notelist.back", tooltip="Back"),
        Binding("enter", "open", "Open", id="notelist.open", tooltip="Open the selected note"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._rows: list[NoteRow] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="notelist-title")
        yield RecordTable(("When", 16), ("State", 5), ("Type", 16), ("Review", 9),
                          ("Start of the note", 23), id="notelist")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.refresh_rows()
        table.focus()

    def refresh_rows(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        self._rows = notes.for_participant(vault, self.participant_id)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        decided = reviews.states(vault)
        for note in self._rows:
            first = next((ln.strip() for ln in note.text.splitlines() if ln.strip()), "")
            table.add_row(note.occurred_at[:16].replace("T", " "),
                          "final" if note.is_final else "draft", note.contact_type,
                          REVIEW_WORDS[decided.get(note.id, reviews.NONE)],
                          self.secret(first, note.id), key=note.id)
        if 0 < keep < table.row_count:
            table.move_cursor(row=keep)
        self.query_one("#notelist-title", Static).update(f"{len(self._rows)} notes")

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def redraw_names(self) -> None:
        self.refresh_rows()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self._rows:
            self.cd_app.open_note(self._rows[min(table.cursor_row, len(self._rows) - 1)].id)

    def action_back(self) -> None:
        self.dismiss(None)
