"""Walk a protocol: the current step, an answer leads to the next, back goes one step.

The walk holds no history of its own beyond the path; the record of every answer
(and every step back) lives in the store, and `Walk.replay` rebuilds a walk from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from coachdesk.errors import CoachdeskError
from coachdesk.models.crisis import ATTACH, BACK, END, STOPPED
from coachdesk.protocols.model import InvalidAnswer, Protocol, Step


class ReplayError(CoachdeskError):
    pass


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
        value = self.current.recorded(raw)
        self.advance(value)
        return value

    def advance(self, answer: str) -> None:
        """Move on by an answer as recorded (`Step.recorded` gave it: it is not read again).
        Raises InvalidAnswer, changing nothing."""
        if self.finished:
            raise InvalidAnswer("this checklist has ended")
        following = self.current.next_after(answer)
        if following is None:
            self.finished = True
        else:
            self.path.append(following)

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
                walk.advance(answer)
            except InvalidAnswer as exc:
                raise ReplayError(str(exc)) from None
        return walk
