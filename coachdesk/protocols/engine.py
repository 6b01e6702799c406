"""Walk a protocol: the current step, an answer leads to the next, back goes one step.

The walk holds no history of its own beyond the path; the record of every answer
(and every step back) lives in the store, and `Walk.replay` rebuilds a walk from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from coachdesk.errors import CoachdeskError
from coachdesk.models.crisis import ATTACH, BACK, END, STOPPED
from coachdesk.protocols.model import Choice, End, Protocol, Step, YesNo

DONE = "done"
MAX_TEXT = 2000


class InvalidAnswer(CoachdeskError):
    pass


class ReplayError(CoachdeskError):
    pass


def normalize(step: Step, raw: str) -> str:
    """The answer as it is recorded: yes/no, an option's label, the text, or `done`."""
    value = raw.strip()
    if isinstance(step, YesNo):
        word = {"y": "yes", "yes": "yes", "n": "no", "no": "no"}.get(value.casefold())
        if word is None:
            raise InvalidAnswer("answer yes or no")
        return word
    if isinstance(step, Choice):
        if value.isdigit() and 1 <= int(value) <= len(step.options):
            return step.options[int(value) - 1].label
        for option in step.options:
            if option.label.casefold() == value.casefold():
                return option.label
        raise InvalidAnswer(f"choose 1 to {len(step.options)}")
    if isinstance(step, End):
        return step.outcome
    if step.kind == "text":
        if len(value) > MAX_TEXT:
            raise InvalidAnswer(f"at most {MAX_TEXT} characters")
        return value
    if step.kind == "timer":
        return value or DONE
    return DONE


def next_step(step: Step, answer: str) -> str | None:
    """The id of the step after `step` given its recorded answer; None after an end."""
    if isinstance(step, End):
        return None
    if isinstance(step, YesNo):
        if answer not in ("yes", "no"):
            raise InvalidAnswer(f"{answer!r} is not yes or no")
        return step.yes if answer == "yes" else step.no
    if isinstance(step, Choice):
        for option in step.options:
            if option.label == answer:
                return option.next
        raise InvalidAnswer(f"{answer!r} is not an option of step {step.id!r}")
    return step.next


@dataclass
class Walk:
    protocol: Protocol
    path: list[str] = field(default_factory=list)
    finished: bool = False

    def __post_init__(self) -> None:
        if not self.path:
            self.path = [self.protocol.start]

    @property
    def current(self) -> Step:
        return self.protocol.step(self.path[-1])

    @property
    def can_go_back(self) -> bool:
        return len(self.path) > 1 and not self.finished

    @property
    def previous(self) -> Step | None:
        return self.protocol.step(self.path[-2]) if len(self.path) > 1 else None

    def answer(self, raw: str) -> str:
        """Move on; returns the answer as recorded. Raises InvalidAnswer, changing nothing."""
        if self.finished:
            raise InvalidAnswer("this checklist has ended")
        step = self.current
        value = normalize(step, raw)
        following = next_step(step, value)
        if following is None:
            self.finished = True
        else:
            self.path.append(following)
        return value

    def back(self) -> Step:
        if not self.can_go_back:
            raise InvalidAnswer("this is the first step")
        self.path.pop()
        return self.current

    @classmethod
    def replay(cls, protocol: Protocol, rows: Iterable[tuple[str, str, str]]) -> Walk:
        """Rebuild a walk from recorded (kind, step id, answer) rows, in order."""
        walk = cls(protocol)
        for kind, step_id, answer in rows:
            if kind == ATTACH:
                continue
            if kind == BACK:
                if walk.can_go_back:
                    walk.back()
                continue
            if kind == END and step_id == STOPPED:
                walk.finished = True
                continue
            if walk.finished or not protocol.has_step(step_id) or step_id != walk.current.id:
                raise ReplayError(f"the record does not fit {protocol.title} "
                                  f"version {protocol.version} at step {step_id!r}")
            try:
                following = next_step(walk.current, answer)
            except InvalidAnswer as exc:
                raise ReplayError(str(exc)) from None
            if following is None:
                walk.finished = True
            else:
                walk.path.append(following)
        return walk
