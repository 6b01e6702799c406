"""An OptionList of one-line rows: refilled on every keystroke, it must not measure each.

Textual's OptionList works out every option's height by wrapping its text to the width,
for all options, each time the list is refilled: for the roster's hundred rows that is
most of a keystroke. A row whose text is one line no wider than the list is one line
high, which a length check shows; only a longer row is measured the usual way (it wraps).
"""

from __future__ import annotations

from typing import cast

from rich.cells import cell_len
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.widgets import OptionList


class RowList(OptionList):
    def _update_lines(self) -> None:  # OptionList's, with the one-line case made cheap
        region = self.scrollable_content_region
        if not region:
            return
        cache = self._line_cache
        lines = cache.lines
        width = region.width - self._get_left_gutter_width()
        inner = width - self.get_component_styles("option-list--option").padding.width
        for index in range(lines[-1][0] + 1 if lines else 0, len(self.options)):
            option = self.options[index]
            prompt = option.prompt
            if (isinstance(prompt, str) and "\n" not in prompt and not option._divider
                    and cell_len(prompt) <= inner):
                height = 1  # markup only makes the shown text shorter
            else:
                height = (self._get_visual(option).get_height(cast(RulesMap, self.styles), inner)
                          + option._divider)
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = height
            lines.extend((index, line) for line in range(height))
        last_divider = bool(self.options) and self.options[-1]._divider
        size = Size(width, len(lines) - last_divider)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)
