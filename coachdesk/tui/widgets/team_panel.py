"""The team on the Sync screen: its name and version, each member's role, short
fingerprint, status and last bundle (the rows of `coachdesk team show`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from coachdesk.sync import team, team_flow
from coachdesk.sync.team_flow import MemberRow

if TYPE_CHECKING:
    from coachdesk.store.vault import Vault

MAX_ROWS = 5
"""Members shown; the rest are counted (the Sync screen fits 80x24)."""
NO_TEAM = ("No team yet. A supervisor runs `coachdesk team create NAME`; a coach runs "
           "`coachdesk team request FILE`, then `coachdesk team join FILE`.")


def short_fingerprint(fingerprint: str) -> str:
    """The first three groups: enough to recognise, the whole one is in `team show`."""
    return " ".join(fingerprint.split()[:3])


COLUMNS = f"{'Member':<16} {'Role':<10} {'Fingerprint':<17} {'Status':<11} Last bundle"


def member_line(row: MemberRow) -> Text:
    status = "active" if row.status == "active" else "removed v" + row.status.rsplit(" ", 1)[-1]
    name = row.name if len(row.name) <= 16 else row.name[:15] + "…"
    line = Text(f"{name:<16} {row.role:<10} {short_fingerprint(row.fingerprint):<17} ",
                style="bold" if row.you else "")
    line.append(f"{status:<11} ", style="" if row.status == "active" else "bold red")
    line.append("(you)" if row.you else row.last_bundle, style="dim")
    return line


class TeamPanel(Static):
    DEFAULT_CSS = """
    TeamPanel { height: auto; margin: 0 1 1 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show(self, vault: Vault) -> None:
        held = team.current(vault.conn)
        if held is None:
            self.styles.text_wrap = "wrap"
            self.update(Text(NO_TEAM, style="dim"))
            return
        self.styles.text_wrap = "nowrap"
        rows = team_flow.members(vault)
        text = Text.assemble(("Team ", "bold"), (team_flow.printable(held.name), "bold"),
                             f" · version {held.version} · in full: `coachdesk team show`\n",
                             (COLUMNS, "dim"))
        for row in rows[:MAX_ROWS]:
            text.append("\n")
            text.append_text(member_line(row))
        if len(rows) > MAX_ROWS:
            text.append(f"\n... and {len(rows) - MAX_ROWS} more (`coachdesk team show`)", style="dim")
        self.update(text)
