"""When the idle auto-lock fires, and the "Still there?" countdown before it in a crisis.

Without a running crisis checklist the vault locks once nobody has pressed a key for
the vault's `idle_lock_minutes`. While a checklist runs (started on this device and not
ended, even when hidden with Esc) the coach's hands may be busy (CPR, naloxone), so the
lock waits up to `crisis_lock_minutes` (never less than the ordinary wait), then shows a
visible countdown of `COUNTDOWN_SECONDS` that any key cancels, and locks only after it.
The panic key still locks at once. The app's idle timer asks `verdict` twice a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from textual.widgets import Static

COUNTDOWN_SECONDS = 30.0
"""How long "Still there?" shows before a lock in the middle of a crisis checklist."""

Clock = Callable[[], tuple[float, float]]
"""(wall clock, monotonic clock): the app's one source of time for idle and clock jumps."""


def system_clock() -> tuple[float, float]:
    return time.time(), time.monotonic()


@dataclass(frozen=True)
class Verdict:
    what: Literal["wait", "countdown", "lock"]
    seconds_left: float = 0.0


def verdict(idle: float, limit: float, crisis_wait: float | None) -> Verdict:
    """What to do after `idle` seconds without a key. `crisis_wait` is None when no
    checklist runs; otherwise the longest wait before the countdown starts."""
    if crisis_wait is None:
        return Verdict("lock") if idle > limit else Verdict("wait")
    wait = max(limit, crisis_wait)
    if idle <= wait:
        return Verdict("wait")
    left = wait + COUNTDOWN_SECONDS - idle
    return Verdict("countdown", left) if left > 0 else Verdict("lock")


class StillThere(Static):
    """The countdown bar, docked at the bottom of whatever screen is showing (above its
    footer, taking room rather than covering a step)."""

    DEFAULT_CSS = """
    StillThere {
        dock: bottom;
        height: 3;
        width: 1fr;
        margin-bottom: 1;  /* above the footer, which keeps showing the panic key */
        content-align: center middle;
        background: $error;
        color: $text;
        text-style: bold;
    }
    """

    def show_left(self, seconds: float) -> None:
        whole = max(1, int(seconds + 0.999))
        self.update(f"Still there? Locking in {whole} s. Press any key to stay.")
