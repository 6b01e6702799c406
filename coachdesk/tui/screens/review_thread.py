"""One finalized note as review sees it: the note, its addenda, and the thread under it
(reviews, follow-ups, comments and answers, oldest first). The review keys act on it
(review_keys.py); nothing typed here changes the note."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from coachdesk.store import notes
from coachdesk.store import reviews as entries
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from coachdesk.tui.format import short_time, thread_lines
from coachdesk.tui.screens import review_keys
from coachdesk.tui.screens.base import HIDDEN
from coachdesk.tui.screens.review_keys import ReviewKeysScreen
from coachdesk.tui.widgets.key_line import KeyLine

PAGE = "page"


class ThreadScreen(ReviewKeysScreen):
    TITLE = "Note under review"
    HELP = (
        "The note, its addenda and its review thread, oldest first. A\n"
        "review never changes the note. Supervisor: r reviewed, f needs\n"
        "follow-up (say what), c comment, x close the follow-up.\n"
        "Coach: a answers under the note.\n"
        "Discreet mode (F2) hides what was written: Ctrl+E shows it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="thread.back", tooltip="Back", show=False),
        *review_keys.bindings("thread", "reviewed", "follow_up", "comment", "close_follow_up",
                              "answer"),
    ]

    def __init__(self, note_id: str) -> None:
        super().__init__()
        self.note_id = note_id

    def compose(self) -> ComposeResult:
        yield Static(review_keys.KEY_LINE, id="thread-keys")
        with VerticalScroll(id="thread-body"):
            yield Static("", id="thread-head")
            yield Static("", id="thread-text")
            yield Static("", id="thread-addenda")
            yield Static("", id="thread-entries")
        yield KeyLine()

    def on_mount(self) -> None:
        self.know_role()
        if not self.supervisor:
            self.query_one("#thread-keys", Static).update("[dim]Esc back[/dim]")
        if self.load_or_close(self._open) is None:
            return
        self.query_one("#thread-body", VerticalScroll).focus()

    def _open(self, vault: Vault) -> bool:
        notes.viewed(vault, self.note_id)
        self.show()
        return True

    def target_note(self) -> str | None:
        return self.note_id

    def selected_key(self) -> str:
        return PAGE  # the reveal key (discreet mode) shows the note and its thread

    def after_review(self) -> None:
        self.show()

    def redraw_names(self) -> None:
        if self.unlocked:
            self.show()

    def show(self) -> None:
        vault = self.vault
        note = notes.get(vault, self.note_id)
        names = caseload.coach_names(vault)
        state = entries.STATE_LABELS[entries.state_of(vault, self.note_id)] or "not reviewed yet"
        minutes = f" · {note.duration_min} min" if note.duration_min else ""
        writer = names.get(note.origin, note.author)
        self.query_one("#thread-head", Static).update(escape(
            f"{self.name_of(note.participant_id)} · {short_time(note.occurred_at)}{minutes}"
            f" · by {writer} · {state}"))
        self.query_one("#thread-text", Static).update(escape(self.secret(note.text, PAGE)))
        lines = []
        for addendum in notes.addenda(vault, self.note_id):
            lines.append(f"[b]Addendum {escape(short_time(addendum.at))}[/b] · "
                         f"{escape(addendum.author)}")
            lines.append(escape(self.secret(addendum.body, PAGE)))
        self.query_one("#thread-addenda", Static).update("\n".join(lines))
        said = thread_lines(entries.thread(vault, self.note_id), names,
                            HIDDEN if self.hides(PAGE) else "")
        self.query_one("#thread-entries", Static).update(
            "\n".join(said) or "[dim]No review yet.[/dim]")

    def action_back(self) -> None:
        self.dismiss(None)
