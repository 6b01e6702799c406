"""Per-vault settings a coach can change."""

from pydantic import BaseModel, Field


class Settings(BaseModel):
    """Per-vault settings, stored inside the encrypted vault (never synced)."""

    idle_lock_minutes: float = Field(5.0, gt=0, le=240)
    """Lock the vault after this many minutes without a key press."""

    crisis_lock_minutes: float = Field(30.0, gt=0, le=240)
    """While a crisis checklist runs, wait up to this many minutes without a key press
    (never less than `idle_lock_minutes`), then lock after a 30-second countdown."""

    discreet: bool = False
    """Show initials instead of names (courtrooms, waiting rooms)."""

    crisis_line: str = ""
    """The local crisis line, shown on crisis call steps next to 988."""

    supervisor_phone: str = ""
    """The supervisor's number, shown on crisis call steps."""

    coach_phone: str = Field("", max_length=40)
    """The coach's own work number, printed on plans and referral packets."""

    sync_folder: str = Field("", max_length=1000)
    """The folder a sync engine (Syncthing, a share) carries: Ctrl+Y on the Sync screen."""
