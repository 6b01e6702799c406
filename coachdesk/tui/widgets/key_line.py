"""The line of keys at the foot of every screen, drawn as one widget.

Textual's Footer is a container of one widget per key, built again (recomposed) a
moment after the screen shows and each time the keys change: on a page with ten keys
that rebuild cost three times what opening the page did, and the keys showed up late.
KeyLine reads the same keys (the screen's active bindings that are shown) and draws
them as one line of text; a click on a key presses it, as on the Footer.

    KeyLine()                      keys as the Footer drew them, Ctrl+P at the right
    KeyLine(compact=True)          one space less around each key
    KeyLine(panic=action)          that key first and bold, no Ctrl+P (crisis screens)
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

PALETTE_EDGE = "▏"


class Key(NamedTuple):
    key: str
    """The key pressed when the label is clicked."""
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class KeyLine(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-line--key", "key-line--description"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-line--key { color: $footer-key-foreground; background: $footer-key-background;
                         text-style: bold; }
        .key-line--description { color: $footer-description-foreground;
                                 background: $footer-description-background; }
    }
    """

    def __init__(self, *, compact: bool = False, panic: str | None = None,
                 show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.compact = compact
        self.panic = panic
        self.show_command_palette = show_command_palette and panic is None
        self._spans: list[tuple[int, int, Key]] = []
        self._drawn: tuple[int, Text] | None = None
        """(width, line) as last drawn: drawn again when the keys or the width change."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self._drawn = None
        self.refresh()

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()

    # ---- what it shows -------------------------------------------------------------
    def keys(self) -> tuple[list[Key], Key | None]:
        """(the keys on the line, in the Footer's order with the panic key first; the
        command palette's key, drawn at the right edge, or None)."""
        app = self.app
        active = self.screen.active_bindings  # a walk of the binding chain: once
        first: dict[str, Key] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in first:
                first[binding.action] = self._key(binding, enabled, tooltip)
        keys = list(first.values())
        if self.panic is not None:
            keys.sort(key=lambda k: k.action != self.panic)
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = self._key(binding, enabled, binding.tooltip or tooltip)
        return keys, palette

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> Key:
        return Key(binding.key, self.app.get_key_display(binding), binding.description,
                   binding.action, enabled, tooltip or binding.description)

    def _label(self, key: Key, key_style: Style, description_style: Style) -> Text:
        pad = "" if self.compact else " "
        label = Text.assemble((f"{pad}{key.display}{pad}", key_style))
        if key.description:
            label.append(f" {key.description}" if self.compact else f"{key.description} ",
                         description_style)
        if not key.enabled:
            label.stylize(Style(dim=True))
        if key.action == self.panic:
            label.stylize(Style(bold=True))
        return label

    def render(self) -> Text:
        if self._drawn is None or self._drawn[0] != self.size.width:
            self._drawn = (self.size.width, self._line())
        return self._drawn[1]

    def _line(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        description_style = self.get_component_rich_style("key-line--description", partial=True)
        keys, palette = self.keys()
        width = self.size.width
        tail = Text()
        if palette is not None:
            tail = Text.assemble((PALETTE_EDGE, Style(dim=True)), (palette.display, key_style),
                                 (f" {palette.description}", description_style))
            if not self.compact:
                tail.append(" ")
        room = max(0, width - tail.cell_len)
        labels = [(key, self._label(key, key_style, description_style)) for key in keys]
        gap = 1 if self.compact else 0
        if sum(label.cell_len + gap for _, label in labels) - gap > room:
            # Esc goes back everywhere (F1 says so): its place goes to the keys after it.
            labels = [(k, label) for k, label in labels if k.key != "escape"]
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for key, label in labels:
            start = line.cell_len
            line.append_text(label)
            self._spans.append((start, min(room, line.cell_len), key))
            if self.compact:
                line.append(" ")
        line.truncate(room, pad=True)
        if palette is not None:
            self._spans.append((room, width, palette))
        return line + tail

    def hidden(self) -> list[str]:
        """The keys that do not fit on the line, each as "key description"."""
        if not self._spans:
            self._line()
        keys, _ = self.keys()
        keys = [k for k in keys if k.key != "escape"]  # left out when there is no room
        shown = {k.action for start, end, k in self._spans
                 if end - start >= len(self._label(k, Style(), Style()).plain.rstrip())}
        return [f"{k.display} {k.description}".strip() for k in keys if k.action not in shown]

    def span_of(self, action: str) -> tuple[int, int] | None:
        """The columns (start, end) of the key bound to `action`, as last drawn."""
        return next(((start, end) for start, end, k in self._spans if k.action == action), None)

    # ---- the mouse ------------------------------------------------------------------
    def _key_at(self, x: int) -> Key | None:
        return next((k for start, end, k in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        self.tooltip = key.tooltip if key is not None else None
