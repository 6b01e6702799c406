"""`coachdesk extract ...` and `coachdesk program ...`: program and funder data (issue 22).

    coachdesk extract --month YYYY-MM --format csv [--kind interviews|contacts]
                      [--funder ID] [--billing ID] [--out FILE] [--force]
    coachdesk program show P                     episodes, interview windows, recovery fields
    coachdesk program set P [--pathway ID ...] [--referral-reason ID] [--engagement ...]
                      [--engagement-reason ID] [--engagement-date D] [--no-shows N]
                      [--naloxone N] [--ed-visits N] [--living ID] [--supports N]
    coachdesk program interview P INTERVIEW done|missed [--date D] [--reason ID] [--episode N]
    coachdesk program enrol P --date D           re-enrolment: a new episode, a new baseline
    coachdesk program discharge P --date D       the episode ends; its discharge window opens
    coachdesk program units [--month M]          units per coach and service code
    coachdesk program rate [--month M]           follow-up rate against the target
    coachdesk program files                      check the data files (billing, funders, lists)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk.cli_team import Opener, _bind, opened, parse_date
from coachdesk.errors import CoachdeskError

if TYPE_CHECKING:
    from coachdesk.export.report import Section
    from coachdesk.models.billing import BillingRule
    from coachdesk.models.funder import Funder
    from coachdesk.models.program import RecoveryLists


def _dir(folder: str) -> Path:
    from coachdesk import config

    return config.config_dir() / folder


def _funder(wanted: str | None) -> Funder:
    from coachdesk.models.funder import funder

    return funder(_dir("funders"), wanted)


def _billing(wanted: str | None) -> BillingRule:
    from coachdesk.models.billing import rule

    return rule(_dir("billing"), wanted)


def _lists() -> RecoveryLists:
    from coachdesk.models.program import recovery_lists

    return recovery_lists(_dir("program"))


def _month(text: str | None) -> str:
    from coachdesk.export.report import parse_month

    return parse_month(text)


def cmd_extract(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export import extract
    from coachdesk.files import write_recorded

    if args.format != "csv":
        raise CoachdeskError(f"unknown format {args.format!r}: the extract is csv")
    month = _month(args.month)
    if args.out and Path(args.out).exists() and not args.force:
        raise CoachdeskError(f"{args.out} exists: use --force to replace it")
    # Every data file is read and checked before the vault opens.
    if args.kind == "contacts":
        billing = _billing(args.billing)
    else:
        grant, lists = _funder(args.funder), _lists()
    with opened(args, open_vault) as vault:
        rows = (extract.contact_rows(vault.conn, billing, month) if args.kind == "contacts"
                else extract.interview_rows(vault.conn, grant, lists, month, dt.date.today()))
        text = extract.to_csv(rows)
        scheme = billing.id if args.kind == "contacts" else grant.id

        def record() -> None:
            vault.audit("extract generated", detail=f"{args.kind} {scheme} {month} rows={len(rows) - 1}")

        if args.out:
            write_recorded(vault, Path(args.out), text, record, force=args.force)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
            with vault.transaction():
                record()
    if args.out:
        print(f"wrote {args.out}: {len(rows) - 1} rows")
    return 0


def cmd_show(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.cli_team import _p
    from coachdesk.models.funder import describe_window
    from coachdesk.models.program import recovery_lines
    from coachdesk.store import participants, program

    grant, lists = _funder(args.funder), _lists()
    today = dt.date.today()
    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        vault.audit("participant viewed", "participant", person.id, "program")
        windows = program.person_windows(vault, grant, person.id)
        values = program.recovery(vault.conn, person.id)
    print(f"{_p(person.alias)}: {grant.name}")
    episode = 0
    for window in windows:
        if window.episode.number != episode:
            episode = window.episode.number
            end = window.episode.end.isoformat() if window.episode.end else "enrolled"
            print(f"episode {episode}: {window.episode.start.isoformat()} to {end}")
        print(f"  {describe_window(window, today, grant.missed_reasons)}")
    for line in recovery_lines(lists, values):
        print(line)
    return 0


_SET_OPTIONS = {"pathway": "pathways", "referral_reason": "referral_reason",
                "engagement": "engagement", "engagement_reason": "engagement_reason",
                "engagement_date": "engagement_on", "no_shows": "no_shows",
                "naloxone": "naloxone_given", "ed_visits": "ed_visits",
                "living": "living_situation", "supports": "supports"}


def cmd_set(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import participants, program

    changes: dict[str, Any] = {}
    for option, field in _SET_OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            changes[field] = value
    if args.engagement_date is not None:
        changes["engagement_on"] = parse_date(args.engagement_date, "--engagement-date").isoformat()
    if not changes:
        raise CoachdeskError("nothing to set: give at least one field (see --help)")
    lists = _lists()
    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        changed = program.set_recovery(vault, person.id, changes, lists)
    print(f"changed: {', '.join(changed)}" if changed else "nothing changed")
    return 0


def cmd_interview(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import participants, program

    grant = _funder(args.funder)
    on = parse_date(args.date, "--date")
    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        episodes = program.episodes_of(vault.conn, person.id)[person.id].episodes
        number = args.episode or len(episodes)
        if not 1 <= number <= len(episodes):
            raise CoachdeskError(f"no episode {number}: this person has {len(episodes)}")
        program.record_interview(vault, grant, person.id, episodes[number - 1].start,
                                 args.interview, args.status, on, args.reason or "")
    print(f"recorded: {args.interview} {args.status} on {on.isoformat()} (episode {number})")
    return 0


def cmd_enrol(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import participants, program

    on = parse_date(args.date, "--date")
    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        number = program.enrol(vault, person.id, on)
    print(f"re-enrolled on {on.isoformat()}: episode {number}, with a new baseline")
    return 0


def cmd_discharge(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import participants, program

    on = parse_date(args.date, "--date")
    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        number = program.discharge(vault, person.id, on)
    print(f"episode {number} ended on {on.isoformat()}: the discharge window follows")
    return 0


def _print_sections(found: list[Section]) -> None:
    for section in found:
        print(f"\n{section.title}")
        if section.note or not section.rows:
            print(f"  {section.note or 'none this month'}")
        for label, value in section.rows:
            print(f"  {label}: {value}")


def cmd_units(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export import program_report

    month = _month(args.month)
    billing = _billing(args.billing)
    with opened(args, open_vault) as vault:
        found = program_report.units_sections(vault.conn, month, billing)
        vault.audit("report generated", detail=f"units {month}")
    print(f"Service units, {month}")
    _print_sections(found)
    return 0


def cmd_rate(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export import program_report

    month = _month(args.month)
    grant = _funder(args.funder)
    with opened(args, open_vault) as vault:
        found = program_report.followup_sections(vault.conn, month, grant, dt.date.today())
        vault.audit("report generated", detail=f"follow-up rate {month}")
    print(f"Follow-up rate, {month}")
    _print_sections(found)
    return 0


def cmd_files(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.billing import load_rules
    from coachdesk.models.funder import load_funders

    billing = load_rules(_dir("billing"))
    funders = load_funders(_dir("funders"))
    _lists()
    print(f"ok: billing rules {', '.join(sorted(billing))}; funders {', '.join(sorted(funders))}; "
          "recovery lists")
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    p = sub.add_parser("extract", parents=[common],
                       help="a de-identified month for a funder's system (codes, no names)")
    p.add_argument("--month", metavar="YYYY-MM", help="default: this month")
    p.add_argument("--format", default="csv", metavar="csv", help="csv (the only format)")
    p.add_argument("--kind", choices=("interviews", "contacts"), default="interviews",
                   help="one row per person-interview (default) or per billable contact")
    p.add_argument("--funder", metavar="ID", help="the funder file's id (default: the only one)")
    p.add_argument("--billing", metavar="ID", help="the billing rule's id (default: the only one)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the terminal")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=_bind(cmd_extract, open_vault))

    parent = sub.add_parser("program", parents=[common],
                            help="program data: funder windows, recovery fields, units")
    children = parent.add_subparsers(title="program commands", metavar="COMMAND", required=True)

    def command(cmd: str, func: Callable[[argparse.Namespace, Opener], int],
                text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = children.add_parser(cmd, parents=[common], help=text)
        p.set_defaults(func=_bind(func, open_vault))
        return p

    def person(p: argparse.ArgumentParser) -> None:
        p.add_argument("participant", metavar="PARTICIPANT", help="alias, unique alias prefix or id")

    def funder(p: argparse.ArgumentParser) -> None:
        p.add_argument("--funder", metavar="ID", help="the funder file's id (default: the only one)")

    p = command("show", cmd_show, "a person's episodes, interview windows and recovery fields")
    person(p)
    funder(p)
    p = command("set", cmd_set, "set a person's recovery-support fields (ids from the lists)")
    person(p)
    p.add_argument("--pathway", action="append", metavar="ID",
                   help="a recovery pathway (repeat for several; replaces the list)")
    p.add_argument("--referral-reason", metavar="ID")
    p.add_argument("--engagement", choices=("engaged", "not_engaged"))
    p.add_argument("--engagement-reason", metavar="ID")
    p.add_argument("--engagement-date", metavar="YYYY-MM-DD",
                   help="when the status was set (default: today, when it changes)")
    p.add_argument("--no-shows", type=int, metavar="N")
    p.add_argument("--naloxone", type=int, metavar="N", help="times naloxone was given")
    p.add_argument("--ed-visits", type=int, metavar="N", help="emergency department visits")
    p.add_argument("--living", metavar="ID", help="living situation")
    p.add_argument("--supports", type=int, metavar="N", help="number of supports")
    p = command("interview", cmd_interview, "record an interview done or missed")
    person(p)
    p.add_argument("interview", metavar="INTERVIEW", help="its id in the funder file, e.g. baseline")
    p.add_argument("status", choices=("done", "missed"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--reason", metavar="ID", help="why it was missed (the funder's list)")
    p.add_argument("--episode", type=int, metavar="N", help="default: the latest episode")
    funder(p)
    p = command("enrol", cmd_enrol, "re-enrol a person: a new episode with a new baseline")
    person(p)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    p = command("discharge", cmd_discharge, "end the person's episode (the discharge window follows)")
    person(p)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    p = command("units", cmd_units, "service units of a month, per coach and code")
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--billing", metavar="ID")
    p = command("rate", cmd_rate, "the follow-up rate of a month against the target")
    p.add_argument("--month", metavar="YYYY-MM")
    funder(p)
    command("files", cmd_files, "check the billing, funder and recovery-list data files")
