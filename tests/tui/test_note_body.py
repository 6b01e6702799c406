"""The note body caches its wrapped height; it must always equal the real one."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument

from coachdesk.tui.widgets.note_body import HeightCachingWrappedDocument, NoteBody
from tests.tui.helpers import SIZE


def true_height(area: NoteBody) -> int:
    return WrappedDocument.height.fget(area.wrapped_document)  # type: ignore[attr-defined]


async def test_cached_height_follows_every_edit_and_new_text() -> None:
    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield NoteBody("short", soft_wrap=True)

    async with One().run_test(size=SIZE) as pilot:
        area = pilot.app.query_one(NoteBody)
        assert isinstance(area.wrapped_document, HeightCachingWrappedDocument)
        area.focus()
        await pilot.press("end")
        for _ in range(200):  # long enough to wrap several times
            await pilot.press("w")
        assert area.wrapped_document.height == true_height(area) > 2
        await pilot.press("enter", "x", "enter")
        assert area.wrapped_document.height == true_height(area)
        area.load_text("a\nb\nc\nd")
        await pilot.pause()
        assert isinstance(area.wrapped_document, HeightCachingWrappedDocument)
        assert area.wrapped_document.height == true_height(area) == 4
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        area.load_text("word " * 100)
        await pilot.pause()
        assert area.wrapped_document.height == true_height(area) > 10
