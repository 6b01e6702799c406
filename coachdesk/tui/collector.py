"""When Python's cycle collector runs: full collections wait for a pause in typing.

A full collection walks every live object: with a big vault's roster on screen that is
20-70 ms, long enough to be felt when it lands on the key that opens a note. So at the
first pause after unlock, what exists is frozen out of the collector's way, and full
collections are left to moments when nobody has pressed a key for a second (the app's
idle timer calls `Collector.tick`), with a far threshold as the safety net for a
never-idle process. Young collections run every YOUNG allocations instead of Python's
700: opening a screen allocates tens of thousands of objects (widgets, styles, rendered
lines), and at 700 the collector walked the live ones a thousand times per thirty screens,
several milliseconds of every open; at YOUNG most of them are gone before it looks.
"""

from __future__ import annotations

import gc

IDLE_SECONDS = 1.0
"""No key for this long: a full collection is not in anyone's way."""

YOUNG = 20_000
"""Allocations between young collections (Python's default: 700)."""

FULL_EVERY = 10
"""Young collections between two full ones (Python's own default for the oldest)."""

SAFETY_NET = 200
"""Young collections after which a full one runs even without a pause."""


class Collector:
    """The app's one handle on the collector: `unlocked`, `locked`, and `tick` from the
    idle timer with the seconds since the last key."""

    def __init__(self) -> None:
        _, middle, _ = gc.get_threshold()
        gc.set_threshold(YOUNG, middle, SAFETY_NET)
        self._settle_pending = False
        self._collect_pending = False

    def unlocked(self) -> None:
        """The roster is about to be built: freeze it at the first pause."""
        self._settle_pending = True

    def locked(self) -> None:
        """The dropped screens' cycles must be collectable again: collected at the next
        pause (not now: the lock screen must come up at once)."""
        self._settle_pending = False
        self._collect_pending = True
        gc.unfreeze()

    def tick(self, idle_for: float) -> str | None:
        """At a pause: freeze what settled after unlock, or run a full collection if due.
        Says which it did (for tests)."""
        if idle_for < IDLE_SECONDS:
            return None
        if self._settle_pending:
            # What exists now (the app, the roster) leaves the collector's way for good,
            # so the full collections that remain stay short.
            self._settle_pending = False
            gc.collect()
            gc.freeze()
            return "froze"
        if self._collect_pending or gc.get_count()[2] >= FULL_EVERY:
            self._collect_pending = False
            gc.collect()
            return "collected"
        return None
