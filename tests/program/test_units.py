"""Service units (issue 22, item 1): a contact's minutes become units by the payer's
rounding; a person's contacts of one day stop being billable at the daily cap, and the
contact that goes over is flagged, never cut."""

from __future__ import annotations

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.models.billing import BillingRule, Contact, capped, rule, units


def make_rule(**extra: object) -> BillingRule:
    data: dict[str, object] = {"id": "test", "name": "Test", "unit_minutes": 15,
                               "partial_unit_from": 8, "daily_cap_units": 16,
                               "codes": {"ongoing support": "H0038", "outreach attempt": ""}}
    data.update(extra)
    return BillingRule.model_validate(data)


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, 0), (1, 0), (7, 0), (8, 1), (14, 1), (15, 1), (16, 1), (22, 1), (23, 2), (30, 2),
    (37, 2), (38, 3), (60, 4), (24 * 60, 96)])
def test_rounding_from_eight_minutes(minutes: int, expected: int) -> None:
    assert units(make_rule(), minutes) == expected


@pytest.mark.parametrize(("partial", "minutes", "expected"), [
    (1, 1, 1), (1, 15, 1), (1, 16, 2),            # any part of a unit rounds up
    (15, 14, 0), (15, 15, 1), (15, 29, 1), (15, 30, 2)])  # whole units only
def test_rounding_is_the_payers(partial: int, minutes: int, expected: int) -> None:
    assert units(make_rule(partial_unit_from=partial), minutes) == expected


@pytest.mark.parametrize("minutes", [-1, -60, 24 * 60 + 1, 10**6])
def test_minutes_negative_or_over_a_day_are_one_line(minutes: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        units(make_rule(), minutes)
    assert "\n" not in str(caught.value)
    assert ("negative" if minutes < 0 else "more than 24 hours") in str(caught.value)


def contact(n: int, minutes: int, day: str = "2026-03-31", person: str = "p1",
            kind: str = "ongoing support") -> Contact:
    return Contact(f"c{n}", person, day, f"{day}T{9 + n:02d}:00", minutes, kind, "Sam")


def test_the_daily_cap_flags_the_contact_that_goes_over_and_cuts_nothing() -> None:
    billed = capped(make_rule(), [contact(3, 90), contact(1, 90), contact(2, 90)])
    assert [b.contact.id for b in billed] == ["c1", "c2", "c3"]  # in the order of the day
    assert [b.units for b in billed] == [6, 6, 6]
    assert [b.billable for b in billed] == [6, 6, 4]
    assert [b.over_cap for b in billed] == [False, False, True]
    assert sum(b.units for b in billed) == 18  # all kept


def test_exactly_at_the_cap_is_not_over() -> None:
    billed = capped(make_rule(), [contact(1, 120), contact(2, 120)])
    assert [b.units for b in billed] == [8, 8]
    assert not any(b.over_cap for b in billed)
    assert capped(make_rule(), [contact(1, 120), contact(2, 120), contact(3, 8)])[-1].billable == 0


def test_the_cap_is_per_person_and_per_day_across_a_month_end() -> None:
    found = [contact(1, 240), contact(2, 60, day="2026-04-01"), contact(3, 60, person="p2")]
    billed = {b.contact.id: b for b in capped(make_rule(), found)}
    assert billed["c1"].units == 16 and not billed["c1"].over_cap
    assert billed["c2"].billable == 4 and billed["c3"].billable == 4


def test_no_cap_and_contacts_without_a_code() -> None:
    billed = capped(make_rule(daily_cap_units=0), [contact(1, 600), contact(2, 30, kind="outreach attempt"),
                                                   contact(3, 30, kind="check-in")])
    assert [(b.contact.id, b.units, b.over_cap) for b in billed] == [("c1", 40, False)]


def test_the_shipped_rule_loads() -> None:
    shipped = rule(None)
    assert shipped.unit_minutes == 15 and shipped.daily_cap_units == 16
    assert shipped.code_for("ongoing support") == "H0038"
    assert shipped.code_for("outreach attempt") == ""
