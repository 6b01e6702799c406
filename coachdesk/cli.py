"""The command line. Same services as the TUI; a user error is one line and exit 1.

    coachdesk [--data-dir DIR]       the TUI (first run: setup screen)
    coachdesk demo                   the TUI on a demo vault (passphrase: demo)
    coachdesk init                   create a vault
    coachdesk check                  integrity check of the vault
    coachdesk passwd                 change the passphrase (rewraps the key slot)
    coachdesk resources import|export FILE.csv
    coachdesk plan export P --format md|html --out FILE [--force] [--for RECIPIENT]
    coachdesk disclosures P [--out FILE]
    coachdesk report [--team] [--month YYYY-MM] [--format md|csv|parquet] [--out FILE] [--suppress]
    coachdesk agency FOLDER          agency totals from the team reports in FOLDER (no vault)
    coachdesk export FILE [--peer NAME | --full]   write a sync bundle
    coachdesk import FILE [FILE...]                 merge sync bundles
    coachdesk team create|request|accept|join|file|remove|show   the team (cli_team.py)
    coachdesk caseload show|match|assign|transfer|share|profile  who coaches whom (cli_caseload.py)
    coachdesk supervision log|list|done|topics, ledger add|show|progress  (cli_supervision.py)
    coachdesk incident list|export, referral packet, consent kinds           (cli_export.py)
    coachdesk extract, program show|set|interview|enrol|discharge|units|rate|files  (cli_program.py)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import (
    __version__,
    cli_caseload,
    cli_export,
    cli_program,
    cli_supervision,
    cli_sync,
    cli_team,
    config,
)
from coachdesk.cli_progress import bar, clear_line
from coachdesk.cli_secrets import new_passphrase, passphrase, utf8
from coachdesk.errors import CoachdeskError

# Each command imports the store, sync, exports or the TUI itself when it runs: start-up
# speed (`coachdesk --help` and a one-line usage error load none of them).

if TYPE_CHECKING:
    from collections.abc import Callable

    from coachdesk.export import team_report
    from coachdesk.store.vault import Vault
    from coachdesk.sync.scope_guard import Leaving
    from coachdesk.sync.team import TeamFile


INTERRUPTED = 130
"""The exit code after Ctrl+C, as shells and scripts expect (128 + SIGINT)."""


def _harden_process() -> None:
    """No core dumps (they would hold decrypted records); files we create are owner-only."""
    os.umask(0o077)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def cmd_init(args: argparse.Namespace) -> int:
    from coachdesk.store.vault import Vault

    directory = config.data_dir(args.data_dir)
    coach = args.coach
    if coach is None:
        if not sys.stdin.isatty():
            raise CoachdeskError("no coach name: use --coach NAME")
        coach = utf8(input("Your name (as it appears on notes): "), "the name")
    secret = new_passphrase(args, "COACHDESK_PASSPHRASE", "passphrase_file")
    Vault.create(directory, secret, coach).close()
    print(f"created a vault in {directory}")
    print("keep the passphrase safe: there is no way to recover a vault without it")
    return 0


def open_vault(args: argparse.Namespace) -> Vault:
    """The vault named by --data-dir / COACHDESK_HOME, unlocked with the script passphrase."""
    from coachdesk.store.vault import Vault, require_vault

    directory = config.data_dir(args.data_dir)
    require_vault(directory)
    return Vault.open(directory, passphrase(args))


def cmd_check(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    try:
        problems = vault.check()
        vault.audit("integrity check", detail="ok" if not problems else "problems")
    finally:
        vault.close()
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    print("ok: encryption, database integrity, schema and audit chain")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from coachdesk.store.vault import Vault, require_vault

    directory = config.data_dir(args.data_dir)
    require_vault(directory)
    old = passphrase(args, "Current passphrase: ")
    new = new_passphrase(args, "COACHDESK_NEW_PASSPHRASE", "new_passphrase_file")
    Vault.change_passphrase(directory, old, new)
    print("passphrase changed")
    return 0


def cmd_resources(args: argparse.Namespace) -> int:
    from coachdesk.store import resources

    path = Path(args.file)
    if args.action == "export" and path.exists() and not args.force:
        raise CoachdeskError(f"{path} exists: use --force to replace it")
    vault = open_vault(args)
    try:
        if args.action == "import":
            added, updated = resources.import_csv(vault, path)
            print(f"imported {path}: {added} added, {updated} updated")
        else:
            print(f"exported {resources.export_csv(vault, path)} resources to {path}")
    finally:
        vault.close()
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from coachdesk.export.plan import FORMATS, export_plan
    from coachdesk.store import participants

    if args.format not in FORMATS:
        raise CoachdeskError(f"unknown format {args.format!r}: use md or html")
    vault = open_vault(args)
    try:
        person = participants.find(vault, args.participant)
        consent_id = (cli_export.consent_for(vault, person.id, args.for_recipient).id
                      if args.for_recipient else None)
        written = export_plan(vault, person, args.format, Path(args.out), force=args.force,
                              consent_id=consent_id)
    finally:
        vault.close()
    print(f"wrote {written}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from coachdesk.sync import service

    vault = open_vault(args)
    try:
        with bar("exporting") as step:
            result = service.export_bundle(vault, Path(args.file), peer=args.peer, full=args.full,
                                           progress=step)
    finally:
        vault.close()
    print(result.line())
    return 0


def trust_first_team(args: argparse.Namespace) -> Callable[[TeamFile], bool]:
    """Before a vault with no team trusts a team file: show who signed it, ask (or --yes)."""
    from coachdesk.cli_team import confirm
    from coachdesk.sync.team_flow import printable

    def ask(team: TeamFile) -> bool:
        clear_line()
        signer = team.member(team.signer)
        if signer is None:
            return False
        print(f"This bundle brings the team {printable(team.name)!r}, signed by its supervisor "
              f"{printable(signer.identity.name)}.\nTheir fingerprint: "
              f"{signer.identity.fingerprint}", flush=True)
        confirm("Does it match what the supervisor reads to you?", args.yes)
        return True

    return ask


def confirm_leaving(args: argparse.Namespace) -> Callable[[list[Leaving]], bool]:
    """Before people with drafts here leave this vault's caseload: say so, ask (or --yes)."""
    from coachdesk.cli_team import confirm

    def ask(gone: list[Leaving]) -> bool:
        clear_line()
        drafts = sum(g.drafts for g in gone)
        print(f"This bundle moves {len(gone)} of your people out of your caseload: their records "
              f"leave this vault, and your {drafts} draft(s) for them go to the supervisor with "
              "your next bundle.", flush=True)
        confirm("Import it?", args.yes)
        return True

    return ask


def cmd_import(args: argparse.Namespace) -> int:
    from coachdesk.sync import merge

    vault = open_vault(args)
    failed = 0
    try:
        for name in args.files:
            try:
                with bar(f"importing {Path(name).name}") as step:
                    summary = merge.import_bundle(vault, Path(name), step,
                                                  trust_first=trust_first_team(args),
                                                  confirm_leaving=confirm_leaving(args))
                print(summary.line(), flush=True)
            except CoachdeskError as exc:
                failed += 1
                print(f"error: {_error_line(exc, args)}", file=sys.stderr, flush=True)
    finally:
        vault.close()
    return 1 if failed else 0


def _deliver(vault: Vault, args: argparse.Namespace, text: str, record: Callable[[], object]) -> None:
    """The text to --out FILE or the terminal; `record` (audit entries) only once it is there,
    for a file in the same transaction that puts it in place."""
    from coachdesk.files import write_recorded

    if args.out:
        write_recorded(vault, Path(args.out), text, record, force=args.force)
        return
    sys.stdout.write(text)
    sys.stdout.flush()
    with vault.transaction():
        record()


def cmd_disclosures(args: argparse.Namespace) -> int:
    import datetime as dt

    from coachdesk.export.disclosure import accounting
    from coachdesk.store import participants, referrals

    vault = open_vault(args)
    try:
        person = participants.find(vault, args.participant)
        text = accounting(person.alias, referrals.disclosures(vault, person.id), dt.date.today())
        _deliver(vault, args, text, lambda: vault.audit("disclosures accounted", "participant", person.id))
    finally:
        vault.close()
    if args.out:
        print(f"wrote {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from coachdesk.export import program_report, report, supervision_report

    if args.team:
        if args.suppress:
            raise CoachdeskError("the team report is always suppressed: drop --suppress")
        return cmd_team_report(args)
    if args.format == "parquet":
        raise CoachdeskError("--format parquet is for the team report: add --team")
    month = report.parse_month(args.month)
    if args.out and Path(args.out).exists() and not args.force:
        raise CoachdeskError(f"{args.out} exists: use --force to replace it")
    vault = open_vault(args)
    try:
        with bar("report") as step:
            built = supervision_report.build(vault.conn, month) if args.kind == "supervision" \
                else program_report.full(vault.conn, month, step)
        if args.suppress:
            built = report.suppressed(built)
        form = args.format or "md"
        text = report.to_csv(built) if form == "csv" else report.to_markdown(built)
        detail = f"{args.kind} {month} {form}" if args.kind != "service" else f"{month} {form}"
        detail += " suppressed" if args.suppress else ""
        _deliver(vault, args, text, lambda: vault.audit("report generated", detail=detail))
    finally:
        vault.close()
    if args.out:
        print(f"wrote {args.out}")
    return 0


def _team_of(vault: Vault) -> team_report.Team:
    """The hub's team, as the report names it; only a supervisor's vault holds all of it."""
    from coachdesk.export import team_report
    from coachdesk.sync import team

    held = team.current(vault.conn)
    if held is None:
        raise CoachdeskError("this vault is in no team: the team report is made on the team's hub")
    if held.supervisor(vault.device) is None:
        raise CoachdeskError("only a supervisor's vault (the team's hub) holds every coach's "
                             "people: make the team report there")
    return team_report.Team(held.team_id, held.name,
                            {m.device: m.identity.name for m in held.members},
                            tuple(m.device for m in held.active_members()))


def cmd_team_report(args: argparse.Namespace) -> int:
    """`report --team`: counts per coach and for the team, small cells suppressed."""
    from coachdesk.export import report, team_report

    form = args.format or "csv"
    if form not in ("csv", "parquet"):
        raise CoachdeskError("the team report is csv or parquet (--format csv|parquet)")
    month = report.parse_month(args.month)
    if form == "parquet":
        if not args.out:
            raise CoachdeskError("--format parquet writes a file: give --out FILE")
        team_report.require_duckdb("--format parquet")
    if args.out and Path(args.out).exists() and not args.force:
        raise CoachdeskError(f"{args.out} exists: use --force to replace it")
    vault = open_vault(args)
    try:
        rows = team_report.build(vault.conn, month, _team_of(vault))
        content = team_report.to_csv(rows) if form == "csv" else team_report.parquet_writer(rows)

        def record() -> None:
            vault.audit("team report generated", detail=f"{month} {form}")

        if args.out:
            from coachdesk.files import write_recorded

            write_recorded(vault, Path(args.out), content, record, force=args.force)
        else:
            assert isinstance(content, str)
            _deliver(vault, args, content, record)
    finally:
        vault.close()
    if args.out:
        print(f"wrote {args.out}")
    return 0


def cmd_agency(args: argparse.Namespace) -> int:
    """`agency FOLDER`: every team export in FOLDER, totals by month and team (no vault)."""
    from coachdesk.export import agency, team_report

    team_report.require_duckdb("coachdesk agency")
    rollup = agency.read_folder(Path(args.folder))
    for line in rollup.skipped:
        print(f"skipped {line}", file=sys.stderr)
    sys.stdout.write(agency.to_text(rollup))
    sys.stdout.flush()
    return 0


def _run_tui(directory: Path, demo: bool) -> int:
    from coachdesk.store.db import refuse_plaintext
    from coachdesk.store.vault import require_writable, vault_path

    if directory.exists():
        require_writable(directory)
        refuse_plaintext(vault_path(directory), "coachdesk vault")
    elif not directory.parent.exists() and not demo:
        raise CoachdeskError(f"data dir {directory} does not exist, nor does its parent")
    from coachdesk.tui.app import CoachdeskApp

    app = CoachdeskApp(directory, demo=demo)
    result = app.run()
    if app.return_code:
        return app.return_code
    if result:
        print(result)
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    return _run_tui(config.data_dir(args.data_dir), demo=False)


def cmd_demo(args: argparse.Namespace) -> int:
    from coachdesk.demo import ensure_demo_vault
    from coachdesk.store.vault import ensure_data_dir

    base = config.data_dir(args.data_dir)
    ensure_data_dir(base)
    print("preparing the demo vault (fictional people; passphrase: demo)...", flush=True)
    return _run_tui(ensure_demo_vault(base), demo=True)


ENVIRONMENT = """environment:
  COACHDESK_HOME                 where the vault lives (default: the user data dir)
  COACHDESK_PASSPHRASE           the passphrase, for scripts (or --passphrase-file)
  COACHDESK_PASSPHRASE_COMMAND   a command that prints the passphrase, e.g.
                                 "pass show coachdesk" (its first line is used)
  COACHDESK_NEW_PASSPHRASE       the new passphrase for `passwd`
  COACHDESK_PROTOCOLS_DIR        an agency's own crisis protocols instead of the shipped ones
  NO_COLOR                       any value: the TUI uses no colour

exit status: 0 done, 1 an error (one line on stderr), 2 a usage error, 130 interrupted (Ctrl+C)
"""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the command is not reset by the command's parser.
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where the vault lives (default: $COACHDESK_HOME or the user data dir)")
    common.add_argument("--passphrase-file", metavar="F", default=argparse.SUPPRESS,
                        help="read the passphrase from a file (scripts)")
    parser = argparse.ArgumentParser(
        prog="coachdesk", parents=[common],
        description="Encrypted, offline notebook for peer recovery coaches.",
        epilog=ENVIRONMENT, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coachdesk {__version__}")
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = sub.add_parser("demo", parents=[common], help="open the TUI on a demo vault (passphrase: demo)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("init", parents=[common], help="create a vault")
    p.add_argument("--coach", metavar="NAME", help="your name, as it appears on notes")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("check", parents=[common], help="check the vault's integrity")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("passwd", parents=[common], help="change the vault passphrase")
    p.add_argument("--new-passphrase-file", metavar="F", help="read the new passphrase from a file")
    p.set_defaults(func=cmd_passwd)
    p = sub.add_parser("resources", parents=[common], help="import or export the resource directory")
    p.add_argument("action", choices=["import", "export"])
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--force", action="store_true", help="replace an existing file on export")
    p.set_defaults(func=cmd_resources)
    plan = sub.add_parser("plan", parents=[common], help="wellness plans")
    plan_sub = plan.add_subparsers(title="plan commands", metavar="COMMAND", required=True)
    p = plan_sub.add_parser("export", parents=[common], help="write a printable plan (md or html)")
    p.add_argument("participant", metavar="PARTICIPANT", help="alias, unique alias prefix or id")
    p.add_argument("--format", required=True, choices=["md", "html"])
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (nowhere else)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--for", dest="for_recipient", metavar="RECIPIENT",
                   help="send outside the program under the current consent to RECIPIENT "
                        "(adds the redisclosure notice and logs the disclosure)")
    p.set_defaults(func=cmd_plan_export)
    p = sub.add_parser("disclosures", parents=[common],
                       help="accounting of a participant's disclosures (42 CFR Part 2)")
    p.add_argument("participant", metavar="PARTICIPANT", help="alias, unique alias prefix or id")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the terminal")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_disclosures)
    p = sub.add_parser("export", parents=[common],
                       help="write a sync bundle addressed to your team's members")
    p.add_argument("file", metavar="FILE", help="the bundle to write (a folder: a new name in it)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--peer", metavar="NAME",
                       help="only for this member (name or device id), only what they lack")
    which.add_argument("--full", action="store_true", help="every change this vault holds")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", parents=[common], help="merge sync bundles from your team")
    p.add_argument("files", metavar="FILE", nargs="+", help="bundles to import")
    p.add_argument("--yes", action="store_true",
                   help="trust a first team file without asking (compare the fingerprint first)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("report", parents=[common], help="monthly counts for supervisors (no names)")
    p.add_argument("kind", nargs="?", choices=["service", "supervision"], default="service",
                   help="service (default): contacts, referrals, check-ins; supervision: "
                        "supervision hours, reviews, continuing education")
    p.add_argument("--month", metavar="YYYY-MM", help="the month (default: this month)")
    p.add_argument("--format", choices=["csv", "md", "parquet"],
                   help="md or csv; with --team csv (default) or parquet")
    p.add_argument("--team", action="store_true",
                   help="on the team's hub: counts per coach and team for the agency, "
                        "small cells (1 to 10) suppressed")
    p.add_argument("--suppress", action="store_true",
                   help="for a report that leaves the program: withhold counts of 1 to 10 "
                        "and the figures that would reveal them")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the terminal")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("agency", parents=[common],
                       help="agency totals by month and team from the team reports in a folder")
    p.add_argument("folder", metavar="FOLDER", help="a folder of team reports (csv or parquet)")
    p.set_defaults(func=cmd_agency)
    cli_team.add_parser(sub, common, open_vault)
    cli_caseload.add_parser(sub, common, open_vault)
    cli_sync.add_parser(sub, common, open_vault)
    cli_supervision.add_parser(sub, common, open_vault)
    cli_export.add_parser(sub, common, open_vault)
    cli_program.add_parser(sub, common, open_vault)
    p = sub.add_parser("completion", help="print shell completion for coachdesk (bash, zsh or tcsh)",
                       description="Print a completion script. bash: coachdesk completion bash > "
                                   "~/.local/share/bash-completion/completions/coachdesk")
    p.add_argument("shell", choices=["bash", "zsh", "tcsh"])
    p.set_defaults(func=cmd_completion)
    return parser


def cmd_completion(args: argparse.Namespace) -> int:
    from coachdesk.cli_completion import script

    sys.stdout.write(script(build_parser(), args.shell))
    return 0


# What each argument is called in an error line (else its option name).
_ARGUMENT_NAMES = {"participant": "the person", "file": "the file name", "files": "a file name",
                   "out": "the file name", "coach": "the coach name", "month": "the month",
                   "for_recipient": "the recipient", "peer": "the peer name", "folder": "the folder",
                   "data_dir": "the data dir", "name": "the team name", "member": "the member",
                   "folders": "the folder", "interval": "the interval", "id": "the incident id",
                   "service": "the service", "set": "the kinds", "funder": "--funder",
                   "billing": "--billing", "interview": "the interview",
                   "duplicate": "the person", "into": "the person", "reason": "the reason"}


def _check_arguments(args: argparse.Namespace) -> None:
    """Every argument and COACHDESK_HOME valid UTF-8 text, before anything is opened."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                utf8(item, _ARGUMENT_NAMES.get(name, "--" + name.replace("_", "-")))
    utf8(os.environ.get("COACHDESK_HOME", ""), "$COACHDESK_HOME")


def main(argv: list[str] | None = None) -> int:
    _harden_process()
    args = build_parser().parse_args(argv)
    for option in ("data_dir", "passphrase_file"):
        setattr(args, option, getattr(args, option, None))
    try:
        _check_arguments(args)
        command: Callable[[argparse.Namespace], int] = args.func
        return command(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:
        line = _error_line(exc, args)
        if line is None:
            raise
        print(f"error: {line}", file=sys.stderr)
        return 1


def _error_line(exc: Exception, args: argparse.Namespace) -> str | None:
    """The one line for an error the user can act on (a full disk said as such), else None."""
    from coachdesk.errors import DISK_FULL, disk_full
    from coachdesk.store.db import DatabaseError

    if not isinstance(exc, (CoachdeskError, OSError, DatabaseError, UnicodeError)):
        return None
    folders = [config.data_dir(args.data_dir)]
    if getattr(args, "out", None):
        folders.append(Path(args.out).expanduser().parent)
    if disk_full(exc, *folders):
        return DISK_FULL
    if isinstance(exc, CoachdeskError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    if isinstance(exc, UnicodeError):
        return "some text is not valid UTF-8"
    return f"the vault could not be read or written ({exc})"
