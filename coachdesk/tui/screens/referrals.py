"""A person's referrals: add one from the directory, move its status, set a follow-up,
note the handoff details (why, may a message be left, best time), send a referral packet
(.md or .html) under a current consent, print the accounting of disclosures."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static

from coachdesk.errors import CoachdeskError
from coachdesk.export.disclosure import accounting
from coachdesk.export.packet import export_packet
from coachdesk.export.plan import format_for
from coachdesk.files import write_recorded
from coachdesk.models.consent_kinds import labels
from coachdesk.models.referral import MESSAGE_OK_TEXT, MessageOk
from coachdesk.models.resource import KIND_LABELS, ResourceKind
from coachdesk.store import participants, referrals
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.screens.resource_picker import ResourcePicker
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable

STATUS_KEYS = {str(i + 1): status for i, status in enumerate(referrals.STATUSES)}


class ReferralsScreen(CoachdeskScreen[None]):
    TITLE = "Referrals"
    HELP = ("Up/Down choose a referral. Status keys: " +
            ", ".join(f"{k} {v}" for k, v in STATUS_KEYS.items()) + ".\n"
            "A referral packet or plan for someone outside the program needs a current consent: "
            "it carries the federal redisclosure notice and is logged (a: accounting).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="referrals.new", tooltip="Refer to a service"),
        *(Binding(k, f"status('{v}')", v.title(), id=f"referrals.{v}", show=False,
                  tooltip=f"Set the status to {v}") for k, v in STATUS_KEYS.items()),
        Binding("u", "follow_up", "Due", id="referrals.follow_up",
                tooltip="Set the follow-up date (it shows among the action items)"),
        Binding("e", "details", "Handoff", id="referrals.details",
                tooltip="Why this referral, may a message be left, the best time to call"),
        Binding("s", "packet", "Packet", id="referrals.packet",
                tooltip="Write a referral packet for the service (needs a current consent)"),
        Binding("a", "accounting", "Log", id="referrals.accounting",
                tooltip="Write the accounting of disclosures to a file"),
        Binding("escape", "back", "Back", id="referrals.back", tooltip="Back to the person"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self._rows: list[referrals.ReferralView] = []
        self._mode = ""  # what the input line is for: follow_up, packet, accounting

    def compose(self) -> ComposeResult:
        yield Static("", id="referrals-title")
        yield RecordTable(("Referred", 10), ("Status", 9), ("Follow-up", 13), ("Kind", 12),
                          ("Service", 24), id="referrals-list")
        yield Static("", id="referrals-empty")
        yield Static("", id="referrals-disclosures")
        with Vertical(id="referrals-ask", classes="hidden"):
            yield Select([], prompt="no current consent", id="referrals-consent", compact=True)
            with Horizontal(id="referrals-ask-line"):
                yield Static("", id="referrals-ask-label")
                yield Input(id="referrals-input", compact=True)
        yield Static("", id="referrals-message", classes="error")
        yield KeyLine(compact=True)  # all its keys on one line at 80 columns

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one(RecordTable).focus()

    def redraw_names(self) -> None:
        self.refresh_rows()

    @staticmethod
    def _due(referral: referrals.ReferralView, today: str) -> str:
        if not referral.follow_up_on:
            return ""
        late = referral.follow_up_on < today and referral.status not in ("attended", "declined")
        return f"by {referral.follow_up_on}{' LATE' if late else ''}"

    def refresh_rows(self) -> None:
        person = participants.get(self.vault, self.participant_id, audited=False)
        shown = self.shown(person.alias)
        self.query_one("#referrals-title", Static).update(f"[b]Referrals · {shown}[/b]")
        self._rows = referrals.for_participant(self.vault, self.participant_id)
        table = self.query_one(RecordTable)
        keep = table.cursor_row
        table.clear()
        today = dt.date.today().isoformat()
        for r in self._rows:
            kind = KIND_LABELS.get(ResourceKind(r.resource_kind), r.resource_kind)
            name, kind = (HIDDEN, HIDDEN) if self.hides(r.id) else (r.resource_name, kind)
            table.add_row(r.referred_on, r.status, self._due(r, today), Text(kind),
                          Text(name), key=r.id)
        if self._rows:
            table.move_cursor(row=min(keep, len(self._rows) - 1))
        self.query_one("#referrals-empty", Static).update(
            "" if self._rows else "No referrals yet: n refers this person to a service.")
        count = len(referrals.disclosures(self.vault, self.participant_id))
        self.query_one("#referrals-disclosures", Static).update(
            f"Disclosures outside the program: {count} recorded (a writes the accounting)")

    def selected(self) -> referrals.ReferralView | None:
        index = self.query_one(RecordTable).cursor_row
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def say(self, text: str) -> None:
        self.query_one("#referrals-message", Static).update(text)

    # ---- actions ---------------------------------------------------------------
    @work
    async def action_new(self) -> None:
        resource_id = await self.app.push_screen_wait(ResourcePicker())
        if resource_id:
            referrals.add(self.vault, self.participant_id, resource_id)
            self.say("Referral added (status: suggested). u sets a follow-up date.")
            self.refresh_rows()

    def action_status(self, status: str) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        referrals.update(self.vault, chosen.id, status=status)
        self.say(f"Status: {status}.")
        self.refresh_rows()

    def _ask(self, mode: str, label: str, placeholder: str, consent: bool = False) -> None:
        self._mode = mode
        self.query_one("#referrals-ask-label", Static).update(label)
        select = self.query_one("#referrals-consent", Select)
        select.display = consent
        if consent:
            options = [(f"Under the consent for {c.recipient} · "
                        f"{labels(c.kinds) if c.kinds else 'it covers nothing yet'}", c.id)
                       for c in referrals.current_consents(self.vault, self.participant_id)]
            select.set_options(options)
            if options:
                select.value = options[0][1]
        field = self.query_one("#referrals-input", Input)
        field.value, field.placeholder = "", placeholder
        self.query_one("#referrals-ask").remove_class("hidden")
        field.focus()

    def action_follow_up(self) -> None:
        if self.selected() is not None:
            self._ask("follow_up", "Follow up on: ", "YYYY-MM-DD (empty clears), Enter")

    @work
    async def action_details(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if await self.app.push_screen_wait(HandoffForm(chosen)):
            self.say("Handoff details saved: they go in the packet as far as the consent covers.")
            self.refresh_rows()

    def action_packet(self) -> None:
        if self.selected() is None:
            return
        if not referrals.current_consents(self.vault, self.participant_id):
            self.say("Not sent: no current consent on file (c on the person's page adds one).")
            return
        self._ask("packet", "To: ", "~/referral.html or .md; Enter writes", consent=True)

    def action_accounting(self) -> None:
        self._ask("accounting", "Save as: ", "file name, e.g. ~/disclosures.md; Enter writes")

    @on(Input.Submitted, "#referrals-input")
    def _answer(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            if self._mode == "follow_up":
                chosen = self.selected()
                assert chosen is not None
                referrals.update(self.vault, chosen.id, follow_up_on=text or None)
                self.say(f"Follow-up {'set to ' + text if text else 'cleared'}.")
            elif text and self._mode == "packet":
                self._write_packet(text)
            elif text and self._mode == "accounting":
                from pathlib import Path

                person = participants.get(self.vault, self.participant_id, audited=False)
                write_recorded(self.vault, Path(text), accounting(person.alias, referrals.disclosures(
                    self.vault, self.participant_id), dt.date.today()), lambda: self.vault.audit(
                    "disclosures accounted", "participant", self.participant_id))
                self.say(f"Wrote {text}.")
            else:
                return
        except CoachdeskError as exc:
            self.say(f"Not saved: {exc}")
            return
        self._close_ask()
        self.refresh_rows()

    def _write_packet(self, text: str) -> None:
        from pathlib import Path

        consent_id = self.query_one("#referrals-consent", Select).value
        chosen = self.selected()
        if chosen is None or consent_id is Select.NULL:
            raise CoachdeskError("choose the consent this disclosure is made under")
        path = Path(text).expanduser()
        fmt = format_for(path)
        if fmt is None:
            raise CoachdeskError("the name must end in .html or .md")
        person = participants.get(self.vault, self.participant_id, audited=False)
        export_packet(self.vault, person, chosen.id, str(consent_id), fmt, path)
        self.say(f"Wrote {text}; the disclosure is in the log.")

    def _close_ask(self) -> None:
        self._mode = ""
        self.query_one("#referrals-ask").add_class("hidden")
        self.query_one(RecordTable).focus()

    def action_back(self) -> None:
        if self._mode:
            self._close_ask()
            return
        self.dismiss()


class HandoffForm(CoachdeskScreen[bool]):
    """What a warm-handoff packet says of a referral besides the service: why, and how the
    person likes to be reached. Returns True once saved."""

    TITLE = "Handoff details"
    HELP = ("What the service needs to reach the person well. Ask the person: may they\n"
            "leave a message? When is the best time? Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="handoff.save", tooltip="Save the handoff details"),
        Binding("escape", "cancel", "Cancel", id="handoff.cancel", tooltip="Leave without saving"),
    ]

    def __init__(self, referral: referrals.ReferralView) -> None:
        super().__init__()
        self.referral = referral

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Handoff to {escape(self.referral.resource_name)}[/b]", id="form-title")
        with Grid(id="form"):
            yield Label("Why this referral")
            yield Input(self.referral.reason, id="handoff-reason", compact=True, max_length=300,
                        placeholder="in the person's words where you can")
            yield Label("Leave a message?")
            yield Select([(text, m.value or "unknown") for m, text in MESSAGE_OK_TEXT.items()],
                         value=self.referral.message_ok or "unknown", allow_blank=False,
                         id="handoff-message", compact=True)
            yield Label("Best time to call")
            yield Input(self.referral.best_time, id="handoff-time", compact=True, max_length=60,
                        placeholder="e.g. weekday mornings")
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#handoff-reason", Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        message = str(self.query_one("#handoff-message", Select).value)
        changes = {"reason": self.query_one("#handoff-reason", Input).value,
                   "message_ok": MessageOk("" if message == "unknown" else message).value,
                   "best_time": self.query_one("#handoff-time", Input).value}

        def save() -> bool:
            referrals.update(self.vault, self.referral.id, **changes)
            return True

        self.close_with(save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)
