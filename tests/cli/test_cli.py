"""The real CLI in a subprocess: success paths, and every user error is one line, exit 1."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from coachdesk.store import migrate
from coachdesk.store.vault import Vault, vault_path
from tests.conftest import CLI, PASSPHRASE, cli_env


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=cli_env(home, **env), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def assert_user_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert text in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    result = run(home, "init", "--coach", "Sam", COACHDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    return home


def test_init_check_passwd_round_trip(home: Path) -> None:
    assert run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0
    changed = run(home, "passwd", COACHDESK_PASSPHRASE=PASSPHRASE,
                  COACHDESK_NEW_PASSPHRASE="another long passphrase")
    assert changed.returncode == 0, changed.stderr
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE), "wrong passphrase")
    assert run(home, "check", COACHDESK_PASSPHRASE="another long passphrase").returncode == 0


def test_passphrase_files_and_data_dir_flag(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("file based passphrase\n")
    new = tmp_path / "new"
    new.write_text("the newer passphrase\n")
    where = str(tmp_path / "elsewhere")
    empty_home = tmp_path / "unused"
    assert run(empty_home, "--data-dir", where, "init", "--coach", "F", "--passphrase-file",
               str(secret)).returncode == 0
    assert run(empty_home, "check", "--data-dir", where, "--passphrase-file",
               str(secret)).returncode == 0
    assert run(empty_home, "passwd", "--data-dir", where, "--passphrase-file", str(secret),
               "--new-passphrase-file", str(new)).returncode == 0
    assert run(empty_home, "check", "--data-dir", where, "--passphrase-file",
               str(new)).returncode == 0
    assert not empty_home.exists()


def test_wrong_passphrase(home: Path) -> None:
    before = hashlib.sha256(vault_path(home).read_bytes()).hexdigest()
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE="nope nope"), "wrong passphrase")
    assert hashlib.sha256(vault_path(home).read_bytes()).hexdigest() == before


def test_not_a_vault(home: Path) -> None:
    vault_path(home).write_bytes(b"this is a shopping list, not a vault" * 100)
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE), "not a coachdesk vault")


def test_plaintext_sqlite_vault(home: Path) -> None:
    import sqlite3

    for f in home.glob("coachdesk.vault*"):
        f.unlink()
    sqlite3.connect(vault_path(home)).execute("CREATE TABLE t (x)").connection.commit()
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE), "unencrypted")
    assert_user_error(run(home), "unencrypted")


def test_newer_schema(home: Path) -> None:
    vault = Vault.open(home, PASSPHRASE)
    vault.conn.execute(f"PRAGMA user_version = {migrate.latest_version() + 5}")
    vault.close()
    before = tree_digest(home)
    assert_user_error(run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE), "update coachdesk")
    assert tree_digest(home) == before


def test_missing_data_dir(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    for command in ("check", "passwd"):
        result = run(missing, command, COACHDESK_PASSPHRASE=PASSPHRASE,
                     COACHDESK_NEW_PASSPHRASE="x" * 12)
        assert_user_error(result, "does not exist")
    assert not missing.exists()


def test_empty_data_dir_has_no_vault(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_user_error(run(tmp_path / "empty", "check", COACHDESK_PASSPHRASE=PASSPHRASE),
                      "coachdesk init")


def test_read_only_data_dir(tmp_path: Path, home: Path) -> None:
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o555)
    try:
        assert_user_error(run(readonly, "init", "--coach", "R", COACHDESK_PASSPHRASE=PASSPHRASE),
                          "read-only")
        assert list(readonly.iterdir()) == []
        before = tree_digest(home)
        home.chmod(0o555)
        assert_user_error(run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE), "read-only")
        assert_user_error(run(home), "read-only")
        assert tree_digest(home) == before
    finally:
        readonly.chmod(0o755)
        home.chmod(0o755)


def test_init_refuses_existing_vault_and_short_passphrase(home: Path, tmp_path: Path) -> None:
    assert_user_error(run(home, "init", "--coach", "S", COACHDESK_PASSPHRASE=PASSPHRASE),
                      "already exists")
    assert_user_error(run(tmp_path / "new", "init", "--coach", "S", COACHDESK_PASSPHRASE="abc"),
                      "too short")


def test_no_passphrase_without_a_terminal(home: Path) -> None:
    assert_user_error(run(home, "check"), "COACHDESK_PASSPHRASE")


def test_bad_usage_exits_2(home: Path) -> None:
    result = run(home, "no-such-command")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_resources_import_and_export_cli(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("name,kind,address,phone,hours,eligibility,languages,last_verified\n"
                    "Corner Clinic,moud,1 Main St,555-0199,Mon-Fri,,English,2026-09-09\n")
    result = run(home, "resources", "import", str(good), COACHDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0 and "1 added" in result.stdout
    again = run(home, "resources", "import", str(good), COACHDESK_PASSPHRASE=PASSPHRASE)
    assert "0 added, 0 updated" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text() + "Broken,moud,,,,,,yesterday\n")
    assert_user_error(run(home, "resources", "import", str(bad), COACHDESK_PASSPHRASE=PASSPHRASE),
                      "line 3")
    out = tmp_path / "out.csv"
    assert run(home, "resources", "export", str(out), COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0
    assert "Corner Clinic" in out.read_text()
    assert_user_error(run(home, "resources", "export", str(out), COACHDESK_PASSPHRASE=PASSPHRASE),
                      "--force")
    assert_user_error(run(home, "resources", "import", str(tmp_path / "missing.csv"),
                          COACHDESK_PASSPHRASE=PASSPHRASE), "cannot read")


def test_check_finds_a_deleted_audit_entry(home: Path) -> None:
    vault = Vault.open(home, PASSPHRASE)
    vault.audit("something")
    vault.conn.execute("DROP TRIGGER audit_no_delete")
    vault.conn.execute("DELETE FROM audit WHERE seq = 2")
    vault.close()
    result = run(home, "check", COACHDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1 and "audit entry 2 is missing" in result.stderr


def test_disclosures_accounting_cli(home: Path) -> None:
    from coachdesk.store import participants

    vault = Vault.open(home, PASSPHRASE)
    participants.create(vault, {"alias": "Dee Closure", "adult_confirmed": True,
                                "intake_date": "2026-01-05"})
    vault.close()
    result = run(home, "disclosures", "Dee", COACHDESK_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0 and "No disclosures recorded" in result.stdout
    assert_user_error(run(home, "disclosures", "Nobody", COACHDESK_PASSPHRASE=PASSPHRASE),
                      "no participant")
    assert_user_error(run(home, "plan", "export", "Dee", "--format", "md", "--out",
                          str(home / "p.md"), "--for", "County", COACHDESK_PASSPHRASE=PASSPHRASE),
                      "")
