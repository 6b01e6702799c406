"""BARC-10 check-ins: the instrument file, scoring, refusal of bad answers, append-only."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.models.assessment import load_instrument
from coachdesk.store import assessments, participants
from coachdesk.store.db import DatabaseError
from coachdesk.store.vault import Vault
from tests.conftest import person


def test_barc10_file_has_ten_items_six_points_and_bands() -> None:
    barc = load_instrument("barc10")
    assert len(barc.items) == 10 and sorted(barc.scale) == [1, 2, 3, 4, 5, 6]
    assert barc.total_range == (10, 60)
    assert barc.score([1] * 10) == 10 and barc.score([6] * 10) == 60
    assert barc.score([4, 5, 4, 5, 4, 5, 4, 5, 4, 6]) == 46
    assert "47" in barc.meaning(47) and barc.meaning(47) == barc.meaning(60)
    assert barc.meaning(46) != barc.meaning(47)
    assert barc.meaning(10) != barc.meaning(46)


@pytest.mark.parametrize(("answers", "message"), [
    ([7] + [3] * 9, "item 1: answer 1 to 6, not 7"),
    ([3] * 9 + [0], "item 10: answer 1 to 6, not 0"),
    ([3] * 9, "10 needed, 9 given"),
])
def test_bad_answers_are_refused(vault: Vault, answers: list[int], message: str) -> None:
    pid = participants.create(vault, person())
    with pytest.raises(ValidationFailed, match=message):
        assessments.record(vault, pid, load_instrument("barc10"), answers)
    assert assessments.history(vault, pid, "barc10") == []


def test_history_is_oldest_first_and_append_only(vault: Vault) -> None:
    pid = participants.create(vault, person())
    barc = load_instrument("barc10")
    later = assessments.record(vault, pid, barc, [5] * 10, taken_on=dt.date(2026, 3, 1))
    assessments.record(vault, pid, barc, [3] * 10, taken_on=dt.date(2026, 1, 1))
    history = assessments.history(vault, pid, "barc10")
    assert [a.total for a in history] == [30, 50] and history[1].id == later
    assert history[0].version == barc.version
    with pytest.raises(DatabaseError, match="append-only"):
        vault.conn.execute("UPDATE assessment SET total = 60")
    with pytest.raises(DatabaseError, match="append-only"):
        vault.conn.execute("DELETE FROM assessment")


def test_unknown_instrument_is_a_user_error() -> None:
    with pytest.raises(ValidationFailed, match="no instrument"):
        load_instrument("../etc/passwd")
    with pytest.raises(ValidationFailed, match="no instrument"):
        load_instrument("nosuch")
