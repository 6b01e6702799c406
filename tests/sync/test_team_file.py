"""The team file: signed versions, trust on first use, then only the team's supervisors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coachdesk import identity
from coachdesk.sync import team
from coachdesk.sync.team import BadTeamFile, TeamFile
from tests.sync.syncutil import make_team, make_vault


def test_device_keys_are_made_at_init_and_stay_inside_the_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, "ana")
    me = vault.identity()
    assert len(me.enc_pub) == len(me.sign_pub) == 32
    assert len(me.fingerprint.split()) == 6
    raw = b"".join(p.read_bytes() for p in (tmp_path / "ana").iterdir() if p.is_file())
    assert vault.keys.sign_private not in raw and vault.keys.enc_private not in raw


def test_wrap_opens_only_for_its_recipient(tmp_path: Path) -> None:
    a, b = make_vault(tmp_path, "ana"), make_vault(tmp_path, "ben")
    stanza = identity.wrap(b"k" * 32, a.identity())
    assert identity.unwrap(a.keys, stanza) == b"k" * 32
    assert identity.unwrap(b.keys, stanza) is None
    assert identity.unwrap(a.keys, {**stanza, "key": identity.b64(b"x" * 48)}) is None


def test_a_team_travels_and_each_vault_keeps_the_newest(tmp_path: Path) -> None:
    sup, ana, ben = (make_vault(tmp_path, n) for n in ("sam", "ana", "ben"))
    make_team(sup, ana, ben)
    held = {v.device: team.current(v.conn) for v in (sup, ana, ben)}
    assert {t.version for t in held.values() if t} == {3}
    parsed = TeamFile.parse(held[sup.device].text())  # type: ignore[union-attr]
    assert parsed == held[sup.device]
    with sup.transaction() as conn:
        newer = team.remove_member(conn, sup.keys, sup.identity(), ben.device, last_seq=7)
    with ana.transaction() as conn:
        assert team.accept(conn, newer, device=ana.device, coach=ana.coach)
        with pytest.raises(BadTeamFile, match="already holds version 4"):
            team.accept(conn, held[sup.device], device=ana.device, coach=ana.coach)  # type: ignore[arg-type]
    removed = team.current(ana.conn).member(ben.device)  # type: ignore[union-attr]
    assert removed is not None and removed.removed == 4 and removed.last_seq == 7


def test_only_a_supervisor_of_the_held_version_can_sign_the_next(tmp_path: Path) -> None:
    sup, ana, ben = (make_vault(tmp_path, n) for n in ("sam", "ana", "ben"))
    make_team(sup, ana, ben)
    held = team.current(ana.conn)
    assert held is not None
    # Ana (a coach) signs a version that makes her a supervisor: refused everywhere.
    forged = replace(held, version=held.version + 1, signer=ana.device, members=tuple(
        replace(m, role="supervisor") for m in held.members))
    forged = replace(forged, signature=identity.sign(ana.keys, forged.signed_bytes()))
    with ben.transaction() as conn, pytest.raises(BadTeamFile, match="not signed by a supervisor"):
        team.accept(conn, forged, device=ben.device, coach=ben.coach)
    # A changed body under the supervisor's old signature.
    changed = replace(held, version=held.version + 1)
    with ben.transaction() as conn, pytest.raises(BadTeamFile, match="signature is not valid"):
        team.accept(conn, changed, device=ben.device, coach=ben.coach)


def test_first_use_needs_a_file_that_names_this_vault(tmp_path: Path) -> None:
    sup, ana, eve = (make_vault(tmp_path, n) for n in ("sam", "ana", "eve"))
    make_team(sup, ana)
    held = team.current(sup.conn)
    assert held is not None
    with eve.transaction() as conn, pytest.raises(BadTeamFile, match="does not name this vault"):
        team.accept(conn, held, device=eve.device, coach=eve.coach, own=eve.identity())
    for bad in ("", "{}", "[1]", '{"coachdesk_team_file": 1}', '{"coachdesk_team_file": 2}'):
        with pytest.raises(BadTeamFile):
            TeamFile.parse(bad)
