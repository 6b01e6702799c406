"""The note body: Textual's TextArea, with the wrapped height cached.

TextArea asks its WrappedDocument for `height` once per drawn line, and that sums the
wrap offsets of every line of the document: on a 5,000-word note, drawing 20 lines after
a keystroke walked the whole note 20 times. The height only changes when the text is
wrapped again, so it is kept until then.
"""

from __future__ import annotations

from textual.document._wrapped_document import WrappedDocument
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
    """A TextArea whose wrapped document caches its height (see the module docstring)."""

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._wrapped_document

    @wrapped_document.setter
    def wrapped_document(self, value: WrappedDocument) -> None:
        if type(value) is WrappedDocument:  # TextArea makes a plain one on each new text
            value.__class__ = HeightCachingWrappedDocument
        self._wrapped_document = value
