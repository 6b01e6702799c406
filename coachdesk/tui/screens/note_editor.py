"""The note editor: a compact header and the body. The body autosaves (locally, in the
vault) at least every 2 s while it changes and 1 s after typing stops (tui/autosave.py),
and on leaving, locking and quitting; F10 finalizes. A save that fails (a full disk) is
shown above the body and tried again; the text stays on screen.

A new note is written at its first change (a key in the body or the header): opening
the editor and leaving leaves nothing. Ctrl+D discards a draft (asked once). Template
guidance shows dimmed above the body, for the section the cursor is in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import Input, Select, Static, TextArea

from coachdesk.errors import CoachdeskError
from coachdesk.models import action_syntax, templates
from coachdesk.models.note import ContactType, NoteRow, Setting, missing_for_report
from coachdesk.store import notes
from coachdesk.store.db import DatabaseError, disk_full_is_an_error
from coachdesk.tui.autosave import AutosaveThrottle, attempt
from coachdesk.tui.format import short_time
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.note_view import NoteView
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.note_body import NoteBody
from coachdesk.tui.widgets.tickbox import TickBox

if TYPE_CHECKING:
    from coachdesk.tui.app import CoachdeskApp


class NoteEditor(CoachdeskScreen[str | None]):
    """Returns the note id when finalized, None when left (the draft is kept)."""

    TITLE = "Session note"
    HELP = (
        "Header: when (YYYY-MM-DD HH:MM), minutes, setting, contact\n"
        "type, read back, template. The body saves itself while you\n"
        "type, and on Esc, lock and quit. F10 twice finalizes (it\n"
        "asks for minutes, setting and type if missing); then the\n"
        "note cannot change (corrections are addenda). Ctrl+D\n"
        "discards the draft. Dimmed lines above the text are hints.\n"
        + escape(action_syntax.SYNTAX_HELP)
        + "\nItems are created when the note is finalized."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="note.leave", tooltip="Save the draft and go back"),
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the draft now"),
        Binding("f10", "finalize", "Finalize", id="note.finalize",
                tooltip="Finalize (press twice): the note is then locked"),
        Binding("ctrl+d", "discard", "Discard", id="note.discard", priority=True,
                tooltip="Throw this draft away (asks first)"),
    ]

    def __init__(self, note_id: str = "", *, new: NoteRow | None = None) -> None:
        """An existing note by its id, or `new`: a note from `notes.blank()`, written
        only when something in it changes."""
        super().__init__()
        self.note_id = note_id
        self._new = new
        self._guide = templates.Template("")
        self._person = ""  # the person's name (initials in discreet mode)
        self._participant = ""
        self.autosave = AutosaveThrottle(self, self._write)
        self._dirty = False
        self._header_dirty = False
        self._finalize_armed = False
        self._leave_armed = False
        self._loading = True
        self._placed = ""
        """The body as the editor put it in a new note (a template's text): not typing."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="note-head1"):
            yield Input(id="note-when", compact=True, placeholder="YYYY-MM-DD HH:MM")
            yield Input(id="note-minutes", compact=True, placeholder="min", type="integer")
            yield Select([(s.value, s.value) for s in Setting], id="note-setting",
                         compact=True, prompt="setting")
            yield Select([(c.value, c.value) for c in ContactType], id="note-contact",
                         compact=True, prompt="contact type")
        with Horizontal(id="note-head2"):
            yield TickBox("read back", id="note-readback", compact=True)
            yield Select([(label, key) for key, label in templates.available().items()],
                         id="note-template", compact=True, allow_blank=False)
            yield Static("", id="note-who")
            yield Static("", id="note-status")
        yield Static("", id="note-problem", classes="error")
        yield Static("", id="note-guide")
        yield NoteBody("", id="note-body", soft_wrap=True, tab_behavior="focus", compact=True)
        yield KeyLine(compact=True)  # every key, the panic key's label whole, at 80 columns

    def on_mount(self) -> None:
        vault = self.vault
        if self._new is not None:
            self._show(self._new)
            self.call_after_refresh(self._loaded)
            return
        note = self.load_or_close(lambda vault: notes.get(vault, self.note_id))
        if note is None:
            return
        notes.viewed(vault, self.note_id)
        self._show(note)
        self.call_after_refresh(self._loaded)

    def _loaded(self) -> None:
        self._loading = False

    def _show(self, note: NoteRow) -> None:
        self.query_one("#note-when", Input).value = short_time(note.occurred_at)
        self.query_one("#note-minutes", Input).value = str(note.duration_min or "")
        for widget_id, value in (("#note-setting", note.setting),
                                 ("#note-contact", note.contact_type)):
            select = self.query_one(widget_id, Select)
            if value:
                select.value = value
            else:
                select.clear()
        self.query_one("#note-readback", TickBox).value = note.read_back
        template = self.query_one("#note-template", Select)
        if note.template in templates.available():
            template.value = note.template
        self._guide = templates.load(note.template)
        self._participant = note.participant_id
        self._show_who()
        area = self.query_one("#note-body", TextArea)
        self._placed = note.text
        area.load_text(note.text)
        area.focus()
        area.move_cursor(area.document.end)
        self._show_guide()
        self._say("new · not saved until you type" if self._new is not None
                  else f"draft · started {short_time(note.occurred_at)}")

    def _show_who(self) -> None:
        """Whose note it is, first in the header (initials in discreet mode)."""
        self._person = self.name_of(self._participant) if self._participant else ""
        self.query_one("#note-who", Static).update(f"[b]{escape(self._person)}[/b]")

    def redraw_names(self) -> None:
        if self._participant:
            self._show_who()

    @on(TextArea.SelectionChanged, "#note-body")
    def _show_guide(self) -> None:
        """The template's hint for the section the cursor is in (never in the body)."""
        guide = self.query_one("#note-guide", Static)
        area = self.query_one("#note-body", TextArea)
        text = (templates.guide_for(self._guide, area.document.lines, area.cursor_location[0])
                if self._guide.guidance else "")
        if text or guide.display:
            guide.update(escape(text))
            guide.display = bool(text)
            area.set_class(bool(text), "guided")

    def _say(self, text: str, error: bool = False, prompt: bool = False) -> None:
        """Status in the header; a problem, or a question (`prompt`), in full on a line of
        its own above the body."""
        problem = self.query_one("#note-problem", Static)
        problem.update(escape(text) if error or prompt else "")
        problem.display = error or prompt
        problem.set_class(prompt and not error, "prompt")
        if not (error or prompt):
            self.query_one("#note-status", Static).update(escape(f"· {text}"))

    def _write_new(self) -> bool:
        """Write a new note at its first change (True when it is written)."""
        if self.note_id:
            return True
        new = self._new
        if new is None:
            return False
        header = new.model_dump(mode="json", include=set(notes.HEADER_FIELDS))
        text = self.query_one("#note-body", TextArea).text
        try:
            with disk_full_is_an_error():
                self.note_id = notes.start(self.vault, new.participant_id, text, **header)
        except (CoachdeskError, DatabaseError) as exc:
            self._say(f"Not saved: {exc}", error=True)
            return False
        self._new = None
        self._say(f"draft · started {short_time(new.occurred_at)}")
        return True

    # ---- autosave -------------------------------------------------------------------
    @on(TextArea.Changed, "#note-body")
    def _typed(self) -> None:
        self._finalize_armed = self._leave_armed = False
        if self._loading or (self._new is not None
                             and self.query_one("#note-body", TextArea).text == self._placed):
            return
        self._dirty = True
        self._write_new()
        self.autosave.changed()

    @on(Input.Changed)
    @on(Select.Changed, "#note-setting, #note-contact")
    @on(TickBox.Changed)
    def _header_changed(self) -> None:
        if not self._loading:
            self._header_dirty = True
            self._finalize_armed = self._leave_armed = False
            self._write_new()

    @on(Select.Changed, "#note-template")
    def _template(self, event: Select.Changed) -> None:
        """The template's text replaces a body that is empty or only the previous
        template's text, else it is added at the end. On a new note that is not typing:
        nothing is written until the coach types or changes the header."""
        if self._loading or not isinstance(event.value, str):
            return
        self._finalize_armed = self._leave_armed = False
        before = self._guide.body
        self._guide = templates.load(event.value)
        text = self._guide.body
        area = self.query_one("#note-body", TextArea)
        if self._new is not None:
            self._new = self._new.model_copy(update={"template": event.value})
        else:
            self._header_dirty = True
        if text.strip():
            if not area.text.strip() or area.text == before:
                area.load_text(text)
            else:
                area.move_cursor(area.document.end)
                area.insert("\n\n" + text)
            if self._new is not None:
                self._placed = area.text
            else:
                self._typed()
        self._show_guide()

    def _header(self) -> dict[str, object]:
        when = self.query_one("#note-when", Input).value.strip()
        try:
            parsed = dt.datetime.fromisoformat(when.replace(" ", "T"))
        except ValueError:
            raise CoachdeskError(f"when: {when!r} is not YYYY-MM-DD HH:MM") from None
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()
        minutes = self.query_one("#note-minutes", Input).value.strip() or "0"
        return {
            "occurred_at": parsed.isoformat(timespec="seconds"),
            "duration_min": minutes,
            "setting": _chosen(self.query_one("#note-setting", Select)),
            "contact_type": _chosen(self.query_one("#note-contact", Select)),
            "read_back": self.query_one("#note-readback", TickBox).value,
            "template": self.query_one("#note-template", Select).value,
        }

    def flush(self) -> bool:
        """Save what is unsaved now. True if all was saved; if not, the problem is shown
        above the body, the text stays, and the save is tried again on the next tick."""
        return self.autosave.flush()

    def _write(self) -> bool:
        """Body first, then the header (the autosave's save)."""
        vault = self.cd_app.vault
        if vault is None or not self.is_mounted:
            return False
        if not self.note_id and not (self._dirty or self._header_dirty):
            return True  # a new note nobody has touched: nothing to save
        if not self._write_new():
            return False
        if self._dirty:
            body = self.query_one("#note-body", TextArea).text
            problem = attempt(lambda: notes.save_draft(vault, self.note_id, body))
            if problem is not None:
                self._say(f"Not saved: {problem}", error=True)
                return False
            self._dirty = False
        if self._header_dirty:
            problem = attempt(lambda: notes.save_header(vault, self.note_id, self._header()))
            if problem is not None:
                self._say(f"Not saved: {problem}", error=True)
                return False
            self._header_dirty = False
        self._say(f"draft · saved {dt.datetime.now():%H:%M:%S}")
        return True

    def on_screen_suspend(self) -> None:
        self.flush()

    def on_unmount(self) -> None:
        self.autosave.cancel()

    # ---- actions --------------------------------------------------------------------
    def action_save(self) -> None:
        if not self.note_id and not self.query_one("#note-body", TextArea).text.strip():
            self._say("nothing to save yet")
            return
        self._dirty = True
        self.flush()

    def action_leave(self) -> None:
        if self.flush() or self._leave_armed:
            self._drop_if_empty()
            self.dismiss(None)
            return
        self._leave_armed = True
        if self._dirty:  # the body itself could not be saved (a full disk)
            self.notify("The latest text of the note is not saved (see the top line). "
                        "Esc again leaves without it.", severity="warning")
        else:
            self.notify("Something was not saved (see the top line). Esc again leaves "
                        "anyway; the text of the note is kept.", severity="warning")

    def _drop_if_empty(self) -> None:
        """Leaving a draft with nothing written in it: no empty draft is kept."""
        vault = self.cd_app.vault
        text = self.query_one("#note-body", TextArea).text
        if vault is None or not self.note_id or templates.strip_guidance(text).strip():
            return
        try:
            notes.discard(vault, self.note_id)
        except (CoachdeskError, DatabaseError):
            return
        self.app.notify("The note was empty, so it is not kept.")

    def action_discard(self) -> None:
        if not self.note_id:
            self.dismiss(None)
            self.app.notify("Nothing was saved.")
            return
        from coachdesk.tui.screens.note_discard import DiscardQuestion  # on demand: start-up speed

        self.app.push_screen(DiscardQuestion(), callback=self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        vault = self.cd_app.vault
        if not discard or vault is None:
            return
        self.autosave.cancel()
        self._dirty = self._header_dirty = False
        try:
            notes.discard(vault, self.note_id)
        except (CoachdeskError, DatabaseError) as exc:
            self._say(f"Not discarded: {exc}", error=True)
            return
        self.dismiss(None)
        self.app.notify("Draft discarded.")

    def action_finalize(self) -> None:
        vault = self.vault
        body = self.query_one("#note-body", TextArea).text
        if self._new is not None:  # nothing written yet: check before writing anything
            try:
                notes.check_finalizable(vault, self._new, body,
                                        dt.date.fromisoformat(self._new.occurred_at[:10]))
            except CoachdeskError as exc:
                self._say(str(exc), error=True)
                return
        self._dirty = True
        if not self.flush():
            return
        try:
            note = notes.get(vault, self.note_id)
            today = dt.date.fromisoformat(note.occurred_at[:10])
            items = notes.check_finalizable(vault, note, body, today)
        except CoachdeskError as exc:
            self._finalize_armed = False
            self._say(str(exc), error=True)
            return
        if missing_for_report(note):
            from coachdesk.tui.screens.note_finalize import FinalizeForm  # on demand: start-up speed

            self.app.push_screen(
                FinalizeForm(self._person, short_time(note.occurred_at), note,
                             notes.last_used(vault), len(items)),
                callback=self._form_done)
            return
        if not self._finalize_armed:
            self._finalize_armed = True
            self._say(f"F10 again finalizes ({len(items)} action items); then it is locked",
                      prompt=True)
            return
        self._finalize(body, today)

    def _form_done(self, header: dict[str, object] | None) -> None:
        vault = self.cd_app.vault
        if header is None or vault is None:
            self._say("not finalized: the draft is kept")
            return
        try:
            notes.save_header(vault, self.note_id, header)
            note = notes.get(vault, self.note_id)
        except CoachdeskError as exc:
            self._say(str(exc), error=True)
            return
        self._loading = True  # show what was chosen without marking the header changed
        self.query_one("#note-minutes", Input).value = str(note.duration_min)
        self.query_one("#note-setting", Select).value = note.setting
        self.query_one("#note-contact", Select).value = note.contact_type
        self.call_after_refresh(self._loaded)
        self._finalize(self.query_one("#note-body", TextArea).text,
                       dt.date.fromisoformat(note.occurred_at[:10]))

    def _finalize(self, body: str, today: dt.date) -> None:
        try:
            created = notes.finalize(self.vault, self.note_id, body, today)
        except CoachdeskError as exc:
            self._finalize_armed = False
            self._say(str(exc), error=True)
            return
        self.dismiss(self.note_id)
        self.app.notify(f"Note finalized; {len(created)} action item{'s' * (len(created) != 1)}.")


def _chosen(select: Select[str]) -> str:
    """A header choice, '' while none is made."""
    return select.value if isinstance(select.value, str) else ""


# ---- opening notes (used by the App) ---------------------------------------------------
def start_note(app: CoachdeskApp, participant_id: str, text: str = "", **header: Any) -> None:
    """Continue the person's unfinished draft (adding `text`), or open a new note,
    written only once something changes. A note with a `header` of its own (its time,
    setting, contact type: a crisis) is always a new note, never added to another."""
    vault = app.vault
    if vault is None:
        return
    try:
        mine = [d for d in notes.drafts(vault) if d.participant_id == participant_id]
        if mine and not header:
            if text:
                notes.save_draft(vault, mine[0].id, mine[0].text.rstrip() + "\n\n" + text)
            app.notify("Continuing the unfinished note.")
            app.push_screen(NoteEditor(mine[0].id))
            return
        new = notes.blank(vault, participant_id, text, **header)
    except CoachdeskError as exc:
        app.notify(f"No note: {exc}.", severity="error")
        return
    app.push_screen(NoteEditor(new=new))


def open_note(app: CoachdeskApp, note_id: str) -> None:
    vault = app.vault
    if vault is None:
        return
    try:
        note = notes.get(vault, note_id)
    except CoachdeskError as exc:
        app.notify(f"Cannot open: {exc}.", severity="error")
        return
    if note.is_final or note.draft_body is None:
        app.push_kept(NoteView, note_id)
    else:
        app.push_screen(NoteEditor(note_id))


def tell_unfinished(app: CoachdeskApp) -> None:
    """After unlock: say how many notes are unfinished on this device (no names)."""
    vault = app.vault
    if vault is None:
        return
    count = len(notes.drafts(vault))
    if count:
        app.notify(f"{count} unfinished note{'s' * (count != 1)}, marked 'draft' in the "
                   "list: select the person, Ctrl+O continues.", timeout=8)
    from coachdesk.store import addendum_drafts, plan_drafts  # on demand: start-up speed

    kept = []
    if people := plan_drafts.count(vault):
        kept.append(f"the plan of {people} {'person' if people == 1 else 'people'} "
                    "(p on their page continues it)")
    if added := addendum_drafts.count(vault):
        kept.append(f"{added} addend{'um' if added == 1 else 'a'} (a on the note continues)")
    if kept:
        app.notify("Unsaved text kept: " + "; ".join(kept) + ".", timeout=8)
