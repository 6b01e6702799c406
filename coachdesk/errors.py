"""User-facing errors: each carries one line that the CLI and the TUI show as is."""


class CoachdeskError(Exception):
    """A problem the user can act on. Its message is one line, shown as `error: ...`."""


class WrongPassphrase(CoachdeskError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase")


class NoVault(CoachdeskError):
    pass


class NotAVault(CoachdeskError):
    pass


class NewerSchema(CoachdeskError):
    pass


class DataDirError(CoachdeskError):
    pass


class ValidationFailed(CoachdeskError):
    pass


DISK_FULL = "the disk is full: free some space, then try again"


class DiskFull(CoachdeskError):
    """A write failed for want of space: nothing was changed; the same write may work
    once space is freed (a save error to show and retry, never a reason to stop)."""

    def __init__(self) -> None:
        super().__init__("the disk is full")

_SQLITE_IOERR, _SQLITE_FULL = 10, 13
_LITTLE_SPACE = 1 << 20


def disk_full(exc: BaseException, *folders: object) -> bool:
    """Whether `exc`, or an error it was raised from, means no space was left: SQLite's
    SQLITE_FULL, ENOSPC / EDQUOT, or an SQLite I/O error while one of `folders` has
    (almost) no space left (SQLite reports a -shm file it could not grow that way).
    The one place that tells a full disk from a damaged file."""
    import errno
    import os

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DiskFull):
            return True
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        code = getattr(seen, "sqlite_errorcode", None)
        from_sqlite = type(seen).__module__.startswith(("sqlcipher3", "sqlite3"))
        if code is not None and code & 0xFF == _SQLITE_FULL or (
                from_sqlite and "database or disk is full" in str(seen)):
            return True
        if code is not None and code & 0xFF == _SQLITE_IOERR:
            for folder in folders:
                try:
                    space = os.statvfs(str(folder))
                except (OSError, ValueError):
                    continue
                if space.f_bavail * space.f_frsize < _LITTLE_SPACE:
                    return True
        seen = seen.__cause__ or seen.__context__
    return False


class KeymapError(CoachdeskError):
    """The keymap file cannot be used: the default keys stay."""
