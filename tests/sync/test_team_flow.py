"""The team flows on real vaults: create, request, accept, the way back, removal, show."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coachdesk import identity
from coachdesk.errors import CoachdeskError
from coachdesk.store.vault import Vault
from coachdesk.sync import team, team_flow
from coachdesk.sync.team import BadTeamFile
from coachdesk.sync.team_flow import BadJoinRequest
from tests.sync.syncutil import everything, make_vault


def join(sup: Vault, coach: Vault, tmp_path: Path, role: str = "coach") -> Path:
    """`coach` asks, `sup` accepts, the team file comes back: the path of that team file."""
    request = team_flow.write_request(coach, tmp_path / f"{coach.coach}.cdjoin")
    team_flow.accept_request(sup, request, role)
    back = team_flow.write_team_file(sup, tmp_path / f"{coach.coach}-team.cdteam")
    team_flow.join_team(coach, back)
    return back


def test_create_request_accept_join_and_show(tmp_path: Path) -> None:
    sup, ana = make_vault(tmp_path, "sam"), make_vault(tmp_path, "ana")
    created = team_flow.create_team(sup, "  Harbor team ")
    assert (created.name, created.version) == ("Harbor team", 1)
    request = team_flow.write_request(ana, tmp_path)  # a folder: a new name in it
    assert request.parent == tmp_path and request.suffix == ".cdjoin"
    assert request.stat().st_mode & 0o777 == 0o600
    assert team_flow.read_request(request) == ana.identity()
    newer = team_flow.accept_request(sup, request)
    assert newer.version == 2 and newer.member(ana.device) is not None
    back = team_flow.write_team_file(sup, tmp_path)
    assert back.name == "harbor-team-v2.cdteam"
    preview = team_flow.preview_team_file(ana, back)
    assert preview.first_use and not preview.already_held
    assert preview.signer == sup.identity()
    assert team.current(ana.conn) is None  # a preview stores nothing
    held, signer = team_flow.join_team(ana, back)
    assert held == newer and signer.fingerprint == sup.identity().fingerprint
    assert team_flow.preview_team_file(ana, back).already_held
    rows = {r.name: r for r in team_flow.members(ana)}
    assert rows["Sam"].role == "supervisor" and rows["Ana"].you
    assert rows["Ana"].last_bundle == "this vault" and rows["Sam"].last_bundle == "none yet"
    assert rows["Sam"].fingerprint == sup.identity().fingerprint
    assert rows["Sam"].device == sup.device[:8] and rows["Ana"].status == "active"
    actions = {a for (a,) in sup.conn.execute("SELECT action FROM audit")}
    assert {"team created", "team member added", "team file written"} <= actions


def test_later_versions_and_removal(tmp_path: Path) -> None:
    sup, ana, ben = (make_vault(tmp_path, n) for n in ("sam", "ana", "ben"))
    team_flow.create_team(sup, "Harbor team")
    ana_v2 = join(sup, ana, tmp_path)
    team_flow.join_team(ana, join(sup, ben, tmp_path))  # a later version: no question
    with pytest.raises(BadTeamFile, match="already holds version 3"):
        team_flow.join_team(ana, ana_v2)  # an older version
    newer = team_flow.remove(sup, "BE")  # a unique prefix of the name, any case
    gone = newer.member(ben.device)
    assert gone is not None and gone.removed == 4 and gone.last_seq == 0
    later = team_flow.write_team_file(sup, tmp_path / "v4.cdteam")
    preview = team_flow.preview_team_file(ana, later)
    assert not preview.first_use and preview.signer == sup.identity()
    team_flow.join_team(ana, later)
    rows = {r.name: r.status for r in team_flow.members(ana)}
    assert rows == {"Sam": "active", "Ana": "active", "Ben": "removed in version 4"}
    with pytest.raises(CoachdeskError, match="already removed"):
        team_flow.remove(sup, "ben")
    with pytest.raises(CoachdeskError, match="no member"):
        team_flow.remove(sup, "zed")
    with pytest.raises(CoachdeskError, match="only a supervisor"):
        team_flow.remove(ana, "sam")
    with pytest.raises(CoachdeskError, match="only supervisor cannot remove"):
        team_flow.remove(sup, "sam")
    # Ben's vault learns it was removed (its later changes are refused everywhere).
    team_flow.join_team(ben, later)
    me = next(r for r in team_flow.members(ben) if r.you)
    assert me.status == "removed in version 4"


def test_removal_keeps_what_this_vault_holds_of_theirs(tmp_path: Path) -> None:
    sup, ana = make_vault(tmp_path, "sam"), make_vault(tmp_path, "ana")
    team_flow.create_team(sup, "Harbor team")
    join(sup, ana, tmp_path)
    with sup.transaction() as conn:  # as if three of Ana's ops had been imported
        conn.execute("INSERT INTO peer (device, coach, last_import) VALUES (?, ?, ?)",
                     (ana.device, "Ana", "2026-12-01T09:30:00.000+00:00"))
    assert {r.name: r.last_bundle for r in team_flow.members(sup)}["Ana"] == "2026-12-01 09:30"
    assert team_flow.find_member(team.current(sup.conn), ana.device[:6]).device == ana.device  # type: ignore[arg-type]


def test_bad_requests_are_refused_and_change_nothing(tmp_path: Path) -> None:
    sup, ana = make_vault(tmp_path, "sam"), make_vault(tmp_path, "ana")
    team_flow.create_team(sup, "Harbor team")
    good = team_flow.write_request(ana, tmp_path / "ana.cdjoin")
    data = json.loads(good.read_text())
    changed = dict(data, identity=dict(data["identity"], name="Sam"))
    other = make_vault(tmp_path, "eve").identity()
    swapped = dict(data, identity=dict(data["identity"], enc_pub=identity.b64(other.enc_pub)))
    cases = {
        "changed.cdjoin": (json.dumps(changed).encode(), "signature is not valid"),
        "swapped.cdjoin": (json.dumps(swapped).encode(), "signature is not valid"),
        "latin1.cdjoin": (b"\xff\xfe not text", "not UTF-8"),
        "text.cdjoin": (b"hello", "not JSON"),
        "team.cdjoin": (b'{"coachdesk_team_file": 1}', "not a coachdesk join request"),
        "newer.cdjoin": (json.dumps(dict(data, coachdesk_join_request=2)).encode(),
                         "another coachdesk version"),
        "extra.cdjoin": (json.dumps(dict(data, note="hi")).encode(), "malformed"),
        "big.cdjoin": (b" " * (team_flow.MAX_REQUEST_BYTES + 1), "too large"),
    }
    for bad_name in ("Ana\x1b[2K\rSam", "Ana \u202e54321", " ", "A" * 201):
        body = dict(data, identity=dict(data["identity"], name=bad_name))
        del body["signature"]
        signed = identity.sign(ana.keys, identity.canonical(body))
        cases[f"name{len(cases)}.cdjoin"] = (
            json.dumps(dict(body, signature=identity.b64(signed))).encode(), "control characters")
    before = everything(sup)
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(BadJoinRequest, match=message):
            team_flow.accept_request(sup, tmp_path / name)
    with pytest.raises(BadJoinRequest, match="cannot read"):
        team_flow.accept_request(sup, tmp_path / "missing.cdjoin")
    os.mkfifo(tmp_path / "pipe.cdjoin")
    with pytest.raises(BadJoinRequest, match="not a regular file"):
        team_flow.accept_request(sup, tmp_path / "pipe.cdjoin")
    with pytest.raises(BadJoinRequest, match="is a folder"):
        team_flow.accept_request(sup, tmp_path)
    with pytest.raises(BadJoinRequest, match="changed since it was shown"):
        team_flow.accept_request(sup, good, expected=other)
    with pytest.raises(CoachdeskError, match="role must be"):
        team_flow.accept_request(sup, good, "boss")
    assert everything(sup) == before
    # A coach cannot accept; a vault without a team cannot either.
    with pytest.raises(CoachdeskError, match="belongs to no team"):
        team_flow.accept_request(ana, good)


def test_bad_team_files_are_refused(tmp_path: Path) -> None:
    sup, ana, eve = (make_vault(tmp_path, n) for n in ("sam", "ana", "eve"))
    team_flow.create_team(sup, "Harbor team")
    v2 = join(sup, ana, tmp_path)
    before = everything(eve)
    with pytest.raises(BadTeamFile, match="does not name this vault"):
        team_flow.join_team(eve, v2)
    other_sup = make_vault(tmp_path, "olga")
    team_flow.create_team(other_sup, "Other team")
    foreign = team_flow.write_team_file(other_sup, tmp_path / "other.cdteam")
    with pytest.raises(BadTeamFile, match="another team"):
        team_flow.join_team(ana, foreign)
    (tmp_path / "bad.cdteam").write_bytes(b"\xff\x00")
    with pytest.raises(BadTeamFile, match="not UTF-8"):
        team_flow.join_team(eve, tmp_path / "bad.cdteam")
    with pytest.raises(BadTeamFile, match="cannot read"):
        team_flow.join_team(eve, tmp_path / "nope.cdteam")
    tampered = json.loads(v2.read_text())
    tampered["body"].update(name="Renamed", version=3)
    (tmp_path / "tampered.cdteam").write_text(json.dumps(tampered))
    held = everything(ana)
    with pytest.raises(BadTeamFile, match="signature is not valid"):
        team_flow.join_team(ana, tmp_path / "tampered.cdteam")
    assert everything(ana) == held and everything(eve) == before
    with pytest.raises(CoachdeskError, match="belongs to no team"):
        team_flow.write_team_file(eve, tmp_path / "none.cdteam")
    with pytest.raises(CoachdeskError, match="already belongs to a team"):
        team_flow.create_team(ana, "Second")
    with pytest.raises(CoachdeskError, match="already exists"):
        team_flow.write_team_file(sup, v2)
    with pytest.raises(CoachdeskError, match="control characters"):
        team_flow.create_team(eve, "Team\x1b]0;x\x07")
    # A team file whose names could redraw the fingerprint line is refused before it is shown.
    spoof = json.loads(v2.read_text())
    spoof["body"]["name"] = "Harbor\x1b[1A"
    (tmp_path / "spoof.cdteam").write_text(json.dumps(spoof))
    with pytest.raises(BadTeamFile, match="control characters"):
        team_flow.preview_team_file(eve, tmp_path / "spoof.cdteam")
