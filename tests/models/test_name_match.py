"""Finding a person by name: words in any order, one typo forgiven (models/name_match)."""

from __future__ import annotations

import pytest

from coachdesk.models.name_match import like_pattern, one_edit_apart, score


@pytest.mark.parametrize(("a", "b", "near"), [
    ("delgado", "delgado", True), ("delgdo", "delgado", True), ("dlegado", "delgado", True),
    ("delgafo", "delgado", True), ("delgadoo", "delgado", True), ("dxlgxdo", "delgado", False),
    ("ab", "abcd", False),
])
def test_one_edit_apart(a: str, b: str, near: bool) -> None:
    assert one_edit_apart(a, b) is near
    assert one_edit_apart(b, a) is near


def test_score_any_order_prefix_best() -> None:
    assert score("delgado rosa", "Rosa Delgado") == 0
    assert score("rosa", "Rosa Delgado") == 0
    assert score("elgad", "Rosa Delgado") == 1  # inside a word
    assert score("delgdo", "Rosa Delgado") == 2  # a typo
    assert score("rosa kim", "Rosa Delgado") is None  # every word must match
    assert score("0199", "Rosa Delgado", "555 0199") == 0
    assert score("ros", "Rsa Delgado") is None  # short words: no typo


def test_like_pattern_takes_wildcards_literally() -> None:
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"


def one_edit_variants(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


def test_every_single_typo_of_a_name_is_forgiven() -> None:
    """Every letter missing, added, changed or swapped (the cheap pre-filter included)."""
    for name in ("delgado", "webb", "okafor"):
        for typo in one_edit_variants(name):
            if len(typo) >= 4:
                assert score(typo, f"Rosa {name.title()}") is not None, typo
