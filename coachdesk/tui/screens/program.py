"""A person's program data (issue 22): the funder's interview windows of each episode
(opens, due, closes, and what was recorded), and their recovery-support fields. d records
the selected interview done, m missed (with a reason), e edits the fields."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import DataTable, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models.funder import STATE_TEXT, Funder, Window
from coachdesk.models.program import RecoveryLists, recovery_lines
from coachdesk.store import program
from coachdesk.store.vault import Vault
from coachdesk.tui.program_data import program_files
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable


def program_lines(vault: Vault, participant_id: str, today: dt.date,
                  hidden: bool = False) -> list[str]:
    """The participant page's Program section (markup): the windows open or due next,
    missed ones, and the recovery-support fields in short (`hidden`: discreet mode, the
    fields say nothing: a pathway such as MOUD tells what the person is treated for)."""
    head = "[b]Program[/b]  [dim]g windows and fields[/dim]"
    try:
        grant, lists = program_files()
        found = program.person_windows(vault, grant, participant_id)
    except CoachdeskError as exc:
        return [head, f"  ! {escape(str(exc))}"]
    current = [w for w in found if w.episode.number == found[-1].episode.number] if found else []
    lines = [head]
    shown = [w for w in current if w.state(today) == "open"]
    shown += [w for w in current if w.state(today) == "upcoming"][:1]
    for w in shown:
        mark = "! open" if w.state(today) == "open" else "next"
        lines.append(f"  {mark}: {escape(w.spec.label[:24])} {w.opens.isoformat()} to "
                     f"{w.closes.isoformat()}, due {w.due.isoformat()}")
    missed = sum(w.state(today) in ("missed", "lapsed") for w in found)
    done = sum(w.state(today) == "reached" for w in found)
    lines.append(f"  {done} reached in the window, {missed} missed"
                 + (f" · episode {current[0].episode.number}" if current else ""))
    values = program.recovery(vault.conn, participant_id)
    fields = recovery_lines(lists, values)[:2]
    lines += ["  recovery support: ···"] if hidden and fields else \
        [f"  {escape(line)}" for line in fields]
    return lines


class ProgramScreen(CoachdeskScreen[None]):
    TITLE = "Program"
    HELP = ("The funder's interviews of this person, episode by episode: when\n"
            "each window opens, falls due and closes, and what was recorded.\n"
            "d records the selected interview done, m missed (with the reason);\n"
            "a window that closed with nothing recorded counts as missed.\n"
            "e edits the recovery-support fields (pathways, engagement, ...).\n"
            "x discharges (the episode ends; its discharge window follows);\n"
            "n re-enrols after a discharge: a new episode, a new baseline.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="program.back", tooltip="Back to the person"),
        Binding("d", "record('done')", "Done", id="program.done",
                tooltip="Record the selected interview as done"),
        Binding("m", "record('missed')", "Missed", id="program.missed",
                tooltip="Record the selected interview as missed, with the reason"),
        Binding("e", "fields", "Fields", id="program.fields",
                tooltip="Edit the recovery-support fields"),
        Binding("x", "episode('discharge')", "Discharge", id="program.discharge", show=False,
                tooltip="End the episode: the discharge window follows"),
        Binding("n", "episode('enrol')", "Re-enrol", id="program.enrol", show=False,
                tooltip="After a discharge: a new episode with a new baseline"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.grant: Funder | None = None
        self.lists: RecoveryLists | None = None
        self._windows: list[Window] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="program-title")
        # Every cell is short and whole (the interview's name the longest): no detail line.
        yield RecordTable(("Ep", 2), ("Interview", 22), ("Opens", 10), ("Due", 10),
                          ("Closes", 10), ("State", 12), id="program-windows", flex=1, detail=False)
        yield Static("", id="program-fields")
        yield Static("", id="program-message", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        try:
            self.grant, self.lists = program_files()
        except CoachdeskError as exc:
            self.dismiss(None)
            self.app.call_after_refresh(self.app.notify, f"Cannot open: {exc}.", severity="error")
            return
        self.show()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.unlocked and self.grant is not None:
            self.show()

    def redraw_names(self) -> None:
        if self.grant is not None:
            self.show()

    def show(self) -> None:
        assert self.grant is not None and self.lists is not None
        try:
            self._windows = program.person_windows(self.vault, self.grant, self.participant_id)
        except CoachdeskError as exc:
            self.dismiss(None)
            self.app.call_after_refresh(self.app.notify, f"Cannot open: {exc}.", severity="error")
            return
        today = dt.date.today()
        self.query_one("#program-title", Static).update(
            f"[b]{escape(self.name_of(self.participant_id))}[/b] · {escape(self.grant.name)}")
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for index, w in enumerate(self._windows):
            state = STATE_TEXT[w.state(today)]
            if w.outcome is not None:
                state += f" {w.outcome.on.strftime('%m-%d')}"
            table.add_row(str(w.episode.number), w.spec.label, w.opens.isoformat(),
                          w.due.isoformat(), w.closes.isoformat(), state, key=str(index))
        if self._windows:
            table.move_cursor(row=min(max(keep, 0), len(self._windows) - 1))
        values = program.recovery(self.vault.conn, self.participant_id)
        lines = ["[b]Recovery support[/b]  [dim]e edits[/dim]"]
        fields = recovery_lines(self.lists, values)
        if self.hides("page") and fields:  # discreet: a pathway tells what someone is treated for
            lines.append("  ··· (e shows and edits them)")
        else:
            lines += [f"  {escape(line)}" for line in fields]
        self.query_one("#program-fields", Static).update("\n".join(lines))

    def selected(self) -> Window | None:
        row = self.query_one(DataTable).cursor_row
        return self._windows[row] if 0 <= row < len(self._windows) else None

    def action_record(self, status: str) -> None:
        window = self.selected()
        if window is None or self.grant is None:
            return
        from coachdesk.tui.screens.program_forms import InterviewForm

        self.app.push_screen(InterviewForm(self.participant_id, self.grant, window, status))

    def action_fields(self) -> None:
        if self.lists is None:
            return
        from coachdesk.tui.screens.program_forms import RecoveryForm

        self.app.push_screen(RecoveryForm(self.participant_id, self.lists,
                                          program.recovery(self.vault.conn, self.participant_id)))

    def action_episode(self, action: str) -> None:
        from coachdesk.tui.screens.program_forms import EpisodeForm

        self.app.push_screen(EpisodeForm(self.participant_id, action))

    def action_back(self) -> None:
        self.dismiss(None)
