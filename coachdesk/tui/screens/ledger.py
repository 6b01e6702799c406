"""My ledger: the coach's training and continuing-education lines, supervision and
experience hours, and progress against a credential (c: the next credential known)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from coachdesk import config
from coachdesk.models.credential import Catalog, describe, load_all, progress
from coachdesk.store import ledger
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine


class LedgerScreen(CoachdeskScreen[None]):
    TITLE = "My ledger"
    HELP = ("Your training and continuing-education hours, supervision hours\n"
            "(from your sessions) and experience hours (from your finalized\n"
            "notes), against a credential. a adds hours; c shows the next\n"
            "credential. An agency adds its own credential files to the config\n"
            "folder, credentials/*.toml.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add hours", id="ledger.add", tooltip="Add training hours"),
        Binding("c", "next_credential", "Credential", id="ledger.credential",
                tooltip="Show the next credential"),
        Binding("escape", "back", "Back", id="ledger.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog = load_all(config.credentials_dir())
        self.credential_id = self.catalog.get(None).id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ledger-box"):
            yield Static("", id="ledger-progress")
            yield Static("", id="ledger-lines")
        yield KeyLine()

    def on_mount(self) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        if self.unlocked:
            self.show()

    def show(self) -> None:
        vault = self.vault
        hours = ledger.hours(vault, vault.device)
        credential = self.catalog.credentials[self.credential_id]
        earned = ledger.earned(vault).get(credential.id)
        found = progress(credential, hours, earned, dt.date.today())
        lines = describe(found)
        lines += [f"skipped {problem}" for problem in self.catalog.problems]
        self.query_one("#ledger-progress", Static).update(escape("\n".join(lines)))
        rows = ledger.entries(vault, vault.device)
        text = [f"\nYour lines ({len(rows)}); supervision {hours.supervision:.1f} h, "
                f"experience {hours.experience:.1f} h"]
        text += [f"{r.entry.taken_on.isoformat()} {r.entry.hours:>5g} h  "
                 f"{r.entry.domain or '-':<10} {r.entry.title}"[:78] for r in rows[:20]]
        self.query_one("#ledger-lines", Static).update(escape("\n".join(text)))

    def action_next_credential(self) -> None:
        ids = sorted(self.catalog.credentials)
        self.credential_id = ids[(ids.index(self.credential_id) + 1) % len(ids)]
        self.show()

    def action_add(self) -> None:
        from coachdesk.tui.screens.ledger_add import LedgerAddScreen

        domains = {d for c in self.catalog.credentials.values() for d in c.domains}
        self.app.push_screen(LedgerAddScreen(domains))

    def action_back(self) -> None:
        self.dismiss(None)
