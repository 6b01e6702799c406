"""The running crisis checklist: one step at a time, keys only, every answer saved at once.

The screen keeps no state of its own worth saving: the walk is rebuilt from the vault
whenever the screen opens (after a lock, a crash or Esc), and a timer's countdown is
measured from the time the step was reached, as recorded.

The screen knows no step kind: the step model says which keys it takes and records the
answer; the kind's card (tui/widgets/crisis_cards.py) shows it and gives Enter's answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.models import CrisisRecord
from coachdesk.models.settings import Settings
from coachdesk.protocols import InvalidAnswer, ReplayError, Walk, load_all
from coachdesk.protocols.model import CHOOSE, GO_ON, NO, YES, answer_text
from coachdesk.store import crisis
from coachdesk.store.db import DatabaseError
from coachdesk.tui.format import in_own_words
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.crisis_person import PersonPicker
from coachdesk.tui.widgets.crisis_cards import Card, CardContext, StepCard, card_for
from coachdesk.tui.widgets.crisis_footer import CrisisFooter


def _epoch(iso: str) -> float:
    stamp = dt.datetime.fromisoformat(iso)
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).timestamp()


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
        self._step_started = 0.0
        self._card: StepCard[Any] | None = None
        self._confirm_stop = False
        self._broken = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="crisis-head")
        yield Static("", id="crisis-person")
        yield Vertical(id="crisis-card")  # the card of the current step goes here
        yield Static("", id="crisis-message", classes="error")
        yield Static("", id="crisis-last")
        yield CrisisFooter()

    # ---- loading -----------------------------------------------------------------
    def on_mount(self) -> None:
        self.reload()

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
        self._show_person_and_last()
        self._show_card()
        self.refresh_bindings()

    def _show_person_and_last(self) -> None:
        record = self.record
        assert record is not None
        pid = record.participant_id
        who = self.name_of(pid) if pid else ""
        self.query_one("#crisis-person", Static).update(
            f" Person: {escape(who)}" if who else " Person: not attached yet (p attaches one)")
        last = record.answers[-1] if record.answers else None
        self.query_one("#crisis-last", Static).update(
            f" Last saved: {dt.datetime.fromisoformat(last.at).astimezone():%H:%M:%S}  "
            f"{escape(last.label)}: {escape(self._last_answer(last.kind, last.answer))}"
            if last else "")

    def _last_answer(self, kind: str, answer: str) -> str:
        """The last answer; in discreet mode not one in the coach's own words."""
        shown = answer_text(kind, answer)
        return self.secret(shown, "last") if in_own_words(kind) else shown

    def selected_key(self) -> str:
        return "last"  # the reveal key (discreet mode) shows the last answer

    def redraw_names(self) -> None:
        if self.unlocked and self.record is not None:
            self._show_person_and_last()  # not the card: a half-typed answer stays

    def _show_card(self) -> None:
        """Put the current step's card (or why the checklist cannot go on) in the frame."""
        holder = self.query_one("#crisis-card", Vertical)
        holder.remove_children()
        self.set_focus(None)  # a card that takes typing focuses its own field
        card: Card
        if self._broken or self.walk is None:
            self._card = None
            card = Card("This checklist cannot go on", self._broken,
                        "x  end it (twice)    Esc  close")
        else:
            card = self._card = card_for(self.walk.current,
                                         CardContext(self._step_started, self._settings))
        holder.mount(card)

    def _settings(self) -> Settings:
        return self.vault.settings()

    # ---- answering -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide":
            return True
        if action == "stop":
            return not self._text_step()
        step = None if self._broken or self.walk is None else self.walk.current
        if step is None:
            return False
        if action in (YES, NO, GO_ON):
            return step.takes(action)
        if action == CHOOSE:
            return step.takes(action, int(str(parameters[0])))
        if action == "back":
            return self.walk is not None and self.walk.can_go_back and not self._text_step()
        if action == "person":
            return not self._text_step()
        return True

    def _text_step(self) -> bool:
        return self.walk is not None and not self._broken and self.walk.current.typed

    def _say(self, text: str) -> None:
        self.query_one("#crisis-message", Static).update(text)

    def _save(self, raw: str) -> None:
        """Record the answer to the current step, then move on. Nothing moves if saving fails."""
        if self.walk is None or self._broken or self.record is None:
            return
        self._confirm_stop = False
        step = self.walk.current
        try:
            value = step.recorded(raw)
            row = crisis.record(self.vault, self.event_id, step.id,
                                step.kind, step.label, value)
        except (CoachdeskError, InvalidAnswer) as exc:
            self._say(f"Not saved: {exc}")
            return
        except DatabaseError as exc:
            self._say(f"Not saved, the vault refused: {exc}")
            return
        self.record.steps.append(row)
        self.walk.advance(value)
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
        if self._card is not None and self._card.step.takes(GO_ON):
            self._save(self._card.answer())

    @on(StepCard.Answered)
    def _card_answered(self, event: StepCard.Answered) -> None:
        event.stop()
        if event.card is self._card:  # not a card already replaced
            self._save(event.raw)

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
        self.cd_app.open_crisis_summary(self.event_id, replace=True)
