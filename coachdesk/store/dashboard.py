"""The coach dashboard (issue 18, item 4): a supervisor's figures per coach. Reads only,
counts only: no participant's name leaves here.

    figures(vault, today)   one Figures per coach of the team (device id), a few grouped
                            queries for the whole team, never one query per person

A person counts for each of their coaches: primary and secondary (participant_card). The
person-level figures (action items, check-ins, hard to reach) count active people only,
as the caseload does. Crisis events and notes count for the coach whose device wrote them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from coachdesk.errors import CoachdeskError
from coachdesk.models.followup import CheckinSchedule, checkins
from coachdesk.store import action_items, followups, program
from coachdesk.store.program import CoachProgram
from coachdesk.store.scope import PRIMARY_SQL
from coachdesk.store.team_members import TeamMember, members
from coachdesk.store.vault import Vault

FIRST_DAYS = 90
"""New coaches are under close supervision for their first 90 days, then reviewed."""


@dataclass(frozen=True)
class Figures:
    device: str
    name: str
    role: str
    primary: int = 0
    secondary: int = 0
    new_this_month: int = 0
    """People on the caseload whose intake date falls in this month."""
    overdue_items: int = 0
    """Open action items of the caseload's people past their due date."""
    overdue_supervision_items: int = 0
    """Open items from supervision sessions past their due date."""
    checkins_waiting: int = 0
    """Check-ins waiting for a call today."""
    checkins_due_month: int = 0
    checkins_reached_month: int = 0
    """Check-ins fallen due this month so far, and how many reached the person."""
    hard_to_reach: int = 0
    crises_month: int = 0
    notes_waiting: int = 0
    """Finalized notes with no review yet (comments do not count)."""
    follow_ups_open: int = 0
    """Notes marked "needs follow-up" and not closed yet."""
    last_session: dt.date | None = None
    joined: dt.date | None = None
    joined_exact: bool = True
    today: dt.date = dt.date.min
    program: CoachProgram | None = None
    """Units this month and the follow-up rate of their people (None: a program data
    file did not load; `program_problem` says why)."""
    program_problem: str = ""

    @property
    def active(self) -> int:
        return self.primary + self.secondary

    @property
    def days_since_session(self) -> int | None:
        return None if self.last_session is None else (self.today - self.last_session).days

    @property
    def review_on(self) -> dt.date | None:
        """The 90-day review, while the coach is in their first 90 days."""
        if self.joined is None:
            return None
        due = self.joined + dt.timedelta(days=FIRST_DAYS)
        return due if self.today <= due else None

    @property
    def share_reached(self) -> int | None:
        """Percent of this month's check-ins that reached the person (None: none due)."""
        if not self.checkins_due_month:
            return None
        return round(100 * self.checkins_reached_month / self.checkins_due_month)


def _caseloads(vault: Vault, month: str) -> tuple[dict[str, list[str]], Counter[str], Counter[str],
                                                   Counter[str]]:
    """Active people per coach (device -> ids), and per coach: as primary, as secondary,
    new this month."""
    people: dict[str, list[str]] = {}
    primary: Counter[str] = Counter()
    secondary: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for pid, first, second, intake in vault.conn.execute(
            f"SELECT id, {PRIMARY_SQL}, secondary_coach, intake_date FROM participant_card "
            "WHERE deleted = 0 AND status = 'active'"):
        coaches = [first] + ([second] if second and second != first else [])
        primary[first] += 1
        if len(coaches) == 2:
            secondary[second] += 1
        for coach in coaches:
            people.setdefault(coach, []).append(pid)
            new[coach] += str(intake or "")[:7] == month
    return people, primary, secondary, new


def _month_checkins(vault: Vault, today: dt.date) -> dict[str, tuple[int, int]]:
    """participant id -> (check-ins fallen due this month up to today, reached), counted
    as the person's page and the monthly report count them (models.followup.checkins)."""
    calls: dict[str, list[tuple[dt.date, str]]] = {}
    for sid, due_on, outcome in vault.conn.execute(
            "SELECT schedule_id, due_on, outcome FROM checkin_attempt WHERE deleted = 0 "
            "AND schedule_id != '' AND due_on != ''"):
        calls.setdefault(sid, []).append((dt.date.fromisoformat(due_on), outcome))
    first = today.replace(day=1)
    fields = tuple(CheckinSchedule.model_fields)
    found: dict[str, tuple[int, int]] = {}
    for sid, *values in vault.conn.execute(
            f"SELECT id, {', '.join(fields)} FROM checkin_schedule WHERE deleted = 0"):
        try:
            rule = CheckinSchedule.from_stored(dict(zip(fields, values, strict=True)))
        except ValueError:  # in need of fixing (its page says so): no dates to count
            continue
        due, reached = found.get(rule.participant_id, (0, 0))
        for day, outcomes in checkins(rule, calls.get(sid, []), today).items():
            if day >= first:
                due += 1
                reached += "reached" in outcomes
        found[rule.participant_id] = (due, reached)
    return found


def _reviews(vault: Vault) -> tuple[dict[str, int], dict[str, int]]:
    """Per coach (the device that wrote the note): finalized notes with no review yet
    (comments do not count), and notes whose last decision is "needs follow-up". One pass
    over the notes: reading a note's status walks past its body."""
    waiting: dict[str, int] = {}
    follow_ups: dict[str, int] = {}
    for origin, none, asked in vault.conn.execute(
            "SELECT origin, sum(decision IS NULL), sum(coalesce(decision, '') = 'follow_up') FROM ("
            "SELECT n.origin, (SELECT r.kind FROM review_entry r WHERE r.note_id = n.id "
            "AND r.deleted = 0 AND r.kind != 'comment' ORDER BY r.at DESC, r.id DESC LIMIT 1) "
            "AS decision FROM note n JOIN participant p ON p.id = n.participant_id "
            "AND p.deleted = 0 WHERE n.deleted = 0 AND n.status = 'final') GROUP BY origin"):
        waiting[str(origin)], follow_ups[str(origin)] = int(none), int(asked)
    return waiting, follow_ups


def _by_coach(vault: Vault, sql: str, args: tuple[object, ...] = ()) -> dict[str, int]:
    return {str(coach): int(n) for coach, n in vault.conn.execute(sql, args)}


def _coaches(team: list[TeamMember], people: dict[str, list[str]]) -> list[TeamMember]:
    """The team's active coaches, then its supervisors who coach someone, by name."""
    active = [m for m in team if m.active]
    coaches = sorted((m for m in active if m.role == "coach"), key=lambda m: m.name.casefold())
    leads = sorted((m for m in active if m.role != "coach" and people.get(m.device)),
                   key=lambda m: m.name.casefold())
    return coaches + leads


def figures(vault: Vault, today: dt.date | None = None) -> list[Figures]:
    """Every coach of the team with their figures (an empty list: no team yet)."""
    today = today or dt.date.today()
    day, month = today.isoformat(), today.strftime("%Y-%m")
    people, primary, secondary, new = _caseloads(vault, month)
    coaches = _coaches(members(vault.conn), people)
    if not coaches:
        return []
    overdue = action_items.overdue_counts(vault, today)
    waiting = followups.due_counts(vault, today)
    month_checkins = _month_checkins(vault, today)
    hard = followups.hard_to_reach(vault)
    supervision_overdue = _by_coach(
        vault, "SELECT coach, count(*) FROM supervision_item WHERE deleted = 0 AND done_at = '' "
               "AND due != '' AND due < ? GROUP BY coach", (day,))
    last_sessions = {coach: dt.date.fromisoformat(held) for coach, held in vault.conn.execute(
        "SELECT coach, max(held_on) FROM supervision_session WHERE deleted = 0 AND held_on != '' "
        "AND held_on <= ? GROUP BY coach", (day,))}
    crises = _by_coach(vault, "SELECT origin, count(*) FROM crisis_event WHERE deleted = 0 "
                              "AND substr(started_at, 1, 7) = ? GROUP BY origin", (month,))
    notes_waiting, follow_ups = _reviews(vault)
    program_figures, problem = _program(vault, today, people)
    result = []
    for member in coaches:
        mine = people.get(member.device, [])
        result.append(Figures(
            member.device, member.name, member.role,
            primary=primary[member.device], secondary=secondary[member.device],
            new_this_month=new[member.device],
            overdue_items=sum(overdue.get(pid, 0) for pid in mine),
            overdue_supervision_items=supervision_overdue.get(member.device, 0),
            checkins_waiting=sum(waiting.get(pid, 0) for pid in mine),
            checkins_due_month=sum(month_checkins.get(pid, (0, 0))[0] for pid in mine),
            checkins_reached_month=sum(month_checkins.get(pid, (0, 0))[1] for pid in mine),
            hard_to_reach=sum(pid in hard for pid in mine),
            crises_month=crises.get(member.device, 0),
            notes_waiting=notes_waiting.get(member.device, 0),
            follow_ups_open=follow_ups.get(member.device, 0),
            last_session=last_sessions.get(member.device),
            joined=member.joined, joined_exact=member.joined_exact, today=today,
            program=program_figures.get(member.device, CoachProgram()) if not problem else None,
            program_problem=problem))
    return result


def _program(vault: Vault, today: dt.date,
             people: dict[str, list[str]]) -> tuple[dict[str, CoachProgram], str]:
    """Units and follow-ups per coach, from the data files; or the line saying which file
    did not load."""
    from coachdesk import config
    from coachdesk.models.billing import rule
    from coachdesk.models.funder import funder

    base = config.config_dir()
    try:
        billing, grant = rule(base / "billing"), funder(base / "funders")
    except CoachdeskError as exc:
        return {}, str(exc)
    return program.coach_figures(vault.conn, today, people, billing, grant), ""
