"""The printable wellness plan: Markdown, or one self-contained HTML file.

The safety plan comes first, on a page of its own, with the numbers to call (988, 911,
the local crisis line and the coach from the vault's settings); the rest of the plan
follows. A copy for someone outside the program (`--for`, under a consent) carries only
the kinds of information the consent covers, says on its first lines to whom, why and
under which consent, and ends with the redisclosure notice; the disclosure log records
the kinds that went.

No internal ids appear; every piece of user text is escaped. Files are written only to
the path the user gives, through a temp file in the same folder, mode 0600.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.export import disclosed
from coachdesk.export.document import FORMATS, Block, Document, Heading, Items, Para, render
from coachdesk.files import write_recorded
from coachdesk.models.consent import ConsentRow
from coachdesk.models.consent_kinds import labels
from coachdesk.models.participant import ParticipantRow
from coachdesk.models.plan import CONTACTS, DIMENSIONS, LISTS, SAFETY_STEPS, Contact, Plan, Step
from coachdesk.store import audit, plans, referrals
from coachdesk.store.vault import Vault

__all__ = ["FORMATS", "Contacts", "document", "export_plan", "format_for", "to_html", "to_markdown"]

SAFETY_INTRO = "Use these steps in order, until one of them helps."
PLAN_KINDS = ("safety_plan", "plan_goals", "attendance", "notes_summary", "contact")
"""What a plan copy can carry, in print order."""


@dataclass(frozen=True)
class Contacts:
    """Who to call, from the vault's settings: printed beside 988 and 911."""

    crisis_line: str = ""
    coach: str = ""
    coach_phone: str = ""

    @classmethod
    def of(cls, vault: Vault) -> Contacts:
        settings = vault.settings()
        return cls(settings.crisis_line, vault.coach, settings.coach_phone)

    def lines(self) -> list[str]:
        out = ["If you are in danger now, call or text 988, or call 911."]
        if self.crisis_line:
            out.append(f"Local crisis line: {self.crisis_line}")
        if self.coach:
            out.append(f"My peer recovery coach: {self.coach}"
                       + (f", {self.coach_phone}" if self.coach_phone else ""))
        return out


def _step_text(step: Step) -> str:
    by = f" by {step.by.strftime('%d %b %Y')}" if step.by else ""
    who = {"participant": "me", "coach": "my coach", "other": "someone else"}[step.who.value]
    return f"{step.what} ({who}{by})"


def _contact_text(contact: Contact) -> str:
    return f"{contact.name}: {contact.reach}" if contact.reach else contact.name


def _plain(items: list[str]) -> Items:
    return Items([(x, []) for x in items])


def safety_page(plan: Plan, contacts: Contacts) -> list[Block]:
    """The safety plan, one page: the six steps, the crisis contacts and the numbers.
    The plan's own warning signs join step 1 (one heading, never two)."""
    blocks: list[Block] = [Heading("My safety plan"), Para(SAFETY_INTRO, "muted")]
    for name, title in SAFETY_STEPS.items():
        items: list[str] = list(getattr(plan.safety, name))
        if name == "warning_signs":
            items += [x for x in plan.warning_signs if x not in items]
        blocks += [Heading(title, 3), _plain(items)]
    blocks += [Heading(CONTACTS["crisis_contacts"], 3),
               Items([(_contact_text(c), []) for c in plan.crisis_contacts])]
    blocks += [Para(line, "box" if i == 0 else "strong") for i, line in enumerate(contacts.lines())]
    if plan.safety.kept_where:
        blocks.append(Para(f"Where this plan is kept: {plan.safety.kept_where}", "muted"))
    return blocks


def goals_page(plan: Plan, *, with_coping: bool) -> list[Block]:
    """Goals in the four dimensions, strengths, reasons, supports; with the safety plan
    also triggers and coping (they belong to it when a copy leaves the program)."""
    blocks: list[Block] = [Heading("My wellness plan")]
    for name, title in DIMENSIONS.items():
        blocks += [Heading(title, 3), Items([(g.text, [_step_text(s) for s in g.steps])
                                             for g in getattr(plan, name)])]
    blocks += [Heading(LISTS["strengths"], 3), _plain(plan.strengths),
               Heading(LISTS["reasons"], 3), _plain(plan.reasons)]
    if with_coping:
        blocks += [Heading(CONTACTS["supports"], 3),
                   Items([(_contact_text(c), []) for c in plan.supports]),
                   Heading(LISTS["triggers"], 3), _plain(plan.triggers),
                   Heading(LISTS["coping"], 3), _plain(plan.coping)]
    return blocks


def document(name: str, plan: Plan, updated: dt.date, contacts: Contacts | None = None, *,
             consent: ConsentRow | None = None, extra: dict[str, list[Block]] | None = None
             ) -> Document:
    """The plan as pages. With `consent`, only what it covers, and its first lines say so;
    `extra` holds the pages of kinds from outside the plan (attendance, contact, notes)."""
    contacts = contacts or Contacts()
    title = f"Wellness plan: {name}"
    intro = Para(f"Last updated {updated.strftime('%d %B %Y')}", "muted")
    if consent is None:
        return Document(title, name, [[intro, *safety_page(plan, contacts)],
                                      goals_page(plan, with_coping=True)])
    kinds = [k for k in PLAN_KINDS if consent.covers(k)]
    head: list[Block] = [*disclosed.to_whom(consent, kinds), intro]
    pages: list[list[Block]] = []
    if "safety_plan" in kinds:
        pages.append(safety_page(plan, contacts))
    if "plan_goals" in kinds:
        pages.append(goals_page(plan, with_coping="safety_plan" in kinds))
    rest: list[Block] = []
    for kind in ("attendance", "notes_summary", "contact"):
        if kind in kinds:
            rest += (extra or {}).get(kind, [])
    if rest:
        pages.append(rest)
    pages = pages or [[]]
    pages[0] = head + pages[0]
    return Document(f"{title} (copy for {consent.recipient})", name, pages,
                    notice=referrals.redisclosure_notice())


def to_markdown(name: str, plan: Plan, updated: dt.date, contacts: Contacts | None = None) -> str:
    return render(document(name, plan, updated, contacts), "md")


def to_html(name: str, plan: Plan, updated: dt.date, contacts: Contacts | None = None) -> str:
    return render(document(name, plan, updated, contacts), "html")


def format_for(path: Path) -> str | None:
    """'md' or 'html' from a file name's extension, else None."""
    return {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(path.suffix.lower())


def export_plan(vault: Vault, participant: ParticipantRow, fmt: str, path: Path, *,
                force: bool = False, consent_id: str | None = None) -> Path:
    """Write the participant's current plan to `path` (audited); returns the path written.

    With `consent_id` the plan goes to someone outside the program: the consent must be
    current and cover some kind of information; the file holds only those kinds and the
    redisclosure notice, and the disclosure (with its kinds) is logged.
    """
    if fmt not in FORMATS:
        raise CoachdeskError(f"unknown format {fmt!r}: use md or html")
    current = plans.state(vault, participant.id).current
    if current is None:
        raise CoachdeskError("this participant has no wellness plan yet")
    consent = None
    if consent_id is not None:
        if consent_id not in {c.id for c in referrals.current_consents(vault, participant.id)}:
            raise CoachdeskError("no current consent covers this disclosure: nothing was written")
        consent = referrals.consent_for_disclosure(vault, participant.id, consent_id)
        if not any(consent.covers(k) for k in PLAN_KINDS):
            raise CoachdeskError(f"the consent to {consent.recipient} covers none of what a plan "
                                 f"copy holds (it covers {labels(consent.kinds)}): nothing was written")
    updated = dt.datetime.fromisoformat(current.created_at).astimezone().date()
    extra = disclosed.pages(vault, participant) if consent is not None else None
    doc = document(participant.alias, current.plan, updated, Contacts.of(vault),
                   consent=consent, extra=extra)
    text = render(doc, fmt)

    def record() -> None:
        if consent is not None:
            went = [k for k in PLAN_KINDS if consent.covers(k)]
            referrals.record_disclosure(vault, participant.id, consent.id,
                                        f"wellness plan: {labels(went)}")
        audit.record(vault.conn, vault.device, vault.coach, "plan exported", plans.TABLE,
                     current.id, f"participant={participant.id} format={fmt}")

    return write_recorded(vault, path, text, record, force=force)
