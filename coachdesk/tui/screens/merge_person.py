"""Merge a duplicate record into this person (issue 22): the look-alikes first (a name in
any order or with a typo, the same phone), or any other record found by typing. Enter
picks one, y merges it into the person after saying what that means, n goes back. A
refusal is one line, nothing changed (store/people.py, sync/caseload.merge_people)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coachdesk.errors import CoachdeskError
from coachdesk.models import ParticipantRow
from coachdesk.store import participants
from coachdesk.sync import caseload
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine


class MergePersonScreen(CoachdeskScreen[bool]):
    TITLE = "Merge a duplicate"
    HELP = (
        "Two records of one person (added twice, on two laptops, or\n"
        "under two names) become one. The list shows the records that\n"
        "look like this person first; Tab to the box and type to find\n"
        "any other (Down goes back to the list). Enter\n"
        "picks the record to merge in, y merges it, n goes back.\n"
        "Its notes, plans, calls and referrals then belong to this\n"
        "person, on every laptop of the team; both histories are\n"
        "kept, and the merge is in the audit log. It cannot be undone.\n"
        "A supervisor's, or the primary coach's of both records."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "merge", "Merge", id="merge.yes", show=False,
                tooltip="Merge the picked record into this person"),
        Binding("n", "not_now", "Not now", id="merge.no", show=False,
                tooltip="Do not merge; pick another record"),
        Binding("escape", "back", "Back", id="merge.back", tooltip="Back to the person"),
        Binding("down", "to_list", "List", id="merge.list", show=False,
                tooltip="From the search box to the list"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.person: ParticipantRow | None = None
        self.rows: list[ParticipantRow] = []
        self.picked: ParticipantRow | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="merge-title")
        yield Input(id="merge-find", placeholder="type to find another record",
                    compact=True, max_length=60)
        yield OptionList(id="merge-list")
        yield Static("", id="merge-ask")
        yield Static("", id="merge-error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        if self.load_or_close(lambda vault: self._load()) is not None:
            (self.query_one(OptionList) if self.rows else self.query_one(Input)).focus()

    def _describe(self, row: ParticipantRow) -> str:
        phone = "" if self.discreet or not row.phone else f"  {row.phone}"
        return f"{self.shown(row.alias)}  (intake {row.intake_date}, {row.status.value}){phone}"

    def _load(self, text: str = "") -> bool:
        vault = self.vault
        self.person = person = participants.get(vault, self.participant_id, audited=False)
        self.query_one("#merge-title", Static).update(
            f"[b]Merge a duplicate into {escape(self._describe(person))}[/b]")
        if text.strip():
            found = [r for r in participants.roster(vault, text, status=None, limit=50)]
        else:
            found = participants.look_alikes(vault, person.alias, person.phone,
                                             except_id=person.id)
        self.rows = [r for r in found if r.id != person.id]
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(" " + escape(self._describe(r)), id=r.id) for r in self.rows])
        if self.rows:
            listing.highlighted = 0
        self._ask(None)
        self.query_one("#merge-error", Static).update(
            "" if self.rows else "No record looks like this person: type to find one.")
        return True

    def redraw_names(self) -> None:
        if self.unlocked:
            self._load(self.query_one("#merge-find", Input).value)

    def _ask(self, row: ParticipantRow | None) -> None:
        self.picked = row
        ask = self.query_one("#merge-ask", Static)
        if row is None or self.person is None:
            ask.update("")
            return
        ask.update(escape(
            f"Merge {self._describe(row)} into {self.shown(self.person.alias)}? Everything of "
            "it becomes this person's, on every laptop of the team; this cannot be undone. "
            "y merges, n does not."))

    @on(Input.Changed, "#merge-find")
    def _find(self, event: Input.Changed) -> None:
        self._load(event.value)

    @on(Input.Submitted, "#merge-find")
    def action_to_list(self) -> None:
        if self.rows:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#merge-list")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if 0 <= index < len(self.rows):
            self._ask(self.rows[index])

    def action_merge(self) -> None:
        if self.picked is None or self.person is None:
            return
        try:
            caseload.merge_people(self.vault, self.picked.id, self.person.id)
        except CoachdeskError as exc:
            self.query_one("#merge-error", Static).update(escape(f"Not merged: {exc}"))
            self._ask(None)
            return
        self.notify(f"Merged: {self.shown(self.picked.alias)}'s record is now part of "
                    f"{self.shown(self.person.alias)}'s.")
        self.dismiss(True)

    def action_not_now(self) -> None:
        self._ask(None)

    def action_back(self) -> None:
        if self.picked is not None:
            self._ask(None)
            return
        self.dismiss(False)
