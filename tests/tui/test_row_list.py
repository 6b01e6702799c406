"""RowList: one-line rows are not measured one by one, yet a longer row still wraps."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from coachdesk.tui.widgets.row_list import RowList


class Rows(App[None]):
    def compose(self) -> ComposeResult:
        yield RowList()


async def test_short_rows_are_one_line_and_a_long_row_wraps() -> None:
    app = Rows()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(RowList)
        rows.add_options([Option("short row", id="a"), Option("word " * 12, id="b"),
                          Option("[b]markup[/b] row", id="c")])
        await pilot.pause()
        lines = [line for line in app.export_screenshot().split("\n") if "word" in line]
        assert rows._line_cache.heights == {0: 1, 1: 2, 2: 1}
        assert rows.virtual_size.height == 4 and lines  # nothing of the long row is cut
        rows.highlighted = 2
        await pilot.press("enter")
        assert rows.highlighted == 2
