"""A finalized note, read only, with its addenda (each with its own time) and its review
thread (supervision, F7); `a` adds an addendum.
Typing into it says why nothing changes.
An addendum being written is kept as a local draft (store/addendum_drafts.py, autosaved
by tui/autosave.py) until it is added or dropped on purpose."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.markup import escape
from textual.widgets import Static, TextArea

from coachdesk.errors import CoachdeskError
from coachdesk.store import addendum_drafts, notes, reviews
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from coachdesk.tui import commands
from coachdesk.tui.autosave import attempt, saved_time
from coachdesk.tui.format import short_time, thread_lines
from coachdesk.tui.screens.base import HIDDEN, CoachdeskModal, KeptPage
from coachdesk.tui.screens.draft_text import DraftTextScreen
from coachdesk.tui.widgets.key_line import KeyLine

PAGE = "page"
"""The one "row" of a note: the reveal key (discreet mode) shows all of it."""
FINAL_MESSAGE = "This note is final. Press a to add an addendum."
ELSEWHERE_MESSAGE = "This draft is being written on another device: it changes only there."


class NoteView(KeptPage):
    TITLE = "Session note"
    HELP = (
        "A finalized note cannot change. Corrections and later facts are\n"
        "addenda: press a, write, Ctrl+S. Each addendum keeps its own time.\n"
        "Discreet mode (F2) hides what was written: Ctrl+E shows it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="noteview.back", tooltip="Back"),
        Binding("a", "addendum", "Addendum", id="noteview.addendum",
                tooltip="Add a correction or a later fact"),
    ]

    def __init__(self, note_id: str) -> None:
        super().__init__(note_id)
        self.note_id = note_id
        self._final = True

    def compose(self) -> ComposeResult:
        # The message goes on top: notifications show at the bottom and would cover it.
        yield Static("", id="noteview-message", classes="error")
        with VerticalScroll(id="noteview-body"):
            yield Static("", id="noteview-page")  # one text: fewer widgets, a faster open
        yield KeyLine()

    def on_mount(self) -> None:
        if self.load_or_close(self._open) is None:
            return
        self.query_one("#noteview-body", VerticalScroll).focus()

    def _open(self, vault: Vault) -> bool:
        notes.viewed(vault, self.note_id)
        self.show()
        return True

    def reopen(self, record_id: str) -> bool:
        """Another note on this view, already mounted (app.push_kept)."""
        try:
            notes.get(self.vault, record_id)
        except CoachdeskError as exc:
            self.app.notify(f"Cannot open: {exc}.", severity="error")
            return False
        notes.viewed(self.vault, record_id)
        self.note_id, self.revealed = record_id, None
        self.query_one("#noteview-message", Static).display = False
        self.show()
        body = self.query_one("#noteview-body", VerticalScroll)
        body.scroll_home(animate=False, immediate=True)
        body.focus()
        return True

    def selected_key(self) -> str:
        return PAGE  # the reveal key (discreet mode) shows the note

    def redraw_names(self) -> None:
        if self.unlocked:
            self.show()

    def show(self) -> None:
        vault = self.vault
        note = notes.get(vault, self.note_id)
        self._final = note.is_final
        state = (f"finalized {short_time(note.finalized_at)}" if note.is_final else "draft")
        minutes = f" · {note.duration_min} min" if note.duration_min else ""
        setting = note.setting or "setting not recorded"
        kind = note.contact_type or "type not recorded"
        who = self.name_of(note.participant_id)
        head = f"[b]{escape(who)} · " + escape(
            f"{short_time(note.occurred_at)}{minutes} · {setting} · {kind}"
            f" · {'read back' if note.read_back else 'not read back'} · {state} · {note.author}"
        ) + "[/b]"
        lines = []
        for addendum in notes.addenda(vault, self.note_id):
            lines.append(f"[b]Addendum {escape(short_time(addendum.at))}[/b] · {escape(addendum.author)}")
            lines.append(escape(self.secret(addendum.body, PAGE)))
        thread = reviews.thread(vault, self.note_id)
        if thread:  # the supervisor's review and the answers: F7 acts on them
            hidden = HIDDEN if self.hides(PAGE) else ""
            lines += ["", *thread_lines(thread, caseload.coach_names(vault), hidden),
                      "[dim]F7: review and answer[/dim]"]
        if addendum_drafts.get(vault, self.note_id) is not None:
            lines.append("[i]An addendum you started is not added yet: a continues it.[/i]")
        page = [head, "", escape(self.secret(note.text, PAGE))]
        self.query_one("#noteview-page", Static).update("\n".join(
            page + ["", *lines] if lines else page))

    def on_key(self, event: Key) -> None:
        """A letter typed here changes nothing: say why, and how to add to the note."""
        if event.is_printable and event.key not in ("a", "question_mark"):
            message = self.query_one("#noteview-message", Static)
            message.update(FINAL_MESSAGE if self._final else ELSEWHERE_MESSAGE)
            message.display = True
            event.stop()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_addendum(self) -> None:
        self.app.push_screen(AddendumForm(self.note_id), callback=self._after_addendum)

    def _after_addendum(self, added: str | None) -> None:
        if self.unlocked:
            self.show()
            if added:
                self.notify("Addendum added.")


class AddendumForm(CoachdeskModal[str | None], DraftTextScreen[str | None]):
    TITLE = "Addendum"
    HELP = ("Write the correction or the later fact; Ctrl+S adds it, Esc twice leaves\n"
            "without adding. Until then it is kept as a draft (also through a lock).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Add", id="addendum.save", tooltip="Add the addendum"),
        Binding("escape", "cancel", "Cancel", id="addendum.cancel", tooltip="Leave without adding"),
        # A modal hides the app's keys: the panic key in its footer, and F1 answers here.
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def __init__(self, note_id: str) -> None:
        super().__init__()
        self.note_id = note_id
        self._cancel_armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="addendum-box"):
            yield Static("[b]Addendum[/b] (Ctrl+S adds, Esc cancels)")
            yield Static("", id="addendum-draft", classes="explain")
            yield TextArea("", id="addendum-text", soft_wrap=True, compact=True)
            yield Static("", id="addendum-problem", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        area = self.query_one("#addendum-text", TextArea)
        draft = addendum_drafts.get(self.vault, self.note_id)
        restored = self.query_one("#addendum-draft", Static)
        restored.display = draft is not None
        if draft is not None:
            area.load_text(draft.body)
            area.move_cursor(area.document.end)
            restored.update(escape(f"Restored your unsaved draft from {saved_time(draft.saved_at)}."))
        area.focus()
        self.call_after_refresh(self._loaded)

    def _say_draft(self, text: str, error: bool = False) -> None:
        """The form's one message line: the draft's state, or why it is not added."""
        self.query_one("#addendum-problem", Static).update(escape(text))
        self._draft_error = error

    # ---- the draft ------------------------------------------------------------------
    def _save_draft(self, vault: Vault) -> None:
        text = self.query_one("#addendum-text", TextArea).text
        if text.strip():
            addendum_drafts.save(vault, self.note_id, text)
        else:
            addendum_drafts.discard(vault, self.note_id)

    # ---- actions --------------------------------------------------------------------
    def action_save(self) -> None:
        vault = self.vault
        text = self.query_one("#addendum-text", TextArea).text
        try:
            row_id = addendum_drafts.add(vault, self.note_id, text)
        except CoachdeskError as exc:
            self._say_draft(f"Not added: {exc}")
            return
        self.autosave.forget()
        self.dismiss(row_id)

    def action_cancel(self) -> None:
        text = self.query_one("#addendum-text", TextArea).text
        if text.strip() and not self._cancel_armed:
            self._cancel_armed = True
            self._say_draft("Not added yet: Esc again drops it, Ctrl+S adds.")
            return
        self.autosave.forget()
        vault = self.cd_app.vault
        if vault is not None:  # if the disk is full the draft stays: it is offered again
            attempt(lambda: addendum_drafts.discard(vault, self.note_id))
        self.dismiss(None)
