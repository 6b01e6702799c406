"""Merging a duplicate from the person's page (M): look-alikes first, y merges."""

from __future__ import annotations

from pathlib import Path

from coachdesk.store import notes, participants
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.merge_person import MergePersonScreen
from coachdesk.tui.screens.participant import ParticipantScreen
from tests.conftest import person
from tests.sync.syncutil import final_note
from tests.tui.helpers import press, squeezed, unlocked
from tests.vaults import created, reopened


async def test_merge_a_duplicate_from_the_page(vault_dir: Path) -> None:
    with created(vault_dir) as vault:
        rosa = participants.create(vault, person("Rosa Delgado"))
        copy = participants.create(vault, person("delgado rosa"))
        final_note(vault, copy, "note on the copy")
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "down", "down", "enter")  # the roster: "delgado rosa", "Rosa Delgado"
        assert isinstance(app.screen, ParticipantScreen)
        assert app.screen.participant_id == rosa
        await press(pilot, "M")
        assert isinstance(app.screen, MergePersonScreen)
        assert "delgadorosa(intake" in squeezed(pilot)
        await press(pilot, "enter")
        assert "cannotbeundone" in squeezed(pilot)
        await press(pilot, "n")  # not now: nothing merged
        assert "cannotbeundone" not in squeezed(pilot)
        await press(pilot, "enter", "y")
        assert isinstance(app.screen, ParticipantScreen)
    with reopened(vault_dir) as vault:
        assert [p.id for p in participants.roster(vault)] == [rosa]
        assert [n.body for n in notes.for_participant(vault, rosa)] == ["note on the copy"]
