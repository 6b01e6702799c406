"""The note body: Textual's TextArea, with the wrapped height cached and each drawn line
kept until it changes.

TextArea asks its WrappedDocument for `height` once per drawn line, and that sums the
wrap offsets of every line of the document: on a 5,000-word note, drawing 20 lines after
a keystroke walked the whole note 20 times. The height only changes when the text is
wrapped again, so it is kept until then.

TextArea also forgets every drawn line on each edit, and with soft wrap on each cursor
move (its cache key holds the whole selection): a keystroke drew every visible line
again. The body keeps its own cache, keyed on what one drawn line shows (its text, which
part of it, and the selection and cursor only where they touch it), so a keystroke draws
again only the line it changed.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from textual.cache import LRUCache
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Location


class HeightCachingWrappedDocument(WrappedDocument):
    _cached_height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        super().wrap(width, tab_width)
        self._cached_height = None

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        super().wrap_range(start, old_end, new_end)
        self._cached_height = None

    @property
    def height(self) -> int:
        if self._cached_height is None:
            self._cached_height = super().height
        return self._cached_height


class NoteBody(TextArea):
    """A TextArea whose wrapped document caches its height and whose drawn lines are
    kept until what they show changes (see the module docstring)."""

    _drawn: LRUCache[Hashable, Strip] | None = None
    _frame: _Frame | None = None

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._wrapped_document

    @wrapped_document.setter
    def wrapped_document(self, value: WrappedDocument) -> None:
        if type(value) is WrappedDocument:  # TextArea makes a plain one on each new text
            value.__class__ = HeightCachingWrappedDocument
        self._wrapped_document = value
        self._forget_drawn()

    def notify_style_update(self) -> None:
        self._forget_drawn()
        super().notify_style_update()

    def _forget_drawn(self) -> None:
        if self._drawn is not None:
            self._drawn.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self._frame_now()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        frame = self._frame if self._frame is not None else self._frame_now()
        key = None if frame is None else self._line_key(frame, y)
        if key is None:
            return super().render_line(y)
        if self._drawn is None:
            self._drawn = LRUCache(1024)
        if (strip := self._drawn.get(key)) is None:
            strip = self._render_line(y)
            self._drawn[key] = strip
        return strip

    def _frame_now(self) -> _Frame | None:
        """What the drawn lines depend on now, None when they are to be drawn as
        TextArea does (no soft wrap, syntax highlights, the placeholder shown)."""
        document = self.document
        if not self.soft_wrap or self._highlights or (
                self.placeholder and document.line_count == 1 and not document[0]):
            return None
        start, end = self.selection
        scroll_x, scroll_y = self.scroll_offset
        wrapped = self.wrapped_document
        return _Frame(
            (self.size, self.scrollable_content_region.size, wrapped._width, wrapped._tab_width,
             scroll_x,
             self.theme, self.show_line_numbers, self.line_number_start, self.gutter_width,
             self.highlight_cursor_line, self.match_cursor_bracket, self.read_only,
             self.show_cursor, self.indent_width, self.hide_suggestion_on_blur),
            scroll_y, start, end,
            (end, self._draw_cursor, self.has_focus, self.suggestion,
             self._matching_bracket_location),
            self._matching_bracket_location)

    def _line_key(self, frame: _Frame, y: int) -> Hashable | None:
        """Everything drawn line `y` depends on: the selection and the cursor only where
        they touch it. None below the end of the text (a blank line)."""
        try:
            row, section = self.wrapped_document._offset_to_line_info[frame.scroll_y + y]
        except IndexError:
            return None
        start, end, bracket = frame.start, frame.end, frame.bracket
        top, bottom = (start, end) if start <= end else (end, start)
        return (
            frame.alike, row, section, self.document[row],
            (top, bottom) if start != end and top[0] <= row <= bottom[0] else None,
            frame.cursor if end[0] == row else None,
            bracket if bracket is not None and bracket[0] == row else None,
        )


class _Frame(NamedTuple):
    """What the drawn lines of a NoteBody depend on at one moment."""

    alike: tuple[Hashable, ...]
    """What every line depends on alike (sizes, the width the text is wrapped at, which
    is not the new width until the text is wrapped again, scroll across, theme, settings)."""
    scroll_y: int
    start: Location
    end: Location
    cursor: tuple[Hashable, ...]
    """What the cursor's line depends on besides."""
    bracket: Location | None
