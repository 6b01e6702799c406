"""What leaves the laptop from the command line: incident summaries, referral packets,
and what a consent covers. Every file like the plan export: only where --out says, temp
file beside it, mode 0600, never over a file without --force, audited.

    coachdesk incident list                                  the checklists, newest first
    coachdesk incident export ID|--last --format md|html --out FILE [--force]
    coachdesk referral packet P --for RECIPIENT [--service NAME] --format md|html --out FILE
    coachdesk consent kinds P --for RECIPIENT [--set KIND,KIND]   show or pick what it covers
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk.cli_team import Opener, _bind, opened
from coachdesk.errors import CoachdeskError

if TYPE_CHECKING:
    from coachdesk.models.consent import ConsentRow
    from coachdesk.models.crisis import CrisisRecord
    from coachdesk.store.vault import Vault

FORMATS = ("md", "html")
MIN_ID_PREFIX = 4
LIST_LIMIT = 200


def consent_for(vault: Vault, participant_id: str, recipient: str) -> ConsentRow:
    """The one current consent whose recipient starts with `recipient`."""
    from coachdesk.store import referrals

    wanted = recipient.strip().lower()
    hits = [c for c in referrals.current_consents(vault, participant_id)
            if wanted and c.recipient.lower().startswith(wanted)]
    if len(hits) != 1:
        raise CoachdeskError(f"no current consent to a recipient matching {recipient!r}"
                             if not hits else f"several current consents match {recipient!r}")
    return hits[0]


def _incident(vault: Vault, wanted: str | None) -> CrisisRecord:
    """The checklist whose id starts with `wanted` (at least 4 characters), or the last."""
    from coachdesk.store import crisis

    if wanted is None:
        hits = crisis.ids_starting(vault, "")
        if not hits:
            raise CoachdeskError("no crisis checklist in this vault yet")
        return crisis.get(vault, hits[0], audited=False)
    text = wanted.strip().lower()
    if len(text) < MIN_ID_PREFIX:
        raise CoachdeskError(f"an incident id needs at least {MIN_ID_PREFIX} characters "
                             "(coachdesk incident list shows them)")
    hits = crisis.ids_starting(vault, text)
    if len(hits) != 1:
        raise CoachdeskError(f"no incident matches {wanted!r}" if not hits
                             else f"several incidents match {wanted!r}: give more of the id")
    return crisis.get(vault, hits[0], audited=False)


def _person_alias(vault: Vault, participant_id: str) -> str:
    from coachdesk.store import participants

    if not participant_id:
        return ""
    try:
        return participants.get(vault, participant_id, audited=False).alias
    except CoachdeskError:  # the person left this vault's caseload
        return "a participant not in this vault"


def cmd_incident_list(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export.incident import local_time
    from coachdesk.store import crisis

    with opened(args, open_vault) as vault:
        records = crisis.history(vault, limit=LIST_LIMIT)
        vault.audit("incidents listed")
    if not records:
        print("no crisis checklists yet")
    elif len(records) == LIST_LIMIT:
        print(f"the newest {LIST_LIMIT}:")
    for r in records:
        started = local_time(r.event.started_at)
        print(f"{r.event.id[:8]}  {started:%Y-%m-%d %H:%M %Z}  {r.event.protocol_title}: "
              f"{r.outcome or 'not ended'}")
    return 0


def cmd_incident_export(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export.incident import export_incident

    if args.id is None and not args.last:
        raise CoachdeskError("give an incident id or --last")
    if args.id is not None and args.last:
        raise CoachdeskError("give an incident id or --last, not both")
    with opened(args, open_vault) as vault:
        record = _incident(vault, args.id)
        written = export_incident(vault, record, args.format, Path(args.out), force=args.force,
                                  person=_person_alias(vault, record.participant_id),
                                  coach=vault.coach)
    print(f"wrote {written}")
    return 0


def cmd_referral_packet(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.export.packet import export_packet
    from coachdesk.store import participants, referrals

    with opened(args, open_vault) as vault:
        person = participants.find(vault, args.participant)
        consent = consent_for(vault, person.id, args.for_recipient)
        found = referrals.for_participant(vault, person.id)
        if args.service:
            wanted = args.service.strip().lower()
            found = [r for r in found if wanted and r.resource_name.lower().startswith(wanted)]
        if not found:
            raise CoachdeskError("no referral of this person" + (
                f" to a service matching {args.service!r}" if args.service else ""))
        if args.service and len({r.resource_id for r in found}) > 1:
            raise CoachdeskError(f"several services match {args.service!r}: give more of the name")
        written = export_packet(vault, person, found[0].id, consent.id, args.format,
                                Path(args.out), force=args.force)
    print(f"wrote {written}")
    return 0


def cmd_consent_kinds(args: argparse.Namespace, open_vault: Opener) -> int:
    from coachdesk.models.consent_kinds import kinds, labels, parse_kinds
    from coachdesk.store import consents

    chosen: list[str] | None = None
    if args.set is not None:
        try:
            chosen = parse_kinds(args.set)
        except ValueError as exc:
            raise CoachdeskError(str(exc)) from None
    with opened(args, open_vault) as vault:
        from coachdesk.store import participants

        person = participants.find(vault, args.participant)
        consent = consent_for(vault, person.id, args.for_recipient)
        if chosen is not None:
            consents.set_kinds(vault, consent.id, chosen)
            consent = consents.get(vault, consent.id)
    print(f"{consent.recipient} ({consent.purpose}): covers {consent.covered_text()}")
    if chosen is None:
        print("kinds: " + ", ".join(f"{k.id} ({k.label})" for k in kinds().values()))
    elif not chosen:
        print(f"it now covers {labels(chosen)}: nothing may be sent under it")
    return 0


def add_parser(sub: Any, common: argparse.ArgumentParser, open_vault: Opener) -> None:
    incident = sub.add_parser("incident", parents=[common], help="crisis checklist records")
    inc = incident.add_subparsers(title="incident commands", metavar="COMMAND", required=True)
    p = inc.add_parser("list", parents=[common], help="the checklists, newest first, with ids")
    p.set_defaults(func=_bind(cmd_incident_list, open_vault))
    p = inc.add_parser("export", parents=[common],
                       help="write a printable incident summary (md or html)")
    p.add_argument("id", metavar="ID", nargs="?", help="the incident id (or its first characters)")
    p.add_argument("--last", action="store_true", help="the most recent checklist")
    p.add_argument("--format", required=True, choices=FORMATS, help="md or html")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (nowhere else)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=_bind(cmd_incident_export, open_vault))

    referral = sub.add_parser("referral", parents=[common], help="referrals to services")
    ref = referral.add_subparsers(title="referral commands", metavar="COMMAND", required=True)
    p = ref.add_parser("packet", parents=[common],
                       help="write a referral / warm-handoff packet under a current consent")
    p.add_argument("participant", metavar="PARTICIPANT", help="alias, unique alias prefix or id")
    p.add_argument("--for", dest="for_recipient", required=True, metavar="RECIPIENT",
                   help="the recipient of a current consent (its first letters)")
    p.add_argument("--service", metavar="NAME", help="the referral to this service (default: newest)")
    p.add_argument("--format", required=True, choices=FORMATS, help="md or html")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (nowhere else)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=_bind(cmd_referral_packet, open_vault))

    consent = sub.add_parser("consent", parents=[common], help="consents to disclose")
    con = consent.add_subparsers(title="consent commands", metavar="COMMAND", required=True)
    p = con.add_parser("kinds", parents=[common],
                       help="show or set the kinds of information a consent covers")
    p.add_argument("participant", metavar="PARTICIPANT", help="alias, unique alias prefix or id")
    p.add_argument("--for", dest="for_recipient", required=True, metavar="RECIPIENT",
                   help="the recipient of a current consent (its first letters)")
    p.add_argument("--set", metavar="KIND,KIND", help="the kinds it covers, from the signed form "
                   "(empty: none)")
    p.set_defaults(func=_bind(cmd_consent_kinds, open_vault))
