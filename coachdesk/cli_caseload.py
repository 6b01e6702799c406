"""`coachdesk caseload ...`: who coaches whom (sync/caseload.py).

    coachdesk caseload show                         people per coach (primary, secondary)
    coachdesk caseload match PERSON                 coaches ranked for a person
    coachdesk caseload assign PERSON [--primary M] [--secondary M | --no-secondary]
    coachdesk caseload transfer PERSON MEMBER --note TEXT
    coachdesk caseload share PERSON MEMBER
    coachdesk caseload profile [TAG ...]            your own profile (no TAG: show it)
    coachdesk caseload merge DUPLICATE INTO [--reason TEXT] [--yes]
                                                    two records of one person become one

Assign, transfer and share are the supervisor's; a coach sets their own profile.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coachdesk.cli_team import Opener, _bind, _p, opened

if TYPE_CHECKING:
    pass


def _names(vault: Any) -> dict[str, str]:
    from coachdesk.sync import team

    held = team.current(vault.conn)
    return {m.device: _p(m.identity.name) for m in held.members} if held else {}


def _line(vault: Any, row: Any) -> str:
    from coachdesk.sync import caseload

    names = _names(vault)
    secondary = names.get(row.secondary_coach, row.secondary_coach[:8]) if row.secondary_coach \
        else "none"
    primary = caseload.primary_of(row)
    return f"{row.alias}: primary {names.get(primary, primary[:8])}, secondary {secondary}"


def cmd_show(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        counts = caseload.caseloads(vault)
        names = _names(vault)
    print(f"{'COACH':<24} {'PRIMARY':>7} {'SECONDARY':>9}")
    for device in sorted(set(names) | set(counts), key=lambda d: (names.get(d) or d).casefold()):
        primary, secondary = counts.get(device, (0, 0))
        print(f"{names.get(device, device[:8] + ' (not in the team)'):<24} {primary:>7} "
              f"{secondary:>9}")
    return 0


def cmd_match(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.caseload import label
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        found = caseload.ranked(vault, args.person)
    for match in found:
        shared = "; ".join(label(tag) for tag in match.shared) or "nothing in common listed"
        print(f"{_p(match.member.identity.name):<24} {match.member.role:<10} "
              f"caseload {match.caseload:>3}  shares: {shared}")
    return 0


def cmd_assign(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        row = caseload.assign(vault, args.person, primary=args.primary,
                              secondary="" if args.no_secondary else args.secondary)
        print(_line(vault, row))
    return 0


def cmd_transfer(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        row = caseload.transfer(vault, args.person, args.member, args.note)
        print(_line(vault, row))
        print("the new coach sees your handoff note first, once your next bundle reaches them")
    return 0


def cmd_share(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        print(_line(vault, caseload.share(vault, args.person, args.member)))
    return 0


def cmd_profile(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.caseload import categories, label
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        tags = caseload.set_profile(vault, args.tags) if args.tags else \
            caseload.profile(vault, vault.device)
    print("your profile: " + ("; ".join(label(t) for t in tags) if tags else "empty"))
    if not args.tags:
        print("tags you can use (quote each):")
        for category in categories():
            print(f"  {category.label}: " + ", ".join(f"{category.id}:{i}" for i in category.items))
    return 0


def cmd_merge(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.cli_team import confirm
    from coachdesk.store import participants
    from coachdesk.sync import caseload

    with opened(args, open_vault) as vault:
        gone = participants.find(vault, args.duplicate)
        kept = participants.find(vault, args.into)

        def about(row: Any) -> str:
            phone = f", phone {row.phone}" if row.phone else ""
            return f"{_p(row.alias)} (intake {row.intake_date}{phone}, {row.status.value})"

        print(f"Merge {about(gone)}\n into {about(kept)}?\nEverything of the first is read as "
              "the second's from now on, on every laptop of the team; this cannot be undone.",
              flush=True)
        confirm("Merge them?", args.yes)
        row = caseload.merge_people(vault, gone.id, kept.id, args.reason)
    print(f"merged: {_p(gone.alias)}'s record is now part of {_p(row.alias)}'s")
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    group = sub.add_parser("caseload", parents=[common], help="who coaches whom; matching")
    caseload_sub = group.add_subparsers(title="caseload commands", metavar="COMMAND",
                                        required=True)

    def command(name: str, func: Callable[[argparse.Namespace, Opener], int],
                help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = caseload_sub.add_parser(name, parents=[common],
                                                             help=help_text)
        p.set_defaults(func=_bind(func, open_vault))
        return p

    def person(p: argparse.ArgumentParser) -> None:
        p.add_argument("person", metavar="PERSON", help="alias, unique alias prefix or id")

    def member(p: argparse.ArgumentParser) -> None:
        p.add_argument("member", metavar="MEMBER",
                       help="a team member: name, device id or a unique prefix")

    command("show", cmd_show, "people per coach (as primary, as secondary)")
    p = command("match", cmd_match, "coaches ranked for a person: what they share, caseload")
    person(p)
    p = command("assign", cmd_assign, "set a person's primary and secondary coach (supervisors)")
    person(p)
    p.add_argument("--primary", metavar="MEMBER")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--secondary", metavar="MEMBER")
    which.add_argument("--no-secondary", action="store_true", help="no secondary coach")
    p = command("transfer", cmd_transfer, "a new primary coach, with a handoff note (supervisors)")
    person(p)
    member(p)
    p.add_argument("--note", required=True, metavar="TEXT", help="what the new coach should know")
    p = command("share", cmd_share, "add a secondary coach (supervisors)")
    person(p)
    member(p)
    p = command("merge", cmd_merge, "two records of one person become one (both histories "
                "kept): DUPLICATE is read as INTO from now on")
    p.add_argument("duplicate", metavar="DUPLICATE", help="the record that goes: alias, prefix or id")
    p.add_argument("into", metavar="INTO", help="the record that stays: alias, prefix or id")
    p.add_argument("--reason", default="", metavar="TEXT", help="why (kept with the merge)")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    p = command("profile", cmd_profile, "your lived experience and skills, for matching")
    p.add_argument("tags", nargs="*", metavar="TAG", help="category:item (none: show them)")
