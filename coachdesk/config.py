"""Where things live, and the settings a coach can change.

Paths are computed when asked, never at import time. The data dir is
`--data-dir`, else `COACHDESK_HOME`, else platformdirs' user data dir.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coachdesk"
VAULT_FILE = "coachdesk.vault"
KEYSLOT_FILE = "passphrase.keyslot"
FAILED_UNLOCKS_FILE = "failed-unlocks"
DEMO_PASSPHRASE = "demo"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory that holds this coach's vault."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("COACHDESK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def vault_exists(directory: Path) -> bool:
    """A vault (or part of one) is in this directory: unlock rather than set up."""
    return (directory / VAULT_FILE).exists() or (directory / KEYSLOT_FILE).exists()


def demo_dir(base: Path) -> Path:
    """The demo vault lives beside (never inside) the real one."""
    return base / "demo"


def assets_dir() -> Path:
    """Protocols, templates, instruments and demo data shipped with coachdesk."""
    from coachdesk import shipped  # importlib.resources only when assets are read: start-up speed

    return shipped.root()


def config_dir() -> Path:
    """The user config dir (platformdirs: `~/.config/coachdesk` on Linux, or under
    `$XDG_CONFIG_HOME`): where an agency drops its own files."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def credentials_dir() -> Path:
    """An agency's credential files (`*.toml`, see assets/credentials/)."""
    return config_dir() / "credentials"


def keymap_file() -> Path:
    """The coach's own keys (`keymap.toml`: command id = "key"), for terminals that take
    some keys for themselves; see tui/keymap.py."""
    return config_dir() / "keymap.toml"


def display_file() -> Path:
    """The look the coach chose (the theme), kept outside the vault so the unlock screen
    has it too; it holds nothing about anyone."""
    return config_dir() / "display.toml"
