"""`coachdesk export` and `coachdesk import` in a subprocess: output, exit codes, errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from tests.cli.test_cli import CLI, assert_user_error, cli_env, run
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import content, forge, make_team, make_vault

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def homes(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    ann, bob = Vault.create(a, PASSPHRASE, "Ann"), Vault.create(b, PASSPHRASE, "Bob")
    make_team(ann, bob, role="supervisor")  # Bob holds every person too
    participants.create(ann, person("From The Command Line"))
    ann.close()
    bob.close()
    return a, b


def synced(home: Path) -> dict:
    vault = Vault.open(home, PASSPHRASE)
    try:
        state = content(vault)
        state["peers"] = vault.conn.execute("SELECT * FROM peer_vv ORDER BY 1, 2").fetchall()
        return state
    finally:
        vault.close()


def test_export_then_import_then_nothing_new(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = homes
    out = run(a, "export", str(tmp_path / "a.cdbundle"), **ENV)
    assert out.returncode == 0, out.stderr
    assert "bundle for Bob" in out.stdout and "changes" in out.stdout
    got = run(b, "import", str(tmp_path / "a.cdbundle"), **ENV)
    assert got.returncode == 0, got.stderr
    assert "2 new records," in got.stdout and "from Ann" in got.stdout  # + its caseload
    again = run(b, "import", str(tmp_path / "a.cdbundle"), **ENV)
    assert again.returncode == 0 and "nothing new" in again.stdout
    back = run(b, "export", str(tmp_path), "--peer", "ann", **ENV)
    assert back.returncode == 0 and "bundle for Ann" in back.stdout, back.stderr
    files = list(tmp_path.glob("coachdesk-*.cdbundle"))
    assert len(files) == 1
    ack = run(a, "import", str(files[0]), **ENV)
    assert "nothing new" in ack.stdout and "acknowledgement" in ack.stdout, ack.stderr
    assert synced(a)["records"] == synced(b)["records"]
    for result in (out, got, again, back, ack):  # not a terminal: no progress bar, no codes
        assert "\r" not in result.stdout + result.stderr
        assert "\x1b" not in result.stdout + result.stderr


def test_the_old_sync_key_options_are_gone_and_usage_errors(homes: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    a, _ = homes
    key_file = tmp_path / "key"
    key_file.write_text("team sync key 1\n")
    old = run(a, "export", str(tmp_path / "k.cdbundle"), "--sync-key-file", str(key_file), **ENV)
    assert old.returncode == 2 and "--sync-key-file" in old.stderr and "Traceback" not in old.stderr
    full = run(a, "export", str(tmp_path / "k.cdbundle"), "--full", **ENV)
    assert full.returncode == 0 and "full bundle for Bob" in full.stdout, full.stderr
    both = run(a, "export", str(tmp_path / "x.cdbundle"), "--peer", "x", "--full", **ENV)
    assert both.returncode == 2 and "Traceback" not in both.stderr
    assert run(a, "import", **ENV).returncode == 2


def test_each_bad_import_is_one_line_and_changes_nothing(homes: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    a, b = homes
    good = tmp_path / "good.cdbundle"
    assert run(a, "export", str(good), **ENV).returncode == 0
    data = good.read_bytes()
    (tmp_path / "cut.cdbundle").write_bytes(data[: len(data) - 4096])
    flipped = bytearray(data)
    flipped[5000] ^= 0x10
    (tmp_path / "flip.cdbundle").write_bytes(bytes(flipped))
    (tmp_path / "text.cdbundle").write_text("not a bundle at all\n" * 500)
    newer = tmp_path / "newer.cdbundle"
    newer.write_bytes(data)
    forge(newer, "UPDATE manifest SET value = '999' WHERE key = 'schema_version'", manifest=False)
    mine = tmp_path / "mine.cdbundle"
    assert run(b, "export", str(mine), **ENV).returncode == 0
    before = synced(b)
    cases = [
        (tmp_path / "text.cdbundle", {}, "not a coachdesk bundle"),
        (tmp_path / "cut.cdbundle", {}, "truncated"),
        (tmp_path / "flip.cdbundle", {}, "do not match its header"),
        (newer, {}, "update coachdesk"),
        (mine, {}, "exported by this vault"),
        (tmp_path / "missing.cdbundle", {}, "no such file"),
    ]
    for path, env, message in cases:
        assert_user_error(run(b, "import", str(path), **{**ENV, **env}), message)
    assert synced(b) == before


def test_no_team_and_unknown_member(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = homes
    alone = tmp_path / "alone"
    Vault.create(alone, PASSPHRASE, "Alone").close()
    assert_user_error(run(alone, "export", str(tmp_path / "x.cdbundle"), **ENV),
                      "belongs to no team yet")
    assert_user_error(run(a, "export", str(tmp_path / "x.cdbundle"), "--peer", "zed", **ENV),
                      "no current member 'zed'")
    assert_user_error(run(alone, "import", str(tmp_path / "x.cdbundle"), **ENV), "no such file")
    assert not (tmp_path / "x.cdbundle").exists()


def test_a_new_coach_confirms_the_first_team_file_a_bundle_brings(homes: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    from coachdesk.sync import team

    a, _ = homes
    new = make_vault(tmp_path, "cy")
    cy = new.identity()
    new.close()
    ann = Vault.open(a, PASSPHRASE)
    with ann.transaction() as conn:
        team.add_member(conn, ann.keys, ann.identity(), cy)
    fingerprint = ann.identity().fingerprint
    ann.close()
    out = run(a, "export", str(tmp_path / "to-cy.cdbundle"), "--peer", "cy", **ENV)
    assert out.returncode == 0, out.stderr
    env = {"COACHDESK_PASSPHRASE": "passphrase cy"}
    asked = run(tmp_path / "cy", "import", str(tmp_path / "to-cy.cdbundle"), **env)
    assert asked.returncode == 1 and fingerprint in asked.stdout
    assert "no answer: nothing was changed" in asked.stderr and "Traceback" not in asked.stderr
    refused = subprocess.run([*CLI, "import", str(tmp_path / "to-cy.cdbundle")], input="n\n",
                             env=cli_env(tmp_path / "cy", **env), capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode == 1 and "not confirmed" in refused.stderr
    got = run(tmp_path / "cy", "import", str(tmp_path / "to-cy.cdbundle"), "--yes", **env)
    assert got.returncode == 0 and "1 new record" in got.stdout, got.stderr
    joined = Vault.open(tmp_path / "cy", "passphrase cy")
    try:
        held = team.current(joined.conn)
        assert held is not None and held.member(cy.device) is not None
    finally:
        joined.close()


def test_import_of_several_files_reports_each(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = homes
    assert run(a, "export", str(tmp_path / "1.cdbundle"), **ENV).returncode == 0
    (tmp_path / "bad.cdbundle").write_bytes(b"\x00" * 4096)
    result = run(b, "import", str(tmp_path / "bad.cdbundle"), str(tmp_path / "1.cdbundle"), **ENV)
    assert result.returncode == 1
    assert "1.cdbundle" in result.stdout and "new record" in result.stdout
    assert result.stderr.count("error: ") == 1 and "Traceback" not in result.stderr
