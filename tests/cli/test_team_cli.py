"""`coachdesk team ...` in a subprocess: the whole flow, the questions, and bad inputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from coachdesk.store.vault import Vault
from coachdesk.sync import team
from tests.cli.test_cli import assert_user_error, run
from tests.conftest import CLI, PASSPHRASE, cli_env

ENV = {"COACHDESK_PASSPHRASE": PASSPHRASE}


def answer(home: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with `text` typed at its question."""
    return subprocess.run([*CLI, *args], env=cli_env(home, **ENV), capture_output=True,
                          text=True, input=text, timeout=60)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def homes(tmp_path: Path) -> dict[str, Path]:
    homes = {}
    for name in ("sam", "ana", "ben"):
        homes[name] = tmp_path / name
        ok(run(homes[name], "init", "--coach", name.title(), **ENV))
    return homes


def fingerprint(home: Path) -> str:
    vault = Vault.open(home, PASSPHRASE)
    try:
        return vault.identity().fingerprint
    finally:
        vault.close()


def held_version(home: Path) -> int | None:
    vault = Vault.open(home, PASSPHRASE)
    try:
        held = team.current(vault.conn)
        return held.version if held else None
    finally:
        vault.close()


def test_create_request_accept_join_show_remove(homes: dict[str, Path], tmp_path: Path) -> None:
    sam, ana = homes["sam"], homes["ana"]
    assert "you are its supervisor" in ok(run(sam, "team", "create", "Harbor team", **ENV))
    request = tmp_path / "ana.cdjoin"
    out = ok(run(ana, "team", "request", str(request), **ENV))
    assert fingerprint(ana) in out and "by phone or in person" in out
    # Asked first: no answer (stdin closed) changes nothing.
    asked = run(sam, "team", "accept", str(request), **ENV)
    assert_user_error(asked, "no answer: nothing was changed")
    assert fingerprint(ana) in asked.stdout and "Does the fingerprint match" in asked.stdout
    assert held_version(sam) == 1
    team_file = tmp_path / "team-v2.cdteam"
    out = ok(answer(sam, "y\n", "team", "accept", str(request), "--out", str(team_file)))
    assert "added Ana as coach" in out and "version 2" in out and team_file.is_file()
    # The coach is shown the supervisor's fingerprint and asked; "n" changes nothing.
    refused = answer(ana, "n\n", "team", "join", str(team_file))
    assert_user_error(refused, "not confirmed")
    assert fingerprint(sam) in refused.stdout and held_version(ana) is None
    assert "joined Harbor team version 2" in ok(run(ana, "team", "join", str(team_file), "--yes", **ENV))
    assert "nothing new" in ok(run(ana, "team", "join", str(team_file), **ENV))
    shown = ok(run(ana, "team", "show", **ENV))
    assert "Harbor team · version 2" in shown
    assert fingerprint(sam) in shown and fingerprint(ana) in shown and "Ana (you)" in shown
    # Removal: asked, with the honest note; then a later version needs no question.
    asked = run(sam, "team", "remove", "ana", **ENV)
    assert_user_error(asked, "no answer")
    assert "cannot undo" in asked.stdout and held_version(sam) == 2
    out = ok(run(sam, "team", "remove", "ana", "--yes", **ENV))
    assert "cannot undo what that device already holds" in out and "version 3" in out
    later = tmp_path / "team-v3.cdteam"
    ok(run(sam, "team", "file", "--out", str(later), **ENV))
    out = ok(run(ana, "team", "join", str(later), **ENV))
    assert "updated to Harbor team version 3" in out and "removed from the team in version 3" in out
    assert "removed in version 3" in ok(run(sam, "team", "show", **ENV))


def test_bad_inputs_are_one_line_and_change_nothing(homes: dict[str, Path], tmp_path: Path) -> None:
    sam, ana, ben = homes["sam"], homes["ana"], homes["ben"]
    ok(run(sam, "team", "create", "Harbor team", **ENV))
    request = tmp_path / "ana.cdjoin"
    ok(run(ana, "team", "request", str(request), **ENV))
    v2 = tmp_path / "v2.cdteam"
    ok(run(sam, "team", "accept", str(request), "--yes", "--out", str(v2), **ENV))
    ok(run(ana, "team", "join", str(v2), "--yes", **ENV))
    ok(run(ben, "team", "request", str(tmp_path / "ben.cdjoin"), **ENV))
    ok(run(sam, "team", "accept", str(tmp_path / "ben.cdjoin"), "--yes", **ENV))
    v3 = tmp_path / "v3.cdteam"
    ok(run(sam, "team", "file", "--out", str(v3), **ENV))
    ok(run(ana, "team", "join", str(v3), **ENV))

    data = json.loads(request.read_text())
    data["identity"]["name"] = "Sam"
    changed = tmp_path / "changed.cdjoin"
    changed.write_text(json.dumps(data))
    latin = tmp_path / "latin.cdjoin"
    latin.write_bytes("Ana Pérez".encode("latin-1"))
    ok(run(homes["ben"].parent / "olga", "init", "--coach", "Olga", **ENV))
    olga = homes["ben"].parent / "olga"
    ok(run(olga, "team", "create", "Other team", **ENV))
    foreign = tmp_path / "other.cdteam"
    ok(run(olga, "team", "file", "--out", str(foreign), **ENV))

    cases = [
        (sam, ("team", "accept", str(changed), "--yes"), "signature is not valid"),
        (sam, ("team", "accept", str(latin), "--yes"), "not UTF-8"),
        (sam, ("team", "accept", str(tmp_path / "missing.cdjoin"), "--yes"), "cannot read"),
        (sam, ("team", "accept", str(request), "--yes", "--out", str(v2)), "already exists"),
        (ana, ("team", "accept", str(request), "--yes"), "only a supervisor"),
        (ana, ("team", "remove", "ben", "--yes"), "only a supervisor"),
        (ana, ("team", "join", str(v2), "--yes"), "already holds version 3"),
        (ana, ("team", "join", str(foreign), "--yes"), "another team"),
        (ana, ("team", "join", str(latin), "--yes"), "not UTF-8"),
        (ana, ("team", "create", "Again"), "already belongs to a team"),
        (sam, ("team", "remove", "nobody", "--yes"), "no member"),
        (sam, ("team", "accept", str(request), "--yes"), "already a member"),
    ]
    for home, args, message in cases:
        assert_user_error(run(home, *args, **ENV), message)
    assert held_version(sam) == held_version(ana) == 3  # no version was added or kept
    lonely = homes["ben"].parent / "lonely"
    ok(run(lonely, "init", "--coach", "Lee", **ENV))
    assert_user_error(run(lonely, "team", "show", **ENV), "belongs to no team")
    assert_user_error(run(lonely, "team", "join", str(v3), "--yes", **ENV), "does not name this vault")
    assert held_version(lonely) is None
    assert run(sam, "team", **ENV).returncode == 2
    assert run(sam, "team", "accept", str(request), "--role", "boss", **ENV).returncode == 2
