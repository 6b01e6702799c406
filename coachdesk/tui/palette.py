"""The palette's commands (Ctrl+P), derived: every command that applies now.

- the keys of the screen underneath (its BINDINGS with a label), as "here: ...";
- the global commands of commands.py that apply (the vault state, via check_action);
- Textual's own commands that write nothing to disk (themes, keys, maximize).

Participants come from providers.py. Textual's "Screenshot" is left out on purpose: it
would write the screen, names and all, to an unencrypted file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from coachdesk.tui import commands
from coachdesk.tui.keynames import keys_of

if TYPE_CHECKING:
    from coachdesk.tui.app import CoachdeskApp

TEXTUAL_KEPT = frozenset({"Theme", "Keys", "Maximize", "Minimize"})


def screen_commands(app: CoachdeskApp, screen: Screen[Any]) -> Iterable[SystemCommand]:
    globals_ = {command.id for command in commands.GLOBAL}
    for binding in getattr(screen, "BINDINGS", []):
        if (isinstance(binding, Binding) and binding.description
                and binding.id not in globals_ and binding.action != "dismiss"
                and _applies(screen, binding.action)):
            keys = binding.key_display or keys_of(binding.key)
            yield SystemCommand(f"here: {binding.description.lower()}",
                                f"{keys}  {binding.tooltip or ''}".strip(),
                                partial(app.run_action, binding.action, screen))


def _applies(screen: Screen[Any], action: str) -> bool:
    """The screen's own check_action lets the key act now (a disabled key is not offered)."""
    destination, name, parameters = parse(action)
    return destination != "" or screen.check_action(name, parameters) is True


def global_commands(app: CoachdeskApp) -> Iterable[SystemCommand]:
    for command in commands.GLOBAL:
        _, name, parameters = parse(command.app_action)
        if command.palette and app.check_action(name, parameters):
            yield SystemCommand(command.palette, f"{keys_of(command.key)}  {command.help}",
                                partial(app.run_action, command.app_action))
    if app.vault is not None:
        yield SystemCommand("participant: add", "Add a participant", app.add_participant)


def system_commands(app: CoachdeskApp, screen: Screen[Any]) -> Iterable[SystemCommand]:
    yield from screen_commands(app, screen)
    yield from global_commands(app)
    for command in app.textual_system_commands(screen):
        if command.title in TEXTUAL_KEPT:
            yield command
