"""`coachdesk export` and `coachdesk import` in a subprocess: output, exit codes, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.store import participants
from coachdesk.store.db import open_keyed, passphrase_key
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import KEY, content

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE, "COACHDESK_SYNC_KEY": KEY}


@pytest.fixture
def homes(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    for home, coach in ((a, "Ann"), (b, "Bob")):
        vault = Vault.create(home, PASSPHRASE, coach)
        if coach == "Ann":
            participants.create(vault, person("From The Command Line"))
        vault.close()
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
    assert "full bundle" in out.stdout and "changes" in out.stdout
    got = run(b, "import", str(tmp_path / "a.cdbundle"), **ENV)
    assert got.returncode == 0, got.stderr
    assert "1 new record," in got.stdout and "from Ann" in got.stdout
    again = run(b, "import", str(tmp_path / "a.cdbundle"), **ENV)
    assert again.returncode == 0 and "nothing new" in again.stdout
    back = run(b, "export", str(tmp_path), "--peer", "ann", **ENV)
    assert back.returncode == 0 and "bundle for Ann" in back.stdout, back.stderr
    files = list(tmp_path.glob("coachdesk-*.cdbundle"))
    assert len(files) == 1
    ack = run(a, "import", str(files[0]), **ENV)
    assert "nothing new" in ack.stdout and "acknowledgement" in ack.stdout, ack.stderr
    assert synced(a)["records"] == synced(b)["records"]


def test_sync_key_from_a_file_and_usage_errors(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = homes
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    out = run(a, "export", str(tmp_path / "k.cdbundle"), "--sync-key-file", str(key_file),
              COACHDESK_PASSPHRASE=PASSPHRASE)
    assert out.returncode == 0, out.stderr
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
    conn = open_keyed(newer, passphrase_key(KEY))
    conn.execute("UPDATE manifest SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    mine = tmp_path / "mine.cdbundle"
    assert run(b, "export", str(mine), **ENV).returncode == 0
    before = synced(b)
    cases = [
        (good, {"COACHDESK_SYNC_KEY": "not the team key"}, "wrong sync key"),
        (tmp_path / "text.cdbundle", {}, "not a coachdesk bundle"),
        (tmp_path / "cut.cdbundle", {}, "damaged"),
        (tmp_path / "flip.cdbundle", {}, "damaged"),
        (newer, {}, "update coachdesk"),
        (mine, {}, "exported by this vault"),
        (tmp_path / "missing.cdbundle", {}, "no such file"),
    ]
    for path, env, message in cases:
        assert_user_error(run(b, "import", str(path), **{**ENV, **env}), message)
    assert synced(b) == before


def test_missing_sync_key_and_unknown_peer(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = homes
    assert_user_error(run(a, "export", str(tmp_path / "x.cdbundle"), COACHDESK_PASSPHRASE=PASSPHRASE),
                      "no sync key")
    assert_user_error(run(a, "export", str(tmp_path / "x.cdbundle"), "--peer", "zed", **ENV),
                      "no known peer")
    assert_user_error(run(a, "export", str(tmp_path / "x.cdbundle"), COACHDESK_PASSPHRASE=PASSPHRASE,
                          COACHDESK_SYNC_KEY="short"), "too short")
    assert not (tmp_path / "x.cdbundle").exists()


def test_import_of_several_files_reports_each(homes: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = homes
    assert run(a, "export", str(tmp_path / "1.cdbundle"), **ENV).returncode == 0
    (tmp_path / "bad.cdbundle").write_bytes(b"\x00" * 4096)
    result = run(b, "import", str(tmp_path / "bad.cdbundle"), str(tmp_path / "1.cdbundle"), **ENV)
    assert result.returncode == 1
    assert "1.cdbundle" in result.stdout and "new record" in result.stdout
    assert result.stderr.count("error: ") == 1 and "Traceback" not in result.stderr
