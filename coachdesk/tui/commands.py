"""App-wide commands, each defined once.

A command is its key, footer label, tooltip, palette name, what it does (an app action,
or the screen it opens), whether it needs an open vault, and where the README says it
works. From GLOBAL come the app's bindings, its `check_action` (the "needs a vault"
rule), the palette entries (Ctrl+P), the "Everywhere" part of the help (F1) and the
README key table (`python -m coachdesk.tui.keytable`).

A new screen opened by a global key is one Command here (with `opens`) plus the screen.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.screen import Screen


@dataclass(frozen=True)
class Command:
    id: str
    key: str
    label: str
    help: str
    palette: str | None = None
    action: str = ""
    """The app action ("app.lock"); empty for a command that `opens` a screen."""
    opens: str | None = None
    """The screen it opens, "module:Class" (imported when first used), once: not over itself."""
    needs_vault: bool = True
    show: bool = False
    priority: bool = False
    readme: str = ""
    """The README's words for it, if more than `help`."""
    letter: str = ""
    """Its letter in the Go menu (Ctrl+G, then the letter): every F-key command has one,
    for terminals that take the F-keys for themselves (GNOME Terminal: F1, F10, F11)."""

    def __post_init__(self) -> None:
        if bool(self.action) == bool(self.opens):
            raise ValueError(f"command {self.id}: give an action or a screen it opens")

    @property
    def app_action(self) -> str:
        """The action string bound to the key."""
        return self.action or f"app.open_command('{self.id}')"

    def binding(self) -> Binding:
        return Binding(self.key, self.app_action, self.label, show=self.show, id=self.id,
                       tooltip=self.help, priority=self.priority)

    def screen_class(self) -> type[Screen[Any]]:
        assert self.opens is not None
        module, _, name = self.opens.partition(":")
        screen: type[Screen[Any]] = getattr(importlib.import_module(module), name)
        return screen


def _screen(name: str) -> str:
    return f"coachdesk.tui.screens.{name}"


HELP = Command("help", "f1,question_mark", "Help", "Show the keys of this screen",
               "help: show keys", action="app.help", needs_vault=False, show=True,
               readme="help for this screen", letter="h")
LOCK = Command("lock", "ctrl+l", "Lock", "Lock the vault now and hide everything",
               "vault: lock now", action="app.lock", show=True, priority=True,
               readme="**panic key**: lock now, drop every screen holding data")
DISCREET = Command("discreet", "f2", "Discreet", "Show initials instead of names",
                   "view: toggle discreet mode", action="app.toggle_discreet", priority=True,
                   readme="discreet mode: initials instead of names, and flags, notes, items,"
                          " services, searches and the audit log hidden (remembered)", letter="d")
REVEAL = Command("reveal", "ctrl+e", "Reveal", "Discreet mode: show the selected row in full",
                 "view: reveal the selected row (discreet mode)", action="app.reveal",
                 priority=True,  # also while typing in a search (a field's Ctrl+E is End)
                 readme="discreet mode: show the selected row in full; moving off it (or"
                        " Ctrl+E again) hides it; outside discreet mode a field's End")
AUDIT = Command("audit", "f8", "Audit", "Show the audit log", "audit: show log",
                opens=_screen("audit_log:AuditLogScreen"),
                readme="audit log (type to filter, Ctrl+S exports it as CSV, audited)", letter="o")
REPORTS = Command("reports", "f12", "Reports", "Monthly counts for supervisors (no names)",
                  "reports: monthly counts", opens=_screen("reports:ReportsScreen"),
                  readme="reports: monthly counts; `[` `]` change month, Ctrl+S saves"
                         " (.md or .csv)", letter="m")
SETTINGS = Command("settings", "f9", "Settings", "Auto-lock, discreet mode and crisis numbers",
                   "settings: edit", opens=_screen("settings:SettingsScreen"),
                   readme="settings: auto-lock minutes, crisis auto-lock, discreet mode,"
                          " crisis line, supervisor phone, your work phone", letter="t")
QUIT = Command("quit", "ctrl+q", "Quit", "Lock the vault and quit", "app: quit",
               action="app.quit", needs_vault=False, priority=True, readme="lock and quit")

CRISIS = Command("crisis", "ctrl+r", "Crisis",
                 "Start a crisis checklist (from every screen, no person needed)",
                 "crisis: start a checklist", action="app.crisis", show=True, priority=True,
                 readme="**crisis checklist**: pick one by its number; no person needed;"
                        " while one runs, straight back to it")

SYNC = Command("sync", "f4", "Sync", "Export and import sync bundles; conflicts",
               "sync: export, import, conflicts", opens=_screen("sync:SyncScreen"),
               readme="Sync: export, import, conflicts", letter="s")

ACTION_ITEMS = Command("action_items", "f3", "To do",
                       "Action items: overdue, today, upcoming, done", "notes: action items",
                       opens=_screen("action_items:ActionItemsScreen"),
                       readme="action items: overdue, today, upcoming, done; d marks done,"
                              " Enter opens the person", letter="a")
REVIEW = Command("review", "f7", "Review",
                 "Supervision: the review queue (supervisor) or your feedback (coach)",
                 "supervision: review notes, feedback", action="app.review",
                 readme="supervision: a supervisor's **Review** queue (r reviewed, f needs"
                        " follow-up, c comment, x close), a coach's **Feedback** (a answers)",
                 letter="v")
DASHBOARD = Command("dashboard", "ctrl+b", "Coaches",
                    "Coach dashboard (supervisor): one coach's figures at a time",
                    "supervision: coach dashboard", opens=_screen("dashboard:DashboardScreen"),
                    readme="**coach dashboard** (supervisor): caseload, overdue items,"
                           " check-ins, reviews, supervision, one coach at a time (Left / Right)")
SEARCH = Command("search", "ctrl+f", "Search", "Search notes, addenda and plans",
                 "notes: search", opens=_screen("search:SearchScreen"),
                 readme="search notes, addenda and plans; Enter opens the note")

SUPERVISION = Command("supervision", "f11", "Supervision",
                      "Supervision sessions and items; your ledger and self-care check-in",
                      "supervision: sessions and items",
                      opens=_screen("supervision:SupervisionScreen"),
                      readme="supervision: a supervisor's sessions (n logs one), a coach's own"
                             " and their items (d marks done); l my ledger, w self-care check-in",
                      letter="u")
LEDGER = Command("ledger", "f10", "My ledger",
                 "Your training hours and credential progress", "ledger: my hours and credential",
                 opens=_screen("ledger:LedgerScreen"),
                 readme="my ledger: training, supervision and experience hours against a"
                        " credential; a adds hours, c the next credential", letter="l")

GO = Command("go", "ctrl+g", "Go", "Every command by a letter (when the terminal takes an F-key)",
             "go: every command by a letter", action="app.go", needs_vault=False,
             readme="**Go menu**: every F-key command (and this screen's) by a letter, for"
                    " terminals that take the F-keys (Ctrl+G, then e.g. `l` for the ledger)")

GLOBAL: tuple[Command, ...] = (HELP, CRISIS, LOCK, DISCREET, REVEAL, ACTION_ITEMS, SEARCH, SYNC, REVIEW,
                               DASHBOARD, SUPERVISION, LEDGER, AUDIT, REPORTS, SETTINGS, GO, QUIT)
BY_ID: dict[str, Command] = {command.id: command for command in GLOBAL}
NEEDS_VAULT = frozenset(command.id for command in GLOBAL if command.needs_vault)


def for_action(action: str, parameters: tuple[object, ...]) -> Command | None:
    """The global command an app action (as Textual hands it to check_action) belongs to."""
    if action == "open_command":
        return BY_ID.get(str(parameters[0])) if parameters else None
    for command in GLOBAL:
        if command.action == f"app.{action}":
            return command
    return None


# Thread workers that use the vault connection join this group: lock interrupts and awaits
# them before it closes the connection.
DB_WORKERS = "vault-db"


def go_entries(screen_bindings: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """The Go menu (Ctrl+G): (letter, keys, what, action) for every global command with a
    letter, then each F-key of the screen underneath, given as (key, description, action),
    lettered by the first letter of its description still free."""
    entries = [(c.letter, c.key, c.help, c.app_action) for c in GLOBAL if c.letter]
    taken = {letter for letter, *_ in entries}
    for key, description, action in screen_bindings:
        letter = next((ch for ch in description.lower() + "bcefgijknpqrwxyz"
                       if ch.isalpha() and ch not in taken), "")
        if letter:
            taken.add(letter)
            entries.append((letter, key, description, action))
    return entries
