"""A new step kind on the checklist screen: its model class (tests/protocols/
test_step_kinds.py) and its card, defined here, are all the screen needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rich.markup import escape
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from coachdesk.protocols import STEP_KINDS
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.crisis_summary import CrisisSummary
from coachdesk.tui.widgets.crisis_cards import CARDS, CardContext, StepCard
from tests.protocols.drills import protocol_text, use_protocols
from tests.protocols.test_step_kinds import define_checks
from tests.tui.helpers import keys, squeezed, unlocked
from tests.tui.test_crisis import current_step, stored
from tests.vaults import seeded


class ChecksCard(StepCard[Any]):
    """Digits tick and untick an item; Enter (the screen's) records what is ticked."""

    can_focus = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(i), f"tick({i})", show=False) for i in range(1, 10)]
    HINT = "1-9 tick or untick, Enter when done."

    def __init__(self, step: Any, context: CardContext) -> None:
        super().__init__(step, context)
        self.ticked: set[int] = set()

    def _lines(self) -> str:
        return "\n".join(f"[{'x' if i in self.ticked else ' '}] {i} {escape(item)}"
                         for i, item in enumerate(self.step.items, 1))

    def below(self) -> Iterable[Widget]:
        yield Static(self._lines(), id="step-body", markup=False)

    def on_mount(self) -> None:
        self.focus()

    def action_tick(self, number: int) -> None:
        if number <= len(self.step.items):
            self.ticked ^= {number}
            self.query_one("#step-body", Static).update(self._lines())

    def answer(self) -> str:
        return " ".join(str(i) for i in sorted(self.ticked))


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    use_protocols(monkeypatch, tmp_path / "protocols", {"kit.toml": protocol_text("kit")})
    define_checks()
    try:
        yield
    finally:
        STEP_KINDS.pop("checks", None)


async def test_a_new_kind_runs_with_its_own_card(kit: None, vault_dir: Path, app: CoachdeskApp,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CARDS, "checks", ChecksCard)
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        assert current_step(app) == "tick"
        text = squeezed(pilot)
        assert "Whatwasdone?" in text and "[]1Naloxonegiven" in text and "1-9tick" in text
        await keys(pilot, "1", "3", "3", "2", "y")  # 3 ticked and unticked; y is no answer
        text = squeezed(pilot)
        assert "[x]1Naloxonegiven" in text and "[x]2Recoveryposition" in text
        assert "[]3911called" in text
        assert current_step(app) == "tick"
        await keys(pilot, "enter")
        assert current_step(app) == "fin"
        await keys(pilot, "enter")
        assert isinstance(app.screen, CrisisSummary)
        assert "Whatwasdone?ticked:Naloxonegiven;Recoveryp" in squeezed(pilot)  # cut at 34
    [record] = stored(vault_dir)
    assert [(s.kind, s.answer) for s in record.steps] == [
        ("checks", "Naloxone given; Recovery position"), ("end", "kit checked")]


async def test_a_kind_without_a_card_gets_the_plain_one(
        kit: None, vault_dir: Path, app: CoachdeskApp) -> None:
    """The plain card shows the step and takes Enter; the kind's own class reads the
    answer (Enter alone ticks nothing) and the store keeps it: no other module knows it."""
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        assert current_step(app) == "tick"
        text = squeezed(pilot)
        assert "Whatwasdone?" in text and "Enterwhendone" in text
        await keys(pilot, "enter")
        assert current_step(app) == "fin"
        assert "Whatwasdone?:nothingticked" in squeezed(pilot)
    [record] = stored(vault_dir)
    assert [(s.step_id, s.kind, s.answer) for s in record.steps] == [("tick", "checks", "")]
