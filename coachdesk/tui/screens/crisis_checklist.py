"""The running crisis checklist: one step at a time, keys only, every answer saved at once.

The screen keeps no state of its own worth saving: the walk is rebuilt from the vault
whenever the screen opens (after a lock, a crash or Esc), and a timer's countdown is
measured from the time the step was reached, as recorded.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Digits, Input, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models import CrisisRecord
from coachdesk.protocols import NUMBERS, InvalidAnswer, ReplayError, Walk, load_all, normalize
from coachdesk.protocols.model import Call, Choice, Timer
from coachdesk.store import crisis
from coachdesk.store.db import DatabaseError
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.crisis_person import PersonPicker
from coachdesk.tui.widgets.crisis_footer import CrisisFooter

ONWARD_KINDS = ("instruction", "call", "timer", "end")


def minutes(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


def _epoch(iso: str) -> float:
    stamp = dt.datetime.fromisoformat(iso)
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).timestamp()


class StepInput(Input):
    """The free-text answer. Backspace in an empty field goes back one step."""

    def action_delete_left(self) -> None:
        if not self.value:
            if isinstance(self.screen, CrisisScreen):
                self.screen.action_back()
            return
        super().action_delete_left()


class CrisisScreen(CoachdeskScreen[None]):
    AUTO_FOCUS = ""
    TITLE = "Crisis checklist"
    HELP = (
        "One step at a time: y / n answer a question, 1-9 pick an option, Enter goes on "
        "(on a timer: now, or when it ends). In a text step type, then Enter; Backspace "
        "in the empty field goes back.\n\nEvery answer is saved the moment it is given, "
        "with its time; going back keeps the earlier answer in the record. Esc hides the "
        "checklist without ending it: Ctrl+R brings it back, and so does the next unlock "
        "after a lock or a crash.\n\nWhile it runs the vault does not lock by itself until "
        "the crisis auto-lock time (Settings, F9; 30 minutes unless changed), and then only "
        "after a 30-second countdown that any key cancels. Ctrl+L still locks at once."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Yes", id="crisis.yes", tooltip="Answer yes"),
        Binding("n", "no", "No", id="crisis.no", tooltip="Answer no"),
        Binding("1", "choose(1)", "Choose", key_display="1-9", id="crisis.choose",
                tooltip="Pick the option with this number"),
        *[Binding(str(i), f"choose({i})", show=False) for i in range(2, 10)],
        Binding("enter", "go_on", "Go on", id="crisis.go_on", tooltip="Done: go on to the next step"),
        Binding("b,backspace", "back", "Back", key_display="b", id="crisis.back",
                tooltip="Back one step (the earlier answer stays in the record)"),
        Binding("p", "person", "Person", id="crisis.person", tooltip="Attach the person this is about"),
        Binding("x", "stop", "Stop", id="crisis.stop",
                tooltip="Stop this checklist before its end (press x twice)"),
        Binding("escape", "hide", "Hide", id="crisis.hide",
                tooltip="Hide the checklist; it keeps running (Ctrl+R brings it back)"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.walk: Walk | None = None
        self.record: CrisisRecord | None = None
        self._step_started = time.time()
        self._rang = False
        self._confirm_stop = False
        self._broken = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="crisis-head")
        yield Static("", id="crisis-person")
        with Vertical(id="crisis-card"):
            yield Static("", id="step-label")
            yield Digits("", id="step-timer")  # above the text: a long text never hides it
            yield Static("", id="step-text")
            yield Static("", id="step-body")
            yield StepInput(id="step-input", compact=True, max_length=2000)
            yield Static("", id="step-hint")
        yield Static("", id="crisis-message", classes="error")
        yield Static("", id="crisis-last")
        yield CrisisFooter()

    # ---- loading -----------------------------------------------------------------
    def on_mount(self) -> None:
        self.reload()
        self.set_interval(0.25, self._tick)

    def on_screen_resume(self) -> None:
        """Back on top (after help, a picker, or a second copy opened by Ctrl+R): rebuild
        from the record only if it grew meanwhile, so a half-typed answer stays."""
        vault = self.cd_app.vault
        if self.record is None or vault is None:
            return
        try:
            steps = crisis.steps_of(vault, self.event_id)
        except DatabaseError:
            return
        if len(steps) != len(self.record.steps):
            self.reload()

    def reload(self) -> None:
        vault = self.vault
        self.record = crisis.get(vault, self.event_id)
        event = self.record.event
        protocol = load_all().get(event.protocol_id)
        self._broken = ""
        if protocol is None:
            self._broken = (f"The protocol {event.protocol_title!r} is no longer loaded, so this "
                            "checklist cannot go on. Its record is kept: x ends it.")
        else:
            try:
                self.walk = Walk.replay(protocol, [(s.kind, s.step_id, s.answer)
                                                   for s in self.record.steps])
            except ReplayError:
                self._broken = (f"{event.protocol_title} has changed since this checklist "
                                "started, so it cannot go on. Its record is kept: x ends it.")
        moves = [s for s in self.record.steps if s.kind != "attach"]
        self._step_started = _epoch(moves[-1].at if moves else event.started_at)
        if self.walk is not None and self.walk.finished:
            self.call_later(self._open_summary)
            return
        self.show_step()

    # ---- showing a step ------------------------------------------------------------
    def show_step(self) -> None:
        record = self.record
        assert record is not None
        event = record.event
        started = dt.datetime.fromisoformat(event.started_at).astimezone()
        count = len([s for s in record.steps if s.kind not in ("attach", "back")])
        self.query_one("#crisis-head", Static).update(
            f" CRISIS  {escape(event.protocol_title)}  ·  started {started:%H:%M}  ·  "
            f"{count} answer{'s' if count != 1 else ''} saved")
        pid = record.participant_id
        who = self.name_of(pid) if pid else ""
        self.query_one("#crisis-person", Static).update(
            f" Person: {escape(who)}" if who else " Person: not attached yet (p attaches one)")
        last = record.answers[-1] if record.answers else None
        self.query_one("#crisis-last", Static).update(
            f" Last saved: {dt.datetime.fromisoformat(last.at).astimezone():%H:%M:%S}  "
            f"{escape(last.label)}: {escape(self._answer_text(last.kind, last.answer))}"
            if last else "")
        self._show_card()
        self.refresh_bindings()

    @staticmethod
    def _answer_text(kind: str, answer: str) -> str:
        return "done" if kind in ("instruction", "call") else (answer or "(left empty)")

    def _show_card(self) -> None:
        label = self.query_one("#step-label", Static)
        text = self.query_one("#step-text", Static)
        body = self.query_one("#step-body", Static)
        hint = self.query_one("#step-hint", Static)
        field = self.query_one("#step-input", StepInput)
        timer = self.query_one("#step-timer", Digits)
        timer.display = field.display = False
        body.update("")
        if self._broken or self.walk is None:
            label.update("This checklist cannot go on")
            text.update(escape(self._broken))
            hint.update("x  end it (twice)    Esc  close")
            return
        step = self.walk.current
        label.update(escape(step.label))
        text.update(escape(step.text))
        if step.kind == "yesno":
            body.update("[reverse] y [/reverse] Yes          [reverse] n [/reverse] No")
            hint.update("Press y or n.")
        elif isinstance(step, Choice):
            body.update("\n".join(f"[reverse] {i} [/reverse] {escape(o.label)}"
                                  for i, o in enumerate(step.options, 1)))
            hint.update(f"Press 1 to {len(step.options)}.")
        elif isinstance(step, Call):
            body.update("\n".join(self._number_line(n) for n in step.numbers))
            hint.update("Enter when done.")
        elif isinstance(step, Timer):
            timer.display = True
            self._rang = False
            self._tick()
        elif step.kind == "text":
            field.display = True
            field.value = ""
            field.placeholder = getattr(step, "placeholder", "") or "type here"
            field.focus()
            hint.update("Type, then Enter to save and go on.")
        elif step.kind == "end":
            body.update(f"Outcome: [b]{escape(step.outcome)}[/b]")
            hint.update("Enter closes the checklist and shows the timeline.")
        else:
            hint.update("Enter when done.")
        body.display = step.kind in ("yesno", "choice", "call", "end")
        if step.kind != "text":
            self.set_focus(None)

    def _number_line(self, number: str) -> str:
        settings = self.vault.settings()
        value = {"911": "911", "988": "988", "crisis_line": settings.crisis_line,
                 "supervisor": settings.supervisor_phone}[number]
        if not value:
            return f"  {NUMBERS[number]}: [i]not set (add it in Settings)[/i]"
        return f"  [b]{escape(value):<16}[/b] {NUMBERS[number]}"

    def _tick(self) -> None:
        if self.walk is None or self._broken or not isinstance(self.walk.current, Timer):
            return
        step = self.walk.current
        left = step.seconds - (time.time() - self._step_started)
        self.query_one("#step-timer", Digits).update(minutes(left))
        hint = self.query_one("#step-hint", Static)
        if left <= 0:
            hint.update("[b]Time is up.[/b] Enter to go on.")
            if not self._rang:
                self._rang = True
                self.app.bell()
        else:
            hint.update("Counting down. Enter goes on now; or wait for it.")

    # ---- answering -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide":
            return True
        if action == "stop":
            return not self._text_step()
        step = None if self._broken or self.walk is None else self.walk.current
        if step is None:
            return False
        if action in ("yes", "no"):
            return step.kind == "yesno"
        if action == "choose":
            return isinstance(step, Choice) and int(str(parameters[0])) <= len(step.options)
        if action == "go_on":
            return step.kind in ONWARD_KINDS
        if action == "back":
            return self.walk is not None and self.walk.can_go_back and not self._text_step()
        if action == "person":
            return not self._text_step()
        return True

    def _text_step(self) -> bool:
        return (self.walk is not None and not self._broken and self.walk.current.kind == "text")

    def _say(self, text: str) -> None:
        self.query_one("#crisis-message", Static).update(text)

    def _save(self, raw: str) -> None:
        """Record the answer to the current step, then move on. Nothing moves if saving fails."""
        if self.walk is None or self._broken or self.record is None:
            return
        self._confirm_stop = False
        step = self.walk.current
        try:
            value = normalize(step, raw)
            row = crisis.record(self.vault, self.event_id, step.id,
                                step.kind, step.label, value)
        except (CoachdeskError, InvalidAnswer) as exc:
            self._say(f"Not saved: {exc}")
            return
        except DatabaseError as exc:
            self._say(f"Not saved, the vault refused: {exc}")
            return
        self.record.steps.append(row)
        self.walk.answer(value)
        self._step_started = _epoch(row.at)
        self._say("")
        if self.walk.finished:
            self._open_summary()
        else:
            self.show_step()

    def action_yes(self) -> None:
        self._save("yes")

    def action_no(self) -> None:
        self._save("no")

    def action_choose(self, number: int) -> None:
        self._save(str(number))

    def action_go_on(self) -> None:
        if self.walk is None or self._broken:
            return
        step = self.walk.current
        if isinstance(step, Timer):
            waited = time.time() - self._step_started
            self._save(f"waited the full {minutes(step.seconds)}" if waited >= step.seconds
                       else f"went on after {minutes(waited)} of {minutes(step.seconds)}")
        elif step.kind == "text":
            self._save(self.query_one("#step-input", StepInput).value)
        elif step.kind in ONWARD_KINDS:
            self._save("")

    @on(Input.Submitted, "#step-input")
    def _text_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_go_on()

    def action_back(self) -> None:
        walk = self.walk
        if walk is None or self._broken or self.record is None:
            return
        if not walk.can_go_back:
            self._say("This is the first step.")
            return
        left, to = walk.current, walk.previous
        assert to is not None
        try:
            row = crisis.back(self.vault, self.event_id, left.id, left.label,
                              to.label)
        except (CoachdeskError, DatabaseError) as exc:
            self._say(f"Not saved: {exc}")
            return
        self.record.steps.append(row)
        walk.back()
        self._step_started = _epoch(row.at)
        self._say("Back one step: your earlier answer stays in the record.")
        self.show_step()

    def action_person(self) -> None:
        self.app.push_screen(PersonPicker(), self._person_chosen)

    def _person_chosen(self, participant_id: str | None) -> None:
        if not participant_id or self.record is None:
            return
        try:
            row = crisis.attach(self.vault, self.event_id, participant_id)
        except (CoachdeskError, DatabaseError) as exc:
            self._say(f"Not attached: {exc}")
            return
        self.record.steps.append(row)
        self.show_step()

    def action_stop(self) -> None:
        if not self._confirm_stop:
            self._confirm_stop = True
            self._say("Press x again to stop this checklist here. It stays in the record.")
            return
        try:
            crisis.stop(self.vault, self.event_id)
        except (CoachdeskError, DatabaseError) as exc:
            self._say(f"Not stopped: {exc}")
            return
        self._open_summary()

    def action_hide(self) -> None:
        self.app.pop_screen()
        self.app.notify("The crisis checklist is still open: Ctrl+R returns to it.", timeout=5)

    def _open_summary(self) -> None:
        from coachdesk.tui.screens.crisis_summary import CrisisSummary

        self.app.switch_screen(CrisisSummary(self.event_id))
