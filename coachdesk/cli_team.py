"""`coachdesk team ...`: make a team, join it, remove a member, show it (sync/team_flow.py).

    coachdesk team create NAME
    coachdesk team request FILE
    coachdesk team accept FILE [--role coach|supervisor] [--yes] [--out TEAMFILE]
    coachdesk team join FILE [--yes]
    coachdesk team file --out PATH
    coachdesk team remove MEMBER [--yes]
    coachdesk team show

Where a person compares a fingerprint or confirms a removal, the question is asked on the
terminal (an answer other than y/yes, or none, changes nothing); scripts pass --yes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk.errors import CoachdeskError

if TYPE_CHECKING:
    from coachdesk.store.vault import Vault

Opener = Callable[[argparse.Namespace], "Vault"]


@contextmanager
def opened(args: argparse.Namespace, open_vault: Opener) -> Iterator[Vault]:
    """The unlocked vault for one command, locked again however the command ends."""
    vault = open_vault(args)
    try:
        yield vault
    finally:
        vault.close()


def parse_date(value: str | None, what: str) -> dt.date:
    """A date typed as YYYY-MM-DD (none: today), else one line naming `what`."""
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CoachdeskError(f"{what}: {value[:20]!r} is not a date (YYYY-MM-DD)") from None


def _p(name: str) -> str:
    """A name from a team file or request as it may be printed (no terminal escapes)."""
    from coachdesk.sync.team_flow import printable

    return printable(name)


def confirm(question: str, yes: bool) -> None:
    """Go on only when --yes was given or the answer is y/yes; else nothing is changed."""
    if yes:
        return
    print(f"{question} [y/N] ", end="", flush=True)
    answer = sys.stdin.readline()
    if not sys.stdin.isatty():  # a piped answer is not echoed: end the question's line
        print()
    if not answer:
        raise CoachdeskError("no answer: nothing was changed (run this in a terminal, or pass "
                             "--yes once you have checked)")
    if answer.strip().casefold() not in ("y", "yes"):
        raise CoachdeskError("not confirmed: nothing was changed")


def _refuse_existing(out: str | None, force: bool) -> None:
    """Checked before the vault changes, so a taken --out file does not stop halfway."""
    if out and not force:
        path = Path(out).expanduser()
        if path.exists() and not path.is_dir():
            raise CoachdeskError(f"{path} already exists (use --force to replace it)")


def cmd_create(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        made = team_flow.create_team(vault, args.name)
        mine = vault.identity().fingerprint
    finally:
        vault.close()
    print(f"created team {_p(made.name)} (version 1); you are its supervisor")
    print(f"your fingerprint: {mine}")
    print("next: each coach runs `coachdesk team request FILE` and gives you that file")
    return 0


def cmd_request(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        written = team_flow.write_request(vault, Path(args.file), force=args.force)
        mine = vault.identity().fingerprint
    finally:
        vault.close()
    print(f"wrote {written}: give it to your supervisor")
    print(f"your fingerprint: {mine}")
    print("read it to your supervisor by phone or in person when they accept the request")
    return 0


def cmd_accept(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    _refuse_existing(args.out, args.force)
    vault = open_vault(args)
    try:
        team_flow.require_supervisor(vault)
        who = team_flow.read_request(Path(args.file))
        print(f"join request from {_p(who.name)} (device {who.device[:8]}), as {args.role}")
        print(f"their fingerprint: {who.fingerprint}")
        confirm("Does the fingerprint match what they read to you?", args.yes)
        newer = team_flow.accept_request(vault, Path(args.file), args.role, expected=who)
        print(f"added {_p(who.name)} as {args.role}: {_p(newer.name)} is now version {newer.version}")
        if args.out:
            written = team_flow.write_team_file(vault, Path(args.out), force=args.force)
            print(f"wrote {written}: give it to {_p(who.name)} (`coachdesk team join FILE`)")
        else:
            print("next: `coachdesk team file --out PATH` and give that file to them")
    finally:
        vault.close()
    return 0


def cmd_join(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        preview = team_flow.preview_team_file(vault, Path(args.file))
        shown = preview.team
        if preview.already_held:
            print(f"this vault already holds version {shown.version} of {_p(shown.name)}: nothing new")
            return 0
        if preview.first_use:
            print(f"team {_p(shown.name)} (version {shown.version}), signed by {_p(preview.signer.name)}")
            print(f"the supervisor's fingerprint: {preview.signer.fingerprint}")
            confirm("Does the fingerprint match what your supervisor read to you?", args.yes)
        held, _ = team_flow.join_team(vault, Path(args.file), expected=shown)
        me = held.member(vault.device)
    finally:
        vault.close()
    verb = "joined" if preview.first_use else "updated to"
    print(f"{verb} {_p(held.name)} version {held.version} (signed by {_p(preview.signer.name)}), "
          f"{len(held.active_members())} members")
    if me is not None and not me.active:
        print(f"this vault was removed from the team in version {me.removed}")
    return 0


def cmd_file(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        written = team_flow.write_team_file(vault, Path(args.out), force=args.force)
        held = team_flow.current(vault)
    finally:
        vault.close()
    print(f"wrote {written} ({_p(held.name)} version {held.version})")
    return 0


def cmd_remove(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        held = team_flow.require_supervisor(vault)
        gone = team_flow.find_member(held, args.member)
        print(f"remove {_p(gone.identity.name)} ({gone.role}, device {_p(gone.device[:8])}, "
              f"fingerprint {gone.identity.fingerprint}) from {_p(held.name)}")
        print(team_flow.REMOVAL_NOTE)
        confirm(f"Remove {_p(gone.identity.name)}?", args.yes)
        newer = team_flow.remove(vault, gone.device)
    finally:
        vault.close()
    print(f"removed {_p(gone.identity.name)}: {_p(newer.name)} is now version {newer.version}")
    print("next: `coachdesk team file --out PATH` and give that file to the other members")
    return 0


def cmd_show(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import team_flow

    vault = open_vault(args)
    try:
        held = team_flow.current(vault)
        rows = team_flow.members(vault)
    finally:
        vault.close()
    print(f"{team_flow.printable(held.name)} · version {held.version} · "
          f"signed {team_flow.printable(held.created[:10])}")
    table = [("NAME", "ROLE", "DEVICE", "FINGERPRINT", "STATUS", "LAST BUNDLE")]
    table += [(r.name + (" (you)" if r.you else ""), r.role, r.device, r.fingerprint, r.status,
               r.last_bundle) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print("compare fingerprints by phone or in person, never by the same channel as the file")
    return 0


def _bind(command: Callable[[argparse.Namespace, Opener], int],
          open_vault: Opener) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return command(args, open_vault)
    return run


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    """`team` and its commands on the main parser's subparsers `sub`; `open_vault`
    unlocks the vault as every other command does."""
    group = sub.add_parser("team", parents=[common], help="your team: members, keys, roles")
    team_sub = group.add_subparsers(title="team commands", metavar="COMMAND", required=True)

    def command(name: str, func: Callable[[argparse.Namespace, Opener], int],
                help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = team_sub.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(func=_bind(func, open_vault))
        return p

    p = command("create", cmd_create, "make a team led by this vault (you are its supervisor)")
    p.add_argument("name", metavar="NAME", help="the team's name")
    p = command("request", cmd_request, "write a join request for your supervisor")
    p.add_argument("file", metavar="FILE", help="the request to write (a folder: a new name in it)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = command("accept", cmd_accept, "add the coach of a join request (supervisors)")
    p.add_argument("file", metavar="FILE", help="their join request")
    p.add_argument("--role", choices=["coach", "supervisor"], default="coach")
    p.add_argument("--yes", action="store_true", help="the fingerprint was compared: do not ask")
    p.add_argument("--out", metavar="TEAMFILE", help="also write the new team file here")
    p.add_argument("--force", action="store_true", help="replace TEAMFILE if it exists")
    p = command("join", cmd_join, "keep a team file your supervisor gave you")
    p.add_argument("file", metavar="FILE", help="the team file")
    p.add_argument("--yes", action="store_true", help="the fingerprint was compared: do not ask")
    p = command("file", cmd_file, "write the current team file (to carry to the members)")
    p.add_argument("--out", required=True, metavar="PATH", help="the file (a folder: a new name in it)")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p = command("remove", cmd_remove, "remove a member (a coach leaves, a laptop is lost)")
    p.add_argument("member", metavar="MEMBER", help="name, device id, or a unique prefix of one")
    p.add_argument("--yes", action="store_true", help="do not ask")
    command("show", cmd_show, "the members, their fingerprints and status")
