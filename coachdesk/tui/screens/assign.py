"""Assign coaches to one person (a supervisor's screen): the team's members ranked for
them (caseload.ranked), p makes one the primary coach (a transfer, with a handoff note),
s the secondary coach, x removes the secondary coach. A refusal is one line, nothing
changed."""

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
from coachdesk.models.caseload import label
from coachdesk.store import participants
from coachdesk.sync import caseload
from coachdesk.sync.caseload import Match
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine

NONE = "none"


def match_text(match: Match, primary: str, secondary: str) -> str:
    """One member as a line: mark, name, role, caseload, what they share (80 columns)."""
    device = match.member.device
    mark = "P" if device == primary else "S" if device == secondary else ""
    shared = "; ".join(label(tag) for tag in match.shared) or "-"
    line = (f" {mark:<1} {match.member.identity.name:<20.20} {match.member.role:<10.10} "
            f"{match.caseload:>4}  {shared}")
    return line[:76]


class AssignScreen(CoachdeskScreen[None]):
    TITLE = "Assign coaches"
    HELP = (
        "The team's members, most tags shared with the person's\n"
        "preferences first, then the lightest caseload. P: primary\n"
        "coach, S: secondary. p makes the selected member the primary\n"
        "coach (a transfer: type the handoff note they see first, Enter\n"
        "saves, Esc cancels); s makes them the secondary coach; x\n"
        "removes the secondary coach. Supervisors only."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "primary", "Primary", id="assign.primary",
                tooltip="Transfer: make them the primary coach (with a note)"),
        Binding("s", "secondary", "Secondary", id="assign.secondary",
                tooltip="Share: make them the secondary coach"),
        Binding("x", "unshare", "No secondary", id="assign.unshare",
                tooltip="Remove the secondary coach"),
        Binding("escape", "back", "Back", id="assign.back",
                tooltip="Back to the person (or cancel the handoff note)"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.person: ParticipantRow | None = None
        self.matches: list[Match] = []
        self._names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="assign-title")
        yield Static("", id="assign-now")
        yield Static(f"   {'Member':<20} {'Role':<10} {'Load':>4}  Shares", id="assign-head")
        yield OptionList(id="assign-list")
        yield Static("", id="assign-note-label")
        yield Input(id="assign-note", placeholder="handoff note for the new coach",
                    compact=True, max_length=4000)
        yield Static("", id="assign-error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self._note_shown(False)
        self._names = caseload.coach_names(self.vault)
        if self.load_or_close(lambda vault: self._load()) is not None:
            self.query_one(OptionList).focus()

    def _load(self, keep: str | None = None) -> bool:
        vault = self.vault
        person = participants.get(vault, self.participant_id, audited=False)
        self.person = person
        self.matches = caseload.ranked(vault, person.id)
        primary, secondary = caseload.primary_of(person), person.secondary_coach
        self.query_one("#assign-title", Static).update(
            f"[b]Coaches for {escape(self.shown(person.alias))}[/b]")
        self.query_one("#assign-now", Static).update(escape(
            f"primary {self._coach_name(primary)} · secondary "
            f"{self._coach_name(secondary) if secondary else NONE}"))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(match_text(m, primary, secondary), id=m.member.device)
                             for m in self.matches])
        if self.matches:
            devices = [m.member.device for m in self.matches]
            listing.highlighted = devices.index(keep) if keep in devices else 0
        return True

    def redraw_names(self) -> None:
        if self.unlocked and self.person is not None:
            match = self.selected()
            self._load(keep=match.member.device if match else None)

    def _coach_name(self, device: str) -> str:
        return self._names.get(device, device[:8])

    def selected(self) -> Match | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.matches):
            return None
        return self.matches[index]

    def _say(self, line: str) -> None:
        self.query_one("#assign-error", Static).update(escape(line))

    def _note_shown(self, shown: bool) -> None:
        self.query_one("#assign-note-label", Static).display = shown
        note = self.query_one("#assign-note", Input)
        note.display = shown
        if shown:
            note.value = ""
            note.focus()
        else:
            self.query_one(OptionList).focus()

    def _change(self, act: str, device: str) -> bool:
        """Run one service call; on a refusal say why in one line (nothing changed)."""
        assert self.person is not None
        vault = self.vault
        try:
            if act == "share":
                caseload.share(vault, self.person.id, device)
            elif act == "unshare":
                caseload.unshare(vault, self.person.id)
            else:
                note = self.query_one("#assign-note", Input).value
                caseload.transfer(vault, self.person.id, device, note)
        except CoachdeskError as exc:
            self._say(f"Not changed: {exc}")
            return False
        self._say("")
        self._load(keep=device)
        return True

    # ---- keys --------------------------------------------------------------------
    def action_primary(self) -> None:
        match = self.selected()
        if match is None or self.person is None:
            return
        if match.member.device == caseload.primary_of(self.person):
            self._say(f"Not changed: {match.member.identity.name} is already the primary coach")
            return
        self._say("")
        self.query_one("#assign-note-label", Static).update(escape(
            f"Handoff note for {match.member.identity.name} (Enter saves, Esc cancels):"))
        self._note_shown(True)

    @on(Input.Submitted, "#assign-note")
    def _save_transfer(self) -> None:
        match = self.selected()
        if match is None:
            return
        if self._change("transfer", match.member.device):
            self._note_shown(False)
            self.notify(f"{match.member.identity.name} is now the primary coach; they see"
                        " your note first once your next bundle reaches them.")

    def action_secondary(self) -> None:
        match = self.selected()
        if match is not None:
            self._change("share", match.member.device)

    def action_unshare(self) -> None:
        if self.person is not None and not self.person.secondary_coach:
            self._say("Not changed: there is no secondary coach")
            return
        self._change("unshare", "")

    def action_back(self) -> None:
        if self.query_one("#assign-note", Input).display:
            self._note_shown(False)
            self._say("")
            return
        self.dismiss(None)
