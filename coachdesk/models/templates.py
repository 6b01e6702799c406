"""Note templates: small Markdown files in assets/templates/ (an agency may replace them).

A line starting with `>>` is **guidance**: it is shown, dimmed, above the body while the
coach writes in that section, and is never part of the note (not put in the body, never
saved, never read as an action item). Guidance before the first heading is shown when
the section the cursor is in has none. Everything else is the body a note starts with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coachdesk import shipped

NAMES = {"free": "free text", "dap": "DAP", "girp": "GIRP", "checkin": "check-in"}
GUIDE = ">>"
"""A line starting with this (after any spaces) is guidance, never data."""


@dataclass(frozen=True)
class Template:
    body: str
    guidance: dict[str, str] = field(default_factory=dict)
    """Section heading ('' before the first heading) -> its guidance, lines joined."""


def is_guidance(line: str) -> bool:
    return line.lstrip().startswith(GUIDE)


def strip_guidance(text: str) -> str:
    """`text` without its guidance lines (the rest exactly as it was)."""
    if GUIDE not in text:
        return text
    return "".join(line for line in text.splitlines(keepends=True) if not is_guidance(line))


def _heading(line: str) -> str | None:
    stripped = line.strip()
    if stripped.startswith("#"):
        return stripped.lstrip("#").strip()
    return None


def parse(text: str) -> Template:
    """Split a template's text into the body and the guidance of each section."""
    body: list[str] = []
    guidance: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        if is_guidance(line):
            words = line.lstrip()[len(GUIDE):].strip()
            if words:
                guidance.setdefault(section, []).append(words)
            continue
        heading = _heading(line)
        if heading is not None:
            section = heading
        body.append(line)
    joined = "\n".join(body).strip("\n")
    return Template(joined + "\n" if joined else "",
                    {k: " ".join(v) for k, v in guidance.items()})


def guide_for(template: Template, lines: list[str], row: int) -> str:
    """The guidance for the section holding line `row` of a body (the nearest heading
    above it), else the template's general guidance; '' if there is none."""
    if not template.guidance:
        return ""
    for line in reversed(lines[: row + 1]):
        heading = _heading(line)
        if heading is not None:
            if heading in template.guidance:
                return template.guidance[heading]
            break
    return template.guidance.get("", "")


def templates_dir() -> Path:
    return shipped.path("templates")


def available() -> dict[str, str]:
    """template id -> label, the known ones first, then any other .md file found."""
    found = dict(NAMES)
    try:
        for path in sorted(templates_dir().glob("*.md")):
            found.setdefault(path.stem, path.stem)
    except OSError:
        pass
    return found


def raw_text(template: str) -> str:
    """The template file as written, '' if it is missing or unreadable."""
    if not template.replace("_", "").replace("-", "").isalnum():
        return ""
    try:
        return (templates_dir() / f"{template}.md").read_text("utf-8")
    except OSError:
        return ""


def load(template: str) -> Template:
    return parse(raw_text(template))


def text_of(template: str) -> str:
    """The body a note starts with (guidance left out), '' if the template is missing."""
    return load(template).body
