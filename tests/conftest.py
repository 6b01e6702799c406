"""Shared fixtures: real vault files in a temp dir, real SQLCipher."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.store.vault import Vault

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data dir."""
    monkeypatch.setenv("COACHDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # keymap, theme
    monkeypatch.delenv("COACHDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("COACHDESK_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = Vault.create(vault_dir, PASSPHRASE, "Sam Coach")
    yield v
    with contextlib.suppress(Exception):
        v.close()


def person(alias: str = "Jo Example", **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "alias": alias,
        "adult_confirmed": True,
        "intake_date": (dt.date.today() - dt.timedelta(weeks=3)).isoformat(),
    }
    data.update(extra)
    return data


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHDESK_")}
    env["COACHDESK_HOME"] = str(home)
    env.update(extra)
    return env


CLI = [sys.executable, "-m", "coachdesk"]
