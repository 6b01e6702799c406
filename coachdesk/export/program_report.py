"""The program's figures for a month (issue 22, item 6): service units (per coach and per
service code, over-cap contacts flagged), the funder follow-up rate against its target and
the windows missed, and the recovery-support fields counted. Counts only: no name, no
note text, no free text of any field.

    billed(conn, month, rule)                 each billable contact of the month
    units_sections / followup_sections / recovery_sections(...) -> [Section]
    sections(conn, month, today)              all three, from the data files (a file that
                                              does not load: its section says so)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from coachdesk import config
from coachdesk.errors import CoachdeskError
from coachdesk.export import report
from coachdesk.export.report import Report, Section, has_table
from coachdesk.models.billing import Billed, BillingRule, capped, rule
from coachdesk.models.funder import Funder, funder, rate
from coachdesk.models.program import RecoveryLists, recovery_lists
from coachdesk.store import program
from coachdesk.store.db import Connection


def billed(conn: Connection, month: str, billing: BillingRule) -> list[Billed]:
    """The month's billable contacts with their units. The daily cap counts a person's
    contacts of one day, which never spans two months."""
    if not has_table(conn, "note"):
        return []
    return capped(billing, program.contacts(conn, month))


def units_sections(conn: Connection, month: str, billing: BillingRule) -> list[Section]:
    found = billed(conn, month, billing)
    title = f"Service units ({billing.name})"
    if not found:
        return [Section(title, note="no billable contacts this month")]
    over = [b for b in found if b.over_cap]
    by_coach: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    for b in found:
        by_coach[b.contact.coach or "not recorded"] += b.units
        by_code[b.code] += b.units
    cap = (f"over the daily cap of {billing.daily_cap_units} units"
           if billing.daily_cap_units else "over a daily cap (none set)")
    return [
        Section(title, [("billable contacts", len(found)),
                        ("units", sum(b.units for b in found)),
                        ("units within the daily cap", sum(b.billable for b in found)),
                        (f"units {cap}", sum(b.units - b.billable for b in found)),
                        ("! contacts over the daily cap (flagged, not cut)", len(over))]),
        Section("Units by coach", [(coach, n) for n, coach in
                                   sorted(((n, c) for c, n in by_coach.items()),
                                          key=lambda nc: (-nc[0], nc[1]))]),
        Section("Units by service code", [(code, n) for code, n in sorted(by_code.items())]),
    ]


def followup_sections(conn: Connection, month: str, grant: Funder,
                      today: dt.date) -> list[Section]:
    found = program.all_windows(conn, grant)
    rated = rate((w for _, w in found), month, today, grant.target_rate)
    title = f"Funder follow-ups ({grant.name})"
    missed: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for _, window in found:
        state = window.state(today)
        if window.due.isoformat()[:7] == month and state in ("missed", "lapsed"):
            missed[window.spec.label] += 1
        if window.outcome is not None and window.outcome.status == "done" \
                and window.outcome.on.isoformat()[:7] == month:
            done[window.spec.label] += 1
    share = rated.share
    rows: list[tuple[str, report.Value]] = [
        ("follow-ups due this month", rated.due),
        ("reached within the window", rated.reached),
        ("follow-up rate (%)", round(share * 100) if share is not None else 0),
        ("target (%)", round(grant.target_rate * 100)),
        ("! missed windows (follow-ups)", rated.missed),
        ("windows still open", rated.open)]
    if rated.due:
        title += f": {'at or above' if (share or 0) >= grant.target_rate else 'below'} target"
    sections = [Section(title, rows) if rated.due else
                Section(title, note="no follow-up due this month")]
    sections.append(Section("Interviews done this month", sorted(done.items())))
    sections.append(Section("Missed windows by interview, baselines too (due this month)",
                            sorted(missed.items())))
    return sections


def recovery_sections(conn: Connection, lists: RecoveryLists) -> list[Section]:
    """The recovery-support fields of the people active now, as recorded now."""
    active = {pid for (pid,) in conn.execute(
        "SELECT id FROM participant_card WHERE deleted = 0 AND status = 'active'")}
    found = {pid: v for pid, v in program.supports_of(conn).items() if pid in active}
    if not found:
        return [Section("Recovery support (active people)",
                        note="no recovery-support fields recorded yet")]
    values = list(found.values())
    engagement: Counter[str] = Counter(lists.label("engagement", v.engagement) for v in values)
    living: Counter[str] = Counter(lists.label("living_situation", v.living_situation)
                                   for v in values)
    pathways: Counter[str] = Counter(lists.label("pathways", p) for v in values for p in v.pathways)
    referral: Counter[str] = Counter(lists.label("referral_reason", v.referral_reason)
                                     for v in values)
    return [
        Section("Recovery support (active people, as recorded now)", [
            ("people with fields recorded", len(values)),
            ("no-shows", sum(v.no_shows for v in values)),
            ("times naloxone was given", sum(v.naloxone_given for v in values)),
            ("emergency department visits", sum(v.ed_visits for v in values)),
            ("average number of supports",
             round(sum(v.supports for v in values) / len(values), 1))]),
        Section("Engagement status", sorted(engagement.items())),
        Section("Recovery pathways (several per person)", sorted(pathways.items())),
        Section("Living situation", sorted(living.items())),
        Section("Reason for referral", sorted(referral.items())),
    ]


def sections(conn: Connection, month: str, today: dt.date | None = None) -> list[Section]:
    """Units, follow-ups and recovery support for the month, each from its data file; a
    file that does not load leaves its section with the one line saying why."""
    today = today or dt.date.today()
    out: list[Section] = []
    if not has_table(conn, "recovery_support"):
        return out
    base = config.config_dir()
    builders: list[tuple[str, Callable[[], list[Section]]]] = [
        ("Service units", lambda: units_sections(conn, month, rule(base / "billing"))),
        ("Funder follow-ups",
         lambda: followup_sections(conn, month, funder(base / "funders"), today)),
        ("Recovery support", lambda: recovery_sections(conn, recovery_lists(base / "program")))]
    for title, build in builders:
        try:
            out += build()
        except CoachdeskError as exc:
            out.append(Section(title, note=str(exc)))
    return out


def full(conn: Connection, month: str, step: report.Step | None = None) -> Report:
    """The monthly service report with the program's sections after its own."""
    built = report.build(conn, month, None if step is None else
                         lambda done, what: step(done * 0.7, what))
    if step is not None:
        step(0.7, "counting units and follow-ups")
    built.sections += sections(conn, month)
    return built
