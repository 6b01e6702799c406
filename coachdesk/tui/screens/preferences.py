"""A person's matching preferences (asked at intake): tags from the agency's list
(assets/caseload/matching.toml), ticked in a list. Returns the tags, or None."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from coachdesk.models.caseload import categories, label
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


def choices(chosen: list[str]) -> list[tuple[str, str, bool]]:
    """Every tag of the agency's list, then any chosen tag it no longer has (a peer's newer
    list): (label, tag, ticked)."""
    known = [tag for category in categories() for tag in category.tags()]
    wanted = set(chosen)
    return [(label(tag), tag, tag in wanted)
            for tag in known + sorted(wanted - set(known))]


class PreferencesScreen(CoachdeskModal[list[str] | None]):
    TITLE = "Preferences"
    HELP = ("What the person would like their coach to share with them (lived\n"
            "experience, language, setting): used to rank coaches when a\n"
            "supervisor assigns one. Up / Down move, Space ticks or clears,\n"
            "Ctrl+S keeps the choice (the form still needs saving), Esc cancels.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep", id="preferences.keep",
                tooltip="Keep these preferences on the form"),
        Binding("escape", "cancel", "Cancel", id="preferences.cancel",
                tooltip="Leave them as they were"),
    ]

    def __init__(self, chosen: list[str]) -> None:
        super().__init__()
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="preferences-box", classes="dialog"):
            yield Static("[b]Preferences for matching a coach[/b] (Space ticks)")
            yield SelectionList[str](*choices(self.chosen), id="preferences-list",
                                     compact=True)
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_keep(self) -> None:
        self.dismiss(sorted(self.query_one("#preferences-list", SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)
