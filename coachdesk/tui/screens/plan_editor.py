"""The wellness plan editor: the whole plan as plain text (format in models/plan_text.py).

Ctrl+S checks every line; with any problem, the lines are listed and nothing is saved.
A save is a new revision whose parent is the revision the editor opened.
While the coach types, the text is kept as a local draft (store/plan_drafts.py, autosaved
by tui/autosave.py): a lock, the panic key or a crash does not lose it, and the editor
opens on it next time. Ctrl+S (a revision) or Esc twice (dropped) removes it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import Static, TextArea

from coachdesk.errors import CoachdeskError
from coachdesk.models.plan import Plan
from coachdesk.models.plan_text import HINT, PlanTextError, format_plan, parse_plan
from coachdesk.store import plan_drafts, plans
from coachdesk.store.plans import NothingChanged
from coachdesk.store.vault import Vault
from coachdesk.tui.autosave import attempt, saved_time
from coachdesk.tui.screens.draft_text import DraftTextScreen
from coachdesk.tui.widgets.key_line import KeyLine

MAX_PROBLEMS_SHOWN = 3


class PlanEditor(DraftTextScreen[str | None]):
    """Returns the new revision's id when saved, None when left."""

    TITLE = "Wellness plan"
    HELP = (
        "Sections start with '## '. Under Health, Home, Purpose and\n"
        "Community: '- goal', then its steps, indented (Tab):\n"
        "  '  - \\[participant] what (by 2026-03-01)'\n"
        "  (who: participant, coach or other; the date is optional).\n"
        "Supports, crisis contacts: '- name: how to reach'.\n"
        "Every other section: '- item'. A line starting with one #\n"
        "is a note to yourself and is not saved. Ctrl+S saves a new\n"
        "revision; problems are listed by line, nothing is saved.\n"
        "What you type is kept as a draft (also through a lock)\n"
        "until Ctrl+S saves it or Esc twice drops it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="plan.save", tooltip="Check and save a new revision"),
        Binding("escape", "leave", "Back", id="plan.leave",
                tooltip="Leave (asks again if there are unsaved changes)"),
        Binding("tab", "indent", "Indent", id="plan.indent", show=False,
                tooltip="Insert two spaces (a step under a goal)"),
    ]

    def __init__(self, participant_id: str, parent_id: str = "") -> None:
        super().__init__()
        self.participant_id = participant_id
        self.parent_id = parent_id
        self._saved_text = ""
        self._leave_armed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-status")
        yield Static("", id="plan-draft")
        yield Static(escape(HINT), id="plan-hint", classes="explain")
        yield TextArea("", id="plan-text", soft_wrap=True, show_line_numbers=True,
                       tab_behavior="focus", compact=True)
        yield Static("", id="plan-problems", classes="error")
        yield KeyLine()

    def on_mount(self) -> None:
        vault = self.vault
        state = plans.state(vault, self.participant_id)
        draft = plan_drafts.get(vault, self.participant_id)
        if draft is not None and (draft.parent_id == self.parent_id
                                  or state.by_id(draft.parent_id) is not None):
            self.parent_id = draft.parent_id  # the revision the draft was edited from
        base = state.by_id(self.parent_id) if self.parent_id else None
        plan = base.plan if base else Plan()
        if base is not None:
            plans.viewed(vault, self.participant_id, base.id, "plan opened for editing")
        status = (f"Editing the plan of {base.created_at[:10]} ({len(state.revisions)} revisions)"
                  if base else "New plan: write it together, Ctrl+S saves")
        if state.diverged and base is not None:
            status = (f"! Diverged: {len(state.heads)} versions. Saving this one replaces the "
                      "others; their changes are in history (h) to type in.")
        self.query_one("#plan-status", Static).update(escape(status))
        self.query_one("#plan-status", Static).set_class(state.diverged, "warning")
        self._saved_text = format_plan(plan)
        if draft is not None and draft.body == self._saved_text:
            attempt(lambda: plan_drafts.discard(vault, self.participant_id))
            draft = None
        area = self.query_one("#plan-text", TextArea)
        area.load_text(draft.body if draft else self._saved_text)
        area.focus()
        if draft is None:
            area.move_cursor((0, len(area.document.get_line(0))))
            self._say_draft("")
        else:
            area.move_cursor(area.document.end)
            older = (" (edited from an older revision)"
                     if state.current is not None and self.parent_id != state.current.id else "")
            self._say_draft(f"Restored your unsaved draft from {saved_time(draft.saved_at)}{older}.")
        self.call_after_refresh(self._loaded)

    def _say_draft(self, text: str, error: bool = False) -> None:
        """The draft's state under the status line: restored, or why it is not saved."""
        line = self.query_one("#plan-draft", Static)
        line.update(escape(text))
        line.set_class(error, "error")
        line.display = bool(text)
        self._draft_error = error

    # ---- the draft ------------------------------------------------------------------
    def on_text_area_changed(self) -> None:
        """A change disarms Esc; then DraftTextScreen's handler (Textual calls each
        class's own) marks the text for the autosave."""
        self._leave_armed = False

    def _save_draft(self, vault: Vault) -> None:
        text = self.query_one("#plan-text", TextArea).text
        if text == self._saved_text:  # typed back to the saved plan: nothing to keep
            plan_drafts.discard(vault, self.participant_id)
        else:
            plan_drafts.save(vault, self.participant_id, self.parent_id, text)

    def _drop_draft(self) -> None:
        """Leaving on purpose without saving: the draft goes too (if the disk lets us;
        if not, it is offered again next time, which loses nothing)."""
        self.autosave.forget()
        vault = self.cd_app.vault
        if vault is not None:
            attempt(lambda: plan_drafts.discard(vault, self.participant_id))

    def action_indent(self) -> None:
        self.query_one("#plan-text", TextArea).insert("  ")

    def _problems(self, lines: list[str]) -> None:
        self.query_one("#plan-problems", Static).update(escape("\n".join(lines)))

    def action_save(self) -> None:
        area = self.query_one("#plan-text", TextArea)
        try:
            plan = parse_plan(area.text)
        except PlanTextError as exc:
            shown = [f"Not saved: {p}" for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
            if len(exc.problems) > MAX_PROBLEMS_SHOWN:
                shown.append(f"... and {len(exc.problems) - MAX_PROBLEMS_SHOWN} more problems")
            self._problems(shown)
            if exc.problems[0].line:
                area.move_cursor((exc.problems[0].line - 1, 0))
            return
        vault = self.vault
        try:
            revision = plan_drafts.save_revision(vault, self.participant_id, plan, self.parent_id)
        except NothingChanged:
            self._problems(["Nothing changed: no new revision saved."])
            return
        except CoachdeskError as exc:
            self._problems([f"Not saved: {exc}"])
            return
        self.autosave.forget()
        self.dismiss(revision)

    def action_leave(self) -> None:
        area = self.query_one("#plan-text", TextArea)
        if area.text == self._saved_text or self._leave_armed:
            self._drop_draft()
            self.dismiss(None)
            return
        self._leave_armed = True
        self._problems(["Unsaved changes: Esc again drops them, Ctrl+S saves a revision."])
