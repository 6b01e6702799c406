"""Passphrase rules and the strength hint shown at setup (no heavy imports: start-up path)."""

from coachdesk.errors import ValidationFailed

MIN_PASSPHRASE = 8


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(f"passphrase too short: use at least {MIN_PASSPHRASE} characters")


def passphrase_hint(passphrase: str) -> str:
    """A short, honest strength hint for the setup screen."""
    n = len(passphrase)
    kinds = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if n < MIN_PASSPHRASE:
        return f"too short ({n}/{MIN_PASSPHRASE})"
    if words >= 4 or n >= 20:
        return "strong"
    if n >= 12 and kinds >= 2:
        return "good"
    return "weak: a few unrelated words make a strong passphrase"
