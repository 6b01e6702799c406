"""A table of records, one a row (a row cursor, zebra stripes), its columns given when it is
made: (label, width) or (label, width, key).

It uses the full width: every column has at least its given width, the others grow to
their longest cell while there is room, and one column (`flex`, else the widest) takes the
rest; again whenever rows are added, the table is resized or its scrollbar comes or goes.
Below it a line shows the selected row in full: the cells cut short, or else the flex
column's text.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget
from textual.widgets import DataTable, Static

Column = tuple[str, int] | tuple[str, int, str]
FLEX_FLOOR = 12
"""The flex column gives way to the others down to this width (the line below the table
shows the selected row in full)."""


def cell_text(cell: object) -> str:
    """A cell as plain text (a str cell is markup, as DataTable draws it)."""
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        try:
            return Text.from_markup(cell).plain
        except Exception:  # noqa: BLE001 - not markup after all: shown as it is
            return cell
    return str(cell)


class RowDetail(Static):
    """The selected row of a RecordTable, in full."""

    DEFAULT_CSS = """
    RowDetail { height: auto; min-height: 1; max-height: 3; margin: 0 1; color: $text-muted; }
    """


class RecordTable(DataTable[Any]):
    DEFAULT_CSS = """
    RecordTable { width: 100%; }
    """

    def __init__(self, *columns: Column, id: str, flex: int | None = None,
                 detail: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._widths = [width for _, width, *_ in columns]
        self._flex = flex if flex is not None else self._widths.index(max(self._widths))
        self._detail = RowDetail(id=f"{id}-detail") if detail else None
        self._fit_pending = False
        for label, width, *key in columns:
            self.add_column(label, width=width, key=key[0] if key else None)

    def on_mount(self) -> None:
        if self._detail is not None and isinstance(self.parent, Widget):
            self.parent.mount(self._detail, after=self)

    # ---- the full width ----------------------------------------------------------
    def on_resize(self) -> None:
        self.fit_columns()

    def watch_show_vertical_scrollbar(self) -> None:
        self.call_after_refresh(self.fit_columns)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> Any:
        if not self._fit_pending:
            self._fit_pending = True
            self.call_after_refresh(self.fit_columns)
        return super().add_row(*cells, height=height, key=key, label=label)

    def fit_columns(self) -> None:
        """Each column at least its given width (the flex column: at least FLEX_FLOOR, or
        its longest cell if less); the others grow to their longest cell while there is
        room (in order), and the flex column takes the rest."""
        self._fit_pending = False
        columns = self.ordered_columns
        if not columns or not self.size.width:
            return
        padding = 2 * self.cell_padding
        widths = list(self._widths)
        widths[self._flex] = min(widths[self._flex], FLEX_FLOOR, max(
            (cell_len(cell_text(cell)) for cell in self.get_column(columns[self._flex].key)),
            default=widths[self._flex]))
        spare = self.scrollable_content_region.width - sum(widths) - padding * len(widths)
        for index, column in enumerate(columns):
            if index != self._flex and spare > 0:
                longest = max((cell_len(cell_text(cell)) for cell in self.get_column(column.key)),
                              default=0)
                grow = min(spare, max(longest, cell_len(column.label.plain)) - widths[index])
                if grow > 0:
                    widths[index] += grow
                    spare -= grow
        widths[self._flex] += max(0, spare)
        if [column.width for column in columns] != widths:
            for column, width in zip(columns, widths, strict=True):
                column.width = width
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()

    # ---- the selected row in full ------------------------------------------------------
    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        if self._detail is None or not self._detail.is_attached:
            return
        self._detail.update(Text(self.detail_text()))

    def detail_text(self) -> str:
        """The selected row's cells that are cut short, or else its flex column's text."""
        if not self.row_count or not 0 <= self.cursor_row < self.row_count:
            return ""
        cells = [cell_text(cell) for cell in self.get_row_at(self.cursor_row)]
        cut = [text for text, column in zip(cells, self.ordered_columns, strict=False)
               if cell_len(text) > column.width]
        return " · ".join(cut) if cut else cells[self._flex]

    def clear(self, columns: bool = False) -> RecordTable:
        super().clear(columns)
        self.show_detail()
        return self
