"""One conflict, side by side: every version of the field, and the one to keep."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.sync import conflicts
from coachdesk.sync.conflicts import Conflict, Version
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine

MAX_SHOWN = 3


def describe_value(value: Any, width: int = 200) -> str:
    if value is True or value is False:
        text = "yes" if value else "no"
    elif value is None or value == "" or value == []:
        text = "(empty)"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def when(version: Version) -> str:
    import datetime as dt

    wall_ms = int(version.hlc.split(".")[0])
    return dt.datetime.fromtimestamp(wall_ms / 1000).strftime("%Y-%m-%d %H:%M")


class VersionPanel(Static, can_focus=True):
    def __init__(self, number: int, version: Version, shown: bool, mine: bool,
                 hidden: bool = False) -> None:
        note = "  (shown now)" if shown else ""
        where = "this vault" if mine else f"device {version.device[:6]}"
        self.head = f"{number}  {version.author} · {where}\n{when(version)}{note}\n\n"
        self.number = number
        self.version = version
        super().__init__(self.text(hidden), markup=False, classes="version")

    def text(self, hidden: bool) -> str:
        """The version; in discreet mode its value hidden (Ctrl+E shows it)."""
        return self.head + (f"{HIDDEN} (discreet mode: Ctrl+E shows it)" if hidden
                            else describe_value(self.version.value))


class ConflictScreen(CoachdeskScreen[bool]):
    """Returns True when a version was kept."""

    TITLE = "Conflict"
    HELP = ("The same field was changed in two places before they synced. Every version is\n"
            "kept until you choose: Left/Right (or Tab) move, Enter or a number keeps that\n"
            "version here; your next bundle clears the conflict for the team too.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "keep", "Keep this", id="conflict.keep", tooltip="Keep the highlighted version"),
        Binding("left", "app.focus_previous", "", show=False),
        Binding("right", "app.focus_next", "", show=False),
        Binding("1", "keep_number(1)", "Keep 1", id="conflict.keep1", tooltip="Keep version 1",
                show=False),
        Binding("2", "keep_number(2)", "Keep 2", id="conflict.keep2", tooltip="Keep version 2",
                show=False),
        Binding("3", "keep_number(3)", "Keep 3", id="conflict.keep3", tooltip="Keep version 3",
                show=False),
        Binding("escape", "back", "Back", id="conflict.back", tooltip="Decide later"),
    ]

    def __init__(self, conflict: Conflict, label: str) -> None:
        super().__init__()
        self.conflict = conflict
        self.label = label

    def compose(self) -> ComposeResult:
        count = len(self.conflict.versions)
        more = f" (showing the newest {MAX_SHOWN} of {count})" if count > MAX_SHOWN else ""
        yield Static(f"{self.label} · {self.conflict.field}: {count} versions{more}",
                     id="conflict-title", markup=False)
        with Horizontal(id="versions"):
            for number, version in enumerate(self.conflict.versions[:MAX_SHOWN], start=1):
                yield VersionPanel(number, version, shown=number == 1,
                                   mine=version.device == self.vault.device,
                                   hidden=self.hides(str(number)))
        yield Static("", id="conflict-error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query(VersionPanel).first().focus()

    def selected_key(self) -> str | None:
        return str(self.focused.number) if isinstance(self.focused, VersionPanel) else None

    def redraw_names(self) -> None:
        for panel in self.query(VersionPanel):
            panel.update(panel.text(self.hides(str(panel.number))))

    def on_descendant_focus(self) -> None:
        self.selection_moved()  # moving to another version hides the one shown

    def action_keep(self) -> None:
        if isinstance(self.focused, VersionPanel):
            self._keep(self.focused.version)

    def action_keep_number(self, number: int) -> None:
        versions = self.conflict.versions[:MAX_SHOWN]
        if 1 <= number <= len(versions):
            self._keep(versions[number - 1])

    def _keep(self, version: Version) -> None:
        c = self.conflict
        try:
            conflicts.resolve(self.vault, c.tbl, c.row_id, c.field,
                              version.op_id)
        except CoachdeskError as exc:
            self.query_one("#conflict-error", Static).update(f"{exc}.")
            return
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
