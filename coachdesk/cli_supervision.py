"""`coachdesk supervision ...` and `coachdesk ledger ...`: supervision sessions and the
coach's own ledger (sync/supervision.py, store/ledger.py, models/credential.py).

    coachdesk supervision log --coach NAME [--coach NAME] --minutes N --date D --topic ID ...
                              [--note TEXT] [--item TEXT ...]      the supervisor's
    coachdesk supervision list [--coach NAME]                      sessions and items
    coachdesk supervision done ITEM [--undo]                       an item done (or open again)
    coachdesk supervision topics                                   the topic ids
    coachdesk ledger add --date D --title T --provider P --hours H [--domain ID]
                         [--kind training|continuing_education]
    coachdesk ledger show                                          your ledger lines
    coachdesk ledger progress [--credential ID] [--earned DATE]    done, missing, renewal due
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coachdesk.cli_team import Opener, _bind, _p, opened, parse_date

if TYPE_CHECKING:
    from coachdesk.models.credential import Catalog


def cmd_log(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import supervision

    held_on = parse_date(args.date, "--date")
    with opened(args, open_vault) as vault:
        ids = supervision.log_session(vault, args.coach, held_on=held_on, minutes=args.minutes,
                                      topics=args.topic, note=args.note or "",
                                      items=args.item or [])
        names = supervision.names(vault)
        rows = {r.id: r for r in supervision.visible_sessions(vault)}
    who = ", ".join(_p(names.get(rows[i].session.coach, "?")) for i in ids if i in rows)
    kind = "group session" if len(ids) > 1 else "session"
    print(f"logged a {kind} of {args.minutes} minutes on {held_on.isoformat()} with {who}"
          + (f"; {len(args.item)} item(s) each" if args.item else ""))
    return 0


def cmd_list(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.competency import label
    from coachdesk.store import selfcare
    from coachdesk.store.supervision import short_id
    from coachdesk.sync import supervision

    with opened(args, open_vault) as vault:
        found = supervision.visible_sessions(vault, args.coach)
        items = supervision.visible_items(vault, args.coach)
        names = supervision.names(vault)
        shared = {row.id: selfcare.shared_for(vault, row.id) for row in found}
    if not found and not items:
        print("no supervision sessions yet")
        return 0
    for row in found:
        s = row.session
        topics = "; ".join(label(t) for t in s.topics) or "no topic"
        print(f"{s.held_on.isoformat()}  {_p(names.get(s.coach, s.coach[:8])):<20} "
              f"{s.minutes:>4} min  {s.format:<10} {topics}")
        if s.private_note:
            print(f"    note: {_p(s.private_note)}")
        for summary in shared[row.id]:
            print(f"    self-care shared: {_p(summary)}")
    if items:
        print("items:")
    for item in items:
        mark = "done" if item.item.done_at else "open"
        print(f"  [{mark}] {short_id(item.id)}  {_p(names.get(item.item.coach, '?'))}: "
              f"{_p(item.item.text)}")
    return 0


def cmd_done(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.sync import supervision

    with opened(args, open_vault) as vault:
        row = supervision.mark_done(vault, args.item, not args.undo)
    print(f"{'open again' if args.undo else 'done'}: {_p(row.item.text)}")
    return 0


def cmd_topics(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.competency import domains

    for domain in domains():
        print(f"{domain.id:<16} {domain.label}")
    return 0


def _catalog() -> Catalog:
    from coachdesk import config
    from coachdesk.models.credential import load_all

    catalog = load_all(config.credentials_dir())
    for problem in catalog.problems:
        print(f"warning: skipped {problem}")
    return catalog


def cmd_ledger_add(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import ledger

    taken_on = parse_date(args.date, "--date")
    catalog = _catalog()
    domains = {d for c in catalog.credentials.values() for d in c.domains}
    with opened(args, open_vault) as vault:
        ledger.add(vault, {"taken_on": taken_on, "title": args.title, "provider": args.provider,
                           "hours": args.hours, "domain": args.domain or "",
                           "kind": args.kind}, domains)
    print(f"added {args.hours:g} hours of {args.kind.replace('_', ' ')} on {taken_on.isoformat()}")
    return 0


def cmd_ledger_show(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.store import ledger

    with opened(args, open_vault) as vault:
        rows = ledger.entries(vault, vault.device)
        hours = ledger.hours(vault, vault.device)
    print(f"{'DATE':<10}  {'HOURS':>5}  {'KIND':<20} {'DOMAIN':<12} TITLE (PROVIDER)")
    for row in rows:
        e = row.entry
        provider = f" ({_p(e.provider)})" if e.provider else ""
        print(f"{e.taken_on.isoformat():<10}  {e.hours:>5g}  {e.kind.replace('_', ' '):<20} "
              f"{e.domain or '-':<12} {_p(e.title)}{provider}")
    print(f"supervision: {hours.supervision:.1f} hours (from sessions); experience: "
          f"{hours.experience:.1f} hours (from your finalized notes)")
    return 0


def cmd_ledger_progress(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.credential import describe, progress
    from coachdesk.store import ledger

    catalog = _catalog()
    credential = catalog.get(args.credential)
    earned_on = parse_date(args.earned, "--earned") if args.earned else None
    with opened(args, open_vault) as vault:
        if earned_on is not None:
            ledger.set_earned(vault, credential.id, earned_on)
        held = ledger.earned(vault).get(credential.id)
        hours = ledger.hours(vault, vault.device)
    for line in describe(progress(credential, hours, held, dt.date.today())):
        print(line)
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    def group(name: str, help_text: str) -> Callable[..., argparse.ArgumentParser]:
        parent = sub.add_parser(name, parents=[common], help=help_text)
        children = parent.add_subparsers(title=f"{name} commands", metavar="COMMAND",
                                         required=True)

        def command(cmd: str, func: Callable[[argparse.Namespace, Opener], int],
                    text: str) -> argparse.ArgumentParser:
            p: argparse.ArgumentParser = children.add_parser(cmd, parents=[common], help=text)
            p.set_defaults(func=_bind(func, open_vault))
            return p
        return command

    command = group("supervision", "supervision sessions and their items")
    p = command("log", cmd_log, "log a session (supervisors): several --coach make a group session")
    p.add_argument("--coach", action="append", required=True, metavar="NAME",
                   help="a coach of the team (repeat for a group session)")
    p.add_argument("--minutes", type=int, required=True, metavar="N")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--topic", action="append", required=True, metavar="ID",
                   help="a competency domain (`coachdesk supervision topics`)")
    p.add_argument("--note", metavar="TEXT", help="private to the supervisor and the coach")
    p.add_argument("--item", action="append", metavar="TEXT", help="an item for each coach")
    p = command("list", cmd_list, "sessions and items (a coach: their own)")
    p.add_argument("--coach", metavar="NAME", help="one coach's (supervisors)")
    p = command("done", cmd_done, "mark an item done")
    p.add_argument("item", metavar="ITEM", help="the item's id or its end, as `list` shows it")
    p.add_argument("--undo", action="store_true", help="open it again")
    command("topics", cmd_topics, "the competency domains a session's topics come from")

    command = group("ledger", "your training, continuing education and credential progress")
    p = command("add", cmd_ledger_add, "add training or continuing-education hours")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("--provider", default="", metavar="P")
    p.add_argument("--hours", type=float, required=True, metavar="H")
    p.add_argument("--domain", metavar="ID", help="a credential domain, e.g. ethics")
    p.add_argument("--kind", choices=("training", "continuing_education"), default="training")
    command("show", cmd_ledger_show, "your ledger lines and hours")
    p = command("progress", cmd_ledger_progress, "done, missing, and when the renewal is due")
    p.add_argument("--credential", metavar="ID", help="default: icrc_peer_recovery")
    p.add_argument("--earned", metavar="YYYY-MM-DD",
                   help="the day you earned it (remembered): progress toward renewal")
