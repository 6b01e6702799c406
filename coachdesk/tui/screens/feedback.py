"""The coach's Feedback screen: their own notes that have reviews, the newest entry
first, with each note's state (reviewed, needs follow-up, closed). Enter opens the note
and its thread; a answers under the note (review_keys.py)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from coachdesk.models.followup import local_at
from coachdesk.store import reviews as entries
from coachdesk.store.reviews import Listed
from coachdesk.tui.screens import review_keys
from coachdesk.tui.screens.review_keys import ReviewKeysScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


class FeedbackScreen(ReviewKeysScreen):
    TITLE = "Feedback"
    HELP = (
        "Your notes your supervisor reviewed, the newest first.\n"
        "needs follow-up: an item for you (also on F3) until your\n"
        "supervisor closes it. Enter shows the note and its thread;\n"
        "a answers under the note (it goes with the next bundle, F4)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="feedback.back", tooltip="Back"),
        Binding("enter", "open", "Open", id="feedback.open",
                tooltip="Show the note and its thread"),
        *review_keys.bindings("feedback", "answer"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Listed] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="feedback-title")
        yield RecordTable(("State", 15), ("Last", 16), ("Who", 14), ("Start of the note", 25),
                          id="feedback-list")
        yield KeyLine()

    def on_mount(self) -> None:
        self.know_role()
        self.supervisor = False  # a supervisor's own notes get feedback too: a answers
        self.refresh_bindings()
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        self._rows = entries.feedback(vault)
        table = self.query_one(DataTable)
        table.clear()
        for item in self._rows:
            table.add_row(entries.STATE_LABELS[item.state] or "comment", local_at(item.last_at),
                          self.shown(item.alias, item.note_id),
                          self.secret(item.first_line, item.note_id), key=item.note_id)
        for index, item in enumerate(self._rows):
            if item.note_id == keep:
                table.move_cursor(row=index)
        waiting = sum(1 for item in self._rows if item.state == "follow_up")
        self.query_one("#feedback-title", Static).update(
            f"{len(self._rows)} notes with feedback · {waiting} need follow-up"
            if self._rows else "No feedback yet: your supervisor's reviews arrive by bundle (F4).")

    def target_note(self) -> str | None:
        row = self.query_one(DataTable).cursor_row
        return self._rows[row].note_id if 0 <= row < len(self._rows) else None

    def after_review(self) -> None:
        self.refresh_rows(keep=self.target_note())

    def redraw_names(self) -> None:
        self.refresh_rows(keep=self.target_note())

    def on_screen_resume(self) -> None:
        self.refresh_rows(keep=self.target_note())

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        note_id = self.target_note()
        if note_id:
            self.cd_app.open_review_thread(note_id)

    def action_back(self) -> None:
        self.dismiss(None)
