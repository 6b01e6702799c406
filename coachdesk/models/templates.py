"""Note templates: small Markdown files in assets/templates/ (an agency may replace them)."""

from __future__ import annotations

from pathlib import Path

from coachdesk import shipped

NAMES = {"free": "free text", "dap": "DAP", "girp": "GIRP", "checkin": "check-in"}


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


def text_of(template: str) -> str:
    """The template's text, '' if it is missing or unreadable."""
    if not template.replace("_", "").replace("-", "").isalnum():
        return ""
    try:
        return (templates_dir() / f"{template}.md").read_text("utf-8")
    except OSError:
        return ""
