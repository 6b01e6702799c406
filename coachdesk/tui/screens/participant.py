"""The participant page: who the person is, consent, plan at a glance, recovery capital.

Opening it is a view of the participant's record and is audited (participants.get).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from coachdesk.errors import CoachdeskError
from coachdesk.models import SAFETY_FLAGS, ParticipantRow
from coachdesk.models.assessment import Instrument, load_instrument
from coachdesk.models.consent import ConsentRow, consent_warning, is_current, status_text
from coachdesk.models.followup import HARD_TO_REACH, describe, local_at
from coachdesk.models.plan import DIMENSIONS
from coachdesk.store import (
    action_items,
    assessments,
    consents,
    followups,
    notes,
    participants,
    plans,
)
from coachdesk.store.plans import PlanState
from coachdesk.tui.screens.base import HIDDEN, KeptPage
from coachdesk.tui.screens.checkin import CheckinScreen
from coachdesk.tui.screens.consents import ConsentScreen
from coachdesk.tui.screens.export_plan import ExportPlanScreen
from coachdesk.tui.screens.flags import FlagsScreen
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.plan_editor import PlanEditor
from coachdesk.tui.screens.plan_history import PlanHistoryScreen
from coachdesk.tui.screens.roster import KIND_SHORT
from coachdesk.tui.widgets.key_line import KeyLine
from coachdesk.tui.widgets.key_strip import KeyStrip

BARC10 = "barc10"
BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[int], low: int, high: int) -> str:
    """Totals as a line of bars from `low` (lowest bar) to `high` (highest)."""
    span = max(1, high - low)
    return "".join(BARS[min(len(BARS) - 1, max(0, (v - low) * len(BARS) // (span + 1)))]
                   for v in values)


def _warning(text: str) -> str:
    return f"[$warning b]{text}[/]"
PAGE = "page"
"""The one "row" of this page: the reveal key (discreet mode) shows all of it."""


def engagement_weeks(intake: dt.date, today: dt.date) -> int:
    return max(0, (today - intake).days // 7)


class ParticipantScreen(KeptPage):
    TITLE = "Participant"
    HELP = (
        "One page about one person; Up / Down / PgDn scroll it.\n"
        "Warnings (no current consent, a plan edited in two places)\n"
        "start with '!'. Every opening of this page is audited.\n"
        "A: its coaches, primary and secondary (a supervisor's key).\n"
        "g: the funder's interview windows and recovery-support fields.\n"
        "Discreet mode (F2) hides flags, pathway, consents, plan, notes\n"
        "and items here: Ctrl+E shows the page (Ctrl+E again hides it)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="participant.back", tooltip="Back to the roster",
                show=False),
        Binding("o", "note", "Note", id="participant.note",
                tooltip="Write a session note (or continue the unfinished one)"),
        Binding("n", "notes", "Notes", id="participant.notes", show=False,
                tooltip="All notes of this person"),
        Binding("e", "edit", "Edit", id="participant.edit", tooltip="Edit the profile"),
        Binding("p", "plan", "Plan", id="participant.plan", tooltip="Edit the wellness plan"),
        Binding("h", "history", "History", id="participant.history", show=False,
                tooltip="Plan revisions and what changed"),
        Binding("c", "consents", "Consent", id="participant.consents",
                tooltip="Consents to disclose: add or revoke", show=False),
        Binding("b", "checkin", "BARC", id="participant.checkin",
                tooltip="Recovery capital check-in (ten statements)", show=False),
        Binding("f", "flags", "Flags", id="participant.flags", show=False,
                tooltip="Set or clear safety flags"),
        Binding("u", "followups", "Calls", id="participant.followups",
                tooltip="Check-in schedules and calls: log one with 1-5"),
        Binding("r", "referrals", "Referrals", id="participant.referrals",
                tooltip="Referrals to services, packets and the accounting of disclosures"),
        Binding("x", "export", "Export", id="participant.export",
                tooltip="Write the printable plan to a file you name", show=False),
        Binding("g", "program", "Program", id="participant.program", show=False,
                tooltip="Funder interview windows and recovery-support fields"),
        Binding("A", "assign", "Assign", id="participant.assign", show=False,
                tooltip="Coaches for this person: primary, secondary (supervisors)"),
        Binding("M", "merge", "Merge a duplicate", id="participant.merge", show=False,
                tooltip="Merge another record of this person into this one"),
    ]

    def __init__(self, participant_id: str) -> None:
        super().__init__(participant_id)
        self.participant_id = participant_id
        self.person: ParticipantRow | None = None
        self.plan_state: PlanState | None = None
        self._shown_once = False
        self._handoff_checked = ""

    # ---- layout ----------------------------------------------------------------
    # Few widgets: the sections are one text (a screen opens faster with fewer widgets to
    # style and lay out).
    def compose(self) -> ComposeResult:
        # The page is read here, not on mount: the first layout then has it, where an
        # update after mounting laid out and drew the screen a second time.
        self.person = self._load(audited=True)
        name, main = self._texts() if self.person is not None else ("", "")
        yield Static(name, id="pp-name")
        with VerticalScroll(id="pp-body"):
            yield Static(main, id="pp-main")
        yield KeyStrip(self.BINDINGS, id="pp-keys")
        yield KeyLine(compact=True)

    def _load(self, *, audited: bool) -> ParticipantRow | None:
        """The person (a view when `audited`), or None when they are gone: then the
        screen closes and says why (at once, or as it mounts)."""
        return self.load_or_close(
            lambda vault: participants.get(vault, self.participant_id, audited=audited),
            quiet=not audited)

    def on_mount(self) -> None:
        if self.person is None:
            return
        self.query_one("#pp-body", VerticalScroll).focus()  # arrows and PgDn scroll
        self._handoff_first()

    def _handoff_first(self) -> None:
        """A handoff note to this coach not yet seen here shows over the page first."""
        from coachdesk.store import handoff_seen

        self._handoff_checked = self.participant_id
        notes = handoff_seen.unseen(self.vault, self.participant_id)
        if notes:
            from coachdesk.tui.screens.handoff_note import HandoffNoteScreen

            self.app.push_screen(HandoffNoteScreen(self.participant_id, notes))

    def reopen(self, participant_id: str) -> bool:
        """Show another person on this page, already mounted (the app keeps one page and
        refills it: a new screen costs Textual its styling, two layouts and two full
        draws). Audited as a view; False, with a message, when the person is gone."""
        try:
            person = participants.get(self.vault, participant_id)
        except CoachdeskError as exc:
            self.app.notify(f"Cannot open: {exc}.", severity="error")
            return False
        self.participant_id, self.person, self.revealed = participant_id, person, None
        self._shown_once, self._handoff_checked = False, ""
        name, main = self._texts()
        self.query_one("#pp-name", Static).update(name)
        self.query_one("#pp-main", Static).update(main)
        body = self.query_one("#pp-body", VerticalScroll)
        body.scroll_home(animate=False, immediate=True)
        body.focus()
        return True

    def on_screen_resume(self) -> None:
        if not self._shown_once:  # the first resume follows the opening, which just showed it
            self._shown_once = True
            if self.is_mounted and self.person is not None and self.app.screen is self:
                self._handoff_first_once()
        elif self.unlocked and self.person is not None:
            self.show()

    def _handoff_first_once(self) -> None:
        """On a reopened page (on_mount ran for the first person only)."""
        if self._handoff_checked != self.participant_id:
            self._handoff_first()

    # ---- content -----------------------------------------------------------------
    def selected_key(self) -> str:
        return PAGE  # the reveal key (discreet mode) shows the whole page

    def redraw_names(self) -> None:
        if self.person is not None and self.unlocked:
            self.show()

    def show(self) -> None:
        person = self._load(audited=False)
        if person is None:
            return
        self.person = person
        name, main = self._texts()
        self.query_one("#pp-name", Static).update(name)
        self.query_one("#pp-main", Static).update(main)

    def _texts(self) -> tuple[str, str]:
        """The name line and the rest of the page, as markup."""
        self.plan_state = plans.state(self.vault, self.participant_id)
        today = dt.date.today()
        sections = [self._profile(today),
                    "[b]Since last contact[/b]\n" + "\n".join(
                        escape(x) for x in self.since_last_contact_lines()),
                    self._plan(), self._consent(today), self._followups(today), self._barc(),
                    self._program(today)]
        return self._name_line(), "\n\n".join(sections)

    def _name_line(self) -> str:
        p = self.person
        assert p is not None
        name = escape(self.shown(p.alias, PAGE))
        marks = [SAFETY_FLAGS[f] for f in p.safety_flags if f in SAFETY_FLAGS]
        if followups.is_hard_to_reach(self.vault, p.id):
            marks.append(HARD_TO_REACH)
        flags = "  ".join(f"[reverse] ! {escape(mark)} [/reverse]" for mark in marks)
        if marks and self.hides(PAGE):
            flags = f"[dim]{HIDDEN} Ctrl+E shows[/dim]"
        return f"[b]{name}[/b]  {flags}".rstrip()

    def _profile(self, today: dt.date) -> str:
        p = self.person
        assert p is not None
        weeks = engagement_weeks(p.intake_date, today)
        bits = [p.pronouns, KIND_SHORT[p.kind], self.secret(p.pathway, PAGE) or "no pathway",
                p.status.value]
        return (escape(" · ".join(b for b in bits if b)) + "\n"
                + f"intake {p.intake_date.isoformat()} · engaged {weeks} week{'s' * (weeks != 1)}"
                + (" (4-6 months or more works best)" if weeks < 17 else ""))

    def _consent(self, today: dt.date) -> str:
        found = consents.for_participant(self.vault, self.participant_id)
        warning = consent_warning(found, today)
        current = [c for c in found if is_current(c, today)]
        lines = [f"[b]Consent[/b] ({len(found)} on file)  [dim]c add or revoke[/dim]"]
        if warning:
            lines.append(f"! {escape(warning)}  (c to add)")
        for c in current[:2]:
            lines.append(f"  {escape(self.secret(c.recipient, PAGE))}: {escape(self.secret(c.purpose, PAGE))}"
                         f" — {escape(self._consent_status(c, today))}")
        if len(current) > 2:
            lines.append(f"  and {len(current) - 2} more current")
        return _warning("\n".join(lines)) if warning else "\n".join(lines)

    def _consent_status(self, consent: ConsentRow, today: dt.date) -> str:
        text = status_text(consent, today)
        if consent.expiry_event and self.hides(PAGE):
            text = text.replace(consent.expiry_event, HIDDEN)
        return text

    def _plan(self) -> str:
        state = self.plan_state
        current = state.current if state else None
        if state is None or current is None:
            return "[b]Wellness plan[/b]\n  no plan yet: press p to write one together"
        plan = current.plan
        lines = [f"[b]Wellness plan[/b] [dim](p edit, h history, x print)[/dim]"
                 f" · {len(state.revisions)} revision"
                 f"{'s' * (len(state.revisions) != 1)}, last {current.created_at[:10]}"]
        if state.diverged:
            lines.append(f"! diverged: {len(state.heads)} versions were edited from the same one;"
                         " showing the newest (h shows both)")
        for dim, title in DIMENSIONS.items():
            goals = getattr(plan, dim)
            if goals:
                lines.append(f"  {title}: " + escape(self.secret("; ".join(g.text for g in goals), PAGE)))
        upcoming = plan.open_steps()
        if upcoming:
            _, step = upcoming[0]
            what = escape(self.secret(step.what, PAGE))
            lines.append(f"  next step: {what} ({step.who.value}, by {step.by})")
        if plan.safety.is_empty():
            lines.append("  safety plan: not written yet")
        return _warning("\n".join(lines)) if state.diverged else "\n".join(lines)

    def _followups(self, today: dt.date) -> str:
        summary = followups.summary(self.vault, self.participant_id, today)
        found = summary.schedules
        lines = ["[b]Follow-ups[/b]  [dim]u schedules and calls[/dim]"]
        if not found and not summary.attempts:
            lines.append("  no check-in schedule: u adds one")
        for s in found[:2]:
            if s.problem:
                lines.append(f"  {escape(self.secret(s.rule.label, PAGE))}: needs fixing (u, then e)")
                continue
            state = "" if s.rule.active else " (stopped)"
            lines.append(f"  {escape(self.secret(s.rule.label, PAGE))}: {escape(describe(s.rule))}{state}")
        for due in summary.waiting:
            label = escape(self.secret(due.label, PAGE))
            lines.append(f"  ! check-in due {due.due_on.isoformat()} ({label}):"
                         " u, then 1-5 logs the call")
        if summary.due or summary.attempts:
            last = summary.calls[:1]
            tail = (f", last {last[0].record.outcome} {local_at(last[0].record.at)[:10]}"
                    if last else "")
            lines.append(f"  {summary.share_text} · {summary.attempts} "
                         f"call{'s' * (summary.attempts != 1)}{escape(tail)}")
        return "\n".join(lines)

    def _program(self, today: dt.date) -> str:
        from coachdesk.tui.screens.program import program_lines  # on demand: start-up speed

        return "\n".join(program_lines(self.vault, self.participant_id, today, self.hides(PAGE)))

    def since_last_contact_lines(self) -> list[str]:
        """Unfinished drafts, the last finalized note's start, and open action items."""
        vault = self.vault
        found = notes.for_participant(vault, self.participant_id)
        lines = [f"  ! unfinished note of {d.occurred_at[:16].replace('T', ' ')}: o continues"
                 for d in found if not d.is_final and d.draft_body is not None]
        final = [n for n in found if n.is_final]
        if final:
            last = final[0]
            first = next((ln.strip() for ln in last.body.splitlines()
                          if ln.strip() and not ln.lstrip().startswith("#")), "")
            lines.append(f"  last note {last.occurred_at[:10]}, {last.contact_type} "
                         f"({len(final)} in all, n lists them)")
            lines.append(self.secret(f"    {first}", PAGE))
        today = dt.date.today().isoformat()
        for item in action_items.open_for(vault, self.participant_id)[:4]:
            due = ("OVERDUE " if item.due and item.due < today else "") + (item.due or "no date")
            lines.append(f"  [ ] {self.secret(item.text, PAGE)} ({item.owner}, {due})")
        return lines or ["  no notes yet: press o to write one"]

    def _instrument(self) -> Instrument | None:
        try:
            return load_instrument(BARC10)
        except CoachdeskError:
            return None

    def _barc(self) -> str:
        history = assessments.history(self.vault, self.participant_id, BARC10)
        head = "[b]Recovery capital (BARC-10)[/b]  [dim]b check-in[/dim]"
        if not history:
            return head + "\n  no check-in yet: press b"
        instrument = self._instrument()
        last = history[-1]
        meaning = instrument.meaning(last.total) if instrument else ""
        low, high = instrument.total_range if instrument else (10, 60)
        totals = " → ".join(str(a.total) for a in history[-4:])
        trend = spark([a.total for a in history[-12:]], low, high) if len(history) > 1 else ""
        return (f"{head}\n  {trend}{'  ' if trend else ''}{totals}  (of {high}; "
                f"{last.taken_on.isoformat()})\n  {escape(meaning)}")

    # ---- actions -------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_note(self) -> None:
        self.cd_app.start_note(self.participant_id)

    def action_notes(self) -> None:
        from coachdesk.tui.screens.note_list import NoteListScreen  # on demand: start-up speed

        self.app.push_screen(NoteListScreen(self.participant_id))

    def action_edit(self) -> None:

        vault = self.vault
        self.app.push_screen(ParticipantForm(participants.get(vault, self.participant_id, audited=False)))

    def action_plan(self) -> None:

        current = self.plan_state.current if self.plan_state else None
        self.app.push_screen(PlanEditor(self.participant_id, current.id if current else ""),
                             callback=self._after_plan_saved)

    def _after_plan_saved(self, revision_id: str | None) -> None:
        if revision_id:
            self.notify("Plan saved as a new revision.")

    def action_history(self) -> None:

        self.app.push_screen(PlanHistoryScreen(self.participant_id))

    def action_consents(self) -> None:

        self.app.push_screen(ConsentScreen(self.participant_id))

    def action_checkin(self) -> None:

        instrument = self._instrument()
        if instrument is None:
            self.notify("The BARC-10 instrument file is missing or broken.", severity="error")
            return
        self.app.push_screen(CheckinScreen(self.participant_id, instrument))

    def action_flags(self) -> None:

        if self.person is not None:
            self.app.push_screen(FlagsScreen(self.person))

    def action_followups(self) -> None:
        from coachdesk.tui.screens.followups import FollowupsScreen  # on demand: start-up speed

        self.app.push_screen(FollowupsScreen(self.participant_id))

    def action_referrals(self) -> None:
        from coachdesk.tui.screens.referrals import ReferralsScreen  # on demand: start-up speed

        self.app.push_screen(ReferralsScreen(self.participant_id))

    def action_program(self) -> None:
        from coachdesk.tui.screens.program import ProgramScreen  # on demand: start-up speed

        self.app.push_screen(ProgramScreen(self.participant_id))

    def action_assign(self) -> None:
        from coachdesk.sync import caseload
        from coachdesk.tui.screens.assign import AssignScreen  # on demand: start-up speed

        try:
            caseload.require_assigner(self.vault)
        except CoachdeskError as exc:
            self.notify(f"Cannot assign: {exc}.", severity="error")
            return
        self.app.push_screen(AssignScreen(self.participant_id))

    def action_merge(self) -> None:
        from coachdesk.tui.screens.merge_person import MergePersonScreen  # on demand

        self.app.push_screen(MergePersonScreen(self.participant_id))  # the page shows again

    def action_export(self) -> None:

        if self.plan_state is None or self.plan_state.current is None:
            self.notify("There is no plan to export yet.", severity="warning")
            return
        self.app.push_screen(ExportPlanScreen(self.participant_id), callback=self._after_export)

    def _after_export(self, path: str | None) -> None:
        if path:
            self.notify(f"Plan written to {path}")
