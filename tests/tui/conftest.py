"""Fixtures of the TUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.tui.app import CoachdeskApp


@pytest.fixture
def app(vault_dir: Path) -> CoachdeskApp:
    """The app on the test's vault folder (it reads the folder only when it runs, so the
    test may fill it first)."""
    return CoachdeskApp(vault_dir)
