"""The theme the coach chose in the palette (Ctrl+P, "Theme"), remembered in the user
config dir (config.display_file), not the vault: the unlock screen comes up in it too.

The ANSI themes ("ansi-dark", "ansi-light") use the terminal's own 16 colours, for light
terminals and those without true colour. NO_COLOR is Textual's: it drops every colour.
"""

from __future__ import annotations

import os
from pathlib import Path

ANSI_THEMES = ("ansi-dark", "ansi-light")


def load(path: Path, known: set[str]) -> str | None:
    """The theme saved in `path`, if it is one of `known`; None otherwise (a damaged or
    unknown choice falls back to the default, quietly: it is only a look)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import tomllib  # only when a theme was chosen: start-up speed

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    theme = data.get("theme")
    return theme if isinstance(theme, str) and theme in known else None


def save(path: Path, theme: str) -> None:
    """Write `theme = "..."` to `path` (whole or not at all)."""
    import tempfile  # only when a theme is chosen: start-up speed

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".display-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f'theme = "{theme}"\n')
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
