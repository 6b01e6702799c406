"""Duplicate people: names in any order, with a typo or a middle initial; the same phone."""

from __future__ import annotations

import pytest

from coachdesk.models.look_alike import same_name, same_phone


@pytest.mark.parametrize(("a", "b"), [
    ("Rosa Delgado", "delgado rosa"),
    ("Rosa Delgado", "Rosa Delgato"),
    ("Rosa Delgado", "Rsoa Delgado"),  # two letters swapped
    ("Rosa M. Delgado", "Rosa Delgado"),
    ("Rosa Delgado", "Rosa Delgado Ruiz"),
    ("José García", "jose garcia"),
    ("Jon Smith", "John Smith"),
])
def test_the_same_person(a: str, b: str) -> None:
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("Rosa Delgado", "Rosa Diaz"),
    ("Kit", "Kit Alvarez"),
    ("Rosa Delgado", "Rita Delgado Ruiz"),
    ("Al Li", "Ed Li"),
    ("", "Rosa"),
    ("12", "12"),
])
def test_different_people(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_phones_compare_by_their_digits() -> None:
    assert same_phone("+1 (555) 010-0199", "555 010 0199")
    assert same_phone("555.010.0199", "5550100199")
    assert not same_phone("555 010 0199", "555 010 0198")
    assert not same_phone("911", "911")  # too short to say anything
    assert not same_phone("", "")
