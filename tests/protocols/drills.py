"""Protocols written for tests (tests/protocols/files/NAME.toml: a timer drill, a loop of
many answers, a kit check of a step kind defined in a test), and a protocols folder the
app reads instead of the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"


def protocol_text(name: str) -> str:
    return (FILES / f"{name}.toml").read_text(encoding="utf-8")


def use_protocols(monkeypatch: pytest.MonkeyPatch, folder: Path, files: dict[str, str]) -> Path:
    """`folder` made, holding the `files` (file name -> text), and the app's protocols
    read from it (COACHDESK_PROTOCOLS_DIR)."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("COACHDESK_PROTOCOLS_DIR", str(folder))
    return folder
