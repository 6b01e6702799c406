"""One cold start, in a fresh interpreter: seconds from process start to an input that
is ready for typing. `python bench/cold_start.py coachdesk DIR` or `... bare`."""

from __future__ import annotations

import sys
import time

T0 = time.perf_counter()


def main() -> None:
    kind = sys.argv[1]
    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Input

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Input()

            def on_mount(self) -> None:
                self.query_one(Input).focus()
                self.call_after_refresh(self.done)

            def done(self) -> None:
                print(time.perf_counter() - T0)
                self.exit()

        Bare().run(headless=True, size=(80, 24))
    else:
        from pathlib import Path

        from textual.widgets import Input

        from coachdesk.tui.app import CoachdeskApp
        from coachdesk.tui.screens.unlock import UnlockScreen

        class Timed(CoachdeskApp):
            def on_mount(self) -> None:
                super().on_mount()
                self._poll = self.set_interval(0.001, self.poll)

            def poll(self) -> None:
                screen = self.screen
                if isinstance(screen, UnlockScreen) and screen.query_one(Input).has_focus:
                    self._poll.stop()
                    self.call_after_refresh(self.done)

            def done(self) -> None:
                print(time.perf_counter() - T0)
                self.exit()

        Timed(Path(sys.argv[2])).run(headless=True, size=(80, 24))


if __name__ == "__main__":
    main()
