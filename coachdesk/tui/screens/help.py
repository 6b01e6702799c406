"""The keys of the screen underneath, and the keys that work everywhere."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coachdesk.tui import commands
from coachdesk.tui.palette import key_name
from coachdesk.tui.screens.base import CoachdeskModal


def describe(screen: Screen[Any]) -> str:
    lines = [f"[b]{getattr(screen, 'TITLE', None) or type(screen).__name__}[/b]"]
    about = getattr(screen, "HELP", "")
    if about:
        lines += [about.strip(), ""]
    everywhere = {command.id for command in commands.GLOBAL}  # listed below, once
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description and binding.id not in everywhere:
            lines.append(f"  {key_name(binding.key):<12} {binding.tooltip or binding.description}")
    lines += ["", "[b]Everywhere[/b]"]
    for command in commands.GLOBAL:
        lines.append(f"  {key_name(command.key):<12} {command.help}")
    palette_key = key_name(screen.app.COMMAND_PALETTE_BINDING)
    lines.append(f"  {palette_key:<12} Command palette: what this screen and the app can do")
    return "\n".join(lines)


class HelpScreen(CoachdeskModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close", show=True),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self._text = describe(under)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._text, markup=True)
            yield Static("[dim]Esc closes this help.[/dim]", markup=True)
