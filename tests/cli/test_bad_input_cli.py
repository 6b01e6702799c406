"""The real CLI with input it cannot use: bytes that are not UTF-8 anywhere (arguments,
file names, secrets in variables and files), impossible months, and exports that fail.
Each is one `error:` line, exit 1, nothing changed, and nothing recorded."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from coachdesk.models.plan import Goal, Plan
from coachdesk.store import consents, participants, plans
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run, tree_digest
from tests.conftest import CLI, PASSPHRASE, cli_env, person

BAD = b"\xff\xfe"  # not UTF-8: Linux hands it to Python as lone surrogates


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    vault = Vault.create(home, PASSPHRASE, "Sam Coach")
    pid = participants.create(vault, person("Rosa Delgado"))
    plans.save(vault, pid, Plan(health=[Goal(text="Walk daily")]))
    consents.add(vault, pid, {"recipient": "Eastside Clinic", "purpose": "coordinate care",
                              "information": "plan goals", "kinds": ["plan_goals"],
                              "signed_on": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
                              "expires_on": (dt.date.today() + dt.timedelta(days=300)).isoformat()})
    vault.close()
    return home


def run_bytes(home: Path, *args: bytes, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([os.fsencode(a) for a in CLI] + list(args),
                          env=cli_env(home, **{"COACHDESK_PASSPHRASE": PASSPHRASE, **env}),
                          capture_output=True, text=True, errors="replace",
                          stdin=subprocess.DEVNULL, timeout=60)


def recorded(home: Path) -> tuple[Counter[str], int]:
    """Audit entries other than unlocks, and disclosure records."""
    vault = Vault.open(home, PASSPHRASE)
    try:
        actions = Counter(a for (a,) in vault.conn.execute("SELECT action FROM audit")
                          if a != "unlock")
        return actions, vault.conn.execute("SELECT count(*) FROM disclosure").fetchone()[0]
    finally:
        vault.close()


def test_arguments_and_secrets_that_are_not_utf8(home: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(BAD + b"\n")
    folder = os.fsencode(tmp_path) + b"/"
    cases: list[tuple[tuple[bytes, ...], dict[str, str], str]] = [
        ((b"report", b"--month", b"0000-01"), {}, "not a month: '0000-01'"),
        ((b"report", b"--month", b"9999-12"), {}, "not a month"),
        ((b"report", b"--month", BAD), {}, "the month is not valid UTF-8 text"),
        ((b"plan", b"export", BAD, b"--format", b"md", b"--out", folder + b"p.md"), {},
         "the person is not valid UTF-8 text"),
        ((b"disclosures", BAD), {}, "the person is not valid UTF-8 text"),
        ((b"plan", b"export", b"Rosa", b"--format", b"md", b"--out", folder + BAD + b".md",
          b"--for", b"Eastside"), {}, "the file name is not valid UTF-8 text"),
        ((b"report", b"--out", folder + BAD), {}, "the file name is not valid UTF-8 text"),
        ((b"export", folder + BAD + b".cdbundle"), {}, "the file name is not valid UTF-8 text"),
        ((b"import", folder + BAD + b".cdbundle"), {}, "a file name is not valid UTF-8 text"),
        ((b"resources", b"export", folder + BAD + b".csv"), {}, "the file name is not valid UTF-8"),
        ((b"check", b"--data-dir", folder + BAD), {}, "the data dir is not valid UTF-8 text"),
        ((b"check", b"--passphrase-file", os.fsencode(secret)), {}, "secret is not valid UTF-8 text"),
        ((b"check",), {"COACHDESK_PASSPHRASE": os.fsdecode(BAD)},
         "$COACHDESK_PASSPHRASE is not valid UTF-8 text"),
        ((b"passwd",), {"COACHDESK_NEW_PASSPHRASE": os.fsdecode(BAD * 8)},
         "$COACHDESK_NEW_PASSPHRASE is not valid UTF-8 text"),
    ]
    before = tree_digest(home), sorted(p.name for p in tmp_path.iterdir())
    for args, env, message in cases:
        assert_user_error(run_bytes(home, *args, **env), message)
        assert (tree_digest(home), sorted(p.name for p in tmp_path.iterdir())) == before, args
    fresh = tmp_path / "fresh"
    assert_user_error(run_bytes(fresh, b"init", b"--coach", BAD), "the coach name is not valid UTF-8")
    assert_user_error(run_bytes(home, b"check", COACHDESK_HOME=os.fsdecode(folder + BAD)),
                      "$COACHDESK_HOME is not valid UTF-8 text")
    assert not fresh.exists() and not Path(os.fsdecode(folder + BAD)).exists()


def test_exports_that_fail_record_nothing(home: Path, tmp_path: Path) -> None:
    existing = tmp_path / "existing.md"
    existing.write_text("keep me\n")
    missing = tmp_path / "no-such-folder"
    before = recorded(home)
    failures = [
        (("report", "--out", str(missing / "r.md")), "no-such-folder"),
        (("disclosures", "Rosa", "--out", str(existing)), "already exists"),
        (("disclosures", "Rosa", "--out", str(missing / "d.md")), "does not exist"),
        (("plan", "export", "Rosa", "--format", "md", "--out", str(missing / "p.md"),
          "--for", "Eastside"), "does not exist"),
        (("plan", "export", "Rosa", "--format", "md", "--out", str(existing), "--for", "Eastside"),
         "already exists"),
        (("resources", "export", str(missing / "r.csv")), "does not exist"),
    ]
    for args, message in failures:
        assert_user_error(run(home, *args, COACHDESK_PASSPHRASE=PASSPHRASE), message)
        assert recorded(home) == before, args
    assert existing.read_text() == "keep me\n"
    assert not missing.exists()

    out = tmp_path / "plan.md"
    done = run(home, "plan", "export", "Rosa", "--format", "md", "--out", str(out), "--for", "East",
               COACHDESK_PASSPHRASE=PASSPHRASE)
    assert done.returncode == 0, done.stderr
    actions, disclosures = recorded(home)
    assert disclosures == before[1] + 1 and "42 CFR part 2" in out.read_text()
    assert actions - before[0] == Counter({"plan exported": 1, "disclosure recorded": 1})
    assert run(home, "report", "--out", str(tmp_path / "r.md"),
               COACHDESK_PASSPHRASE=PASSPHRASE).returncode == 0
    assert recorded(home)[0]["report generated"] == before[0]["report generated"] + 1


def test_a_secret_file_that_never_ends_is_one_line(home: Path, tmp_path: Path) -> None:
    """`--passphrase-file /dev/zero` read until memory ran out (a MemoryError Traceback,
    or a hang); a secret file is read up to 64 KB."""
    big = tmp_path / "big"
    big.write_bytes(b"x" * (64 * 1024 + 1))
    before = tree_digest(home)
    for args in (("check", "--passphrase-file", "/dev/zero"),
                 ("check", "--passphrase-file", str(big))):
        assert_user_error(run(home, *args, COACHDESK_PASSPHRASE=PASSPHRASE),
                          "longer than 64 KB: not a passphrase or key file")
    assert tree_digest(home) == before and not (tmp_path / "b.cdbundle").exists()


@pytest.mark.parametrize("args", [("report", "--out", "{out}", "--force"),
                                  ("disclosures", "Rosa", "--out", "{out}", "--force"),
                                  ("plan", "export", "Rosa", "--format", "md", "--out", "{out}",
                                   "--force", "--for", "Eastside"),
                                  ("resources", "export", "{out}", "--force")])
def test_force_never_replaces_what_is_not_a_regular_file(home: Path, tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    """--force onto a pipe (or a device: as root, `report --out /dev/null --force`
    renamed a regular file over /dev/null) is refused, and nothing is recorded."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = recorded(home)
    result = run(home, *(a.format(out=fifo) for a in args), COACHDESK_PASSPHRASE=PASSPHRASE)
    assert_user_error(result, "is not a regular file")
    assert fifo.is_fifo() and recorded(home) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "pipe"]
