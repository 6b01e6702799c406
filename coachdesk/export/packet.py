"""The referral / warm-handoff packet for the service a person is referred to.

What the service needs to reach the person well: why they are referred, how to contact
them (whether a message may be left, the best time), who their coach is and how to reach
the coach, the service's own address, phone and hours, and the consent it goes under.
Only the kinds of information the consent covers go in: the rest says "not covered by
the consent". Markdown or HTML; the redisclosure notice last; the disclosure logged with
the kinds that went.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachdesk.errors import CoachdeskError
from coachdesk.export.disclosed import consent_line
from coachdesk.export.document import FORMATS, Block, Document, Facts, Heading, Para, render
from coachdesk.export.plan import Contacts
from coachdesk.files import write_recorded
from coachdesk.models.consent import ConsentRow
from coachdesk.models.consent_kinds import labels
from coachdesk.models.participant import ParticipantRow
from coachdesk.models.referral import MESSAGE_OK_TEXT, MessageOk
from coachdesk.models.resource import KIND_LABELS, ResourceKind
from coachdesk.store import audit, referrals, resources
from coachdesk.store.referrals import ReferralView
from coachdesk.store.resources import ResourceRow
from coachdesk.store.vault import Vault

PACKET_KINDS = ("referral_reason", "contact")
"""What a packet can carry; the consent picks among them."""
NOT_COVERED = "not covered by the consent"
NOT_GIVEN = "not given"


def _or(value: str, default: str = NOT_GIVEN) -> str:
    return value.strip() or default


def document(person: ParticipantRow, referral: ReferralView, service: ResourceRow | None,
             consent: ConsentRow, contacts: Contacts, today: dt.date) -> Document:
    name = person.alias
    covers = consent.covers
    blocks: list[Block] = [
        Facts([("Referred to", referral.resource_name),
               ("Referred on", referral.referred_on),
               ("Prepared", today.isoformat())]),
        Heading("Why this referral"),
        Para(_or(referral.reason) if covers("referral_reason") else NOT_COVERED,
             "" if covers("referral_reason") else "muted"),
        Heading("The person"),
    ]
    person_rows = [("Name", name)] + ([("Pronouns", person.pronouns)] if person.pronouns else [])
    if covers("contact"):
        person_rows += [("Phone", _or(person.phone, "not on file")),
                        ("Safe to leave a message", MESSAGE_OK_TEXT[MessageOk(referral.message_ok)]),
                        ("Best time to reach", _or(referral.best_time))]
    else:
        person_rows.append(("Contact details", NOT_COVERED))
    blocks.append(Facts(person_rows))
    blocks += [Heading("Their peer recovery coach"),
               Facts([("Coach", _or(contacts.coach)), ("Phone", _or(contacts.coach_phone))]),
               Para("Please call the coach for a warm handoff: the coach can come along to "
                    "the first visit or join the first call.", "muted")]
    kind = KIND_LABELS.get(ResourceKind(referral.resource_kind), referral.resource_kind)
    if service is not None:
        blocks += [Heading("The service"),
                   Facts([("Name", service.name), ("Kind", kind), ("Address", _or(service.address)),
                          ("Phone", _or(service.phone)), ("Hours", _or(service.hours))])]
    blocks += [Heading("Consent"),
               Facts([("Recipient", consent.recipient), ("Purpose", consent.purpose),
                      ("Signed", consent.signed_on.isoformat()),
                      ("Covers", labels(consent.kinds))]),
               Para(f"Shared under the {consent_line(consent)}.", "muted")]
    return Document(f"Referral: {name}", name, [blocks], notice=referrals.redisclosure_notice())


def export_packet(vault: Vault, person: ParticipantRow, referral_id: str, consent_id: str,
                  fmt: str, path: Path, *, force: bool = False, today: dt.date | None = None) -> Path:
    """Write the packet (audited, the disclosure logged with its kinds); the path written."""
    if fmt not in FORMATS:
        raise CoachdeskError(f"unknown format {fmt!r}: use md or html")
    today = today or dt.date.today()
    referral = referrals.get(vault, referral_id)
    if referral.participant_id != person.id:
        raise CoachdeskError("that referral is not this person's")
    consent = referrals.consent_for_disclosure(vault, person.id, consent_id, today)
    went = [k for k in PACKET_KINDS if consent.covers(k)]
    if not went:
        raise CoachdeskError(f"the consent to {consent.recipient} covers none of what a referral "
                             f"packet holds (it covers {labels(consent.kinds)}): nothing was written")
    service = resources.get(vault, referral.resource_id)
    doc = document(person, referral, service, consent, Contacts.of(vault), today)
    text = render(doc, fmt)

    def record() -> None:
        what = f"referral packet ({referral.resource_name[:100]}): "
        referrals.record_disclosure(vault, person.id, consent.id,
                                    what + labels(went), today)
        audit.record(vault.conn, vault.device, vault.coach, "referral packet written",
                     referrals.TABLE, referral.id, f"participant={person.id} format={fmt}")

    return write_recorded(vault, path, text, record, force=force)
