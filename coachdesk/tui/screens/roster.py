"""The roster: everyone on the caseload, found by typing part of a name."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coachdesk.errors import CoachdeskError
from coachdesk.models import ParticipantRow, ParticipantType, Status
from coachdesk.store import participants
from coachdesk.store.db import DatabaseError
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from coachdesk.sync import service as sync_service
from coachdesk.sync.caseload import RosterView
from coachdesk.tui import roster_counts
from coachdesk.tui.roster_counts import RosterCounts
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.row_list import RowList

SHOWN = 100
"""Rows drawn at once: typing narrows the list (keeps each keystroke fast at any caseload)."""

FILTERS: tuple[tuple[str, Status | None], ...] = (
    ("active", Status.ACTIVE),
    ("closed", Status.CLOSED),
    ("all", None),
)
KIND_SHORT = {ParticipantType.PERSON_IN_RECOVERY: "recovery", ParticipantType.LOVED_ONE: "loved one"}
FLAG_SHORT = {"recent_overdose": "!OD", "harm_self": "!self", "harm_others": "!others"}
HARD_SHORT = "!unreached"
FOLLOW_UP_SHORT = "f-up"
"""A note of theirs needs follow-up (a supervisor's review, not closed yet)."""


def row_text(mark: str, name: str, pronouns: str, kind: str, weeks: str, flags: str,
             due: str) -> str:
    return f" {mark:<1.1} {name:<22.22} {pronouns:<10.10} {kind:<9.9} {weeks:>5} {due:>4}  {flags}"


def view_text(view: RosterView, views: list[RosterView],
              loads: dict[str, tuple[int, int]]) -> str:
    """The header line: which view is on (of how many) and its active caseload counts
    (how many people are active in all is on the line above: not said twice)."""
    primary, secondary = loads.get(view.focus, (0, 0))
    counts = f"{view.who}: {primary} primary, {secondary} shared"
    place = f"{views.index(view) + 1}/{len(views)}, " if view in views else ""
    return f"View: [b]{escape(view.name)}[/b] ({place}F6) · {escape(counts)}"


def flags_text(row: ParticipantRow, has_draft: bool = False, hard: bool = False,
               follow_up: bool = False) -> str:
    shown = [FLAG_SHORT.get(f, "!" + f) for f in row.safety_flags]
    if hard:
        shown.append(HARD_SHORT)
    if follow_up:
        shown.append(FOLLOW_UP_SHORT)
    if has_draft:
        shown.append("draft")
    return " ".join(shown)


class RosterScreen(CoachdeskScreen[None]):
    TITLE = "Roster"
    HELP = (
        "Type a name (any order, a typo forgiven) or phone; Down, Enter.\n"
        "Flags: !OD overdose, !self/!others harm risk, !unreached hard\n"
        "to reach, draft unfinished note, f-up review follow-up (F7).\n"
        "Due: items, calls (F3). unsynced (F4). P/S: primary/secondary."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add", "New", id="roster.add", tooltip="Add a participant"),
        Binding("enter", "open", "Open", id="roster.open", tooltip="Open the selected person"),
        Binding("ctrl+t", "cycle_filter", "Active/closed", id="roster.filter",
                tooltip="Show active, closed or all participants"),
        Binding("ctrl+o", "note", "Note", id="roster.note",
                tooltip="Session note for the selected person"),
        # Not in the footer (the panic key's label needs the room): the view line names F6.
        Binding("f6", "cycle_view", "Whose", id="roster.view", show=False,
                tooltip="Everyone, mine, shared with me; by coach"),
        Binding("slash", "search", "Search", id="roster.search", tooltip="Search by name",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = 0
        self._views: list[RosterView] = []
        self._view = 0
        self._rows: list[ParticipantRow] = []
        # Counted when the roster shows (in a worker thread), not per keystroke:
        self.counts = RosterCounts()
        self._counted_for: tuple[object, ...] = ()
        self._shown_once = False  # the first resume follows on_mount's rows

    def compose(self) -> ComposeResult:
        with Horizontal(id="roster-bar"):
            yield Input(id="search", placeholder="type to search name or phone", compact=True)
            yield Static("", id="roster-status")
        yield Static("", id="roster-view")
        yield Static(row_text("", "Name", "Pronouns", "Type", "Weeks", "Flags", "Due"), id="roster-head")
        # An OptionList of pre-formatted lines draws several times faster than a DataTable
        # (RowList: one-line rows, not measured one by one on each keystroke).
        yield RowList(id="roster")
        yield KeyLine()

    def on_mount(self) -> None:
        # Names first; the counts (every open item and check-in schedule in the vault)
        # follow the frame that shows them (on_screen_resume): unlock shows the roster
        # at once.
        vault = self.cd_app.vault
        if vault is not None:
            self._views = caseload.roster_views(vault)
        self.refresh_rows()
        self.mask_inputs("#search")
        self.query_one("#search", Input).focus()

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        query = self._query()
        text, status, view = query
        rows = participants.roster(vault, text, status, limit=SHOWN + 1, coach=view.coach,
                                   role=view.role, near=False)
        looking = not rows and participants.may_hold_typo(text)
        if looking:  # near matches read every name: in a worker, the key is not held up
            self._look_near(vault, query)
        self._show_rows(rows, keep, "looking for near matches…" if looking else "")

    def _show_rows(self, rows: list[ParticipantRow], keep: str | None, note: str = "") -> None:
        label, _ = FILTERS[self._filter]
        view = self.view
        self._rows = rows
        more = len(self._rows) > SHOWN
        del self._rows[SHOWN:]
        today = dt.date.today()
        counts = self.counts
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([
            Option(row_text(caseload.mark(row, view.focus), self.shown(row.alias, row.id),
                            row.pronouns, KIND_SHORT[row.kind],
                            str(max(0, (today - row.intake_date).days // 7)),
                            self.secret(flags_text(row, row.id in counts.drafted,
                                                   row.id in counts.hard,
                                                   row.id in counts.follow_up), row.id),
                            f"!{counts.due[row.id]}" if row.id in counts.due else ""),
                   id=row.id)
            for row in self._rows
        ])
        if self._rows:
            index = next((i for i, row in enumerate(self._rows) if row.id == keep), 0)
            listing.highlighted = index
        noun = "person" if len(self._rows) == 1 else "people"
        unsynced = f" · {counts.unsynced} unsynced" if counts.unsynced else ""
        shown = note or (f"first {SHOWN}, type to narrow" if more else f"{len(self._rows)} {noun}")
        self.query_one("#roster-status", Static).update(f"{label}: {shown}{unsynced}")
        self.query_one("#roster-view", Static).update(
            view_text(view, self._views, counts.loads))

    def _query(self) -> tuple[str, Status | None, RosterView]:
        """What the list shows now: the text typed, the filter and the view."""
        return self.query_one("#search", Input).value, FILTERS[self._filter][1], self.view

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-near")
    def _look_near(self, vault: Vault, query: tuple[str, Status | None, RosterView]) -> None:
        text, status, view = query
        try:
            with vault.reader() as reading:
                rows = participants.roster(reading, text, status, limit=SHOWN + 1,
                                           coach=view.coach, role=view.role)
        except (DatabaseError, CoachdeskError):  # locked meanwhile: nothing to show
            return
        self.app.call_from_thread(self._near_found, query, rows)

    def _near_found(self, query: tuple[str, Status | None, RosterView],
                    rows: list[ParticipantRow]) -> None:
        if self.cd_app.vault is not None and self.is_mounted and query == self._query():
            self._show_rows(rows, None)  # else the coach typed on: that text is asked for

    @property
    def view(self) -> RosterView:
        """The scope shown now (everyone until the views are known)."""
        if not self._views:
            return RosterView("everyone", "")
        return self._views[self._view % len(self._views)]

    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#search")
    def _search_enter(self) -> None:
        self.action_open()

    def on_key(self, event: events.Key) -> None:
        search = self.query_one("#search", Input)
        if event.key == "down" and search.has_focus and self._rows:
            self.query_one(OptionList).focus()
            event.stop()
        elif event.key == "escape" and search.has_focus and search.value:
            search.value = ""
            event.stop()

    def redraw_names(self) -> None:
        self.mask_inputs("#search")
        self.refresh_rows(keep=self.selected_id())

    def selected_key(self) -> str | None:
        return self.selected_id()  # the highlighted row, even while typing in the search

    def selected_id(self) -> str | None:
        if not self._rows:
            return None
        index = self.query_one(OptionList).highlighted or 0
        return self._rows[min(max(index, 0), len(self._rows) - 1)].id

    @on(OptionList.OptionSelected)
    def action_open(self) -> None:
        row_id = self.selected_id()
        if row_id:
            self.cd_app.open_participant(row_id)

    def action_add(self) -> None:
        self.cd_app.add_participant()

    def action_note(self) -> None:
        row_id = self.selected_id()
        if row_id:
            self.cd_app.start_note(row_id)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_cycle_view(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        self._views = caseload.roster_views(vault)  # the team may have changed
        self._view = (self._view + 1) % len(self._views)
        self.refresh_rows()

    def action_cycle_filter(self) -> None:
        self._filter = (self._filter + 1) % len(FILTERS)
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        if self._shown_once:  # back from another screen: names and counts may have changed
            self.refresh_rows(keep=self.selected_id())
            self._count_on_show()
        else:  # just unlocked: the names are drawn first, the counts follow that frame
            self._shown_once = True
            self.call_after_refresh(self._count_on_show)

    def _count_on_show(self) -> None:
        """Count again, off the UI thread, if anything moved."""
        vault = self.cd_app.vault
        if vault is None or self not in self.app.screen_stack:
            return
        # The counts follow from the op log, peers' acknowledgements and the date (a note
        # started, finalized or deleted is an op): when none moved (back from viewing a
        # person), the last counts still hold.
        key = (*sync_service.change_marker(vault), dt.date.today())
        if key != self._counted_for:
            self._counted_for = key
            self._count(vault, key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-counts")
    def _count(self, vault: Vault, key: tuple[object, ...]) -> None:
        try:
            with vault.reader() as reading:
                counts = roster_counts.count(reading, dt.date.today())
        except (DatabaseError, CoachdeskError):  # locked meanwhile: nothing to show
            return
        self.app.call_from_thread(self._counted, key, counts)

    def _counted(self, key: tuple[object, ...], counts: RosterCounts) -> None:
        if key == self._counted_for and self.cd_app.vault is not None:
            self.counts = counts
            self.refresh_rows(keep=self.selected_id())
