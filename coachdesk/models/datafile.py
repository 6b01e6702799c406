"""Program rules as data files: TOML files shipped in assets/FOLDER/ and an agency's own in
the user config folder (FOLDER/*.toml, same `id`: theirs wins). One loader for billing
rules, funder schedules and the recovery-field lists, so each says what is wrong the same
way: one line naming the file, and nothing is used from a file that does not load.

    load(folder, model, extra_dir) -> dict[id, model]   a shipped file that does not load
                                                        is an AssetError; an agency's is a
                                                        BadDataFile (one line, named)
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import TypeVar, cast

from pydantic import BaseModel, ValidationError

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.models.validation import first_problem

MAX_FILE = 64 * 1024

M = TypeVar("M", bound=BaseModel)


class BadDataFile(CoachdeskError):
    """A data file that does not parse or breaks a rule: its name and why, one line."""


def parse(text: str, name: str, model: type[M]) -> M:
    """`model` from a TOML file's text, or one BadDataFile line naming the file. The same
    text is parsed once (screens read the files each time they show: an edited file
    counts at once, an unchanged one costs a read); treat what it returns as read-only."""
    return cast(M, _parse(text, name, model))


@functools.lru_cache(maxsize=64)
def _parse(text: str, name: str, model: type[M]) -> M:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadDataFile(f"{name} does not parse: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadDataFile(f"{name}: {_problem(exc)}") from None


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    if first["type"] == "extra_forbidden":
        where = ".".join(str(part) for part in first["loc"])
        return f"unknown field {where!r}"
    return first_problem(exc)


def read_text(path: Path) -> str:
    """An agency's file as text (at most MAX_FILE bytes of UTF-8), or one BadDataFile line."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE + 1)
    except OSError as exc:
        raise BadDataFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise BadDataFile(f"{path} is larger than {MAX_FILE // 1024} KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadDataFile(f"{path} is not UTF-8 text") from None


def load(folder: str, model: type[M], extra_dir: Path | None, key: str = "id") -> dict[str, M]:
    """Every file of `folder` by its `key` field: the shipped ones, then the agency's in
    `extra_dir` (same id: theirs wins). A shipped file that does not load is an AssetError;
    an agency's is a BadDataFile naming it (nothing half-loaded is used)."""
    found: dict[str, M] = {}
    shipped_dir = shipped.path(folder)
    try:
        names = sorted(p.name for p in shipped_dir.iterdir() if p.name.endswith(".toml"))
    except OSError:
        raise shipped.AssetError(f"assets/{folder} is missing: reinstall coachdesk") from None
    for file_name in names:
        try:
            item = parse(shipped.text(folder, file_name), f"assets/{folder}/{file_name}", model)
        except BadDataFile as exc:
            raise shipped.AssetError(f"{exc}: reinstall coachdesk") from None
        found[str(getattr(item, key))] = item
    if extra_dir is not None and extra_dir.is_dir():
        for path in sorted(extra_dir.glob("*.toml")):
            item = parse(read_text(path), str(path), model)
            found[str(getattr(item, key))] = item
    return found


def pick(found: dict[str, M], wanted: str | None, what: str) -> M:
    """The one named `wanted`, else the only one; else one line listing the known ids."""
    if wanted:
        if wanted in found:
            return found[wanted]
    elif len(found) == 1:
        return next(iter(found.values()))
    known = ", ".join(sorted(found)) or "none"
    if wanted:
        raise CoachdeskError(f"no {what} {wanted[:60]!r} (known: {known})")
    raise CoachdeskError(f"several {what}s: name one ({known})")
