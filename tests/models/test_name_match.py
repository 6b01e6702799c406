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
