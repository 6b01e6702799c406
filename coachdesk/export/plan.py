"""The printable wellness plan: Markdown, or one self-contained HTML file.

No internal ids appear in either; every piece of user text is escaped. Files are written
only to the path the user gives, through a temp file in the same folder, mode 0600.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.export.disclosure import with_notice
from coachdesk.files import write_recorded
from coachdesk.models.participant import ParticipantRow
from coachdesk.models.plan import CONTACTS, DIMENSIONS, LISTS, SAFETY_STEPS, Contact, Plan, Step
from coachdesk.store import audit, plans, referrals
from coachdesk.store.vault import Vault

FORMATS = ("md", "html")
SAFETY_INTRO = "Use these steps in order, until one of them helps."
_EMPTY = "(nothing written yet)"


def _step_text(step: Step) -> str:
    by = f" by {step.by.strftime('%d %b %Y')}" if step.by else ""
    who = {"participant": "me", "coach": "my coach", "other": "someone else"}[step.who.value]
    return f"{step.what} ({who}{by})"


def _contact_text(contact: Contact) -> str:
    return f"{contact.name}: {contact.reach}" if contact.reach else contact.name


def _sections(plan: Plan) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(heading, [(item, sub-items)]) in print order; the one structure both formats render."""
    out: list[tuple[str, list[tuple[str, list[str]]]]] = []
    for name, title in DIMENSIONS.items():
        out.append((title, [(g.text, [_step_text(s) for s in g.steps]) for g in getattr(plan, name)]))
    out.append((LISTS["strengths"], [(x, []) for x in plan.strengths]))
    out.append((CONTACTS["supports"], [(_contact_text(c), []) for c in plan.supports]))
    for name in ("reasons", "triggers", "warning_signs", "coping"):
        out.append((LISTS[name], [(x, []) for x in getattr(plan, name)]))
    out.append((CONTACTS["crisis_contacts"], [(_contact_text(c), []) for c in plan.crisis_contacts]))
    return out


def _md_escape(text: str) -> str:
    """Neutralise Markdown and HTML in user text (a printed plan must show it literally)."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


def to_markdown(name: str, plan: Plan, updated: dt.date) -> str:
    lines = [f"# Wellness plan: {_md_escape(name)}", "", f"Last updated {updated.strftime('%d %B %Y')}", ""]
    for heading, items in _sections(plan):
        lines += [f"## {heading}", ""]
        if not items:
            lines += [f"_{_EMPTY}_", ""]
            continue
        for item, subs in items:
            lines.append(f"- {_md_escape(item)}")
            lines += [f"    - [ ] {_md_escape(s)}" for s in subs]
        lines.append("")
    lines += ["## My safety plan", "", SAFETY_INTRO, ""]
    for name_, title in SAFETY_STEPS.items():
        lines += [f"### {title}", ""]
        items = getattr(plan.safety, name_)
        lines += [f"- {_md_escape(x)}" for x in items] or [f"_{_EMPTY}_"]
        lines.append("")
    lines += ["### Where this plan is kept", "",
              _md_escape(plan.safety.kept_where) if plan.safety.kept_where else f"_{_EMPTY}_", "",
              "If you are in danger now, call or text 988, or call 911.", ""]
    return "\n".join(lines)


_CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 46em;
       margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 1.4em; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
.updated, .empty { color: #555; font-style: italic; }
ul.steps { list-style: none; padding-left: 1.2em; }
ul.steps li::before { content: "\\2610\\00a0"; }
.safety { border: 2px solid #333; padding: 0.3em 1em 1em; margin-top: 1.5em; }
.help-now { font-weight: bold; }
@media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; }
               li, .safety { break-inside: avoid; } }
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_list(items: list[tuple[str, list[str]]]) -> list[str]:
    if not items:
        return [f'<p class="empty">{_EMPTY}</p>']
    out = ["<ul>"]
    for item, subs in items:
        if subs:
            inner = "".join(f"<li>{_h(s)}</li>" for s in subs)
            out.append(f'<li>{_h(item)}<ul class="steps">{inner}</ul></li>')
        else:
            out.append(f"<li>{_h(item)}</li>")
    out.append("</ul>")
    return out


def to_html(name: str, plan: Plan, updated: dt.date) -> str:
    body = [f"<h1>Wellness plan: {_h(name)}</h1>",
            f'<p class="updated">Last updated {updated.strftime("%d %B %Y")}</p>']
    for heading, items in _sections(plan):
        body.append(f"<h2>{_h(heading)}</h2>")
        body += _html_list(items)
    body += ['<section class="safety">', "<h2>My safety plan</h2>", f"<p>{SAFETY_INTRO}</p>"]
    for name_, title in SAFETY_STEPS.items():
        body.append(f"<h3>{_h(title)}</h3>")
        body += _html_list([(x, []) for x in getattr(plan.safety, name_)])
    body.append("<h3>Where this plan is kept</h3>")
    body.append(f"<p>{_h(plan.safety.kept_where)}</p>" if plan.safety.kept_where
                else f'<p class="empty">{_EMPTY}</p>')
    body += ['<p class="help-now">If you are in danger now, call or text 988, or call 911.</p>',
             "</section>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Wellness plan</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def render(fmt: str, name: str, plan: Plan, updated: dt.date) -> str:
    if fmt == "md":
        return to_markdown(name, plan, updated)
    if fmt == "html":
        return to_html(name, plan, updated)
    raise CoachdeskError(f"unknown format {fmt!r}: use md or html")


def format_for(path: Path) -> str | None:
    """'md' or 'html' from a file name's extension, else None."""
    return {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(path.suffix.lower())


def export_plan(vault: Vault, participant: ParticipantRow, fmt: str, path: Path, *,
                force: bool = False, consent_id: str | None = None) -> Path:
    """Write the participant's current plan to `path` (audited); returns the path written.

    With `consent_id` the plan goes to someone outside the program: the consent must be
    current, the file carries the redisclosure notice, and the disclosure is logged.
    """
    if fmt not in FORMATS:
        raise CoachdeskError(f"unknown format {fmt!r}: use md or html")
    current = plans.state(vault, participant.id).current
    if current is None:
        raise CoachdeskError("this participant has no wellness plan yet")
    if consent_id is not None and consent_id not in {
            c.id for c in referrals.current_consents(vault, participant.id)}:
        raise CoachdeskError("no current consent covers this disclosure: nothing was written")
    updated = dt.datetime.fromisoformat(current.created_at).astimezone().date()
    text = render(fmt, participant.alias, current.plan, updated)
    if consent_id is not None:
        text = with_notice(text, fmt)

    def record() -> None:
        if consent_id is not None:
            referrals.record_disclosure(vault, participant.id, consent_id, "wellness plan")
        audit.record(vault.conn, vault.device, vault.coach, "plan exported", plans.TABLE,
                     current.id, f"participant={participant.id} format={fmt}")

    return write_recorded(vault, path, text, record, force=force)
