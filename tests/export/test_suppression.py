"""Small-cell suppression: no published figure reveals a count from 1 to 10.

The strongest reader is played here: one who knows the rule (this code), sees what was
published, and tries every input that would have published the same. A withheld small
count must have at least two possible values for that reader.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk.export.suppression import Withheld, is_small, suppress_group

Published = tuple[tuple[int | None, ...], int | None]


def publish(parts: list[int]) -> Published:
    keyed = dict(enumerate(parts))
    total = sum(parts)
    out = suppress_group(keyed, total)
    return (tuple(None if i in out.parts else n for i, n in keyed.items()),
            None if out.total else total)


def figures(published: Published) -> list[int]:
    shown, total = published
    return [n for n in (*shown, total) if n is not None]


def possible_inputs(published: Published, top: int) -> list[tuple[int, ...]]:
    """Every input (each count 0..top; with the total shown, whatever adds up to it) that
    publishes exactly `published`."""
    shown, total = published
    hidden = [i for i, n in enumerate(shown) if n is None]
    known = sum(n for n in shown if n is not None)
    found = []
    free = hidden if total is None else hidden[:-1]
    for values in itertools.product(range(top + 1), repeat=len(free)):
        guess = list(shown)
        for i, v in zip(free, values, strict=True):
            guess[i] = v
        if total is not None and hidden:
            last = total - known - sum(values)
            if last < 0:
                continue
            guess[hidden[-1]] = last
        parts = [int(n) for n in guess if n is not None]
        if publish(parts) == published:
            found.append(tuple(parts))
    return found


def test_the_issues_case_three_and_fifty_and_a_total() -> None:
    published = publish([3, 50])
    assert 3 not in figures(published)
    shown, total = published
    assert not (total == 53 and 50 in shown), "53 next to 50 gives the 3 away"
    assert shown[0] is None
    # The team total survives (the agency roll-up adds team totals): the 50 goes with the 3.
    assert published == ((None, None), 53)
    # To the reader the first coach had anything from 1 to 10 (or 43 to 52: the roles swap).
    assert set(range(1, 11)) <= {p[0] for p in possible_inputs(published, 60)}


def test_no_small_figure_is_ever_shown() -> None:
    assert publish([0, 0]) == ((0, 0), 0)
    assert publish([0, 11, 12]) == ((0, 11, 12), 23)
    assert publish([4, 3]) == ((None, None), None)  # the total, 7, is small itself
    assert publish([3, 4, 20, 30]) == ((None, None, None, None), 57)


def test_what_picking_complements_by_size_would_give_away() -> None:
    # The smallest other part as complement: 11 shown, total 31 -> the two withheld are 10, 10.
    assert publish([11, 10, 10]) == ((None, None, None), 31)
    # Zeros shown: eleven withheld ones and a total of 11 -> all ones. Zeros go too.
    assert publish([1] * 11 + [0]) == ((None,) * 12, 11)


def test_a_figure_tied_to_a_hidden_one_is_withheld_too() -> None:
    out = suppress_group({"a": 300, "b": 400, "c": 500}, 1200, also={"a"})
    assert out == Withheld(frozenset({"a", "b", "c"}), False)
    assert suppress_group({"a": 300}, 300, total_also=True) == Withheld(frozenset({"a"}), True)


def test_is_small() -> None:
    assert [n for n in range(15) if is_small(n)] == list(range(1, 11))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 24), min_size=1, max_size=3))
def test_no_reader_works_out_a_small_count(parts: list[int]) -> None:
    published = publish(parts)
    assert not any(is_small(n) for n in figures(published))
    candidates = possible_inputs(published, 40)
    assert tuple(parts) in candidates
    for i, n in enumerate(parts):
        if is_small(n):
            assert len({c[i] for c in candidates}) >= 2, (parts, published)
    if any(is_small(n) for n in parts):  # nor which small counts there are, whoever has them
        assert len({tuple(sorted(c)) for c in candidates}) >= 2, (parts, published)
