"""The autosave throttle's policy on a simulated clock: steady typing is saved at least
every 2 s (a debounce would save nothing until the typing stops), a pause is saved after
1 s, and a failed save is tried again on the next tick until it works."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coachdesk.tui.autosave import AutosaveThrottle, saved_time


class SimTimer:
    def __init__(self, due: float, callback: Callable[[], object]) -> None:
        self.due = due
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class SimOwner:
    """Stands in for the screen: timers on a simulated clock (Textual's own are real time)."""

    is_attached = True

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[SimTimer] = []

    def set_timer(self, delay: float, callback: Callable[[], object], name: str = "") -> SimTimer:
        timer = SimTimer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def run_until(self, moment: float) -> None:
        """Fire every timer due up to `moment`, in order, then stand at `moment`."""
        while True:
            live = [t for t in self.timers if not t.stopped and t.due <= moment]
            if not live:
                break
            timer = min(live, key=lambda t: t.due)
            self.timers.remove(timer)
            self.now = timer.due
            timer.callback()
        self.now = moment


class Editor:
    """A text being typed, and the text as last saved."""

    def __init__(self, owner: SimOwner, works: Callable[[], bool] = lambda: True) -> None:
        self.owner = owner
        self.text = ""
        self.saved = ""
        self.saves: list[float] = []
        self.works = works
        self.autosave = AutosaveThrottle(owner, self.save, clock=lambda: owner.now)

    def save(self) -> bool:
        if not self.works():
            return False
        self.saved = self.text
        self.saves.append(self.owner.now)
        return True

    def type(self, char: str, at: float) -> None:
        self.owner.run_until(at)
        self.text += char
        self.autosave.changed()


def test_steady_typing_is_saved_at_least_every_two_seconds() -> None:
    owner = SimOwner()
    editor = Editor(owner)
    typed_at: list[float] = []
    for i in range(60):  # 10 s at 6 characters a second, never a pause
        moment = i / 6
        editor.type("abcdefghij"[i % 10], moment)
        typed_at.append(moment)
        # at every moment, what is missing from the saved text was typed < 2 s ago
        missing = len(editor.text) - len(editor.saved)
        assert all(moment - t <= 2.0 for t in typed_at[len(typed_at) - missing:])
    assert editor.saves and editor.saves[0] <= 2.0
    assert all(b - a <= 2.0 + 1e-9 for a, b in zip(editor.saves, editor.saves[1:], strict=False))
    owner.run_until(30.0)
    assert editor.saved == editor.text and not editor.autosave.pending


def test_a_pause_is_saved_one_second_after_the_last_change_and_nothing_then() -> None:
    owner = SimOwner()
    editor = Editor(owner)
    editor.type("a", 0.0)
    editor.type("b", 0.5)
    owner.run_until(1.4)
    assert editor.saves == []
    owner.run_until(1.6)
    assert editor.saves == [1.5] and editor.saved == "ab"
    owner.run_until(60.0)
    assert editor.saves == [1.5] and not editor.autosave.armed  # idle: no timer at all


def test_one_timer_at_a_time_not_one_per_keystroke() -> None:
    owner = SimOwner()
    editor = Editor(owner)
    for i in range(10):
        editor.type("x", i * 0.1)
    assert len([t for t in owner.timers if not t.stopped]) == 1


def test_a_failed_save_is_retried_on_the_next_tick_until_it_works() -> None:
    owner = SimOwner()
    disk_full = True
    editor = Editor(owner, works=lambda: not disk_full)
    editor.type("a", 0.0)
    owner.run_until(5.0)
    assert editor.saves == [] and editor.autosave.pending and editor.autosave.armed
    disk_full = False
    owner.run_until(6.01)
    assert editor.saved == "a" and not editor.autosave.pending and not editor.autosave.armed


def test_flush_saves_at_once_and_stops_the_timer() -> None:
    owner = SimOwner()
    editor = Editor(owner)
    editor.type("a", 0.0)
    assert editor.autosave.flush() and editor.saved == "a"
    assert not editor.autosave.armed
    owner.run_until(10.0)
    assert editor.saves == [0.0]


def test_a_failed_flush_says_so_and_keeps_trying() -> None:
    owner = SimOwner()
    editor = Editor(owner, works=lambda: False)
    editor.type("a", 0.0)
    assert editor.autosave.flush() is False
    assert editor.autosave.pending and editor.autosave.armed
    editor.autosave.forget()  # discarded on purpose: nothing pending, no timer
    assert not editor.autosave.pending and not editor.autosave.armed


@pytest.mark.parametrize("saved_at, shown", [
    ("2020-01-02T03:04:05+00:00", None),  # another day: the date too
    ("not a time", "not a time"),
])
def test_saved_time(saved_at: str, shown: str | None) -> None:
    text = saved_time(saved_at)
    if shown is None:
        assert len(text) == 16 and text[4] == "-" and text[13] == ":"
    else:
        assert text == shown
