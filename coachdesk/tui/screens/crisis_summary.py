"""After a checklist: its timeline, a printable summary, a session note, what comes next."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from coachdesk.errors import CoachdeskError
from coachdesk.export.incident import (
    clock,
    export_incident,
    incident_note_header,
    incident_note_text,
    local_time,
    timeline,
)
from coachdesk.models import CrisisRecord
from coachdesk.protocols import load_all
from coachdesk.store import crisis
from coachdesk.store.db import DatabaseError
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal, CoachdeskScreen
from coachdesk.tui.screens.crisis_person import PersonPicker
from coachdesk.tui.widgets.crisis_footer import CrisisFooter
from coachdesk.tui.widgets.record_table import RecordTable


class ExportPath(CoachdeskModal[Path | None]):
    """Ask where to write the incident summary; returns the path written."""

    TITLE = "Save the incident summary"
    HELP = ("Type a file path ending in .html (prints well from a browser) or .md and press "
            "Enter. Nothing is written elsewhere.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Write nothing"),
        commands.LOCK.binding(),  # a modal hides the app's keys from the footer
    ]

    def __init__(self, write: Callable[[Path, str], Path]) -> None:
        super().__init__()
        self._write_to = write

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static("[b]Save a printable incident summary (.html or .md)[/b]", markup=True)
            yield Static("It holds the person's name and the timeline: choose the place with "
                         "care. An existing file is never overwritten.", classes="explain")
            yield Input(id="export-path", placeholder="~/incident.md", compact=True)
            yield Static("", id="export-error", classes="error")
        yield CrisisFooter()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _write(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.query_one("#export-error", Static).update("Type a file path first.")
            return
        path = Path(raw).expanduser()
        if path.suffix == "":
            path = path.with_suffix(".md")
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(path.suffix.lower())
        if fmt is None:
            self.query_one("#export-error", Static).update("The name must end in .html or .md.")
            return
        self.close_with(lambda: self._write_to(path, fmt), "#export-error", "Not written")

    def action_cancel(self) -> None:
        self.dismiss(None)


class CrisisSummary(CoachdeskScreen[None]):
    TITLE = "Crisis checklist: summary"
    HELP = (
        "The record of the checklist: every answer with its time, steps taken back "
        "included. m saves a printable summary where you say; o starts a session note "
        "from the timeline; p attaches the person; c starts the follow-up checklist for you."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "markdown", "Print", id="summary.markdown",
                tooltip="Save a printable incident summary (Markdown) where you say"),
        Binding("o", "note", "Note", id="summary.note", tooltip="Start a session note from the timeline"),
        Binding("p", "person", "Person", id="summary.person", tooltip="Attach the person this was about"),
        Binding("c", "followup", "For you", id="summary.followup",
                tooltip="Start the after-crisis checklist for yourself"),
        Binding("escape", "close", "Close", id="summary.close", tooltip="Close the summary"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.record: CrisisRecord | None = None
        self.followup_id = ""

    @property
    def participant_id(self) -> str:
        """Read by Ctrl+R to offer this person (see crisis_picker)."""
        return self.record.participant_id if self.record else ""

    def compose(self) -> ComposeResult:
        yield Static("", id="crisis-head")
        yield Static("", id="summary-about")
        yield RecordTable(("Time", 8, "time"), ("Step", 30, "step"), ("Answer", 34, "answer"),
                          id="summary-table")
        yield Static("", id="summary-message")
        yield CrisisFooter()

    def on_mount(self) -> None:
        self.reload()

    def _person(self) -> str:
        pid = self.record.participant_id if self.record else ""
        return self.name_of(pid) if pid else ""

    def reload(self) -> None:
        vault = self.vault
        self.record = record = crisis.get(vault, self.event_id)
        protocol = load_all().get(record.event.protocol_id)
        follow = load_all().get(protocol.followup) if protocol and protocol.followup else None
        self.followup_id = follow.id if follow and follow.id != record.event.protocol_id else ""
        state = f"outcome: {record.outcome}" if record.ended else "not ended"
        self.query_one("#crisis-head", Static).update(
            f" {escape(record.event.protocol_title)}  ·  {escape(state)}")
        person = self._person()
        end = record.end
        began = record.event.started_at
        self.query_one("#summary-about", Static).update(
            f" {local_time(began):%a %d %b} {clock(began)} by {escape(record.event.started_by)}"
            f"{f' · ended {clock(end.at)}' if end else ''} · person: "
            f"{escape(person) if person else 'not attached (p)'}")
        table = self.query_one(DataTable)
        table.clear()
        for index, (at, step, answer) in enumerate(timeline(record, person)):
            table.add_row(at, Text(step), Text(answer), key=str(index))
        table.move_cursor(row=0)  # the timeline reads from its first answer
        table.scroll_home(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "followup":
            return bool(self.followup_id)
        return True

    def _say(self, text: str) -> None:
        self.query_one("#summary-message", Static).update(escape(text))

    def action_markdown(self) -> None:
        if self.record is None:
            return
        record, person = self.record, self._person_full()

        def write(path: Path, fmt: str) -> Path:
            return export_incident(self.vault, record, fmt, path, person=person,
                                   coach=record.event.started_by)

        def done(path: Path | None) -> None:
            if path is not None:
                self._say(f"Saved to {path}")

        self.app.push_screen(ExportPath(write), done)

    def _person_full(self) -> str:
        pid = self.record.participant_id if self.record else ""
        return self.name_of(pid, discreet=False) if pid else ""

    def action_note(self) -> None:
        if self.record is None:
            return
        pid = self.record.participant_id
        if not pid:
            self._say("Attach the person first (p): a session note belongs to someone.")
            return
        if not hasattr(self.app, "start_note"):
            self._say("Session notes are not part of this version yet; the timeline is kept here.")
            return
        from coachdesk.models.note import Setting  # on demand: start-up speed
        from coachdesk.store import notes  # on demand: start-up speed

        setting = notes.last_used(self.vault).get("setting", Setting.COMMUNITY.value)
        self.cd_app.start_note(pid, incident_note_text(self.record),
                               **incident_note_header(self.record, setting))

    def action_person(self) -> None:
        def chosen(participant_id: str | None) -> None:
            if not participant_id:
                return
            try:
                crisis.attach(self.vault, self.event_id, participant_id)
            except (CoachdeskError, DatabaseError) as exc:
                self._say(f"Not attached: {exc}")
                return
            self.reload()

        self.app.push_screen(PersonPicker(), chosen)

    def action_followup(self) -> None:
        protocol = load_all().get(self.followup_id) if self.followup_id else None
        if protocol is None:
            return
        event_id = crisis.start(self.vault, protocol)
        self.cd_app.open_checklist(event_id, replace=True)

    def action_close(self) -> None:
        self.app.pop_screen()
