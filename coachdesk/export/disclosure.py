"""What a disclosure outside the program carries, and the accounting of disclosures."""

from __future__ import annotations

import datetime as dt
import html

from coachdesk.store.referrals import ReferralView, redisclosure_notice


def with_notice(text: str, fmt: str) -> str:
    """The document with the 42 CFR Part 2 redisclosure notice at its end."""
    notice = redisclosure_notice()
    if fmt == "html":
        block = (f'<p class="notice" style="border:1px solid #000;padding:0.5em;">'
                 f"{html.escape(notice)}</p>\n")
        return text.replace("</body>", block + "</body>") if "</body>" in text else text + block
    return f"{text.rstrip()}\n\n---\n\n**Notice:** {notice}\n"


def referral_packet(alias: str, pronouns: str, referral: ReferralView, plan_summary: str = "") -> str:
    """A short Markdown packet for the service a person is referred to (with the notice)."""
    lines = [f"# Referral: {alias}", ""]
    if pronouns:
        lines.append(f"- Pronouns: {pronouns}")
    lines += [f"- Referred to: {referral.resource_name}",
              f"- Referred on: {referral.referred_on}",
              f"- Status: {referral.status}"]
    if referral.follow_up_on:
        lines.append(f"- Follow-up by: {referral.follow_up_on}")
    if referral.note:
        lines.append(f"- Note: {referral.note}")
    if plan_summary:
        lines += ["", "## From the wellness plan", "", plan_summary]
    return with_notice("\n".join(lines), "md")


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
