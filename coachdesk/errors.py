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
