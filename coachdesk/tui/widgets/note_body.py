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
again only the line it changed. TextArea's repaint of the whole body on every key is
settled when the body is drawn: only the rows whose key changed are marked dirty, so the
screen puts together one row, not twenty. And TextArea fills in its theme from the CSS
on every draw; the body does it when the styles, focus or the app's theme change.

tests/tui/test_note_body.py drives the body and a plain TextArea through the same keys
and compares the whole screen after each step.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import NamedTuple

from textual.cache import LRUCache
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Location, TextAreaTheme


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
    _shown: list[Hashable | None] | None = None
    """The key each row was last drawn with (None: not known, draw it again)."""
    _repaint_pending = False
    _styles_updated = 0
    _theme_filled: TextAreaTheme | None = None
    _theme_state: tuple[Hashable, ...] | None = None
    _theme_fills = 0

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
        self._styles_updated += 1
        super().notify_style_update()

    def _forget_drawn(self) -> None:
        if self._drawn is not None:
            self._drawn.clear()
        self._shown = None

    # ---- a repaint of the whole body draws again only the rows that changed ----------
    def _set_dirty(self, *regions: Region) -> None:
        """TextArea repaints the whole body on every key. That repaint is settled when
        the body is next drawn (`_settle_repaint`); a repaint of some rows is passed on,
        and those rows are drawn again the next time too."""
        if regions:
            shown = self._shown
            if shown is not None:
                for region in regions:
                    for y in region.line_range:
                        if 0 <= y < len(shown):
                            shown[y] = None
            super()._set_dirty(*regions)
            return
        self._repaint_pending = True

    def _exchange_repaint_regions(self) -> Collection[Region]:
        self._settle_repaint()  # the compositor asks what to draw again
        return super()._exchange_repaint_regions()

    def _settle_repaint(self) -> None:
        """Mark dirty the rows whose key (what they show) is not the one they were last
        drawn with; all of them when that is not known."""
        if not self._repaint_pending:
            return
        self._repaint_pending = False
        frame = self._frame_now()
        width, height = self.size
        shown = self._shown
        if frame is None:
            self._shown = None
            super()._set_dirty()
            return
        keys = [self._row_key(frame, y) for y in range(height)]
        self._shown = keys
        if shown is None or len(shown) != height:
            super()._set_dirty()
            return
        changed = [y for y in range(height) if keys[y] != shown[y]]
        if changed:
            super()._set_dirty(*(Region(0, y, width, 1) for y in changed))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._settle_repaint()
        self._frame = self._frame_now()
        try:
            return self._render_lines_styled(crop)
        finally:
            self._frame = None

    def _render_lines_styled(self, crop: Region) -> list[Strip]:
        """TextArea.render_lines, which fills in its theme from the CSS on every draw:
        here only when what that reads may have changed (`_apply_theme`)."""
        if self._theme is None:
            return super().render_lines(crop)
        self._apply_theme()
        return ScrollView.render_lines(self, crop)

    def _apply_theme(self) -> int:
        """Fill in the theme from the CSS if it is a new theme or what that reads may
        have changed (the styles, focus, the app's theme); how many times it was filled
        in, for the keys of drawn lines."""
        theme = self._theme
        state = (self._styles_updated, self.rich_style, self.has_focus, self.read_only,
                 self.app.current_theme.name, self.app.ansi_color)
        if theme is not None and (theme is not self._theme_filled or state != self._theme_state):
            theme.apply_css(self)
            self._theme_filled = theme
            self._theme_state = state
            self._theme_fills += 1
        return self._theme_fills

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
            (self._apply_theme(), self.size, self.scrollable_content_region.size,
             wrapped._width, wrapped._tab_width, scroll_x,
             self.theme, self.show_line_numbers, self.line_number_start, self.gutter_width,
             self.highlight_cursor_line, self.match_cursor_bracket, self.read_only,
             self.show_cursor, self.indent_width, self.hide_suggestion_on_blur),
            scroll_y, start, end,
            (end, self._draw_cursor, self.has_focus, self.suggestion,
             self._matching_bracket_location),
            self._matching_bracket_location)

    def _row_key(self, frame: _Frame, y: int) -> Hashable:
        """What row `y` shows: its line's key, or below the end of the text a blank."""
        key = self._line_key(frame, y)
        return ("blank", frame.alike) if key is None else key

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
