"""The note body caches its wrapped height; it must always equal the real one."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import Input, TextArea

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


SCRIPT: list[tuple[str, ...]] = [
    ("end",), ("a", "b", "space", "c"), ("enter", "x", "y"), ("up",), ("up", "up"),
    ("home",), ("shift+right", "shift+right", "shift+down"), ("shift+up",), ("right",),
    ("backspace",), ("ctrl+z",), ("ctrl+y",), ("pagedown",), ("pageup", "pageup"),
    ("ctrl+home",), ("ctrl+end",), ("(", "x"), ("left", "left"), ("enter",), ("tab",),
    ("ctrl+a",), ("delete",), ("q",), ("ctrl+z",),
]
"""Typing, moving, selecting, scrolling, undo, a bracket to match, focus leaving (tab)."""


def body_text() -> str:
    words = "the quick brown fox said she would call the clinic about (housing) on monday".split()
    return "\n".join(" ".join(words[(i + j) % len(words)] for j in range(12 + i % 9))
                     for i in range(60))


async def screens_after_each_step(area_class: type[TextArea]) -> list[list[str]]:
    """The whole screen (text and styles) after each step of SCRIPT, then after a
    resize, a new text, and the theme changed, with `area_class` as the body."""

    class Twin(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="before")
            area = area_class(body_text(), soft_wrap=True, id="body")
            area.cursor_blink = False
            yield area

    def screen(app: App[None]) -> list[str]:
        strips = app.screen._compositor.render_strips()
        return [repr(list(strip)) for strip in strips]

    shots = []
    async with Twin().run_test(size=SIZE) as pilot:
        app = pilot.app
        area = app.query_one("#body", TextArea)
        area.focus()
        await pilot.pause()
        for step in SCRIPT:
            if not area.has_focus:
                area.focus()
            await pilot.press(*step)
            await pilot.pause()
            shots.append(screen(app))
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        shots.append(screen(app))
        area.load_text("one line\ntwo")
        await pilot.pause()
        shots.append(screen(app))
        app.theme = "textual-light"
        await pilot.pause()
        shots.append(screen(app))
    return shots


async def test_the_body_shows_exactly_what_a_text_area_shows() -> None:
    """NoteBody keeps drawn lines across keystrokes: after every step the screen is the
    one a plain TextArea draws from scratch."""
    body = await screens_after_each_step(NoteBody)
    plain = await screens_after_each_step(TextArea)
    assert len(body) == len(plain) == len(SCRIPT) + 3
    for step, (mine, theirs) in enumerate(zip(body, plain, strict=True)):
        assert mine == theirs, f"step {step}: {(SCRIPT + [('resize',), ('load',), ('theme',)])[step]}"
