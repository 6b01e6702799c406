"""Action items across everyone: overdue, today, upcoming, done lately. `d` marks done."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from coachdesk.errors import CoachdeskError
from coachdesk.store import action_items, followups, participants, referrals
from coachdesk.store.action_items import Listed


def initials_of(alias: str) -> str:
    parts = [p for p in re.split(r"[\s\-_.]+", alias) if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


class ActionItemsScreen(Screen[None]):
    TITLE = "Action items"
    HELP = (
        "Follow-ups from notes, across everyone. d marks the selected item done\n"
        "(d again on a done item opens it again). Enter opens the person;\n"
        "on a check-in, their follow-ups, where 1-5 log the call.\n"
        "Items come from note lines like  - \\[ ] call the clinic @coach due:tomorrow"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="actions.back", tooltip="Back"),
        Binding("d", "done", "Done", id="actions.done", tooltip="Mark the selected item done"),
        Binding("enter", "open", "Person", id="actions.open", tooltip="Open the person's page"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Listed] = []
        self._followups: list[referrals.ReferralView] = []  # rows after the action items
        self._checkins: list[followups.Due] = []  # rows after the referral follow-ups

    def compose(self) -> ComposeResult:
        yield Static("", id="actions-title")
        yield DataTable(id="actions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", width=9, key="group")
        table.add_column("Due", width=10, key="due")
        table.add_column("Who", width=14, key="who")
        table.add_column("Owner", width=11, key="owner")
        table.add_column("What", width=26, key="what")
        self.refresh_rows()
        table.focus()

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self._rows or table.cursor_row >= len(self._rows):
            return None
        return self._rows[max(table.cursor_row, 0)].item.id

    def selected_followup(self) -> referrals.ReferralView | None:
        index = self.query_one(DataTable).cursor_row - len(self._rows)
        return self._followups[index] if 0 <= index < len(self._followups) else None

    def selected_checkin(self) -> followups.Due | None:
        index = (self.query_one(DataTable).cursor_row - len(self._rows)
                 - len(self._followups))
        return self._checkins[index] if 0 <= index < len(self._checkins) else None

    def refresh_rows(self, keep: str | None = None) -> None:
        vault = self.app.vault  # type: ignore[attr-defined]
        if vault is None:
            return
        today = dt.date.today()
        self._rows = action_items.everything(vault, today)
        discreet = self.app.discreet  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        table.clear()
        counts = dict.fromkeys(action_items.GROUPS, 0)
        for listed in self._rows:
            group = listed.group(today)
            counts[group] += 1
            item = listed.item
            who = initials_of(listed.alias) if discreet else listed.alias
            mark = {"overdue": "! overdue", "done": "✓ done"}.get(group, group)
            table.add_row(mark, item.due or "-", who[:14], item.owner, item.text, key=item.id)
        # Referral follow-ups due in the next two weeks are action items too (set on `r`).
        self._followups = referrals.due_followups(vault, today + dt.timedelta(days=14))
        names = {p.id: p.alias for p in participants.roster(vault, status=None, limit=100000)}
        for ref in self._followups:
            alias = names.get(ref.participant_id, "?")
            group = "overdue" if ref.follow_up_on < today.isoformat() else (
                "today" if ref.follow_up_on == today.isoformat() else "upcoming")
            counts[group] += 1
            mark = {"overdue": "! overdue"}.get(group, group)
            table.add_row(mark, ref.follow_up_on, (initials_of(alias) if discreet else alias)[:14],
                          "coach", f"referral: {ref.resource_name}", key="ref-" + ref.id)
        # Check-ins waiting for a call (schedules on `u` of a person's page).
        self._checkins = followups.due(vault, today)
        for due in self._checkins:
            alias = names.get(due.participant_id, "?")
            group = "overdue" if due.due_on < today else "today"
            counts[group] += 1
            table.add_row({"overdue": "! overdue"}.get(group, group), due.due_on.isoformat(),
                          (initials_of(alias) if discreet else alias)[:14], "coach",
                          f"check-in: {due.label}", key=f"chk-{due.schedule_id}")
        for index, listed in enumerate(self._rows):
            if listed.item.id == keep:
                table.move_cursor(row=index)
        self.query_one("#actions-title", Static).update(
            " · ".join(f"{n} {g}" for g, n in counts.items()))

    def on_screen_resume(self) -> None:
        self.refresh_rows(keep=self.selected_id())

    def action_done(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            if self.selected_followup() is not None:
                self.notify("A referral follow-up ends with its status: open the person, then r.")
            elif self.selected_checkin() is not None:
                self.notify("A check-in ends with a call: Enter, then 1-5 logs it.")
            return
        listed = next(r for r in self._rows if r.item.id == item_id)
        try:
            action_items.mark_done(self.app.vault, item_id, not listed.item.done_at)  # type: ignore[attr-defined]
        except CoachdeskError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_rows(keep=item_id)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        item_id = self.selected_id()
        followup = self.selected_followup()
        checkin = self.selected_checkin()
        if checkin is not None:
            from coachdesk.tui.screens.followups import FollowupsScreen

            self.app.open_participant(checkin.participant_id)  # type: ignore[attr-defined]
            self.app.push_screen(FollowupsScreen(checkin.participant_id))
        elif followup is not None:
            self.app.open_participant(followup.participant_id)  # type: ignore[attr-defined]
        elif item_id is not None:
            listed = next(r for r in self._rows if r.item.id == item_id)
            self.app.open_participant(listed.item.participant_id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.dismiss(None)
