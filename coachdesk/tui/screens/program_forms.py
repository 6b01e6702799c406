"""The forms of the program screen: an interview recorded done or missed (its date, and
why it was missed), and a person's recovery-support fields."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static

from coachdesk.errors import ValidationFailed
from coachdesk.models.funder import Funder, Window
from coachdesk.models.program import RecoveryLists, RecoverySupport
from coachdesk.store import program
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.tickbox import TickBox


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(f"{what}: write it as YYYY-MM-DD") from None


def _chosen(select: Select[str]) -> str:
    value = select.value
    return value if isinstance(value, str) else ""


class InterviewForm(CoachdeskScreen[bool]):
    TITLE = "Record an interview"
    HELP = ("The date the interview was done, or the day it was given up on,\n"
            "and (missed) why, from the funder's list: the extract carries\n"
            "its code, never free text. Recording again replaces it.\n"
            "Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="interview_form.save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="interview_form.cancel",
                tooltip="Leave without saving"),
    ]

    def __init__(self, participant_id: str, grant: Funder, window: Window, status: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.grant = grant
        self.window = window
        self.status = status

    def compose(self) -> ComposeResult:
        w = self.window
        yield Static(f"[b]{escape(w.spec.label)}: {self.status}[/b] (episode {w.episode.number}; "
                     f"window {w.opens.isoformat()} to {w.closes.isoformat()})", id="form-title")
        with Grid(id="form"):
            yield Label("Date")
            yield Input(dt.date.today().isoformat(), id="interview-date", compact=True,
                        max_length=10)
            if self.status == "missed":
                yield Label("Why missed")
                yield Select([(r.label, key) for key, r in self.grant.missed_reasons.items()],
                             id="interview-reason", compact=True, prompt="choose a reason")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#interview-date", Input).focus()

    def _save(self) -> bool:
        on = _date(self.query_one("#interview-date", Input).value, "date")
        reason = (_chosen(self.query_one("#interview-reason", Select))
                  if self.status == "missed" else "")
        program.record_interview(self.vault, self.grant, self.participant_id,
                                 self.window.episode.start, self.window.spec.id, self.status,
                                 on, reason)
        return True

    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)


_CHOICES = (("referral_reason", "Referral reason"), ("engagement", "Engagement"),
            ("engagement_reason", "Why (engagement)"), ("living_situation", "Living situation"))
_COUNTS = (("supports", "Supports"), ("no_shows", "No-shows"),
           ("naloxone_given", "Naloxone given"), ("ed_visits", "ED visits"))


class RecoveryForm(CoachdeskScreen[bool]):
    TITLE = "Recovery support"
    HELP = ("The person's recovery-support fields. Pathways: Tab to one, Space\n"
            "ticks it (several at once). Each field syncs on its own: a change\n"
            "made on another laptop to another field is kept. A new engagement\n"
            "status is dated today unless you give the date.\n"
            "Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="recovery_form.save", tooltip="Save the fields"),
        Binding("escape", "cancel", "Cancel", id="recovery_form.cancel",
                tooltip="Leave without saving"),
    ]

    def __init__(self, participant_id: str, lists: RecoveryLists, current: RecoverySupport) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.lists = lists
        self.current = current

    def compose(self) -> ComposeResult:
        c = self.current
        yield Static(f"[b]Recovery support: {escape(self.name_of(self.participant_id))}[/b]",
                     id="form-title")
        with VerticalScroll(id="recovery-box"):
            yield Label("Recovery pathways (Space ticks; several at once)")
            with Grid(id="recovery-pathways"):
                for key, p in self.lists.pathways.items():
                    yield TickBox(p.label, key in c.pathways, id=f"pathway-{key}", compact=True)
            with Grid(id="form"):
                for name, label in _CHOICES:
                    yield Label(label)
                    choices = [(item.label, key) for key, item in self.lists.choices(name).items()]
                    value = getattr(c, name)
                    yield Select(choices, id=f"recovery-{name}", compact=True,
                                 prompt="not recorded",
                                 value=value if value in dict((k, 1) for _, k in choices)
                                 else Select.NULL)
                    if name == "engagement":
                        yield Label("Since")
                        yield Input(c.engagement_on, id="recovery-engagement_on", compact=True,
                                    max_length=10, placeholder="YYYY-MM-DD (default today)")
                for name, label in _COUNTS:
                    yield Label(label)
                    yield Input(str(getattr(c, name)), id=f"recovery-{name}", compact=True,
                                max_length=5, restrict=r"[0-9\-]*")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(TickBox).focus()

    def _changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "pathways": sorted(key for key in self.lists.pathways
                               if self.query_one(f"#pathway-{key}", TickBox).value)}
        for name, _ in _CHOICES:
            changes[name] = _chosen(self.query_one(f"#recovery-{name}", Select))
        since = self.query_one("#recovery-engagement_on", Input).value.strip()
        if since != self.current.engagement_on and since:
            changes["engagement_on"] = _date(since, "since").isoformat()
        for name, label in _COUNTS:
            text = self.query_one(f"#recovery-{name}", Input).value.strip() or "0"
            try:
                changes[name] = int(text)
            except ValueError:
                raise ValidationFailed(f"{label.lower()}: a whole number") from None
        return changes

    def _save(self) -> bool:
        changed = program.set_recovery(self.vault, self.participant_id, self._changes(),
                                       self.lists)
        self.notify("Saved." if changed else "Nothing changed.")
        return bool(changed)

    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)


class EpisodeForm(CoachdeskScreen[bool]):
    TITLE = "Episode"
    HELP = ("Discharge: the person's episode ends on the date; the funder's\n"
            "discharge window follows it. Re-enrol: after a discharge, a new\n"
            "episode starts on the date, with a new baseline (the person is\n"
            "active again). Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="episode_form.save", tooltip="Save"),
        Binding("escape", "cancel", "Cancel", id="episode_form.cancel",
                tooltip="Leave without saving"),
    ]

    def __init__(self, participant_id: str, action: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.action = action

    def compose(self) -> ComposeResult:
        what = "Discharge: the episode ends" if self.action == "discharge" else \
            "Re-enrol: a new episode with a new baseline"
        yield Static(f"[b]{what}[/b] · {escape(self.name_of(self.participant_id))}",
                     id="form-title")
        with Grid(id="form"):
            yield Label("Date")
            yield Input(dt.date.today().isoformat(), id="episode-date", compact=True,
                        max_length=10)
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#episode-date", Input).focus()

    def _save(self) -> bool:
        on = _date(self.query_one("#episode-date", Input).value, "date")
        if self.action == "discharge":
            program.discharge(self.vault, self.participant_id, on)
        else:
            program.enrol(self.vault, self.participant_id, on)
        return True

    def action_save(self) -> None:
        self.close_with(self._save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)
