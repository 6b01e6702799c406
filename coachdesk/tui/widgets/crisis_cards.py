"""The cards of the crisis checklist: one widget per step kind.

A card shows its step (label, text, and what the kind adds: the options, the numbers
to call, a countdown, a field) with a hint of its keys, and says what Enter answers
(`answer`). What the keys do, how an answer is recorded and where it leads is the step
model's business (protocols/model.py); the screen only picks the card from CARDS.

A new step kind is its class in protocols/model.py, and here its card and its line in
CARDS (a kind without a line gets the plain card: label, text, "Enter when done").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.markup import escape
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Digits, Input, Static

from coachdesk.models.settings import Settings
from coachdesk.protocols.model import (
    MAX_TEXT,
    NUMBERS,
    Call,
    Choice,
    End,
    FreeText,
    Step,
    Timer,
    YesNo,
)

S = TypeVar("S", bound=Step)


def minutes(seconds: float) -> str:
    """A count of seconds as m:ss, rounded up (a countdown shows 0:00 only at the end)."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class CardContext:
    """What a card may need beyond its step."""

    reached: float
    """When the step was reached, as recorded (epoch seconds): a countdown starts here."""
    settings: Callable[[], Settings]
    """The vault's settings (the local crisis line, the supervisor's number)."""


class Card(Vertical):
    """Label, what goes above the text, text, what goes below it, and the hint."""

    DEFAULT_CSS = "Card { height: auto; }"

    def __init__(self, label: str, text: str, hint: str = "") -> None:
        super().__init__()
        self._label = label
        self._text = text
        self._hint = hint

    def compose(self) -> Iterable[Widget]:
        yield Static(escape(self._label), id="step-label")
        yield from self.above()
        yield Static(escape(self._text), id="step-text")
        yield from self.below()
        yield Static(self._hint, id="step-hint")

    def above(self) -> Iterable[Widget]:
        """Widgets between the label and the text (a countdown: never hidden by long text)."""
        return ()

    def below(self) -> Iterable[Widget]:
        """Widgets between the text and the hint."""
        return ()

    def hint(self, markup: str) -> None:
        self.query_one("#step-hint", Static).update(markup)


class StepCard(Card, Generic[S]):
    """The card of one step. The plain one suits a step that Enter completes."""

    HINT: ClassVar[str] = "Enter when done."

    class Answered(Message):
        """The card took an answer by itself (a field's Enter): record `raw`."""

        def __init__(self, card: StepCard[Any], raw: str) -> None:
            super().__init__()
            self.card = card
            self.raw = raw

    def __init__(self, step: S, context: CardContext) -> None:
        super().__init__(step.label, step.text, self.HINT)
        self.step = step
        self.context = context

    def answer(self) -> str:
        """The raw answer that Enter gives (the step model records or refuses it)."""
        return ""


def _body(markup: str) -> Static:
    return Static(markup, id="step-body")


class YesNoCard(StepCard[YesNo]):
    HINT = "Press y or n."

    def below(self) -> Iterable[Widget]:
        yield _body("[reverse] y [/reverse] Yes          [reverse] n [/reverse] No")


class ChoiceCard(StepCard[Choice]):
    def __init__(self, step: Choice, context: CardContext) -> None:
        super().__init__(step, context)
        self._hint = f"Press 1 to {len(step.options)}."

    def below(self) -> Iterable[Widget]:
        yield _body("\n".join(f"[reverse] {i} [/reverse] {escape(o.label)}"
                              for i, o in enumerate(self.step.options, 1)))


class CallCard(StepCard[Call]):
    def below(self) -> Iterable[Widget]:
        settings = self.context.settings()
        local = {"crisis_line": settings.crisis_line, "supervisor": settings.supervisor_phone}
        lines = []
        for number in self.step.numbers:
            value = local.get(number, number)
            lines.append(f"  [b]{escape(value):<16}[/b] {NUMBERS[number]}" if value else
                         f"  {NUMBERS[number]}: [i]not set (add it in Settings)[/i]")
        yield _body("\n".join(lines))


class TimerCard(StepCard[Timer]):
    """A countdown from when the step was reached; a bell when it is up."""

    def __init__(self, step: Timer, context: CardContext) -> None:
        super().__init__(step, context)
        self._rang = False

    def above(self) -> Iterable[Widget]:
        yield Digits(minutes(self._left()), id="step-timer")

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(0.25, self._tick)

    def _waited(self) -> float:
        return time.time() - self.context.reached

    def _left(self) -> float:
        return self.step.seconds - self._waited()

    def _tick(self) -> None:
        left = self._left()
        self.query_one("#step-timer", Digits).update(minutes(left))
        if left > 0:
            self.hint("Counting down. Enter goes on now; or wait for it.")
            return
        self.hint("[b]Time is up.[/b] Enter to go on.")
        if not self._rang:
            self._rang = True
            self.app.bell()

    def answer(self) -> str:
        waited, full = self._waited(), self.step.seconds
        return (f"waited the full {minutes(full)}" if waited >= full
                else f"went on after {minutes(waited)} of {minutes(full)}")


class StepInput(Input):
    """The free-text answer. Backspace in an empty field goes back one step."""

    def action_delete_left(self) -> None:
        if not self.value:
            self.screen.action_back()  # type: ignore[attr-defined]
            return
        super().action_delete_left()


class TextCard(StepCard[FreeText]):
    """A field that takes every key; its Enter answers."""

    HINT = "Type, then Enter to save and go on."

    def below(self) -> Iterable[Widget]:
        field = StepInput(id="step-input", compact=True, max_length=MAX_TEXT,
                          placeholder=self.step.placeholder or "type here")
        field.display = True
        yield field

    def on_mount(self) -> None:
        self.query_one(StepInput).focus()

    def answer(self) -> str:
        return self.query_one(StepInput).value

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(self, self.answer()))


class EndCard(StepCard[End]):
    HINT = "Enter closes the checklist and shows the timeline."

    def below(self) -> Iterable[Widget]:
        yield _body(f"Outcome: [b]{escape(self.step.outcome)}[/b]")


CARDS: dict[str, type[StepCard[Any]]] = {
    "instruction": StepCard,
    "yesno": YesNoCard,
    "choice": ChoiceCard,
    "text": TextCard,
    "call": CallCard,
    "timer": TimerCard,
    "end": EndCard,
}


def card_for(step: Step, context: CardContext) -> StepCard[Any]:
    """The card that shows `step` (the plain card for a kind with none of its own)."""
    return CARDS.get(step.kind, StepCard)(step, context)
