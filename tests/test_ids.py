"""Record ids: valid UUIDv7s that sort in the order they were made."""

import uuid

from coachdesk.ids import uuid7


def test_ids_made_in_one_tick_sort_in_the_order_they_were_made() -> None:
    ids = [uuid7() for _ in range(5000)]  # far more than one per millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_are_version_7_rfc_variant() -> None:
    for text in (uuid7() for _ in range(100)):
        value = uuid.UUID(text)
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
