"""A one-line "Save as:" field, hidden until asked for; posts the path typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class SavePath(Horizontal):
    DEFAULT_CSS = """
    SavePath { height: 1; margin: 0 1; display: none; }
    SavePath.-open { display: block; }
    SavePath > Static { width: auto; }
    SavePath > Input { width: 1fr; background: $boost; }
    """

    @dataclass
    class Chosen(Message):
        path: Path

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static("Save as: ")
        yield Input(placeholder=self._placeholder, compact=True)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.query_one(Input).focus()

    def close(self) -> None:
        self.remove_class("-open")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Chosen(Path(event.value.strip()).expanduser()))
