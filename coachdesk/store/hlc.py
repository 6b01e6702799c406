"""Hybrid logical clock, encoded as a fixed-width string that sorts in time order.

`0001764000000000.000000` is wall milliseconds (16 digits) and a counter (6 digits).
A wrong wall clock only changes which of two concurrent values shows first; it can
never make a later local write sort before an earlier one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

_MAX_COUNTER = 999_999


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    wall_ms: int
    counter: int

    def encode(self) -> str:
        return f"{self.wall_ms:016d}.{self.counter:06d}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        wall, _, counter = text.partition(".")
        if len(wall) != 16 or len(counter) != 6 or not (wall + counter).isdigit():
            raise ValueError(f"not a clock value: {text!r}")
        return cls(int(wall), int(counter))


ZERO = Timestamp(0, 0)


class Clock:
    """Issues timestamps that never go backwards and that follow what peers have seen."""

    def __init__(self, last: Timestamp = ZERO, now_ms: Callable[[], int] | None = None):
        self.last = last
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)

    def tick(self) -> Timestamp:
        wall = self._now_ms()
        if wall > self.last.wall_ms:
            self.last = Timestamp(wall, 0)
        elif self.last.counter < _MAX_COUNTER:
            self.last = Timestamp(self.last.wall_ms, self.last.counter + 1)
        else:
            self.last = Timestamp(self.last.wall_ms + 1, 0)
        return self.last

    def tick_after(self, floor: Timestamp) -> Timestamp:
        """A timestamp past both this clock and `floor`, the newest change of the record
        being written: a change made after another one sorts after it, even when that
        one came from a computer whose clock is years ahead. The clock itself does not
        move to `floor` (a far-future peer would drag every later write along)."""
        now = self.tick()
        if now > floor:
            return now
        if floor.counter < _MAX_COUNTER:
            return Timestamp(floor.wall_ms, floor.counter + 1)
        return Timestamp(floor.wall_ms + 1, 0)

    def observe(self, remote: Timestamp) -> None:
        """Move past a timestamp received from a peer."""
        if remote > self.last:
            self.last = remote
