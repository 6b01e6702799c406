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
    """Every input (each count 0..top) that publishes exactly `published`."""
    shown, total = published
    hidden = [i for i, n in enumerate(shown) if n is None]
    found = []
    for values in itertools.product(range(top + 1), repeat=len(hidden)):
        guess = list(shown)
        for i, v in zip(hidden, values, strict=True):
            guess[i] = v
        parts = [int(n) for n in guess if n is not None]
        if total is not None and sum(parts) != total:
            continue
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


def test_no_small_figure_is_ever_shown_and_zero_is() -> None:
    assert publish([0, 0]) == ((0, 0), 0)
    assert publish([0, 11, 12]) == ((0, 11, 12), 23)
    assert publish([4, 3]) == ((None, None), None)  # the total, 7, is small itself


def test_two_small_cells_that_add_up_to_a_small_count_take_a_third() -> None:
    shown, total = publish([3, 4, 20, 30])
    assert shown == (None, None, None, 30) and total == 57


def test_the_smallest_other_part_goes_first_and_ties_go_to_the_first() -> None:
    assert publish([5, 40, 12, 12]) == ((None, 40, None, 12), 69)


def test_with_nothing_else_to_withhold_the_total_goes() -> None:
    out = suppress_group({"a": 20, "b": 0}, 20, also={"a"})
    assert out == Withheld(frozenset({"a"}), True)


def test_a_figure_tied_to_a_hidden_one_is_withheld_too() -> None:
    out = suppress_group({"a": 300, "b": 400, "c": 500}, 1200, also={"a"})
    assert out.parts == {"a", "b"} and not out.total


def test_is_small() -> None:
    assert [n for n in range(15) if is_small(n)] == list(range(1, 11))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 24), min_size=1, max_size=3))
def test_no_reader_works_out_a_small_count(parts: list[int]) -> None:
    published = publish(parts)
    assert not any(is_small(n) for n in figures(published))
    candidates = possible_inputs(published, 24)
    assert tuple(parts) in candidates
    for i, n in enumerate(parts):
        if is_small(n):
            assert len({c[i] for c in candidates}) >= 2, (parts, published)
