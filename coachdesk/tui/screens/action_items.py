"""Action items across everyone: overdue, today, upcoming, done lately. `d` marks done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models.note import ActionItemRow
from coachdesk.store import action_items, followups, participants, referrals, reviews
from coachdesk.store.vault import Vault
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


@dataclass(frozen=True)
class Row:
    """One line of the list: a note's action item, a referral follow-up or a check-in."""

    kind: str  # "item" | "referral" | "checkin" | "review" | "window"
    group: str  # one of action_items.GROUPS
    due: str  # ISO date, "" when the item has none
    participant_id: str
    alias: str
    owner: str
    what: str
    key: str
    item: ActionItemRow | None = None  # only for kind "item": d marks it done
    schedule_id: str = ""  # only for kind "checkin": its follow-ups open on it
    note_id: str = ""  # only for kind "review": its thread opens on Enter

    def sort_key(self) -> tuple[int, bool, str]:
        return action_items.GROUPS.index(self.group), not self.due, self.due


def _group(due: str, today: str) -> str:
    return "overdue" if due < today else "today" if due == today else "upcoming"


def gather(vault: Vault, today: dt.date) -> list[Row]:
    """Everything with a due date for the coach, in one list: overdue (oldest first),
    today, upcoming, then done lately."""
    day = today.isoformat()
    rows = [Row("item", listed.group(today), listed.item.due, listed.item.participant_id,
                listed.alias, listed.item.owner, listed.item.text, listed.item.id, listed.item)
            for listed in action_items.everything(vault, today)]
    names = participants.aliases(vault)
    # Referral follow-ups due in the next two weeks (set on `r` of a person's page).
    rows += [Row("referral", _group(ref.follow_up_on, day), ref.follow_up_on, ref.participant_id,
                 names.get(ref.participant_id, "?"), "coach", f"referral: {ref.resource_name}",
                 f"ref-{ref.id}")
             for ref in referrals.due_followups(vault, today + dt.timedelta(days=14))]
    # Check-ins waiting for a call (schedules on `u` of a person's page).
    rows += [Row("checkin", _group(due.due_on.isoformat(), day), due.due_on.isoformat(),
                 due.participant_id, names.get(due.participant_id, "?"), "coach",
                 f"check-in: {due.label}", f"chk-{due.schedule_id}",
                 schedule_id=due.schedule_id)
             for due in followups.due(vault, today)]
    # Notes of this coach a supervisor asked to follow up, until the supervisor closes it.
    rows += [Row("review", "today", "", asked.participant_id, asked.alias, "coach",
                 f"review: {asked.asked}", f"rev-{asked.note_id}", note_id=asked.note_id)
             for asked in reviews.open_follow_ups(vault, coach=vault.device)]
    rows += window_rows(vault, today, names)
    return sorted(rows, key=Row.sort_key)


def _interview_text(label: str) -> str:
    """What the list says of a funder interview (its What column is 26 wide)."""
    text = f"interview: {label}"
    return text if len(text) <= 26 else label


def window_rows(vault: Vault, today: dt.date, names: dict[str, str]) -> list[Row]:
    """Funder interviews of active people whose window is open, or opens within two
    weeks, with nothing recorded yet (the person's Program page records them)."""
    from coachdesk.store import program
    from coachdesk.tui.program_data import program_files

    try:
        grant, _ = program_files()
    except CoachdeskError:
        return []
    soon = today + dt.timedelta(days=14)
    day = today.isoformat()
    return [Row("window", _group(w.due.isoformat(), day), w.due.isoformat(), person.id,
                names.get(person.id, "?"), "coach",
                _interview_text(w.spec.label),
                f"win-{person.id}-{w.episode.number}-{w.spec.id}")
            for person, w in program.all_windows(vault.conn, grant)
            if person.closed_on is None and w.outcome is None and w.opens <= soon
            and w.state(today) in ("open", "upcoming")]  # stable: each source keeps its own order


KIND_WORDS = {"checkin": "check-in"}
"""What kind an item is, as discreet mode still says it."""

DONE_ELSEWHERE = {
    "referral": "A referral follow-up ends with its status: Enter, then r on the page.",
    "checkin": "A check-in ends with a call: Enter, then 1-5 logs it.",
    "review": "Your supervisor closes a follow-up: Enter, then a answers under the note.",
    "window": "A funder interview is recorded on the person's Program page: Enter, then d or m.",
}


class ActionItemsScreen(CoachdeskScreen[None]):
    TITLE = "Action items"
    HELP = (
        "Follow-ups from notes, referrals and check-in calls, across\n"
        "everyone, oldest due first. d marks the selected item done\n"
        "(d again on a done item opens it again). Enter opens the person;\n"
        "on a check-in, their follow-ups, where 1-5 log the call; on a\n"
        "review follow-up, the note and its thread (a answers; it stays\n"
        "until your supervisor closes it); on a funder interview, the\n"
        "person's Program page (d done, m missed).\n"
        "Items come from note lines like\n"
        "  - \\[ ] call the clinic @coach due:tomorrow"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="actions.back", tooltip="Back"),
        Binding("d", "done", "Done", id="actions.done", tooltip="Mark the selected item done"),
        Binding("enter", "open", "Person", id="actions.open", tooltip="Open the person's page"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="actions-title")
        yield RecordTable(("", 9, "group"), ("Due", 10, "due"), ("Who", 14, "who"),
                          ("Owner", 11, "owner"), ("What", 26, "what"), id="actions")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.refresh_rows()
        table.focus()

    def selected(self) -> Row | None:
        row = self.query_one(DataTable).cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        self._rows = gather(vault, dt.date.today())
        table = self.query_one(DataTable)
        table.clear()
        counts = dict.fromkeys(action_items.GROUPS, 0)
        for row in self._rows:
            counts[row.group] += 1
            mark = {"overdue": "! overdue", "done": "✓ done"}.get(row.group, row.group)
            who = self.shown(row.alias, row.key)
            table.add_row(mark, row.due or "-", who, row.owner, self._what(row), key=row.key)
        for index, row in enumerate(self._rows):
            if row.key == keep:
                table.move_cursor(row=index)
        self.query_one("#actions-title", Static).update(
            " · ".join(f"{n} {g}" for g, n in counts.items()))

    def _what(self, row: Row) -> str:
        """The item's text; in discreet mode only what kind of item it is."""
        if not self.hides(row.key):
            return row.what
        return HIDDEN if row.kind == "item" else f"{KIND_WORDS.get(row.kind, row.kind)}: {HIDDEN}"

    def on_screen_resume(self) -> None:
        self.redraw_names()

    def redraw_names(self) -> None:
        row = self.selected()
        self.refresh_rows(keep=row.key if row else None)

    def action_done(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.item is None:
            self.notify(DONE_ELSEWHERE[row.kind])
            return
        try:
            action_items.mark_done(self.vault, row.item.id, not row.item.done_at)
        except CoachdeskError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_rows(keep=row.key)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.kind == "review":
            self.cd_app.open_review_thread(row.note_id)
            return
        self.cd_app.open_participant(row.participant_id)
        if row.kind == "checkin":
            from coachdesk.tui.screens.followups import FollowupsScreen  # on demand: start-up speed

            self.app.push_screen(FollowupsScreen(row.participant_id, row.schedule_id))
        if row.kind == "window":
            from coachdesk.tui.screens.program import ProgramScreen  # on demand: start-up speed

            self.app.push_screen(ProgramScreen(row.participant_id))

    def action_back(self) -> None:
        self.dismiss(None)
