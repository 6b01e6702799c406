"""The key line of the crisis screens: the panic key first, never cut off at 80 columns.

A crisis screen has many keys; the screen's own come first and the app's after them, so
at 80 columns "Lock" was cut to "^l Loc". Here the lock key comes first and the command
palette key (Ctrl+P still works) is left out.
"""

from __future__ import annotations

from coachdesk.tui import commands
from coachdesk.tui.widgets.key_line import KeyLine


class CrisisFooter(KeyLine):
    def __init__(self) -> None:
        super().__init__(panic=commands.LOCK.action)
