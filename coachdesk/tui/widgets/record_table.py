"""A table of records, one a row (a row cursor, zebra stripes), its columns fixed when it is
made: (label, width) or (label, width, key)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

Column = tuple[str, int] | tuple[str, int, str]


class RecordTable(DataTable[Any]):
    def __init__(self, *columns: Column, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        for label, width, *key in columns:
            self.add_column(label, width=width, key=key[0] if key else None)
