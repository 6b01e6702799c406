"""Asked during an import when people with drafts on this laptop leave its caseload (a
transfer or an unshare): their records go from this vault, and their drafts go to the
supervisor with the next bundle. y goes on, n or Esc imports nothing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Static

from coachdesk.models.participant import initials_of
from coachdesk.sync.scope_guard import Leaving
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class LeavingQuestion(CoachdeskModal[bool]):
    TITLE = "Leaving your caseload"
    HELP = ("The bundle moves people out of your caseload (the supervisor transferred them,\n"
            "or they are no longer shared with you). Their records are removed from this\n"
            "laptop, and the audit log says when and why. Your drafts for them are not\n"
            "lost: they go to the supervisor with your next bundle. y imports the bundle,\n"
            "n or Esc imports nothing for now.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Import", id="leaving.yes",
                tooltip="Import: the drafts go to the supervisor"),
        Binding("n", "answer(False)", "Not now", id="leaving.no",
                tooltip="Import nothing for now"),
        Binding("escape", "answer(False)", "Not now", id="leaving.escape", show=False,
                tooltip="Import nothing for now"),
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def __init__(self, gone: list[Leaving]) -> None:
        super().__init__()
        self.gone = [g for g in gone if g.alias]

    def _shown(self, leave: Leaving) -> str:
        return initials_of(leave.alias) if self.cd_app.discreet else leave.alias

    def compose(self) -> ComposeResult:
        lines = [f"  {escape(self._shown(g))}: {g.drafts} draft(s)" for g in self.gone[:8]]
        if len(self.gone) > 8:
            lines.append(f"  and {len(self.gone) - 8} more")
        with Vertical(id="trust-box"):
            yield Static("[b]People leave your caseload[/b]")
            yield Static("\n".join(lines))
            yield Static("Their records leave this laptop. Your drafts go to the "
                         "supervisor with your next bundle.")
            yield Static("[dim]Import now? y/n[/dim]")
        yield KeyLine()

    def action_answer(self, go_on: bool) -> None:
        self.dismiss(go_on)
