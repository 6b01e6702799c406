"""Small-cell suppression for counts that leave the program (CMS's rule for data users).

    is_small(n)                                   a count from 1 to 10: never published
    suppress_group(parts, total, also=..., ...)   which cells of "total = sum of parts" to withhold

A group is one figure for several parts (coaches) and their total (the team). The rule:
- a small total is withheld, and so is every part (they are all small or zero then);
- if any part is small (or named in `also`: a figure tied to a withheld one, such as the
  minutes of a coach whose contacts are withheld), every part is withheld, zeros too,
  and the total is shown.

Why all parts, not "the small ones and the next smallest" (the usual complementary
suppression): this code is public, and a reader who knows a rule that picks complements
by size can invert it. Picking the smallest other part, [11, 10, 10] published as
"11, withheld, withheld, total 31" leaves only 10 and 10; and with zeros shown, eleven
coaches with one person each and a total of 11 leave only ones. With every part withheld
a reader knows the total and that some part is small, and nothing else: with two or more
parts and a total above 10, every part can still be any of several values (a test plays
that reader and tries every input). The price is the per-coach figures of that measure in
that month; the team total, what an agency adds up, stays.

Pure: no I/O, deterministic.
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
    hide_total = is_small(total) or total_also
    any_part = hide_total or any(is_small(n) or k in also for k, n in parts.items())
    return Withheld(frozenset(parts) if any_part else frozenset(), hide_total)
