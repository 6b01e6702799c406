"""Consents to disclose (42 CFR Part 2): the list, add one, pick the kinds of information
it covers (assets/consent/kinds.toml), record a revocation. A consent saved before kinds
existed covers nothing until the coach picks them, and its page says so."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.dom import DOMNode
from textual.markup import escape
from textual.widgets import DataTable, Input, Label, Static

from coachdesk.errors import CoachdeskError
from coachdesk.models.consent import ConsentRow, consent_warning, status_text
from coachdesk.models.consent_kinds import kinds
from coachdesk.store import consents
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.record_table import RecordTable
from coachdesk.tui.widgets.tickbox import TickBox

KINDS_CSS = """
.consent-kinds { grid-size: 3; grid-columns: 1fr 1fr 1fr; grid-rows: 1; height: auto; margin: 0 1; }
.consent-kinds-label { margin: 1 1 0 1; color: $text-muted; }
"""


def kind_ticks(chosen: list[str]) -> ComposeResult:
    """A tick box per kind of information (ids kind-<id>), ticked where `chosen` has it."""
    yield Static("It covers (tick what the signed form names; nothing else is ever sent):",
                 classes="consent-kinds-label")
    with Grid(classes="consent-kinds"):
        for kind in kinds().values():
            yield TickBox(kind.label, value=kind.id in chosen, id=f"kind-{kind.id}", compact=True,
                          tooltip=kind.describes)


def ticked(screen: DOMNode) -> list[str]:
    return [k for k in kinds() if screen.query_one(f"#kind-{k}", TickBox).value]


class ConsentScreen(CoachdeskScreen[None]):
    TITLE = "Consents"
    HELP = (
        "Each consent names who may receive what information, why,\n"
        "and until when (a date or an event). k picks the kinds of\n"
        "information it covers: a copy for its recipient holds those\n"
        "and nothing else (none picked: nothing can be sent). r, pressed twice,\n"
        "records that the selected consent was revoked (or its end\n"
        "event happened) today. The page warns when none is current."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="consents.add", tooltip="Record a signed consent"),
        Binding("k", "kinds", "Kinds", id="consents.kinds",
                tooltip="Pick the kinds of information the selected consent covers"),
        Binding("r", "revoke", "Revoke", id="consents.revoke",
                tooltip="Record that the selected consent was revoked today (press twice)"),
        Binding("escape", "back", "Back", id="consents.back", tooltip="Back to the participant"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.rows: list[ConsentRow] = []
        self._revoke_armed: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="consent-status")
        yield RecordTable(("Recipient", 22, "recipient"), ("Purpose", 24, "purpose"),
                          ("Status", 26, "status"), id="consent-table")
        yield Static("", id="consent-detail")
        yield Static("", id="consent-message", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.refresh_rows()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def redraw_names(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        today = dt.date.today()
        self.rows = consents.for_participant(vault, self.participant_id)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(self.secret(row.recipient, row.id), self.secret(row.purpose, row.id),
                          self.consent_status(row, today), key=row.id)
        if 0 < keep < table.row_count:
            table.move_cursor(row=keep)
        warning = consent_warning(self.rows, today)
        status = self.query_one("#consent-status", Static)
        status.update(escape(f"! {warning}" if warning else f"{len(self.rows)} on file"))
        status.set_class(bool(warning), "warning")
        self._show_detail()

    def consent_status(self, row: ConsentRow, today: dt.date) -> str:
        """Its status; "until" an event (the person's own) hidden in discreet mode."""
        text = status_text(row, today)
        if row.expiry_event and self.hides(row.id):
            text = text.replace(row.expiry_event, HIDDEN)
        return text

    def selected(self) -> ConsentRow | None:
        if not self.rows:
            return None
        index = min(max(self.query_one(DataTable).cursor_row, 0), len(self.rows) - 1)
        return self.rows[index]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self.selected()
        self._revoke_armed = None
        detail = self.query_one("#consent-detail", Static)
        if row is None:
            detail.update("No consent on file. Press a to record one.")
            return
        until = row.expires_on.isoformat() if row.expires_on else self.secret(row.expiry_event, row.id)

        def shown(text: str) -> str:
            return self.secret(text, row.id)

        covers = (f"Covers: {shown(row.covered_text())}" if row.kinds else
                  "Covers: nothing yet (saved before kinds existed): press k to pick what it covers")
        detail.update(escape(
            f"To: {shown(row.recipient)}\nWhy: {shown(row.purpose)}\n{covers}\n"
            f"The form says: {shown(row.information)}\n"
            f"Signed {row.signed_on.isoformat()}, until {until}"
            + (f", revoked {row.revoked_on.isoformat()}" if row.revoked_on else "")))

    def action_add(self) -> None:
        self.app.push_screen(ConsentForm(self.participant_id))

    def action_kinds(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(ConsentKindsForm(row))

    def action_revoke(self) -> None:
        row = self.selected()
        message = self.query_one("#consent-message", Static)
        if row is None:
            return
        if self._revoke_armed != row.id:
            self._revoke_armed = row.id
            message.update("Press r again to record that this consent was revoked today.")
            return
        try:
            consents.revoke(self.vault, row.id, dt.date.today())
        except CoachdeskError as exc:
            message.update(f"Not changed: {exc}")
            return
        message.update("")
        self.refresh_rows()

    def action_back(self) -> None:
        self.dismiss(None)


class ConsentForm(CoachdeskScreen[str | None]):
    DEFAULT_CSS = KINDS_CSS
    TITLE = "New consent"
    HELP = (
        "Fill in what the signed form says. Give an expiry date\n"
        "(YYYY-MM-DD) or the event that ends the consent (e.g. 'end\n"
        "of treatment'). Tab moves, Ctrl+S saves, Esc cancels."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="consent.save", tooltip="Save this consent"),
        Binding("escape", "cancel", "Cancel", id="consent.cancel", tooltip="Leave without saving"),
    ]

    FIELDS: ClassVar[list[tuple[str, str, str]]] = [
        ("recipient", "Recipient", "who may receive the information"),
        ("purpose", "Purpose", "why it is shared"),
        ("information", "What information", "as the signed form words it"),
        ("signed_on", "Signed on", "YYYY-MM-DD"),
        ("expires_on", "Expires on", "YYYY-MM-DD, or leave empty and name an event"),
        ("expiry_event", "Or ends when", "e.g. end of treatment"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id

    def compose(self) -> ComposeResult:
        yield Static("[b]New consent to disclose[/b]", id="form-title")
        with Grid(id="form"):
            for key, label, hint in self.FIELDS:
                yield Label(label)
                value = dt.date.today().isoformat() if key == "signed_on" else ""
                yield Input(value, id=key, placeholder=hint, compact=True, max_length=300)
        yield from kind_ticks([])
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#recipient", Input).focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        data: dict[str, object] = {key: self.query_one(f"#{key}", Input).value.strip()
                                   for key, _, _ in self.FIELDS}
        data["kinds"] = ticked(self)

        def save() -> str:
            consents.validate({**data, "participant_id": self.participant_id})  # its words first
            if not data["kinds"]:
                raise CoachdeskError("tick the kinds of information the signed form names")
            return consents.add(self.vault, self.participant_id, data)

        self.close_with(save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConsentKindsForm(CoachdeskScreen[bool]):
    """Pick the kinds of information a consent covers (an old consent has none)."""

    DEFAULT_CSS = KINDS_CSS
    TITLE = "What the consent covers"
    HELP = ("Tick what the signed form names. A copy for the recipient holds\n"
            "those kinds and nothing else. Space ticks, Ctrl+S saves, Esc leaves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="consent_kinds.save", tooltip="Save the kinds"),
        Binding("escape", "cancel", "Cancel", id="consent_kinds.cancel",
                tooltip="Leave without saving"),
    ]

    def __init__(self, consent: ConsentRow) -> None:
        super().__init__()
        self.consent = consent

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Consent to {escape(self.consent.recipient)}[/b]", id="form-title")
        yield Static(escape(f"The form says: {self.consent.information}"), classes="consent-kinds-label")
        yield from kind_ticks(self.consent.kinds)
        yield Static("", id="error", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query(TickBox).first().focus()

    def action_save(self) -> None:
        def save() -> bool:
            consents.set_kinds(self.vault, self.consent.id, ticked(self))
            return True

        self.close_with(save, "#error")

    def action_cancel(self) -> None:
        self.dismiss(False)
