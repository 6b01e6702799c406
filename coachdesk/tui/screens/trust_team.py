"""Asked before a vault with no team trusts the first team file a bundle brings: the
supervisor's fingerprint, to compare with what they read out. y trusts, n or Esc not."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Static

from coachdesk.sync.team import TeamFile
from coachdesk.sync.team_flow import printable
from coachdesk.tui import commands
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class TrustTeamQuestion(CoachdeskModal[bool]):
    TITLE = "Join team"
    HELP = ("This vault belongs to no team yet, and the bundle brings a team file that\n"
            "names it. Compare the supervisor's fingerprint with what they read to you by\n"
            "phone or in person: y trusts the team (from then on only its supervisors can\n"
            "change it), n or Esc refuses the bundle and changes nothing.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Trust", id="trust.yes",
                tooltip="The fingerprint matches: join the team"),
        Binding("n", "answer(False)", "Refuse", id="trust.no",
                tooltip="It does not match: import nothing"),
        Binding("escape", "answer(False)", "Refuse", id="trust.escape", show=False,
                tooltip="Import nothing"),
        commands.LOCK.binding(),
        commands.HELP.binding(),
    ]

    def __init__(self, team: TeamFile) -> None:
        super().__init__()
        self.team = team

    def compose(self) -> ComposeResult:
        signer = self.team.member(self.team.signer)
        name = printable(signer.identity.name) if signer else "?"
        fingerprint = signer.identity.fingerprint if signer else "?"
        with Vertical(id="trust-box"):
            yield Static(f"[b]Join the team {escape(printable(self.team.name))}?[/b]")
            yield Static(f"Supervisor: {escape(name)}\nFingerprint: [b]{fingerprint}[/b]")
            yield Static("[dim]Does it match what the supervisor reads to you? y/n[/dim]")
        yield KeyLine()

    def action_answer(self, trust: bool) -> None:
        self.dismiss(trust)
