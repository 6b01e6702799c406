"""The crisis screens as a person sees them at 80x24: the panic key's label whole in every
footer, the timer's countdown in view with a person attached, messages that never cover
the step, and a summary that opens at the first answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Digits, Static
from textual.widgets._toast import Toast

from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.crisis_checklist import CrisisScreen
from coachdesk.tui.screens.crisis_history import CrisisHistory
from coachdesk.tui.screens.crisis_person import PersonPicker
from coachdesk.tui.screens.crisis_picker import CrisisPicker
from coachdesk.tui.screens.crisis_summary import CrisisSummary, ExportPath
from coachdesk.tui.widgets.key_line import KeyLine
from tests.protocols.drills import protocol_text, use_protocols
from tests.tui.helpers import SIZE, keys, squeezed, type_text, unlocked
from tests.tui.test_crisis import current_step
from tests.vaults import seeded

SCREEN = Region(0, 0, *SIZE)

def lock_key_shown_whole(pilot) -> None:
    """The footer's lock key: on screen, not cut, its label readable."""
    screen = pilot.app.screen
    [line] = screen.query(KeyLine)
    span = line.span_of("app.lock")
    assert span is not None and span[1] <= line.region.right, (type(screen).__name__, span)
    assert span[1] - span[0] >= len("^l Lock"), span
    assert "^lLock" in squeezed(pilot), type(screen).__name__


async def test_the_lock_label_is_whole_on_every_crisis_screen(vault_dir: Path, app: CoachdeskApp,
                                                             tmp_path: Path) -> None:
    seeded(vault_dir, "Ada Attachable")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r")
        assert isinstance(app.screen, CrisisPicker)
        lock_key_shown_whole(pilot)
        await keys(pilot, "p")
        assert isinstance(app.screen, PersonPicker)
        lock_key_shown_whole(pilot)
        await keys(pilot, "escape", "1")
        seen = set()
        for key in ("y", "enter", "y", "enter", "enter", "enter"):  # yes/no, call, timer...
            assert isinstance(app.screen, CrisisScreen)
            seen.add(app.screen.walk.current.kind)
            lock_key_shown_whole(pilot)
            await keys(pilot, key)
        await keys(pilot, "y", "enter")
        assert current_step(app) == "help-arrived"  # a choice: 1-9 in the footer too
        seen.add("choice")
        lock_key_shown_whole(pilot)
        assert seen == {"yesno", "call", "instruction", "timer", "choice"}
        await keys(pilot, "x", "x")
        assert isinstance(app.screen, CrisisSummary)
        lock_key_shown_whole(pilot)
        await keys(pilot, "m")
        assert isinstance(app.screen, ExportPath)
        lock_key_shown_whole(pilot)
        await keys(pilot, "escape", "escape", "ctrl+r", "h")
        assert isinstance(app.screen, CrisisHistory)
        lock_key_shown_whole(pilot)
        await keys(pilot, "ctrl+l")  # and it is the panic key
        assert app.vault is None


async def test_the_countdown_stays_in_view_with_a_person_and_messages(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Bea Longname-Attached")
    async with unlocked(app, notifications=True) as pilot:
        await keys(pilot, "ctrl+r", "a", "1", "y", "enter", "y", "enter", "enter")
        assert current_step(app) == "wait"
        assert "Person:BeaLongname-Attached" in squeezed(pilot)
        app.notify("An unfinished crisis checklist was reopened. " * 3, timeout=30)
        app.notify("Settings saved.", timeout=30)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        card = screen.query_one("#crisis-card").content_region
        timer = screen.query_one("#step-timer", Digits)
        assert timer.display and card.contains_region(timer.region), (card, timer.region)
        assert timer.region.height == 3 and "2:" in str(timer.value)
        covered = [screen.query_one(f"#{name}", Static).region
                   for name in ("step-label", "step-text", "step-hint")]
        toasts = list(screen.query(Toast))
        assert len(toasts) == 2
        for toast in toasts:
            assert SCREEN.contains_region(toast.region)
            for region in [*covered, timer.region]:
                assert not toast.region.overlaps(region), (toast.region, region)
        text = squeezed(pilot)
        assert "Countingdown" in text and "Keepsupportingbreathing" in text


async def test_the_summary_opens_at_the_first_answer(vault_dir: Path, app: CoachdeskApp, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    use_protocols(monkeypatch, tmp_path / "protocols", {"loop.toml": protocol_text("loop")})
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        await type_text(pilot, "y" * 30)
        await keys(pilot, "n", "enter")
        assert isinstance(app.screen, CrisisSummary)
        table = app.screen.query_one(DataTable)
        assert table.row_count > table.size.height  # longer than the screen
        assert table.cursor_row == 0 and table.scroll_y == 0
        text = squeezed(pilot)
        assert "TimeStepAnswer" in text and "CheckliststartedManyanswers" in text
        assert "Again?:yes" not in text and "Again?yes" in text  # the first answers
        assert "Finished" not in text  # the end is further down
