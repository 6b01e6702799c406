"""Help reads right: keys named as a person reads them, wrapped lines keep their indent, a
busy page names every key, and messages never cover list rows."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable
from textual.widgets._toast import Toast

from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.keynames import key_name, keys_of
from coachdesk.tui.screens.help import HelpScreen
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.widgets.key_strip import KeyStrip
from tests.tui.cutoff import rendered_lines
from tests.tui.helpers import SIZE, press, unlock
from tests.vaults import seeded


def test_every_key_is_named_as_it_reads() -> None:
    assert [key_name(k) for k in ("left_square_bracket", "right_square_bracket", "question_mark",
                                  "slash", "ctrl+l", "f1", "escape", "enter", "A", "1",
                                  "ctrl+left_square_bracket", "shift+tab", "space")] == [
        "[", "]", "?", "/", "Ctrl+L", "F1", "Esc", "Enter", "A", "1", "Ctrl+[", "Shift+Tab",
        "Space"]
    assert keys_of("f1,question_mark") == "F1 / ?"


async def test_help_shows_brackets_and_wrapped_lines_keep_their_indent(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Nadia Brackets")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await press(pilot, "f12", "f1")
        assert isinstance(app.screen, HelpScreen)
        lines = rendered_lines(app)
        text = "\n".join(lines)
        assert "BRACKET" not in text.upper()
        assert any(line.strip(" │").startswith("[ ") for line in lines)
        # "Ctrl+S Write this report to a file (.md, or .csv for a spreadsheet)" wraps at
        # 80 columns: its second line starts under the words, not under the key.
        [first] = [n for n, line in enumerate(lines) if "Write this report" in line]
        words_at = lines[first].index("Write")
        follow = lines[first + 1]
        assert follow[:words_at].strip(" │") == "" and follow[words_at] != " "


async def test_the_participant_page_names_every_key(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Kim Allkeys")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, ParticipantScreen)
        text = "\n".join(rendered_lines(app))
        for binding in page.BINDINGS:
            if binding.key != "escape":  # type: ignore[union-attr]
                key = keys_of(binding.key)  # type: ignore[union-attr]
                assert f"{key} {binding.description}" in text, binding  # type: ignore[union-attr]
        assert "F1 all keys" in str(page.query_one(KeyStrip).render())


async def test_a_message_never_covers_list_rows(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, *(f"Person {n:02}" for n in range(30)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await unlock(pilot)
        app.clear_notifications()
        await press(pilot, "f8")  # the audit log: a full table
        app.notify("A message long enough to take two lines at eighty columns, so that it "
                   "would hide two rows of the table if it were drawn over it.")
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        toasts = list(app.screen.query(Toast))
        assert toasts and table.row_count > table.region.height
        for toast in toasts:
            assert not toast.region.overlaps(table.region), (toast.region, table.region)
