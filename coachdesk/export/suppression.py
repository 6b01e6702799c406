"""Small-cell suppression for counts that leave the program (CMS's rule for data users).

    is_small(n)                                   a count from 1 to 10: never published
    suppress_group(parts, total, also=..., ...)   which cells of "total = sum of parts" to withhold

A group is one figure for several parts (coaches) and their total (the team). Withheld:
1. every small cell (primary suppression), and the cells the caller names in `also` (a
   figure tied to a withheld one, such as the minutes of a coach whose contacts are hidden);
2. while the total is shown (complementary suppression): more parts, until at least two
   parts are withheld and together they come to more than 10, so that the total minus the
   shown parts (what a reader can work out) is neither one withheld cell nor a small count.
   The next part withheld is the smallest non-zero one shown (the least lost); a zero hides
   nothing and is never used. With no such part left, the total is withheld instead.

A zero is published: CMS's range is 1 to 10. Pure: no I/O, deterministic (ties go to the
part that comes first in `parts`), so tests can play the reader and try every input.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

SMALL_MIN, SMALL_MAX = 1, 10

K = TypeVar("K")


def is_small(n: int) -> bool:
    return SMALL_MIN <= n <= SMALL_MAX


@dataclass(frozen=True)
class Withheld(Generic[K]):
    parts: frozenset[K]
    total: bool


def suppress_group(parts: Mapping[K, int], total: int, *, also: Collection[K] = (),
                   total_also: bool = False) -> Withheld[K]:
    """The cells of one group to withhold; `total` is the sum of `parts` as published."""
    if any(n < 0 for n in parts.values()) or total < 0:
        raise ValueError("counts are never negative")
    hidden = {k for k, n in parts.items() if is_small(n) or k in also}
    hide_total = is_small(total) or total_also
    keys = list(parts)
    while hidden and not hide_total and (
            len(hidden) == 1 or sum(parts[k] for k in hidden) <= SMALL_MAX):
        shown = [(parts[k], i) for i, k in enumerate(keys) if k not in hidden and parts[k] > 0]
        if not shown:
            hide_total = True
            break
        hidden.add(keys[min(shown)[1]])
    return Withheld(frozenset(hidden), hide_total)
