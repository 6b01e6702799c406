"""`coachdesk plan export` in a subprocess: writes only --out; every error is one line, exit 1."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from coachdesk.models.plan import Goal, Plan, Step
from coachdesk.store import participants, plans
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import PASSPHRASE, person

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Rosa Delgado"))
    participants.create(vault, person("Rosa Other"))
    participants.create(vault, person("Nobody Planless"))
    plans.save(vault, pid, Plan(health=[Goal(text="Walk daily", steps=[Step(what="buy shoes")])]))
    vault.close()
    return home


def export(home: Path, *args: str):
    return run(home, "plan", "export", *args, COACHDESK_PASSPHRASE=PASSPHRASE)


def test_export_html_and_md(home: Path, tmp_path: Path) -> None:
    for fmt in ("html", "md"):
        out = tmp_path / f"plan.{fmt}"
        result = export(home, "Rosa D", "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
        body = out.read_text("utf-8")
        assert "Walk daily" in body and "buy shoes" in body and not UUID.search(body)
    vault = Vault.open(home, PASSPHRASE)
    actions = [r[0] for r in vault.conn.execute("SELECT action FROM audit")]
    vault.close()
    assert actions.count("plan exported") == 2


def test_export_errors_are_one_line_and_write_nothing(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    assert_user_error(export(home, "Zed", "--format", "html", "--out", str(out)),
                      "no participant matches 'Zed'")
    assert_user_error(export(home, "Rosa", "--format", "html", "--out", str(out)),
                      "2 participants match")
    wrong = export(home, "Rosa D", "--format", "pdf", "--out", str(out))  # a usage error
    assert wrong.returncode == 2 and "invalid choice: 'pdf'" in wrong.stderr
    assert_user_error(export(home, "Nobody", "--format", "md", "--out", str(out)),
                      "no wellness plan")
    assert_user_error(export(home, "Rosa D", "--format", "md", "--out",
                             str(tmp_path / "missing" / "p.md")), "does not exist")
    assert not out.exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if not os.access(locked, os.W_OK):  # root can write anywhere
            assert_user_error(export(home, "Rosa D", "--format", "md", "--out",
                                     str(locked / "p.md")), "cannot write")
    finally:
        os.chmod(locked, 0o700)
    out.write_text("keep me")
    assert_user_error(export(home, "Rosa D", "--format", "html", "--out", str(out)),
                      "already exists")
    assert out.read_text() == "keep me"
    assert export(home, "Rosa D", "--format", "html", "--out", str(out), "--force").returncode == 0
    assert "Walk daily" in out.read_text()
    assert_user_error(run(home, "plan", "export", "Rosa D", "--format", "md", "--out", str(out)),
                      "no passphrase")


def test_missing_options_are_usage_errors(home: Path) -> None:
    assert export(home, "Rosa D").returncode == 2
