"""A person's follow-ups: check-in schedules, the outreach attempts, the share reached.

Logging a call is one key (1 reached) or a key and Enter (2-5, with an optional note).
Reached starts a check-in note linked to the attempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.markup import escape
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from coachdesk.errors import CoachdeskError
from coachdesk.models.followup import HARD_TO_REACH, Outcome, Unit, describe, local_at
from coachdesk.store import followups, participants
from coachdesk.store.followups import Schedule
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine

OUTCOME_KEYS = {str(i + 1): outcome for i, outcome in enumerate(Outcome)}
KEYS_LINE = "Log: " + " · ".join(f"{k} {o.value}" for k, o in OUTCOME_KEYS.items())


def schedule_line(schedule: Schedule, waiting: dict[str, dt.date], today: dt.date,
                  label_width: int = 20, label: str | None = None) -> str:
    """One schedule: its label (padded to `label_width`, the longest label of the list;
    `label` replaces its own: discreet mode hides it), its rule, its state; a problem in
    full."""
    rule = schedule.rule
    label = f"{rule.label if label is None else label:<{label_width}}"
    if schedule.problem:
        return f"{label} needs fixing (e): {schedule.problem}"
    if not rule.active:
        state = "stopped"
    elif schedule.id in waiting:
        state = f"DUE {waiting[schedule.id].isoformat()}"
    else:
        upcoming = [d for d in schedule.dates if d > today]
        state = f"next {upcoming[0].isoformat()}" if upcoming else "finished"
    return f"{label} {describe(rule):<40} {state}"


def attempts_table(attempts: list[followups.Attempt], labels: dict[str, str],
                   hidden: Callable[[str], bool] = lambda schedule_id: False) -> Table:
    """The calls, one a row: when, outcome, for which check-in; the note wraps in its own
    column (nothing cut short). `hidden(schedule id)`: discreet mode hides its label and
    note."""
    table = Table.grid(padding=(0, 1))
    for _ in range(3):
        table.add_column(no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for attempt in attempts:
        record = attempt.record
        what = labels.get(record.schedule_id, "extra call") if record.schedule_id else "extra call"
        note = record.note or ""
        if hidden(record.schedule_id):
            what, note = HIDDEN, HIDDEN if note else ""
        for_day = f" {record.due_on.isoformat()[5:]}" if record.due_on else ""
        note = ("(note) " if record.note_id else "") + note
        table.add_row(local_at(record.at), str(record.outcome), what + for_day, note)
    return table


class FollowupsScreen(CoachdeskScreen[None]):
    TITLE = "Follow-ups"
    HELP = (
        "Schedules: every N days, weeks or months, a number of times\n"
        "or until a date, or once (e.g. six months after intake).\n"
        "Up/Down choose a schedule; a call counts for its due check-in.\n"
        "1 reached: starts a check-in note. 2 no answer, 3 left\n"
        "message, 4 wrong number, 5 declined: a short note, Enter.\n"
        "Three calls in a row that reach nobody flag 'hard to reach';\n"
        "speaking with the person clears it. s stops a schedule: nothing\n"
        "falls due from today on; s again goes on from its next date."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(k, f"log('{o.value}')", o.value.title(), id=f"followups.{k}", show=False,
                  tooltip=f"Log a call: {o.value}") for k, o in OUTCOME_KEYS.items()),
        Binding("n", "new", "New", id="followups.new", tooltip="Add a check-in schedule"),
        Binding("e", "edit", "Edit", id="followups.edit", tooltip="Edit the selected schedule"),
        Binding("s", "stop", "Stop", id="followups.stop",
                tooltip="Stop the selected schedule (or start it again)"),
        Binding("escape", "back", "Back", id="followups.back", tooltip="Back to the person"),
        Binding("escape", "cancel_call", "Cancel", id="followups.cancel",
                tooltip="Log nothing (while a call's note is asked for)"),
    ]

    def __init__(self, participant_id: str, schedule_id: str = "") -> None:
        super().__init__()
        self.participant_id = participant_id
        self._highlight = schedule_id  # the schedule to start on (a check-in picked on F3)
        self._schedules: list[Schedule] = []
        self._pending = ""  # the outcome waiting for its optional note

    def compose(self) -> ComposeResult:
        yield Static("", id="fu-title")
        yield Static("[b]Schedules[/b]  [dim]n new · e edit · s stop/restart[/dim]",
                     id="fu-schedules-label")
        yield OptionList(id="fu-schedules")
        yield Static("", id="fu-summary")
        yield Static(KEYS_LINE, id="fu-keys")
        with Horizontal(id="fu-ask", classes="hidden"):
            yield Static("", id="fu-ask-label")
            yield Input(id="fu-note", compact=True, max_length=200,
                        placeholder="short note (optional); Enter logs, Esc cancels")
        yield Static("", id="fu-message", classes="error")
        yield Static("[b]Attempts[/b] (newest first)", id="fu-attempts-label")
        yield Static("", id="fu-attempts")
        yield KeyLine()

    def on_mount(self) -> None:
        self.refresh_all()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        if self.unlocked:
            self.refresh_all()

    def refresh_all(self) -> None:
        person = self.load_or_close(
            lambda vault: participants.get(vault, self.participant_id, audited=False), quiet=True)
        if person is None:
            return
        today = dt.date.today()
        hard = (f"  [reverse] ! {HARD_TO_REACH} [/reverse]"
                if followups.is_hard_to_reach(self.vault, self.participant_id) else "")
        shown = escape(self.shown(person.alias))
        self.query_one("#fu-title", Static).update(f"[b]Follow-ups · {shown}[/b]{hard}")
        summary = followups.summary(self.vault, self.participant_id, today)
        waiting = {d.schedule_id: d.due_on for d in summary.waiting}
        self._schedules = summary.schedules
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        if self._highlight:
            keep = next((i for i, s in enumerate(self._schedules) if s.id == self._highlight), keep)
            self._highlight = ""
        listing.clear_options()
        label_width = max((len(s.rule.label) for s in self._schedules), default=0)
        for s in self._schedules:
            label = self.secret(s.rule.label, s.id)
            listing.add_option(Option(escape(schedule_line(s, waiting, today, label_width, label)),
                                      id=s.id))
        if self._schedules:
            listing.highlighted = min(keep or 0, len(self._schedules) - 1)
        else:
            listing.add_option(Option("No schedule yet: n adds one (e.g. weekly, 12 times).",
                                      disabled=True))
        self.query_one("#fu-summary", Static).update(
            f"Check-ins so far: {summary.share_text} · {summary.made} made · "
            f"{summary.attempts} call{'s' * (summary.attempts != 1)} logged")
        labels = {s.id: s.rule.label for s in self._schedules}
        attempts = summary.calls
        calls: RenderableType = "No calls logged yet: 1-5 log one."
        if attempts:
            table = attempts_table(attempts[:8], labels, self.hides)
            if len(attempts) > 8:
                table.add_row(Text(f"and {len(attempts) - 8} earlier", style="dim"))
            calls = table
        self.query_one("#fu-attempts", Static).update(calls)

    def redraw_names(self) -> None:
        if self.unlocked:
            self.refresh_all()

    def selected(self) -> Schedule | None:
        index = self.query_one(OptionList).highlighted
        return self._schedules[index] if self._schedules and index is not None else None

    def say(self, text: str) -> None:
        self.query_one("#fu-message", Static).update(escape(text))

    # ---- logging a call ---------------------------------------------------------------
    def _target(self) -> tuple[str, dt.date | None, str]:
        """(schedule id, due date, words) the call is logged for."""
        chosen = self.selected()
        if chosen is None:
            return "", None, "an extra call (no schedule)"
        waiting = followups.due(self.vault, dt.date.today(), self.participant_id)
        due = next((d for d in waiting if d.schedule_id == chosen.id), None)
        if due is None:
            return chosen.id, None, f"{chosen.rule.label} (nothing due: an extra call)"
        return chosen.id, due.due_on, f"{chosen.rule.label}, due {due.due_on.isoformat()}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_call":  # while a call's note is asked for, Esc cancels it
            return bool(self._pending)
        if action in ("back", "log", "new", "edit", "stop"):
            return not self._pending
        return True

    def action_log(self, outcome: str) -> None:
        if self._pending:
            return
        if outcome == Outcome.REACHED:
            self._log(outcome, "")
            return
        self._pending = outcome
        _, _, words = self._target()
        self.query_one("#fu-ask-label", Static).update(f"{outcome}: ")
        self.say(f"For {words}.")
        field = self.query_one("#fu-note", Input)
        field.value = ""
        self.query_one("#fu-ask").remove_class("hidden")
        field.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#fu-note")
    def _note_given(self, event: Input.Submitted) -> None:
        outcome, self._pending = self._pending, ""
        if outcome:
            self._log(outcome, event.value.strip())
        self._close_ask()

    def _log(self, outcome: str, note: str) -> None:
        schedule_id, due_on, words = self._target()
        try:
            logged = followups.log_attempt(self.vault, self.participant_id, outcome,
                                           schedule_id=schedule_id, due_on=due_on, note=note)
        except CoachdeskError as exc:
            self.say(f"Not logged: {exc}")
            return
        message = f"Logged {outcome} for {words}."
        if logged.flag == "raised":
            message += " Three calls in a row reached nobody: flagged hard to reach."
        elif logged.flag == "cleared":
            message += " The hard-to-reach flag is cleared."
        self.say(message)
        self.refresh_all()
        if logged.note_id:
            from coachdesk.tui.screens.note_editor import NoteEditor  # on demand: start-up speed

            self.app.push_screen(NoteEditor(logged.note_id))

    def _close_ask(self) -> None:
        self._pending = ""
        self.query_one("#fu-ask").add_class("hidden")
        self.query_one(OptionList).focus()
        self.refresh_bindings()

    # ---- schedules ----------------------------------------------------------------------
    def action_new(self) -> None:
        self.app.push_screen(ScheduleForm(self.participant_id), callback=self._saved)

    def action_edit(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.app.push_screen(ScheduleForm(self.participant_id, chosen), callback=self._saved)

    def _saved(self, schedule_id: str | None) -> None:
        if schedule_id:
            self.say("Schedule saved. Past calls are kept as they were.")

    def action_stop(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        label = chosen.rule.label
        try:
            if chosen.rule.active:
                followups.stop(self.vault, chosen.id)
                message = f"{label}: stopped. Nothing falls due from today; s starts it again."
            else:
                running = followups.restart(self.vault, chosen.id)
                message = f"{label}: started again."
                if running != chosen.id:
                    self._highlight = running
                    message += (" It goes on as a new line from its next date; the stopped"
                                " one keeps its calls, and the weeks between are not missed.")
        except CoachdeskError as exc:
            self.say(f"Not changed: {exc}")
            return
        self.say(message)
        self.refresh_all()

    def action_cancel_call(self) -> None:
        self._close_ask()
        self.say("Nothing logged.")

    def action_back(self) -> None:
        self.dismiss(None)


class ScheduleForm(CoachdeskScreen[str | None]):
    """A new check-in schedule, or an edit of one; returns its id when saved."""

    TITLE = "Check-in schedule"
    HELP = (
        "Every N days, weeks or months, for a number of times or until\n"
        "a date (give one or both: the earlier end wins). 'once' is a\n"
        "single follow-up on the start date. Dates are YYYY-MM-DD.\n"
        "Tab moves, Enter or Ctrl+S saves, Esc cancels."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="schedule.save", tooltip="Save the schedule"),
        Binding("escape", "cancel", "Cancel", id="schedule.cancel",
                tooltip="Leave without saving"),
    ]

    def __init__(self, participant_id: str, schedule: Schedule | None = None) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.schedule = schedule

    def compose(self) -> ComposeResult:
        rule = self.schedule.rule if self.schedule else None
        title = "Edit check-in schedule" if rule else "New check-in schedule"
        yield Static(f"[b]{title}[/b]", id="form-title")
        with Grid(id="form"):
            yield Label("Label")
            yield Input(rule.label if rule else "weekly call", id="label", compact=True,
                        max_length=60, placeholder="e.g. weekly call, 6-month follow-up")
            yield Label("Starts on")
            yield Input(str(rule.starts_on if rule else dt.date.today()),
                        id="starts_on", compact=True, placeholder="YYYY-MM-DD")
            yield Label("Every")
            yield Input(str(rule.every) if rule else "1", id="every", compact=True,
                        placeholder="1 or more")
            yield Label("Unit")
            units = [u.value for u in Unit]
            unit = str(rule.unit) if rule and str(rule.unit) in units else Unit.WEEKS.value
            yield Select([(u, u) for u in units], id="unit", compact=True,
                         allow_blank=False, value=unit)
            yield Label("Times")
            yield Input(str(rule.times or "") if rule else "12", id="times", compact=True,
                        placeholder="how many check-ins (or give an end date)")
            yield Label("Until")
            yield Input(str(rule.until) if rule and rule.until else "", id="until",
                        compact=True, placeholder="YYYY-MM-DD (optional)")
        yield Static("[dim]Weekly for 12 weeks: every 1, weeks, times 12. A one-off (e.g. six "
                     "months after intake): unit 'once', its date in Starts on.[/dim]",
                     id="schedule-hint")
        problem = self.schedule.problem if self.schedule else ""
        yield Static(escape(f"To fix: {problem}") if problem else "", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#label", Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        data: dict[str, object] = {
            key: self.query_one(f"#{key}", Input).value.strip()
            for key in ("label", "starts_on", "every", "times", "until")}
        data["unit"] = self.query_one("#unit", Select).value
        if data["unit"] == Unit.ONCE:
            data["every"], data["times"], data["until"] = 1, "", ""
        self.close_with(lambda: self._save(data), "#error")

    def _save(self, data: dict[str, object]) -> str:
        if self.schedule is None:
            return followups.add_schedule(self.vault, self.participant_id, data)
        followups.update_schedule(self.vault, self.schedule.id, data)
        return self.schedule.id

    def action_cancel(self) -> None:
        self.dismiss(None)
