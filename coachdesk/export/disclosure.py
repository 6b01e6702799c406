"""The accounting of disclosures (42 CFR Part 2): what went outside the program, to whom.
A disclosure's "what" names the document and the kinds of information it carried."""

from __future__ import annotations

import datetime as dt


def accounting(alias: str, rows: list[tuple[str, str, str, str]], today: dt.date) -> str:
    """The accounting of disclosures a participant may ask for (Markdown)."""
    lines = [f"# Accounting of disclosures: {alias}", "",
             f"Prepared {today.isoformat()}. Every disclosure made with this person's consent "
             "to someone outside the program.", ""]
    if not rows:
        return "\n".join([*lines, "_No disclosures recorded._", ""])
    lines += ["| Date | Recipient | What | Purpose |", "|---|---|---|---|"]
    for date, recipient, what, purpose in rows:
        cells = [c.replace("|", "/") for c in (date, recipient, what, purpose)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])
