"""The referral / warm-handoff packet: every field a service needs, as far as the consent
covers it, in Markdown and HTML, with the notice; the disclosure logged with its kinds."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.export.packet import export_packet
from coachdesk.store import consents, participants, referrals, resources
from coachdesk.store.vault import Vault
from tests.conftest import person

TODAY = dt.date.today()
SIGNED = (TODAY - dt.timedelta(days=3)).isoformat()


def setup(vault: Vault, kinds: list[str]) -> tuple[str, str, str]:
    vault.save_settings(vault.settings().model_copy(update={"coach_phone": "555-0142"}))
    pid = participants.create(vault, person("Tam Nguyen", pronouns="they/them", phone="555-0188"))
    rid = resources.create(vault, {"name": "Harbor Shelter", "kind": "housing",
                                   "address": "12 Pier Rd", "phone": "555-0111",
                                   "hours": "Mon-Fri 9-5"})
    ref = referrals.add(vault, pid, rid)
    referrals.update(vault, ref, reason="needs a bed before winter", message_ok="no",
                     best_time="weekday mornings")
    cid = consents.add(vault, pid, {"recipient": "Harbor Shelter intake", "purpose": "shelter referral",
                                    "information": "contact details and referral reason",
                                    "signed_on": SIGNED, "expiry_event": "admission", "kinds": kinds})
    return pid, ref, cid


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_packet_has_every_field_when_covered(vault: Vault, tmp_path: Path, fmt: str) -> None:
    pid, ref, cid = setup(vault, ["contact", "referral_reason"])
    out = export_packet(vault, participants.get(vault, pid, audited=False), ref, cid, fmt,
                        tmp_path / f"packet.{fmt}")
    text = out.read_text()
    for field in ("needs a bed before winter", "Tam Nguyen", "they/them", "555-0188",
                  "do not leave a message", "weekday mornings", "Sam Coach", "555-0142",
                  "12 Pier Rd", "555-0111", "Mon-Fri 9-5", "Harbor Shelter intake",
                  "shelter referral", SIGNED, "42 CFR part 2"):
        assert field in text, field
    assert pid not in text and ref not in text and cid not in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    [(_, recipient, what, _)] = referrals.disclosures(vault, pid)
    assert recipient == "Harbor Shelter intake"
    assert what == "referral packet (Harbor Shelter): contact details, referral reason"


def test_uncovered_kinds_stay_out_of_the_packet(vault: Vault, tmp_path: Path) -> None:
    pid, ref, cid = setup(vault, ["referral_reason"])
    out = export_packet(vault, participants.get(vault, pid, audited=False), ref, cid, "md",
                        tmp_path / "packet.md")
    text = out.read_text()
    assert "needs a bed before winter" in text
    assert "555-0188" not in text and "weekday mornings" not in text
    assert "not covered by the consent" in text
    assert referrals.disclosures(vault, pid)[0][2].endswith(": referral reason")


def test_packet_refuses_an_old_consent_and_another_persons_referral(vault: Vault,
                                                                    tmp_path: Path) -> None:
    pid, ref, cid = setup(vault, [])
    row = participants.get(vault, pid, audited=False)
    with pytest.raises(CoachdeskError, match="covers no kind"):
        export_packet(vault, row, ref, cid, "md", tmp_path / "p.md")
    other = participants.create(vault, person("Other One"))
    with pytest.raises(CoachdeskError, match="not this person's"):
        export_packet(vault, participants.get(vault, other, audited=False), ref, cid, "md",
                      tmp_path / "p.md")
    consents.set_kinds(vault, cid, ["attendance"])
    with pytest.raises(CoachdeskError, match="covers none of what a referral packet holds"):
        export_packet(vault, row, ref, cid, "md", tmp_path / "p.md")
    consents.set_kinds(vault, cid, ["contact"])
    (tmp_path / "keep.md").write_text("mine")
    with pytest.raises(CoachdeskError, match="already exists"):
        export_packet(vault, row, ref, cid, "md", tmp_path / "keep.md")
    assert (tmp_path / "keep.md").read_text() == "mine"
    assert not (tmp_path / "p.md").exists() and referrals.disclosures(vault, pid) == []


def test_handoff_details_are_checked(vault: Vault) -> None:
    pid, ref, _ = setup(vault, ["contact"])
    with pytest.raises(CoachdeskError):
        referrals.update(vault, ref, message_ok="maybe")
    with pytest.raises(CoachdeskError):
        referrals.update(vault, ref, best_time="x" * 61)
    assert referrals.get(vault, ref).message_ok == "no"
