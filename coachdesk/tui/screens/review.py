"""The supervisor's Review screen: finalized notes of the team not yet reviewed (the
longest waiting first), then the notes whose follow-up is still open. F6 cycles the
coach whose notes show; Enter opens the note with its addenda and thread; r reviewed,
f needs follow-up, c comment, x closes a follow-up (review_keys.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import DataTable, Static

from coachdesk.store import reviews as entries
from coachdesk.store.reviews import Listed
from coachdesk.sync import caseload, team
from coachdesk.tui.screens import review_keys
from coachdesk.tui.screens.review_keys import ReviewKeysScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


@dataclass(frozen=True)
class Row:
    listed: Listed
    state: str
    """new (waiting for review), follow-up (open), answered (the coach wrote last)."""


def rows_for(queue: list[Listed], follow_ups: list[Listed]) -> list[Row]:
    return [*(Row(item, "new") for item in queue),
            *(Row(item, "answered" if item.last_by == item.coach else "follow-up")
              for item in follow_ups)]


class ReviewScreen(ReviewKeysScreen):
    TITLE = "Review"
    HELP = (
        "Finalized notes of your team not reviewed yet, the longest\n"
        "waiting first, then open follow-ups (answered: the coach wrote\n"
        "last). F6 shows one coach at a time. Enter opens the note with\n"
        "its addenda and thread. r marks it reviewed, f needs follow-up\n"
        "(say what: an item for the coach until you close it), c adds a\n"
        "comment, x closes a follow-up. A review never changes the note;\n"
        "it travels to the coach with the next bundle (F4)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review.back", tooltip="Back", show=False),
        Binding("enter", "open", "Open", id="review.open",
                tooltip="Show the note, its addenda and its thread"),
        *review_keys.bindings("review", "reviewed", "follow_up", "comment", "close_follow_up"),
        # The key line names F6, c and Esc (the footer keeps its room for the panic key).
        Binding("f6", "cycle_coach", "Coach", id="review.coach", show=False,
                tooltip="All coaches, or one coach at a time"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._coaches: list[tuple[str, str]] = [("", "all coaches")]
        self._coach = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title")
        yield RecordTable(("State", 9), ("Final", 10), ("Coach", 12), ("Who", 14),
                          ("Start of the note", 22), id="review-list")
        yield Static(f"[dim]Enter the note and its thread · F6 coach ·[/dim] {review_keys.KEY_LINE}",
                     id="review-keys")
        yield KeyLine()

    def on_mount(self) -> None:
        self.know_role()
        held = team.current(self.vault.conn)
        members = sorted((m for m in (held.active_members() if held else [])
                          if m.device != self.vault.device),
                         key=lambda m: m.identity.name.casefold())
        self._coaches += [(m.device, m.identity.name) for m in members]
        if not self.supervisor:
            self.query_one("#review-title", Static).update(
                "Only a supervisor reviews notes.")
            return
        self.refresh_rows()
        self.query_one(DataTable).focus()

    @property
    def coach(self) -> str:
        return self._coaches[self._coach % len(self._coaches)][0]

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.cd_app.vault
        if vault is None or not self.supervisor:
            return
        coach = self.coach or None
        queue = entries.queue(vault, coach)
        follow_ups = entries.open_follow_ups(vault, coach)
        self._rows = rows_for(queue, follow_ups)
        names = caseload.coach_names(vault)
        table = self.query_one(DataTable)
        table.clear()
        for row in self._rows:
            item = row.listed
            table.add_row(row.state, item.finalized_at[:10],
                          names.get(item.coach, item.author),
                          self.shown(item.alias, item.note_id),
                          self.secret(item.first_line, item.note_id), key=item.note_id)
        for index, row in enumerate(self._rows):
            if row.listed.note_id == keep:
                table.move_cursor(row=index)
        name = self._coaches[self._coach % len(self._coaches)][1]
        self.query_one("#review-title", Static).update(
            f"{len(queue)} to review · {len(follow_ups)} "
            f"follow-up{'' if len(follow_ups) == 1 else 's'} open · "
            f"[b]{escape(name)}[/b]")

    def selected(self) -> Row | None:
        row = self.query_one(DataTable).cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def target_note(self) -> str | None:
        row = self.selected()
        return row.listed.note_id if row else None

    def after_review(self) -> None:
        self.refresh_rows(keep=self.target_note())

    def redraw_names(self) -> None:
        self.refresh_rows(keep=self.target_note())

    def on_screen_resume(self) -> None:
        self.refresh_rows(keep=self.target_note())

    def action_cycle_coach(self) -> None:
        self._coach = (self._coach + 1) % len(self._coaches)
        self.refresh_rows()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        note_id = self.target_note()
        if note_id:
            self.cd_app.open_review_thread(note_id)

    def action_back(self) -> None:
        self.dismiss(None)
