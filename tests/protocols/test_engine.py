"""The walker: answers lead on, back goes one step, a record replays to the same place."""

from __future__ import annotations

import pytest

from coachdesk import config
from coachdesk.protocols import InvalidAnswer, ReplayError, Walk, load_file

OVERDOSE = config.assets_dir() / "protocols" / "overdose.toml"


def test_answers_are_normalized_and_lead_to_the_branch() -> None:
    walk = Walk(load_file(OVERDOSE))
    assert walk.answer("Y") == "yes"
    assert walk.current.id == "call-911"
    assert walk.answer("anything") == "done"
    assert walk.answer("n") == "no"
    assert walk.current.id == "breathe-no-naloxone"


@pytest.mark.parametrize("bad", ["maybe", "", "2"])
def test_a_bad_answer_to_a_question_changes_nothing(bad: str) -> None:
    walk = Walk(load_file(OVERDOSE))
    with pytest.raises(InvalidAnswer):
        walk.answer(bad)
    assert walk.path == ["signs"]


def test_choices_by_number_or_label_and_out_of_range_refused() -> None:
    protocol = load_file(OVERDOSE)
    walk = Walk(protocol, path=["help-arrived"])
    with pytest.raises(InvalidAnswer, match="choose 1 to 3"):
        walk.answer("4")
    assert walk.answer("2") == "The person refused to go to hospital"
    assert walk.current.id == "refused"


def test_back_one_step_and_not_past_the_start() -> None:
    walk = Walk(load_file(OVERDOSE))
    with pytest.raises(InvalidAnswer):
        walk.back()
    walk.answer("yes")
    assert walk.back().id == "signs"
    walk.answer("no")
    assert walk.current.id == "watch"


def test_replay_rebuilds_the_walk_including_steps_back() -> None:
    protocol = load_file(OVERDOSE)
    rows = [("yesno", "signs", "yes"), ("back", "call-911", "x"), ("yesno", "signs", "no"),
            ("attach", "", "someone"), ("instruction", "watch", "done")]
    walk = Walk.replay(protocol, rows)
    assert walk.path == ["signs", "watch", "end-no-signs"]
    walk = Walk.replay(protocol, [*rows, ("end", "end-no-signs", "No signs of overdose")])
    assert walk.finished


def test_replay_refuses_a_record_that_does_not_fit() -> None:
    protocol = load_file(OVERDOSE)
    with pytest.raises(ReplayError):
        Walk.replay(protocol, [("yesno", "not-a-step", "yes")])
    with pytest.raises(ReplayError):
        Walk.replay(protocol, [("yesno", "signs", "maybe")])
    with pytest.raises(ReplayError):  # the record says call-911 came first: it did not
        Walk.replay(protocol, [("call", "call-911", "done")])
    walk = Walk.replay(protocol, [("yesno", "signs", "no"), ("end", "_stopped", "stopped")])
    assert walk.finished
