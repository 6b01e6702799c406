"""The keys of the screen underneath, and the keys that work everywhere.

Keys are named as a person reads them (keynames.py: "[", "Ctrl+L"); each key's words wrap
in their own column, so a wrapped line keeps its indent."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coachdesk.tui import commands
from coachdesk.tui.keynames import keys_of
from coachdesk.tui.screens.base import CoachdeskModal


def _keys(screen: Screen[Any], binding_id: str | None, default: str) -> str:
    """A binding's keys as the coach's keymap file has them."""
    keys_for = getattr(screen.app, "keys_for", None)
    return keys_for(binding_id, default) if keys_for is not None and binding_id else default


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what) for this screen's own keys (the keys that work everywhere: global_rows)."""
    everywhere = {command.id for command in commands.GLOBAL}  # listed below, once
    rows: list[tuple[str, str]] = []
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description and binding.id not in everywhere:
            keys = _keys(screen, binding.id, binding.key)
            shown = binding.key_display if keys == binding.key and binding.key_display else None
            rows.append((shown or keys_of(keys), binding.tooltip or binding.description))
    return rows


def global_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    rows = [(keys_of(_keys(screen, command.id, command.key)), command.help)
            for command in commands.GLOBAL]
    rows.append((keys_of(screen.app.COMMAND_PALETTE_BINDING),
                 "Command palette: what this screen and the app can do; themes"))
    return rows


def _keys_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(width=min(22, max(12, 2 + max(len(keys) for keys, _ in rows))), no_wrap=True)
    table.add_column(ratio=1)
    for keys, what in rows:
        table.add_row(Text("  " + keys), Text(what))
    return table


def describe(screen: Screen[Any]) -> RenderableType:
    parts: list[RenderableType] = [
        Text(getattr(screen, "TITLE", None) or type(screen).__name__, style="bold")]
    about = getattr(screen, "HELP", "")
    if about:
        parts += [Text.from_markup(about.strip()), Text("")]
    own = key_rows(screen)
    if own:
        parts.append(_keys_table(own))
    parts += [Text(""), Text("Everywhere", style="bold"), _keys_table(global_rows(screen))]
    return Group(*parts)


class HelpScreen(CoachdeskModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close", show=True),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self._text = describe(under)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._text)
            yield Static("[dim]Esc closes this help.[/dim]", markup=True)
