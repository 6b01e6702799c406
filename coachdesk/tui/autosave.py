"""Autosave for the text editors (note body, plan, addendum): a crash loses at most two
seconds of typing.

A throttle, not a debounce: the first change after a save sets a deadline `every`
seconds later, and the text is saved then even if the typing goes on; it is also saved
`pause` seconds after the typing stops. A save that fails (a full disk) is tried again
on the next tick, `retry` seconds later, and again, until it works.

One Textual timer at a time, not one per keystroke: when it fires, the policy says
whether to save now or when to look again. The clock can be replaced (tests).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

from coachdesk.errors import CoachdeskError

EVERY_SECONDS = 2.0
"""While the text keeps changing, it is saved at least this often (the promise)."""
PAUSE_SECONDS = 1.0
"""...and this long after the last change."""
RETRY_SECONDS = 1.0
"""A save that failed is tried again this long after."""


def attempt(write: Callable[[], object]) -> str | None:
    """Run one save. None if it worked, else the problem to show: a full disk (the
    store's own error, or SQLite's / the OS's turned into it) or any user-facing error.
    Anything else is a bug and is raised (the app then locks the vault)."""
    from coachdesk.store.db import disk_full_is_an_error  # the store loads at unlock

    try:
        with disk_full_is_an_error():
            write()
    except CoachdeskError as exc:
        return str(exc)
    return None


def saved_time(saved_at: str) -> str:
    """When a draft was saved, for "Restored your unsaved draft from ...": HH:MM today,
    else YYYY-MM-DD HH:MM."""
    try:
        at = dt.datetime.fromisoformat(saved_at).astimezone()
    except ValueError:
        return saved_at[:16].replace("T", " ")
    return f"{at:%H:%M}" if at.date() == dt.date.today() else f"{at:%Y-%m-%d %H:%M}"


class AutosaveThrottle:
    """Calls `save` (which returns True when everything is saved) at the right moments.

    The owner calls `changed()` on every change and `flush()` to save at once (Ctrl+S,
    leaving, locking); `flush()` is also what the timer ends in.
    """

    def __init__(self, owner: MessagePump, save: Callable[[], bool], *,
                 every: float = EVERY_SECONDS, pause: float = PAUSE_SECONDS,
                 retry: float = RETRY_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._owner = owner
        self._save = save
        self.every = every
        self.pause = pause
        self.retry = retry
        self.clock = clock
        self._first: float | None = None  # the first change not saved yet
        self._last = 0.0  # the latest change
        self._failed = False  # the last save did not work: try again on the next tick
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        """Changes not saved yet (typed since the last save, or a save that failed)."""
        return self._first is not None or self._failed

    @property
    def armed(self) -> bool:
        """A timer will look again."""
        return self._timer is not None

    def due_in(self, now: float) -> float:
        """Seconds until a save is due: 0 now, inf when there is nothing to save."""
        if self._failed:
            return 0.0
        if self._first is None:
            return math.inf
        return max(0.0, min(self._first + self.every, self._last + self.pause) - now)

    def changed(self) -> None:
        now = self.clock()
        if self._first is None:
            self._first = now
        self._last = now
        if self._timer is None:
            self._arm(self.due_in(now))

    def tick(self) -> None:
        """The timer fired: save if due, else sleep until it will be."""
        self._timer = None
        if not self.pending:
            return
        wait = self.due_in(self.clock())
        if wait > 0:
            self._arm(wait)
        else:
            self.flush()

    def flush(self) -> bool:
        """Save now. False if something was not saved: it is tried again on the next tick."""
        self.cancel()
        if self._save():
            self._first = None
            self._failed = False
            return True
        self._failed = True
        if self._owner.is_attached:
            self._arm(self.retry)
        return False

    def cancel(self) -> None:
        """Stop the timer (the owner is going away, or is about to save)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def forget(self) -> None:
        """Nothing is pending any more (the text was saved another way, or discarded)."""
        self.cancel()
        self._first = None
        self._failed = False

    def _arm(self, seconds: float) -> None:
        self._timer = self._owner.set_timer(max(seconds, 0.01), self.tick, name="autosave")
