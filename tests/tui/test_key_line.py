"""KeyLine: the screen's shown keys on one line, as one widget; a click presses a key,
the keys follow the focus, and Esc gives its place up when the line is full."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from coachdesk.tui.widgets.key_line import KeyLine


class Field(Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+k", "clear_field", "Clear field")]

    def action_clear_field(self) -> None:
        self.value = ""


class Keys(App[None]):
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("n", "new", "New"),
        Binding("d", "done", "Done", show=False),
    ]

    def __init__(self, *, extra: int = 0) -> None:
        super().__init__()
        self.pressed: list[str] = []
        for i in range(extra):
            self.bind(f"f{i + 2}", f"new('{i}')", description=f"Key name {i}")

    def compose(self) -> ComposeResult:
        yield Static("page", id="page")
        yield Field()
        yield KeyLine()

    def action_new(self, which: str = "") -> None:
        self.pressed.append(f"new{which}")

    def action_back(self) -> None:
        self.pressed.append("back")


def line_text(app: App[None]) -> str:
    return app.query_one(KeyLine).render().plain


async def test_the_shown_keys_in_order_and_the_palette_at_the_right() -> None:
    app = Keys()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        text = line_text(app)
        assert len(text) == 60
        assert text.startswith(" esc Back  n New ")
        assert "Done" not in text  # show=False
        assert text.endswith("▏^p palette ")
        assert not list(app.query("FooterKey"))  # one widget, not one per key


async def test_a_click_presses_the_key_and_the_keys_follow_the_focus() -> None:
    app = Keys()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        line = app.query_one(KeyLine)
        assert "Clear field" not in line_text(app)
        span = line.span_of("new")
        assert span is not None
        await pilot.click(KeyLine, offset=(span[0] + 1, 0))
        assert app.pressed == ["new"]
        app.query_one(Field).focus()
        await pilot.pause()
        assert "^k Clear field" in line_text(app)


async def test_esc_gives_its_place_up_when_the_line_is_full() -> None:
    app = Keys(extra=4)
    async with app.run_test(size=(80, 8)) as pilot:
        await pilot.pause()
        text = line_text(app)
        assert "esc Back" not in text and "f5 Key name 3 " in text
        assert app.query_one(KeyLine).hidden() == []
    narrow = Keys(extra=4)
    async with narrow.run_test(size=(50, 8)) as pilot:
        await pilot.pause()
        assert narrow.query_one(KeyLine).hidden()  # what does not fit is named
