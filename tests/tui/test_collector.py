"""The app's collector policy: full collections only at a pause, what settled after unlock
frozen at the first pause, everything collectable again at lock."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from coachdesk.tui.collector import FULL_EVERY, IDLE_SECONDS, SAFETY_NET, YOUNG, Collector


@pytest.fixture
def collector() -> Iterator[Collector]:
    threshold = gc.get_threshold()
    was_frozen = gc.get_freeze_count()
    yield Collector()
    gc.set_threshold(*threshold)
    if not was_frozen:
        gc.unfreeze()


def test_full_collections_wait_for_a_pause(collector: Collector) -> None:
    assert gc.get_threshold()[0] == YOUNG and gc.get_threshold()[2] == SAFETY_NET
    for _ in range(FULL_EVERY + 1):
        gc.collect(1)  # each young collection counts towards the next full one
    assert collector.tick(IDLE_SECONDS / 2) is None  # typing: nothing runs
    assert collector.tick(IDLE_SECONDS + 0.1) == "collected"
    assert collector.tick(IDLE_SECONDS + 0.1) is None  # none due right after one


def test_unlock_freezes_at_the_first_pause_and_lock_unfreezes(collector: Collector) -> None:
    collector.unlocked()
    assert collector.tick(0.0) is None
    assert collector.tick(IDLE_SECONDS + 0.1) == "froze"
    assert gc.get_freeze_count() > 0
    assert collector.tick(IDLE_SECONDS + 0.1) != "froze"  # once per unlock
    collector.locked()
    assert gc.get_freeze_count() == 0
    assert collector.tick(IDLE_SECONDS + 0.1) == "collected"  # what the lock dropped
