"""Ctrl+R from anywhere: pick a crisis protocol by its number and start at once.

Also the two ways into a checklist that do not start one: resuming an unfinished
checklist (offered here, and opened by itself after every unlock).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.protocols import Library, load_all
from coachdesk.store import crisis
from coachdesk.store.db import DatabaseError
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.crisis_checklist import CrisisScreen
from coachdesk.tui.screens.crisis_person import PersonPicker
from coachdesk.tui.widgets.crisis_footer import CrisisFooter

if TYPE_CHECKING:
    from coachdesk.tui.app import CoachdeskApp


class CrisisPicker(CoachdeskScreen[None]):
    TITLE = "Crisis"
    HELP = (
        "Press the number of a checklist to start it at once: nobody needs to be chosen "
        "first (attach the person later with p). r resumes an unfinished checklist, h "
        "lists past ones. Protocol files that did not load are listed at the bottom."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "start(1)", "Start", key_display="1-9", id="picker.start",
                tooltip="Start the checklist with this number"),
        *[Binding(str(i), f"start({i})", show=False) for i in range(2, 10)],
        Binding("r", "resume", "Resume", id="picker.resume", tooltip="Resume the unfinished checklist"),
        Binding("a", "toggle_attach", "Attach", id="picker.attach",
                tooltip="Attach (or not) the person selected on the roster"),
        Binding("p", "person", "Person", id="picker.person", tooltip="Choose the person first"),
        Binding("h", "history", "Past", id="picker.history", tooltip="Past crisis checklists"),
        Binding("escape", "close", "Close", id="picker.close", tooltip="Back to where you were"),
    ]

    def __init__(self, suggested: str | None = None) -> None:
        super().__init__()
        self.suggested = suggested
        self.attach = False
        self.library = Library()
        self.unfinished: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(" CRISIS  Which checklist? Press its number.", id="crisis-head")
        with VerticalScroll(id="picker-box"):
            yield Static("", id="picker-list")
            yield Static("", id="picker-unfinished")
            yield Static("", id="picker-person")
            yield Static("", id="picker-errors", classes="error")
        yield CrisisFooter()

    def on_mount(self) -> None:
        self.library = load_all()
        vault = self.vault
        self.unfinished = [e.id for e in crisis.unfinished(vault)]
        lines = []
        for number, protocol in enumerate(self.library.protocols[:9], 1):
            lines.append(f"[reverse] {number} [/reverse] [b]{escape(protocol.title)}[/b]")
            if protocol.summary:
                lines.append(f"     [dim]{escape(protocol.summary)}[/dim]")
        self.query_one("#picker-list", Static).update(
            "\n".join(lines) or "No protocol could be loaded (see below).")
        if self.unfinished:
            event = crisis.unfinished(vault)[0]
            started = dt.datetime.fromisoformat(event.started_at).astimezone()
            more = f" (and {len(self.unfinished) - 1} more)" if len(self.unfinished) > 1 else ""
            self.query_one("#picker-unfinished", Static).update(
                f"\nUnfinished: [b]{escape(event.protocol_title)}[/b] from {started:%a %H:%M}"
                f"{more}.  [reverse] r [/reverse] resumes it.")
        if self.library.errors:
            self.query_one("#picker-errors", Static).update(
                "\nThese protocol files could not be loaded:\n"
                + "\n".join(f"  {escape(e)}" for e in self.library.errors))
        self._show_person()
        self.refresh_bindings()

    def _show_person(self) -> None:
        widget = self.query_one("#picker-person", Static)
        if not self.suggested:
            widget.update("\nPerson: nobody yet. Attach someone later, or [reverse] p [/reverse] now.")
            return
        name = escape(self.name_of(self.suggested))
        mark = "✓" if self.attach else " "
        widget.update(f"\n{escape(f'[{mark}]')} Attach [b]{name}[/b] to the checklist   "
                      f"[reverse] a [/reverse] {'do not attach' if self.attach else 'attach'}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return int(str(parameters[0])) <= len(self.library.protocols)
        if action == "resume":
            return bool(self.unfinished)
        if action == "toggle_attach":
            return bool(self.suggested)
        return True

    def action_start(self, number: int) -> None:
        if not 1 <= number <= len(self.library.protocols):
            return
        protocol = self.library.protocols[number - 1]
        person = self.suggested if self.attach and self.suggested else ""
        try:
            event_id = crisis.start(self.vault, protocol, person)
        except (CoachdeskError, DatabaseError) as exc:
            self.query_one("#picker-errors", Static).update(escape(f"Not started: {exc}"))
            return
        self.app.switch_screen(CrisisScreen(event_id))

    def action_resume(self) -> None:
        if self.unfinished:
            self.app.switch_screen(CrisisScreen(self.unfinished[0]))

    def action_toggle_attach(self) -> None:
        if self.suggested:
            self.attach = not self.attach
            self._show_person()

    def action_person(self) -> None:
        def chosen(participant_id: str | None) -> None:
            if participant_id:
                self.suggested, self.attach = participant_id, True
                self._show_person()
                self.refresh_bindings()

        self.app.push_screen(PersonPicker(), chosen)

    def action_history(self) -> None:
        from coachdesk.tui.screens.crisis_history import CrisisHistory  # on demand: start-up speed

        self.app.switch_screen(CrisisHistory())

    def action_close(self) -> None:
        self.app.pop_screen()


def _suggested_person(screen: Screen[object]) -> str | None:
    from coachdesk.tui.screens.roster import RosterScreen  # on demand: start-up speed

    if isinstance(screen, RosterScreen):
        return screen.selected_id()
    found = getattr(screen, "participant_id", None)
    return found if isinstance(found, str) and found else None


def open_crisis(app: CoachdeskApp) -> None:
    """The Ctrl+R action, over whatever screen is showing: straight back to the checklist
    that runs (started here, not ended, perhaps hidden with Esc), else the picker."""
    vault = app.vault
    if vault is None:
        return
    screen = app.screen
    if isinstance(screen, (CrisisPicker, CrisisScreen, PersonPicker)):
        return
    try:
        running = crisis.unfinished(vault)
    except DatabaseError:
        running = []
    # Another copy may be open further down (under an editor that must not be closed
    # unsaved): it rebuilds itself from the record when it shows again.
    app.push_screen(CrisisScreen(running[0].id) if running
                    else CrisisPicker(_suggested_person(screen)))


def resume_unfinished(app: CoachdeskApp) -> None:
    """After an unlock: reopen the newest checklist that has no end yet (lock, crash, kill)."""
    vault = app.vault
    if vault is None or isinstance(app.screen, CrisisScreen):
        return
    waiting = crisis.unfinished(vault)
    if waiting:
        app.push_screen(CrisisScreen(waiting[0].id))
        app.notify("An unfinished crisis checklist was reopened.", timeout=6)
