"""The coach's keymap file: each line `command id = "keys"` gives a command other keys.

    # ~/.config/coachdesk/keymap.toml
    ledger = "f10,ctrl+y"      # a global command (tui/commands.py)
    "roster.add" = "ctrl+n"    # or a screen's key, by its binding id

The ids are the ones the help and the README key table name (`coachdesk.tui.keytable`).
A file that cannot be used changes nothing: the app says why in one line and keeps the
default keys.
"""

from __future__ import annotations

import re
from pathlib import Path

from coachdesk.errors import KeymapError

BINDING_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?")
KEY = re.compile(r"[a-z0-9_]+(\+[a-z0-9_]+)*", re.IGNORECASE)
MAX_BYTES = 64 * 1024


def parse(text: str, name: str = "keymap.toml") -> dict[str, str]:
    """The keymap in `text`: {binding id: "key,key"}; KeymapError names the first problem."""
    import tomllib  # on demand: start-up speed (most coaches have no keymap file)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{name}: not valid TOML ({exc}); the default keys are kept") from None
    keymap: dict[str, str] = {}
    for binding_id, keys in data.items():
        if not BINDING_ID.fullmatch(binding_id):
            raise KeymapError(f"{name}: {binding_id!r} is not a command id (e.g. ledger, "
                              "roster.add); the default keys are kept")
        if not isinstance(keys, str) or not keys.strip():
            raise KeymapError(f"{name}: {binding_id} needs its keys as a string, e.g. "
                              f'{binding_id} = "ctrl+t"; the default keys are kept')
        parts = [key.strip() for key in keys.split(",")]
        bad = next((key for key in parts if not KEY.fullmatch(key)), None)
        if bad is not None:
            raise KeymapError(f"{name}: {binding_id}: {bad!r} is not a key (e.g. f10, ctrl+t, "
                              "question_mark); the default keys are kept")
        keymap[binding_id] = ",".join(parts)
    return keymap


def load(path: Path) -> dict[str, str]:
    """The keymap file at `path`, or {} when there is none."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise KeymapError(f"{path.name}: cannot be read ({exc.strerror}); the default keys "
                          "are kept") from None
    if len(raw) > MAX_BYTES:
        raise KeymapError(f"{path.name}: larger than 64 KB; the default keys are kept")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise KeymapError(f"{path.name}: not UTF-8 text; the default keys are kept") from None
    return parse(text, path.name)
