"""Ask where to write the printable plan, then write it there and only there."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from coachdesk.export.plan import export_plan, format_for
from coachdesk.models.consent_kinds import labels
from coachdesk.store import participants
from coachdesk.tui.screens.base import CoachdeskModal
from coachdesk.tui.widgets.key_line import KeyLine


class ExportPlanScreen(CoachdeskModal[str | None]):
    """Returns the path written, or None."""

    TITLE = "Export plan"
    HELP = (
        "Type the file to write: a name ending in .html (prints well\n"
        "from a browser) or .md. Nothing is written anywhere else;\n"
        "an existing file is never replaced."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Leave without writing"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__()
        self.participant_id = participant_id

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static("[b]Write the printable plan to a file[/b]")
            yield Static("Who is it for? Outside the program needs a current consent: the copy "
                         "holds only the kinds it covers, carries the redisclosure notice, and "
                         "the disclosure is logged.", classes="explain")
            yield Select(self._audiences(), value="", allow_blank=False, id="export-for",
                         compact=True)
            yield Static("File name ending in .html or .md (Enter writes):", classes="explain")
            yield Input(id="export-path", placeholder="~/plan.html", compact=True, max_length=400)
            yield Static("", id="export-message", classes="error")
        yield KeyLine()

    def _audiences(self) -> list[tuple[str, str]]:
        from coachdesk.store import referrals  # on demand: start-up speed

        vault = self.vault
        return [("the person / my own program", ""), *(
            (f"{c.recipient} · {labels(c.kinds) if c.kinds else 'covers nothing yet'}"[:60], c.id)
            for c in referrals.current_consents(vault, self.participant_id))]

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _write(self, event: Input.Submitted) -> None:
        message = self.query_one("#export-message", Static)
        text = event.value.strip()
        if not text:
            message.update("Type a file name first.")
            return
        path = Path(text).expanduser()
        fmt = format_for(path)
        if fmt is None:
            message.update("The name must end in .html or .md.")
            return
        audience = str(self.query_one("#export-for", Select).value or "")

        def write() -> str:
            person = participants.get(self.vault, self.participant_id, audited=False)
            return str(export_plan(self.vault, person, fmt, path, consent_id=audience or None))

        self.close_with(write, "#export-message", "Not written")

    def action_cancel(self) -> None:
        self.dismiss(None)
