"""App-wide commands, each defined once: its key, footer label, tooltip and palette name."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str
    key: str
    action: str
    label: str
    help: str
    palette: str | None = None
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.label, show=self.show, id=self.id,
                       tooltip=self.help, priority=self.priority)


HELP = Command("help", "f1,question_mark", "app.help", "Help", "Show the keys of this screen",
               "help: show keys")
LOCK = Command("lock", "ctrl+l", "app.lock", "Lock", "Lock the vault now and hide everything",
               "vault: lock now", priority=True)
DISCREET = Command("discreet", "f2", "app.toggle_discreet", "Discreet",
                   "Show initials instead of names", "view: toggle discreet mode", show=False,
                   priority=True)
AUDIT = Command("audit", "f8", "app.audit_log", "Audit", "Show the audit log",
                "audit: show log", show=False)
REPORTS = Command("reports", "f12", "app.reports", "Reports",
                  "Monthly counts for supervisors (no names)", "reports: monthly counts",
                  show=False)
SETTINGS = Command("settings", "f9", "app.settings", "Settings",
                   "Auto-lock, discreet mode and crisis numbers", "settings: edit",
                   show=False)
QUIT = Command("quit", "ctrl+q", "app.quit", "Quit", "Lock the vault and quit", "app: quit",
               show=False, priority=True)

CRISIS = Command("crisis", "ctrl+r", "app.crisis", "Crisis",
                 "Start a crisis checklist (from every screen, no person needed)",
                 "crisis: start a checklist", priority=True)

SYNC = Command("sync", "f4", "app.sync", "Sync", "Export and import sync bundles; conflicts",
               "sync: export, import, conflicts", show=False)

ACTION_ITEMS = Command("action_items", "f3", "app.action_items", "To do",
                       "Action items: overdue, today, upcoming, done", "notes: action items",
                       show=False)
SEARCH = Command("search", "ctrl+f", "app.search", "Search",
                 "Search notes, addenda and plans", "notes: search", show=False)

GLOBAL: tuple[Command, ...] = (HELP, CRISIS, LOCK, DISCREET, ACTION_ITEMS, SEARCH, SYNC, AUDIT,
                               REPORTS, SETTINGS, QUIT)
NEEDS_VAULT = frozenset({"lock", "discreet", "audit", "settings", "crisis", "sync", "reports",
                         "action_items", "search"})

# Thread workers that use the vault connection join this group: lock interrupts and awaits
# them before it closes the connection.
DB_WORKERS = "vault-db"
