"""Plan history: every revision, newest first, and what each changed from its parent.

Revisions nobody edited further are marked 'current'; when there are several, the plan
has diverged (edited in two places from the same revision) and each is marked so.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Static

from coachdesk.models.plan_diff import diff_plans
from coachdesk.store import plans
from coachdesk.store.plans import PlanState
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


def _counts(state: PlanState, revision_id: str) -> str:
    changes = plans.changes(state, revision_id)
    added = sum(c.kind == "added" for c in changes)
    removed = sum(c.kind == "removed" for c in changes)
    changed = sum(c.kind == "changed" for c in changes)
    return f"+{added} -{removed} ~{changed}"


class PlanHistoryScreen(CoachdeskScreen[None]):
    TITLE = "Plan history"
    HELP = (
        "Up / Down choose a revision; below it, what it changed from\n"
        "the one it was edited from (+ added, - removed, ~ changed).\n"
        "'diverged' marks versions edited from the same revision in\n"
        "two places: nothing was merged; d compares the two."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.back", tooltip="Back to the participant"),
        Binding("d", "compare_heads", "Compare", id="history.compare",
                tooltip="When diverged: what the newest version has that the other lacks"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.state: PlanState | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="history-status")
        yield RecordTable(("Saved", 16, "saved"), ("By", 18, "by"), ("Changes", 14, "changes"),
                          ("State", 18, "state"), id="history")
        with VerticalScroll(id="history-diff-box"):
            yield Static("", id="history-diff")
        yield KeyLine()

    def on_mount(self) -> None:
        vault = self.vault
        self.state = plans.state(vault, self.participant_id)
        table = self.query_one(DataTable)
        heads = {h.id for h in self.state.heads}
        for rev in self.state.revisions:
            mark = ("diverged" if self.state.diverged else "current") if rev.id in heads else ""
            table.add_row(rev.created_at[:16].replace("T", " "), rev.author[:18],
                          _counts(self.state, rev.id), mark, key=rev.id)
        count = len(self.state.revisions)
        status = f"{count} revision{'s' * (count != 1)}"
        if self.state.diverged:
            status = f"! diverged: {len(self.state.heads)} versions, none merged. " + status
        self.query_one("#history-status", Static).update(escape(status))
        self.query_one("#history-status", Static).set_class(self.state.diverged, "warning")
        if count:
            vault.audit("plan history viewed", plans.TABLE, self.state.revisions[0].id,
                        f"participant={self.participant_id}")
            self._show_diff(self.state.revisions[0].id)
        else:
            self.query_one("#history-diff", Static).update("No plan yet.")
        table.focus()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._show_diff(event.row_key.value)

    def _show_diff(self, revision_id: str) -> None:
        assert self.state is not None
        rev = self.state.by_id(revision_id)
        if rev is None:
            return
        changes = plans.changes(self.state, revision_id)
        parent = self.state.by_id(rev.parent_id) if rev.parent_id else None
        if not rev.parent_id:
            title = "First version of the plan"
        elif parent is not None:
            title = f"Changes from the revision of {parent.created_at[:16]}"
        else:
            title = "Changes (the revision it was edited from is not in this vault)"
        lines = [f"[b]{escape(title.replace('T', ' '))}[/b]"]
        if rev.superseded:
            lines.append(f"  (this version replaced {len(rev.superseded)} diverged version(s))")
        if self.hides(revision_id):
            lines.append(f"  {len(changes)} change(s): {HIDDEN} (discreet mode: Ctrl+E shows them)")
        else:
            lines += [escape(str(c)) for c in changes] or ["  no changes"]
        self.query_one("#history-diff", Static).update("\n".join(lines))

    def redraw_names(self) -> None:
        table = self.query_one(DataTable)
        if self.state is not None and self.state.revisions and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self._show_diff(key)

    def action_compare_heads(self) -> None:
        assert self.state is not None
        if not self.state.diverged:
            self.notify("The plan has not diverged: there is one current version.")
            return
        newest, other = self.state.heads[0], self.state.heads[1]
        changes = diff_plans(other.plan, newest.plan)
        lines = [f"[b]Newest ({newest.created_at[:16]}) compared with the other version "
                 f"({other.created_at[:16]})[/b]".replace("T", " ")]
        if self.discreet:
            lines.append(f"  {len(changes)} change(s): {HIDDEN} (discreet mode)")
        else:
            lines += [escape(str(c)) for c in changes] or ["  the two versions are the same"]
        self.query_one("#history-diff", Static).update("\n".join(lines))

    def action_back(self) -> None:
        self.dismiss(None)
