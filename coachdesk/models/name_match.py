"""Finding a person by what the coach types: words in any order, one typo forgiven.

"delgado rosa" finds "Rosa Delgado"; "delgdo" and "dlegado" find her too (a letter
missing, extra, wrong or two swapped, in a word of four letters or more). Digits match
the phone. Pure functions: the store asks SQL first and uses this for what SQL misses.
"""

from __future__ import annotations

import re

TYPO_MIN = 4
"""A typed word this long or longer may hold one typo (shorter ones match too much)."""

_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of `text`, case-folded ("Rosa-Lee  O'Neil" -> rosa, lee, o, neil)."""
    return _WORD.findall(text.casefold())


def like_pattern(text: str) -> str:
    """A LIKE pattern for "contains `text`" with `%`, `_` and `\\` taken literally
    (use with ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def one_edit_apart(a: str, b: str) -> bool:
    """a and b differ by at most one letter missing, added, changed, or two swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) == len(b):
        return (a[i + 1:] == b[i + 1:]
                or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]))
    return a[i:] == b[i + 1:]


def word_cost(typed: str, word: str) -> int | None:
    """0: `word` begins with `typed`; 1: holds it; 2: begins with it but for one typo;
    None: no match."""
    if word.startswith(typed):
        return 0
    if typed in word:
        return 1
    if len(typed) >= TYPO_MIN and len(word) >= 2 and _may_be_near(typed, word):
        n = len(typed)
        if any(one_edit_apart(typed, word[:size]) for size in (n - 1, n, n + 1) if size <= len(word)):
            return 2
    return None


def _may_be_near(typed: str, word: str) -> bool:
    """Cheap and never wrong the other way: one edit keeps one of the first two letters
    in place, or shifts it by one (the roster asks this of every name as one types)."""
    a, b, x, y = typed[0], typed[1], word[0], word[1]
    return a in (x, y) or b in (x, y)


def score(query: str, alias: str, phone: str = "") -> int | None:
    """How well `alias` (or `phone`) matches `query`, lower is better; None: no match.
    Every typed word must match a word of the alias, in any order; a word of digits may
    instead be in the phone number."""
    typed = words_of(query)
    if not typed:
        return 0
    names = words_of(alias)
    digits = re.sub(r"\D", "", phone)
    total = 0
    for word in typed:
        costs = [c for c in (word_cost(word, name) for name in names) if c is not None]
        if word.isdigit() and digits and word in digits:
            costs.append(0)
        if not costs:
            return None
        total += min(costs)
    return total
