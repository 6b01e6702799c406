"""The record of a crisis checklist as text: a timeline, a printable incident summary
(Markdown or HTML, its times in the named local time zone), and the start of a session
note. Files are written only where asked, like every export (files.write_recorded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.export.document import FORMATS, Document, Facts, Heading, Para, Table, render
from coachdesk.files import write_recorded
from coachdesk.models import CrisisRecord, CrisisStepRow
from coachdesk.models.crisis import ATTACH, BACK
from coachdesk.protocols.model import answer_text
from coachdesk.store import audit
from coachdesk.store.vault import Vault


def local_time(iso: str) -> dt.datetime:
    """A stored UTC timestamp in the local time zone (naive input is taken as UTC)."""
    stamp = dt.datetime.fromisoformat(iso)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone()


def zone_name(at: dt.datetime) -> str:
    """The local time zone as a reader can check it: 'EST (UTC-05:00)'."""
    offset = at.strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = at.tzname() or ""
    return f"{name} ({utc})" if name and not name.startswith(("+", "-", "UTC")) else utc


def clock(iso: str) -> str:
    return local_time(iso).strftime("%H:%M:%S")


def shown_answer(step: CrisisStepRow, person: str = "") -> str:
    """A row's answer as the timeline shows it; each step kind says how its answer reads."""
    if step.kind == ATTACH:
        return person or "a participant"
    if step.kind == BACK:
        return step.answer
    return answer_text(step.kind, step.answer)


def timeline(record: CrisisRecord, person: str = "") -> list[tuple[str, str, str]]:
    """(local time, step, answer) for every row, in order; the start comes first."""
    rows = [(clock(record.event.started_at), "Checklist started", record.event.protocol_title)]
    rows += [(clock(s.at), s.label, shown_answer(s, person)) for s in record.steps]
    return rows


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def incident_markdown(record: CrisisRecord, *, person: str = "", coach: str = "") -> str:
    """A printable incident summary: who, when, outcome, and the full timeline."""
    event = record.event
    started = local_time(event.started_at)
    ended = record.end
    lines = [
        f"# Incident summary: {event.protocol_title}",
        "",
        f"- **Date**: {started:%A %d %B %Y}",
        f"- **Started**: {started:%H:%M:%S} by {coach or event.started_by}",
        f"- **Ended**: {clock(ended.at) if ended else 'not ended'}",
        f"- **Outcome**: {record.outcome or 'not ended'}",
        f"- **Participant**: {person or 'not attached'}",
        f"- **Protocol**: {event.protocol_id}, version {event.protocol_version}",
        f"- **Time zone**: {zone_name(started)}",
        "",
        "## Timeline",
        "",
        f"| Time ({zone_name(started)}) | Step | Answer |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {_cell(step)} | {_cell(answer)} |"
              for t, step, answer in timeline(record, person)]
    lines += [
        "",
        f"Times are local ({zone_name(started)}). Every answer was saved when it was given;",
        "a step taken back stays in the timeline with the answer that replaced it.",
        "",
        "Confidential: this record is protected by 42 CFR Part 2 and HIPAA.",
        "",
    ]
    return "\n".join(lines)


def incident_document(record: CrisisRecord, *, person: str = "", coach: str = "") -> Document:
    """The same summary as pages (for HTML): facts, the timeline, the time zone."""
    event = record.event
    started = local_time(event.started_at)
    ended = record.end
    zone = zone_name(started)
    facts = Facts([("Date", f"{started:%A %d %B %Y}"),
                   ("Started", f"{started:%H:%M:%S} by {coach or event.started_by}"),
                   ("Ended", clock(ended.at) if ended else "not ended"),
                   ("Outcome", record.outcome or "not ended"),
                   ("Participant", person or "not attached"),
                   ("Protocol", f"{event.protocol_id}, version {event.protocol_version}"),
                   ("Time zone", zone)])
    rows = [[t, step, answer] for t, step, answer in timeline(record, person)]
    return Document(f"Incident summary: {event.protocol_title}", person or "Incident summary", [[
        facts, Heading("Timeline"), Table([f"Time ({zone})", "Step", "Answer"], rows),
        Para("Every answer was saved when it was given; a step taken back stays in the "
             "timeline with the answer that replaced it.", "muted"),
        Para("Confidential: this record is protected by 42 CFR Part 2 and HIPAA.", "strong")]])


def incident_text(record: CrisisRecord, fmt: str, *, person: str = "", coach: str = "") -> str:
    if fmt == "md":
        return incident_markdown(record, person=person, coach=coach)
    return render(incident_document(record, person=person, coach=coach), fmt)


def export_incident(vault: Vault, record: CrisisRecord, fmt: str, path: Path, *,
                    person: str = "", coach: str = "", force: bool = False) -> Path:
    """Write the summary to `path` only (temp file beside it, 0600, no overwrite without
    `force`), audited in the same transaction; returns the path written."""
    if fmt not in FORMATS:
        raise CoachdeskError(f"unknown format {fmt!r}: use md or html")
    text = incident_text(record, fmt, person=person, coach=coach)

    def record_it() -> None:
        audit.record(vault.conn, vault.device, vault.coach, "incident exported",
                     "crisis_event", record.event.id, f"format={fmt}")

    return write_recorded(vault, path, text, record_it, force=force)


def incident_note_text(event: CrisisRecord) -> str:
    """The start of a session note from the timeline (no names: the note has its person)."""
    started = local_time(event.event.started_at)
    lines = [
        f"Crisis checklist: {event.event.protocol_title}, {started:%Y-%m-%d} from "
        f"{started:%H:%M}.",
        f"Outcome: {event.outcome or 'not ended'}.",
        "",
        "Timeline:",
    ]
    lines += [f"- {t} {step}: {answer}" for t, step, answer in timeline(event)[1:]]
    lines += ["", "Follow-up: "]
    return "\n".join(lines)


def incident_note_header(event: CrisisRecord, setting: str) -> dict[str, object]:
    """What a session note started from the checklist knows already: when the crisis
    began, how long the checklist ran (whole minutes, at least 1), that it was crisis
    support, and the `setting` given (the coach's usual one)."""
    started = local_time(event.event.started_at)
    last = event.end or (event.steps[-1] if event.steps else None)
    seconds = (local_time(last.at) - started).total_seconds() if last else 0
    return {"occurred_at": started.isoformat(timespec="seconds"),
            "duration_min": max(1, min(24 * 60, -int(-seconds // 60))),
            "contact_type": "crisis support", "setting": setting}
