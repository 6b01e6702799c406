"""Files the user asked for (exports, reports, packets), written there and only there.

    write_file(path, text)                  temp file beside it (0600), fsync, rename; `text`
                                            may instead be a function that writes the temp
                                            file itself (a Parquet writer)
    write_recorded(vault, path, text, rec)  the file, then its audit/disclosure entries in
                                            one transaction: nothing is recorded for a file
                                            that was not written, no file stays unrecorded
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from coachdesk.errors import CoachdeskError


class Transactional(Protocol):
    """What `write_recorded` needs of a vault (store.vault.Vault is one): this module
    stays beneath the store, which writes files through it too."""

    def transaction(self) -> AbstractContextManager[object]: ...


Content = str | Callable[[Path], None]
"""Text, or a function that writes the file at the path it is given (a binary format)."""


def write_file(path: Path, text: Content, *, force: bool = False) -> Path:
    """Write `text` to `path` only: temp file beside it, fsync, rename. Refuses to overwrite
    unless `force`. Returns the path written."""
    path = path.expanduser()
    if path.is_dir():
        raise CoachdeskError(f"{path} is a folder: give a file name")
    if path.exists() and not path.is_file():  # a device, a pipe: never replaced by a file
        raise CoachdeskError(f"{path} is not a regular file: give a file name")
    if path.exists() and not force:
        raise CoachdeskError(f"{path} already exists (use --force to replace it)")
    if not path.parent.is_dir():
        raise CoachdeskError(f"folder {path.parent} does not exist")
    temp = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            if isinstance(text, str):
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        if not isinstance(text, str):  # the writer may make the file anew: fsync what it left
            text(temp)
            os.chmod(temp, 0o600)
            fd = os.open(temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise CoachdeskError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:  # a writer's own error: nothing left under either name
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return path


def write_recorded(vault: Transactional, path: Path, text: Content, record: Callable[[], object], *,
                   force: bool = False) -> Path:
    """Write the file, then `record()` (audit, disclosure) in the same transaction. If the
    record or its commit fails, the file just written is removed again."""
    written: Path | None = None
    try:
        with vault.transaction():
            written = write_file(path, text, force=force)
            record()
    except BaseException:
        if written is not None:
            with contextlib.suppress(OSError):
                written.unlink()
        raise
    return written
