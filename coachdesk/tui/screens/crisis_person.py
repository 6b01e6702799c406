"""Pick the person a crisis checklist is about: type part of a name, Enter attaches."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coachdesk.store import participants
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.crisis_footer import CrisisFooter


class PersonPicker(CoachdeskModal[str | None]):
    """Returns the chosen participant's id, or None."""

    TITLE = "Attach a person"
    HELP = "Type part of a name or phone; Down moves into the list; Enter attaches; Esc cancels."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="person.cancel", tooltip="Attach nobody now"),
        Binding("enter", "pick", "Attach", id="person.pick", tooltip="Attach the highlighted person"),
        commands.LOCK.binding(),  # a modal hides the app's keys from the footer
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="person-box"):
            yield Static("[b]Who is this about?[/b]  Type part of a name; Enter attaches the "
                         "highlighted person.", markup=True)
            yield Input(id="person-search", placeholder="part of a name or phone", compact=True)
            yield OptionList(id="person-list", compact=True)
            yield Static("", id="person-empty", classes="explain")
        yield CrisisFooter()

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#person-search", Input).focus()

    @on(Input.Changed, "#person-search")
    def _refresh(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        text = self.query_one("#person-search", Input).value
        rows = participants.roster(vault, text, status=None, limit=50)
        listing = self.query_one("#person-list", OptionList)
        listing.clear_options()
        discreet = self.discreet
        listing.add_options([Option(Text.assemble(r.shown_name(discreet), (f"  {r.status.value}",
                                                                           "dim")), id=r.id)
                             for r in rows])
        if rows:
            listing.highlighted = 0
        self.query_one("#person-empty", Static).update("" if rows else "Nobody matches.")

    def on_key(self, event: events.Key) -> None:
        listing = self.query_one("#person-list", OptionList)
        if event.key == "down" and self.query_one("#person-search", Input).has_focus \
                and listing.option_count:
            listing.focus()
            event.stop()

    @on(Input.Submitted, "#person-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick()

    @on(OptionList.OptionSelected, "#person-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self) -> None:
        listing = self.query_one("#person-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            return
        self.dismiss(listing.get_option_at_index(listing.highlighted).id)

    def action_cancel(self) -> None:
        self.dismiss(None)
