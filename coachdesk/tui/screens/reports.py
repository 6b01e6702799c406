"""Monthly counts for supervisors and funders (no names, no note text)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.export import program_report, report, supervision_report
from coachdesk.files import write_recorded
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.save_path import SavePath


def shift_month(month: str, delta: int) -> str:
    year, mon = map(int, month.split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class ReportsScreen(CoachdeskScreen[None]):
    TITLE = "Reports"
    HELP = ("Counts for one month: people served, contacts, referrals, crisis events, "
            "recovery capital, service units, funder follow-ups and recovery support. Never a "
            "name or note text. [ and ] change the month; s shows "
            "the supervision report (hours, reviews, continuing education) and back.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "month(-1)", "Earlier", id="reports.prev",
                tooltip="The month before"),
        Binding("right_square_bracket", "month(1)", "Later", id="reports.next",
                tooltip="The month after"),
        Binding("s", "switch", "Supervision", id="reports.switch",
                tooltip="The supervision report, or back to the service report"),
        Binding("ctrl+s", "save", "Save", id="reports.save",
                tooltip="Write this report to a file (.md, or .csv for a spreadsheet)"),
        Binding("escape", "back", "Back", id="reports.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = dt.date.today().strftime("%Y-%m")
        self._built: report.Report | None = None
        self.supervision = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-box"):
            yield Static("", id="report-text")
        yield SavePath("/media/usb/report.md (or .csv)", id="report-save")
        yield Static("", id="report-message")
        yield KeyLine(compact=True)  # all its keys on one line at 80 columns

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        vault = self.vault
        build = supervision_report.build if self.supervision else program_report.full
        self._built = build(vault.conn, self.month)
        text = Text()
        for line, heading in report.to_lines(self._built):
            text.append(line + "\n", style="bold" if heading else "")
        self.query_one("#report-text", Static).update(text)

    def action_month(self, delta: int) -> None:
        self.month = shift_month(self.month, delta)
        self.show()

    def action_switch(self) -> None:
        self.supervision = not self.supervision
        self.show()

    def action_save(self) -> None:
        self.query_one(SavePath).open()

    @on(SavePath.Chosen)
    def _save(self, event: SavePath.Chosen) -> None:
        message = self.query_one("#report-message", Static)
        assert self._built is not None
        text = (report.to_csv(self._built) if event.path.suffix.lower() == ".csv"
                else report.to_markdown(self._built))
        vault = self.vault
        try:
            write_recorded(vault, event.path, text,
                           lambda: vault.audit("report saved", detail=(
                               f"supervision {self.month}" if self.supervision else self.month)))
        except CoachdeskError as exc:
            message.update(escape(f"Not written: {exc}"))
            return
        message.update(f"Wrote {event.path}.")
        self.query_one(SavePath).close()

    def action_back(self) -> None:
        if self.query_one(SavePath).is_open:
            self.query_one(SavePath).close()
            return
        self.dismiss()
