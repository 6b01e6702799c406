"""Pick a service from the directory: type to search, Tab to the kind filter."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from coachdesk.models.resource import KIND_LABELS, ResourceKind
from coachdesk.store import resources
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class ResourcePicker(CoachdeskModal[str | None]):
    """Returns the chosen resource's id, or None."""

    TITLE = "Choose a service"
    HELP = "Type part of a name, address or eligibility; Tab to filter by kind; Enter chooses."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Choose nothing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static("[b]Refer to which service?[/b]")
            with Horizontal(id="picker-bar"):
                yield Input(id="picker-search", placeholder="type to search", compact=True)
                yield Select([(label, kind.value) for kind, label in KIND_LABELS.items()],
                             prompt="any kind", id="picker-kind", compact=True)
            yield OptionList(id="picker-list")
            yield Static("", id="picker-message", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#picker-search", Input).focus()

    def refresh_list(self) -> None:
        vault = self.vault
        kind_value = self.query_one("#picker-kind", Select).value
        kind = None if kind_value is Select.NULL else ResourceKind(str(kind_value))
        found = resources.all_resources(vault, self.query_one("#picker-search", Input).value, kind)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(f"{r.name[:34]:<34} {KIND_LABELS[r.kind][:18]:<18} "
                                    f"{r.phone[:14]}", id=r.id) for r in found[:200]])
        if found:
            listing.highlighted = 0
        self.query_one("#picker-message", Static).update(
            "" if found else "No service matches: the directory is managed with "
                             "`coachdesk resources import`.")

    @on(Input.Changed, "#picker-search")
    @on(Select.Changed, "#picker-kind")
    def _changed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#picker-search")
    def _enter(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        listing = self.query_one(OptionList)
        if index is None or index >= listing.option_count:
            return
        self.dismiss(listing.get_option_at_index(index).id)

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one("#picker-search", Input).has_focus:
            self.query_one(OptionList).focus()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)
