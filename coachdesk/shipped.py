"""Files shipped with coachdesk (assets/, installed as the package coachdesk.assets).

Every reader of a protocol, template, instrument, notice or demo file goes through
here, so a source checkout, an editable install and a wheel all find the same files.
A missing or damaged file is one AssetError line, never a traceback.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from coachdesk.errors import CoachdeskError

PACKAGE = "coachdesk.assets"


class AssetError(CoachdeskError):
    """A shipped file is missing or damaged: reinstalling coachdesk mends it."""


def root() -> Path:
    """The folder of shipped files (assets/ in a checkout)."""
    try:
        return Path(str(resources.files(PACKAGE)))
    except ModuleNotFoundError:
        raise AssetError("coachdesk's shipped files are missing: reinstall coachdesk") from None


def path(*parts: str) -> Path:
    """A shipped file or folder (it may not exist: readers say so)."""
    return root().joinpath(*parts)


def text(*parts: str) -> str:
    """A shipped text file, or one AssetError line naming it."""
    name = "/".join(("assets", *parts))
    try:
        return path(*parts).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssetError(f"{name} is missing: reinstall coachdesk") from None
    except UnicodeDecodeError:
        raise AssetError(f"{name} is damaged (not UTF-8 text): reinstall coachdesk") from None
    except OSError as exc:
        raise AssetError(f"cannot read {name}: {exc.strerror or exc}") from None


def json_data(*parts: str) -> Any:
    """A shipped JSON file, parsed, or one AssetError line naming it."""
    try:
        return json.loads(text(*parts))
    except ValueError as exc:
        name = "/".join(("assets", *parts))
        raise AssetError(f"{name} is damaged (not valid JSON: {exc}): reinstall coachdesk") from None
