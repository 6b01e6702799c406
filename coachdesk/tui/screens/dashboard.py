"""The Coach dashboard (issue 18, item 4): a supervisor's figures for one coach at a time,
in one 80x24 screen; → / ← (or n / p) move between the team's coaches. Counts only: no
participant's name shows here. A coach who opens it gets one line: it is a supervisor's."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from coachdesk.store import dashboard
from coachdesk.store.dashboard import Figures
from coachdesk.sync import reviews
from coachdesk.sync.team_flow import printable
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine

NOT_A_SUPERVISOR = "The coach dashboard is for the team's supervisors."
NO_COACHES = "No coaches in your team yet (coachdesk team request / accept)."
LABEL = 15
NAME = 30
"""The title shows at most this much of a coach's name (the title is one line of 80)."""


def _plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _day(day: dt.date) -> str:
    return day.isoformat()


def lines(f: Figures) -> list[tuple[str, str]]:
    """The dashboard of one coach as (label, figure) lines (each fits 80 columns)."""
    share = ("none due this month so far" if f.share_reached is None else
             f"{f.checkins_reached_month} of {f.checkins_due_month} reached this month "
             f"({f.share_reached}%)")
    if f.last_session is None:
        session = "no supervision session logged yet"
    else:
        days = f.days_since_session or 0
        session = (f"last session today ({_day(f.last_session)})" if days == 0 else
                   f"{_plural(days, 'day')} since the last session ({_day(f.last_session)})")
    found = [
        ("Caseload", f"{f.active} active ({f.primary} primary, {f.secondary} secondary)"),
        ("", f"{f.new_this_month} new this month"),
        ("Action items", f"{f.overdue_items} overdue on the caseload"),
        ("", f"{f.overdue_supervision_items} overdue from supervision"),
        ("Check-ins", f"{f.checkins_waiting} waiting for a call now"),
        ("", share),
        ("Hard to reach", _plural(f.hard_to_reach, "person", "people")),
        ("Crisis events", f"{f.crises_month} this month"),
        ("Notes", f"{f.notes_waiting} waiting for review"),
        ("", f"{_plural(f.follow_ups_open, 'follow-up')} open"),
        ("Supervision", session),
    ]
    found += program_lines(f)
    if f.review_on is not None and f.joined is not None:
        joined = f"joined {_day(f.joined)}" if f.joined_exact else f"joined by {_day(f.joined)}"
        found.append(("First 90 days", f"{joined}: 90-day review on {_day(f.review_on)}"))
    return found


def program_lines(f: Figures) -> list[tuple[str, str]]:
    """Units this month and the follow-up rate of the coach's people (issue 22)."""
    if f.program is None:
        return [("Program", f"! {f.program_problem[:60]}")]
    over = f.program.over_cap
    units = f"{f.program.units} units this month" + (
        f", ! {_plural(over, 'contact')} over the daily cap" if over else "")
    rate = f.program.rate
    follow = "no funder follow-up due this month" if rate is None or not rate.due else rate.text
    missed = rate.missed if rate is not None else 0
    return [("Units", units), ("Follow-ups", follow),
            ("", f"! {_plural(missed, 'window')} missed this month" if missed
             else "no window missed this month")]


class DashboardScreen(CoachdeskScreen[None]):
    TITLE = "Coach dashboard"
    HELP = (
        "One coach of your team at a time: their active caseload, what\n"
        "is overdue, check-ins waiting and the share reached this month,\n"
        "people hard to reach, crisis events, notes waiting for your\n"
        "review, the days since their last supervision session and, in\n"
        "their first 90 days, the date of their 90-day review; units this\n"
        "month and the funder follow-up rate of their people (missed\n"
        "windows counted).\n"
        "Right / n: next coach; Left / p: the one before. Counts only."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n", "move(1)", "Next coach", id="dashboard.next",
                tooltip="The next coach of the team"),
        Binding("left,p", "move(-1)", "Previous", id="dashboard.previous",
                tooltip="The coach before"),
        Binding("escape", "back", "Back", id="dashboard.back", tooltip="Back"),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dashboard-title { height: 2; padding: 0 1; }
    DashboardScreen #dashboard-body { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.coaches: list[Figures] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="dashboard-title")
        yield Static("", id="dashboard-body")
        yield KeyLine()

    def on_mount(self) -> None:
        title = self.query_one("#dashboard-title", Static)
        if not reviews.is_supervisor(self.vault):
            title.update(NOT_A_SUPERVISOR)
            return
        self.coaches = dashboard.figures(self.vault)
        if not self.coaches:
            title.update(NO_COACHES)
            return
        self.show()

    def show(self) -> None:
        figures = self.coaches[self.index]
        title = Text()
        name = self.shown(printable(figures.name))  # initials in discreet mode, as everywhere
        name = name if len(name) <= NAME else name[: NAME - 1] + "…"
        title.append(f"Coach dashboard · {name}", style="bold")
        title.append(f" ({figures.role}) · {self.index + 1} of {len(self.coaches)}"
                     f" · {figures.today.isoformat()}")
        self.query_one("#dashboard-title", Static).update(title)
        body = Text()
        for label, figure in lines(figures):
            body.append(f"{label:<{LABEL}}", style="bold")
            body.append(figure + "\n")
        self.query_one("#dashboard-body", Static).update(body)

    def redraw_names(self) -> None:
        if self.coaches:
            self.show()

    def action_move(self, delta: int) -> None:
        if len(self.coaches) > 1:
            self.index = (self.index + delta) % len(self.coaches)
            self.show()

    def action_back(self) -> None:
        self.dismiss()
