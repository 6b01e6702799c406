"""Is a new person perhaps someone already on the roster? Names in any order, with a
typo, initials left out; or the same phone number.

    same_name("Rosa Delgado", "delgado rosa")   True
    same_name("Rosa Delgado", "Rosa Delgato")   True   (one letter off)
    same_name("Rosa M. Delgado", "Rosa Delgado") True  (a middle initial)
    same_name("Rosa Delgado", "Rosa Diaz")      False
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+")
MAX_WORDS = 5
"""More words than this are compared as given, not in every order."""


def words(name: str) -> list[str]:
    """The name's words of two letters or more, without accents or case."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return sorted(w for w in _WORD.findall(plain) if len(w) > 1)


def _typos_allowed(word: str) -> int:
    return 0 if len(word) <= 2 else 1 if len(word) <= 7 else 2


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance (a swap of two neighbours counts once), stopping past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _close(a: str, b: str) -> bool:
    limit = min(_typos_allowed(a), _typos_allowed(b))
    return a == b or _distance(a, b, limit) <= limit


def same_name(a: str, b: str) -> bool:
    """The same words, in any order, each at most a typo apart (one name may have a
    word more, such as a second surname, if it has at least two others in common)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(long_) - len(short) > 1 or (len(long_) > len(short) and len(short) < 2):
        return False
    if len(long_) > MAX_WORDS:
        return short == long_
    return any(all(_close(x, y) for x, y in zip(short, chosen, strict=False))
               for chosen in itertools.permutations(long_, len(short)))


def phone_digits(phone: str) -> str:
    """The last ten digits: "+1 (555) 010-0199" and "555 010 0199" are one number."""
    return "".join(c for c in phone if c.isdigit())[-10:]


def same_phone(a: str, b: str) -> bool:
    da, db = phone_digits(a), phone_digits(b)
    return len(da) >= 7 and da == db
