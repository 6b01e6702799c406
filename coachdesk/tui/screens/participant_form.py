"""Add or edit a participant. Invalid values are shown inline and nothing is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.markup import escape
from textual.widgets import Checkbox, Input, Label, Select, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models import (
    PATHWAYS,
    SAFETY_FLAGS,
    Participant,
    ParticipantRow,
    ParticipantType,
    Status,
)
from coachdesk.store import closing, participants
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox

KINDS = [("person in recovery", ParticipantType.PERSON_IN_RECOVERY.value),
         ("loved one / family", ParticipantType.LOVED_ONE.value)]
STATUSES = [("active", Status.ACTIVE.value), ("closed", Status.CLOSED.value)]


class ParticipantForm(CoachdeskScreen[str | None]):
    """Returns the participant's id when saved, None when cancelled."""

    TITLE = "Participant"
    HELP = ("Tab / Shift+Tab move between fields, Space ticks a box, Ctrl+S saves,\n"
            "Esc cancels. Ctrl+G picks the person's preferences for matching a\n"
            "coach (lived experience, language, setting) from the agency's list.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save this participant"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Leave without saving"),
        Binding("ctrl+g", "preferences", "Preferences", id="form.preferences",
                tooltip="What the person asks of a coach: tags for matching"),
    ]

    def __init__(self, existing: ParticipantRow | None = None) -> None:
        super().__init__()
        self.existing = existing
        self.preferences: list[str] = list(existing.preferences) if existing else []
        self._asked: tuple[str, str] | None = None
        """The name and phone already asked about: a second Ctrl+S adds them anyway."""

    def compose(self) -> ComposeResult:
        p = self.existing
        title = "New participant" if p is None else "Edit participant"
        yield Static(f"[b]{title}[/b]", markup=True, id="form-title")
        with Grid(id="form"):
            yield Label("Name or alias")
            yield Input(p.alias if p else "", id="alias", compact=True, max_length=60)
            yield Label("Pronouns")
            yield Input(p.pronouns if p else "", id="pronouns", compact=True, max_length=20)
            yield Label("Type")
            yield Select(KINDS, value=(p.kind.value if p else KINDS[0][1]), id="kind",
                         allow_blank=False, compact=True)
            yield Label("Adult")
            yield TickBox("I confirm this person is 18 or older",
                           value=bool(p and p.adult_confirmed), id="adult", compact=True)
            yield Label("Primary pathway")
            yield Select([(x, x) for x in PATHWAYS],
                         value=(p.pathway if p and p.pathway in PATHWAYS else Select.NULL),
                         id="pathway", compact=True, prompt="choose a pathway")
            yield Label("Intake date")
            yield Input((p.intake_date if p else dt.date.today()).isoformat(), id="intake",
                        placeholder="YYYY-MM-DD", compact=True, max_length=10)
            yield Label("Phone")
            yield Input(p.phone if p else "", id="phone", compact=True, max_length=24)
            yield Label("Status")
            yield Select(STATUSES, value=(p.status.value if p else "active"), id="status",
                         allow_blank=False, compact=True)
            for index, (flag, label) in enumerate(SAFETY_FLAGS.items()):
                yield Label("Safety flags" if index == 0 else "")
                yield TickBox(label, value=bool(p and flag in p.safety_flags),
                              id=f"flag-{flag}", compact=True)
            yield Label("Preferences")
            yield Static(self._preferences_text(), id="preferences")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#alias", Input).focus()

    def values(self) -> dict[str, Any]:
        pathway = self.query_one("#pathway", Select).value
        return {
            "alias": self.query_one("#alias", Input).value,
            "pronouns": self.query_one("#pronouns", Input).value,
            "kind": self.query_one("#kind", Select).value,
            "adult_confirmed": self.query_one("#adult", Checkbox).value,
            "pathway": "" if pathway is Select.NULL else pathway,
            "intake_date": self.query_one("#intake", Input).value.strip(),
            "phone": self.query_one("#phone", Input).value,
            "status": self.query_one("#status", Select).value,
            "safety_flags": [flag for flag in SAFETY_FLAGS
                             if self.query_one(f"#flag-{flag}", Checkbox).value],
            "preferences": self.preferences,
        }

    def _preferences_text(self) -> str:
        if not self.preferences:
            return "[dim]none: Ctrl+G chooses[/dim]"
        shown = ", ".join(tag.partition(":")[2] for tag in self.preferences)
        return escape(shown if len(shown) <= 52 else shown[:51] + "…") + " [dim](Ctrl+G)[/dim]"

    def action_preferences(self) -> None:
        from coachdesk.tui.screens.preferences import PreferencesScreen  # on demand

        self.app.push_screen(PreferencesScreen(self.preferences), callback=self._chosen)

    def _chosen(self, tags: list[str] | None) -> None:
        if tags is not None and self.unlocked:
            self.preferences = tags
            self.query_one("#preferences", Static).update(self._preferences_text())

    @on(Input.Submitted)
    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def _save(self) -> str:
        if self.existing is None:
            values = self.values()
            self._ask_about_look_alikes(participants.validate(values))
            return participants.create(self.vault, values)
        closing.update(self.vault, self.existing.id, self.values())
        return self.existing.id

    def _ask_about_look_alikes(self, new: Participant) -> None:
        """Someone already here with this name (any order, a typo) or phone: say who, once;
        the same Ctrl+S again adds the new record anyway."""
        asked = (new.alias.casefold(), new.phone)
        if asked == self._asked:
            return
        found = participants.look_alikes(self.vault, new.alias, new.phone)
        if not found:
            return
        self._asked = asked
        who = "; ".join(
            f"{self.shown(p.alias)} ({p.status.value}"
            + ("" if self.discreet or not p.phone else f", {p.phone}") + ")" for p in found[:3])
        may = "may be this person" if len(found) == 1 else "may each be this person"
        raise CoachdeskError(f"{who} {may}: Ctrl+S again adds a new record anyway")

    def action_cancel(self) -> None:
        self.dismiss(None)
