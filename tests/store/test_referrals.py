"""Referrals and disclosures: validation, status, follow-ups, consent-gated disclosure log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.export.disclosure import accounting
from coachdesk.export.packet import export_packet
from coachdesk.store import consents, participants, referrals, resources
from coachdesk.store.vault import Vault
from tests.conftest import person

TODAY = dt.date.today()


def setup(vault: Vault) -> tuple[str, str]:
    pid = participants.create(vault, person("Rae Ferral"))
    rid = resources.create(vault, {"name": "Harbor Harm Reduction", "kind": "harm_reduction"})
    return pid, rid


def consent(vault: Vault, pid: str, **extra: object) -> str:
    data = {"recipient": "County Housing", "purpose": "housing application",
            "information": "plan", "signed_on": (TODAY - dt.timedelta(days=10)).isoformat(),
            "expires_on": (TODAY + dt.timedelta(days=90)).isoformat(), "kinds": ["plan_goals"]}
    data.update(extra)
    return consents.add(vault, pid, data)


def test_add_change_status_and_follow_up(vault: Vault) -> None:
    pid, rid = setup(vault)
    ref = referrals.add(vault, pid, rid, follow_up_on=TODAY - dt.timedelta(days=1))
    assert [r.resource_name for r in referrals.due_followups(vault, TODAY)] == ["Harbor Harm Reduction"]
    assert referrals.update(vault, ref, status="attended") == ["status"]
    assert referrals.due_followups(vault, TODAY) == []
    assert referrals.for_participant(vault, pid)[0].status == "attended"


@pytest.mark.parametrize("bad", [{"status": "teleported"}, {"follow_up_on": "2026-02-30"}])
def test_bad_values_change_nothing(vault: Vault, bad: dict[str, str]) -> None:
    pid, rid = setup(vault)
    ref = referrals.add(vault, pid, rid)
    ops = vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    with pytest.raises(ValidationFailed):
        referrals.update(vault, ref, **bad)
    assert vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == ops


def test_a_referral_needs_a_known_service(vault: Vault) -> None:
    pid, _ = setup(vault)
    with pytest.raises(ValidationFailed, match="service"):
        referrals.add(vault, pid, "no-such-service")


def test_disclosure_needs_a_current_consent(vault: Vault) -> None:
    pid, _ = setup(vault)
    expired = consent(vault, pid, signed_on="2024-01-01", expires_on="2024-06-01")
    revoked = consent(vault, pid)
    consents.revoke(vault, revoked, TODAY)
    for consent_id in (expired, revoked, "made-up"):
        with pytest.raises(CoachdeskError):
            referrals.record_disclosure(vault, pid, consent_id, "wellness plan")
    good = consent(vault, pid)
    referrals.record_disclosure(vault, pid, good, "wellness plan")
    assert referrals.disclosures(vault, pid) == [
        (TODAY.isoformat(), "County Housing", "wellness plan", "housing application")]


def test_disclosure_log_is_append_only_in_sql(vault: Vault) -> None:
    pid, _ = setup(vault)
    referrals.record_disclosure(vault, pid, consent(vault, pid), "wellness plan")
    for sql in ("UPDATE disclosure SET recipient = 'x'", "DELETE FROM disclosure"):
        with pytest.raises(Exception, match="append-only"):
            vault.conn.execute(sql)


def test_packet_and_accounting_carry_the_notice_and_no_ids(vault: Vault, tmp_path: Path) -> None:
    pid, rid = setup(vault)
    text = accounting("Rae Ferral", referrals.disclosures(vault, pid), TODAY)
    assert "No disclosures" in text
    ref = referrals.add(vault, pid, rid, note="prefers mornings")
    row = participants.get(vault, pid, audited=False)
    packet = export_packet(vault, row, ref, consent(vault, pid, kinds=["contact"]), "md",
                           tmp_path / "p.md").read_text()
    assert "42 CFR part 2" in packet and "Harbor Harm Reduction" in packet
    assert pid not in packet and rid not in packet and ref not in packet


def test_plan_export_outside_the_program(vault: Vault, tmp_path: Path) -> None:
    from coachdesk.export.plan import export_plan
    from coachdesk.models.plan_text import parse_plan
    from coachdesk.store import plans

    pid, _ = setup(vault)
    plans.save(vault, pid, parse_plan("## Health\n- Sleep well\n"))
    row = participants.get(vault, pid, audited=False)
    with pytest.raises(CoachdeskError, match="consent"):
        export_plan(vault, row, "md", tmp_path / "out.md", consent_id="nope")
    assert not (tmp_path / "out.md").exists()
    export_plan(vault, row, "html", tmp_path / "out.html", consent_id=consent(vault, pid))
    assert "42 CFR part 2" in (tmp_path / "out.html").read_text()
    assert len(referrals.disclosures(vault, pid)) == 1
