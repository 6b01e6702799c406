"""Passphrase rules and the strength hint shown at setup.

Strength is zxcvbn's estimate (dictionaries, keyboard patterns, repeats, dates), not a
count of character kinds: twenty times "a" is weak, four unrelated words are strong.
zxcvbn is imported only when a new passphrase is judged (setup, `init`, `passwd`), never
on the way to the unlock screen: start-up speed.
"""

from __future__ import annotations

from typing import Any

from coachdesk.errors import ValidationFailed

MIN_PASSPHRASE = 8
MIN_SCORE = 3
"""zxcvbn's score from 0 to 4; 3 resists an offline attack on a stolen laptop's key slot
for a long time, 4 for very long."""

_LEVELS = ("very weak", "weak", "fair", "strong", "very strong")
_MAX_JUDGED = 100
"""zxcvbn's cost grows with length; past this many characters a passphrase is long
enough that only its first part is judged."""


def _estimate(passphrase: str) -> dict[str, Any]:
    from zxcvbn import zxcvbn  # only here: start-up speed

    result: dict[str, Any] = zxcvbn(passphrase[:_MAX_JUDGED])
    return result


def _advice(result: dict[str, Any]) -> str:
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "").rstrip(".")
    if warning:
        return warning[:1].lower() + warning[1:]
    return "a few unrelated words make a strong one"


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse a new passphrase that is short or easy to guess (one line: why)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(f"passphrase too short: use at least {MIN_PASSPHRASE} characters")
    result = _estimate(passphrase)
    if int(result["score"]) < MIN_SCORE:
        raise ValidationFailed(f"passphrase too easy to guess: {_advice(result)}")


def passphrase_hint(passphrase: str) -> str:
    """A short, honest strength hint for the setup screen."""
    n = len(passphrase)
    if n < MIN_PASSPHRASE:
        return f"too short ({n}/{MIN_PASSPHRASE})"
    result = _estimate(passphrase)
    score = int(result["score"])
    if score >= MIN_SCORE:
        return _LEVELS[score]
    return f"{_LEVELS[score]}: {_advice(result)}"
