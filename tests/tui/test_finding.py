"""Finding people and what was written (issue 21, items 4 and 5): the roster by words in
any order and with a typo, search results with their date and kind, the first Down in
the results, whose note the editor holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import OptionList

from coachdesk.store import notes
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.note_view import NoteView
from coachdesk.tui.screens.search import SearchScreen
from tests.tui.helpers import counted, keys, press, squeezed, type_text, unlocked, visible_text
from tests.vaults import reopened, seeded


async def roster_for(pilot, text: str) -> str:  # type: ignore[no-untyped-def]
    await keys(pilot, "ctrl+a", "ctrl+k")
    await type_text(pilot, text)
    await pilot.pause()
    await counted(pilot)  # a typo's near matches come from a worker thread
    return visible_text(pilot)


async def test_roster_finds_words_in_any_order_and_forgives_a_typo(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Rosa Delgado", "Rosalind Park", "Marcus Webb")
    async with unlocked(app) as pilot:
        for typed in ("delgado rosa", "ros delg", "delgdo", "dlegado rosa"):
            shown = await roster_for(pilot, typed)
            assert "Rosa Delgado" in shown and "Marcus" not in shown, typed
            assert "1 person" in shown, typed
        shown = await roster_for(pilot, "rosa")
        assert "Rosa Delgado" in shown and "Rosalind Park" in shown
        assert "Marcus Webb" in (await roster_for(pilot, "webb marcus"))
        await press(pilot, "enter")
        assert "Marcus Webb" in visible_text(pilot)  # Enter opens the one found


async def test_search_results_say_when_and_what_and_down_selects_the_first(
        vault_dir: Path, app: CoachdeskApp) -> None:
    [pid] = seeded(vault_dir, "Nora Notes")
    day = dt.date.today() - dt.timedelta(days=3)
    with reopened(vault_dir) as vault:
        for words in ("first talk about the marimba", "second talk about the marimba"):
            note_id = notes.start(vault, pid, occurred_at=f"{day.isoformat()}T10:00:00+00:00",
                                  contact_type="check-in")
            notes.finalize(vault, note_id, words, day)
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "marimba")
        await pilot.pause()
        text = squeezed(pilot)
        assert "2found" in text
        assert f"NoraNotes{day.isoformat()}note·check-in" in text
        await press(pilot, "down")
        hits = app.screen.query_one("#search-hits", OptionList)
        assert hits.has_focus and hits.highlighted == 0  # the first Down: the first result
        await press(pilot, "down")
        assert hits.highlighted == 1
        await press(pilot, "up", "enter")
        assert isinstance(app.screen, NoteView)
        assert "Nora Notes" in visible_text(pilot)  # the note names whose it is


async def test_the_note_editor_names_whose_note_it_is(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Ada Lovelace-Byron")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        head = visible_text(pilot).splitlines()[:4]
        assert any("Ada Lovelace-Byron" in line for line in head), head
        await press(pilot, "f2")
        head = visible_text(pilot).splitlines()[:4]
        assert not any("Lovelace" in line for line in head)
        assert any("ALB" in line for line in head), head
