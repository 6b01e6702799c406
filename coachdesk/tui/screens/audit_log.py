"""The audit log: who did what and when, newest first; filter by typing; export to CSV."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from coachdesk.errors import CoachdeskError
from coachdesk.store import audit
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable
from coachdesk.tui.widgets.save_path import SavePath

LIMIT = 500


def local_time(at: str) -> str:
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


RECORD_WORDS = {"checkin_attempt": "call", "checkin_schedule": "check-ins",
                "plan_revision": "plan", "crisis_event": "crisis", "crisis_step": "crisis step",
                "action_item": "item", "participant": "person"}


def record_text(tbl: str, row_id: str, person: str) -> str:
    """What an entry is about: "referral: Rosa Delgado", else the table and the end of
    the record's id."""
    what = RECORD_WORDS.get(tbl, tbl.replace("_", " "))
    if person:
        return f"{what}: {person}"
    return f"{what} {row_id[-8:]}" if row_id else what


class AuditLogScreen(CoachdeskScreen[None]):
    TITLE = "Audit log"
    HELP = ("Every unlock, failed unlock, view, change, export and import, newest first.\n"
            "Type to filter (action, person, record). Entries are hash-chained: "
            "`coachdesk check` finds an edited or deleted one.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export CSV", id="audit.export",
                tooltip="Write the whole audit log to a CSV file you name"),
        Binding("escape", "back", "Back", id="audit.back", tooltip="Back to the previous screen"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="audit-bar"):
            yield Input(id="audit-filter", placeholder="type to filter", compact=True)
            yield Static("", id="audit-status")
        yield RecordTable(("When", 16), ("Who", 11), ("Action", 19), ("Record", 24), id="audit",
                          flex=3)
        yield SavePath("/media/usb/audit.csv", id="audit-save")
        yield Static("", id="audit-message")
        yield KeyLine()

    def on_mount(self) -> None:
        self.mask_inputs("#audit-filter")
        self.refresh_rows()
        self.query_one("#audit-filter", Input).focus()

    def redraw_names(self) -> None:
        self.mask_inputs("#audit-filter")
        self.refresh_rows()

    def refresh_rows(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        text = self.query_one("#audit-filter", Input).value
        rows = audit.recent(vault.conn, LIMIT, text)
        people = audit.people_of(vault.conn, [(tbl, row_id) for *_, tbl, row_id in rows])
        names: dict[str, str] = {}
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for seq, (at, actor, action, tbl, row_id) in enumerate(rows):
            key = str(seq)
            pid = people.get((tbl, row_id), "")
            if pid and pid not in names:
                names[pid] = self.name_of(pid, discreet=False, gone="")
            person = self.shown(names[pid], key) if pid and names[pid] else ""
            table.add_row(local_time(at), actor, action,
                          record_text(tbl, row_id, person), key=key)
        if 0 < keep < table.row_count:
            table.move_cursor(row=keep)
        more = " (newest shown)" if len(rows) == LIMIT else ""
        self.query_one("#audit-status", Static).update(f"{len(rows)} entries{more}")

    @on(Input.Changed, "#audit-filter")
    def _filter(self) -> None:
        self.revealed = None  # the rows are others now
        self.refresh_rows()

    def action_export(self) -> None:
        self.query_one(SavePath).open()

    @on(SavePath.Chosen)
    def _export(self, event: SavePath.Chosen) -> None:
        vault = self.vault
        message = self.query_one("#audit-message", Static)
        path = event.path
        try:
            with vault.transaction() as conn:
                count = audit.export_csv(conn, vault.device, vault.coach, path)
        except FileExistsError:
            message.update(f"Not written: {path} already exists.")
            return
        except OSError as exc:
            message.update(f"Not written: {exc.strerror}.")
            return
        except CoachdeskError as exc:
            message.update(escape(f"Not written: {exc}"))
            return
        message.update(f"Wrote {count} entries to {path}.")
        self.query_one(SavePath).close()
        self.query_one("#audit-filter", Input).focus()
        self.refresh_rows()

    def action_back(self) -> None:
        if self.query_one(SavePath).is_open:
            self.query_one(SavePath).close()
            self.query_one("#audit-filter", Input).focus()
            return
        self.dismiss()
