"""A step kind is one class: a kind defined here, in a test, loads from a file, walks,
replays and reads in the incident summary without a change to any other module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field, ValidationError

from coachdesk.export.incident import incident_markdown, incident_note_text
from coachdesk.models import CrisisRecord
from coachdesk.models.crisis import ATTACH, BACK, STEP_KIND_PATTERN, CrisisEventRow, CrisisStepRow
from coachdesk.protocols import STEP_KINDS, InvalidAnswer, Protocol, ProtocolError, Walk, load_file
from coachdesk.protocols.model import GO_ON, Onward, Step, answer_text
from tests.protocols.drills import protocol_text

CHECKS = protocol_text("kit")


def define_checks() -> type[Step]:
    """A checkbox list: the coach ticks what was done (e.g. `1 3`), the record keeps the
    items' names. Everything the kind needs is in this one class."""

    class Checks(Onward):
        kind: Literal["checks"] = "checks"
        items: list[str] = Field(min_length=1, max_length=9)

        def recorded(self, raw: str) -> str:
            picked = raw.replace(",", " ").split()
            if not all(p.isdigit() and 1 <= int(p) <= len(self.items) for p in picked):
                raise InvalidAnswer(f"tick 1 to {len(self.items)}")
            return "; ".join(self.items[int(p) - 1] for p in sorted(set(picked), key=int))

        @classmethod
        def reads(cls, answer: str) -> str:
            return f"ticked: {answer}" if answer else "nothing ticked"

    return Checks


@pytest.fixture
def checks() -> Iterator[type[Step]]:
    kind = define_checks()
    try:
        yield kind
    finally:
        STEP_KINDS.pop("checks", None)


def write(tmp_path: Path, text: str = CHECKS) -> Path:
    path = tmp_path / "kit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def record_of(rows: list[tuple[str, str, str, str]]) -> CrisisRecord:
    """A record as the store returns it: (kind, step id, label, answer) rows, a second apart."""
    event = CrisisEventRow(id="e1", protocol_id="kit", protocol_version=1,
                           protocol_title="Kit check", started_at="2025-03-01T10:00:00+00:00",
                           started_by="Sam Coach")
    steps = [CrisisStepRow(id=f"s{seq}", event_id="e1", seq=seq, step_id=step_id, kind=kind,
                           label=label, answer=answer, at=f"2025-03-01T10:00:{seq:02d}+00:00")
             for seq, (kind, step_id, label, answer) in enumerate(rows, 1)]
    return CrisisRecord(event=event, steps=steps)


def test_a_kind_defined_in_a_test_loads_walks_and_reads(checks: type[Step],
                                                        tmp_path: Path) -> None:
    protocol = load_file(write(tmp_path))
    step = protocol.step("tick")
    assert isinstance(step, checks)
    assert step.targets() == [("next", "fin")]  # the loader filled in the step below
    assert step.takes(GO_ON) and not step.takes("yes") and not step.typed

    walk = Walk(protocol)
    with pytest.raises(InvalidAnswer, match="tick 1 to 3"):
        walk.answer("4")
    assert walk.path == ["tick"]  # a bad answer changes nothing
    assert walk.answer("3, 1") == "Naloxone given; 911 called"
    assert walk.current.id == "fin"
    assert walk.answer("") == "kit checked" and walk.finished

    rows = [("checks", "tick", "What was done?", "Naloxone given; 911 called"),
            ("back", "fin", "Went back one step", "from Finished to What was done?"),
            ("checks", "tick", "What was done?", ""),
            ("end", "fin", "Finished", "kit checked")]
    replayed = Walk.replay(protocol, [(kind, sid, answer) for kind, sid, _, answer in rows])
    assert replayed.finished and replayed.path == ["tick", "fin"]

    record = record_of(rows)
    text = incident_markdown(record, coach="Sam Coach")
    assert "| What was done? | ticked: Naloxone given; 911 called |" in text
    assert "| What was done? | nothing ticked |" in text
    assert "**Outcome**: kit checked" in text
    assert "What was done?: nothing ticked" in incident_note_text(record)


def test_a_recorded_answer_moves_the_walk_without_being_read_again(checks: type[Step],
                                                                   tmp_path: Path) -> None:
    """The screen records first, then moves the walk by what was recorded: a kind whose
    recorded answer would not pass `recorded` again (names, not numbers) still moves on."""
    walk = Walk(load_file(write(tmp_path)))
    walk.advance(walk.current.recorded("2 1"))
    assert walk.current.id == "fin"
    walk.advance("kit checked")
    assert walk.finished
    with pytest.raises(InvalidAnswer, match="has ended"):
        walk.advance("again")


def test_a_bad_file_for_the_new_kind_names_its_step(checks: type[Step], tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="kit.toml: step 'tick': items"):
        load_file(write(tmp_path, CHECKS.replace(
            'items = ["Naloxone given", "Recovery position", "911 called"]', "items = []")))


def test_without_its_class_the_kind_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="step 'tick': unknown step kind 'checks'"):
        load_file(write(tmp_path))
    assert answer_text("checks", "") == "(left empty)"  # a newer device's row still reads


def test_a_kind_name_cannot_be_taken_twice(checks: type[Step]) -> None:
    with pytest.raises(TypeError, match="'checks' is already defined by Checks"):
        define_checks()
    assert STEP_KINDS["checks"] is checks


def test_a_protocol_built_from_tables_gets_each_step_as_its_kind() -> None:
    protocol = Protocol.model_validate({
        "id": "p", "version": 1, "title": "From tables", "start": "a",
        "steps": [{"kind": "yesno", "id": "a", "label": "Q", "yes": "b", "no": "b"},
                  {"kind": "end", "id": "b", "label": "E", "outcome": "ok"}]})
    assert [type(s).__name__ for s in protocol.steps] == ["YesNo", "End"]
    assert protocol.model_dump()["steps"][0]["yes"] == "b"  # every field of the kind
    with pytest.raises(ValidationError, match="unknown step kind 'dance'"):
        Protocol.model_validate({"id": "p", "version": 1, "title": "Bad", "steps": [
            {"kind": "dance", "id": "a", "label": "Q"}]})


@pytest.mark.parametrize(("kind", "answer", "reads"), [
    ("instruction", "done", "done"), ("call", "", "done"), ("yesno", "no", "no"),
    ("choice", "EMS took over", "EMS took over"), ("text", "", "(left empty)"),
    ("timer", "waited the full 2:00", "waited the full 2:00"), ("end", "over", "over"),
])
def test_each_shipped_kind_reads_as_before(kind: str, answer: str, reads: str) -> None:
    assert answer_text(kind, answer) == reads


def test_the_store_takes_a_row_of_every_kind_and_only_well_formed_names() -> None:
    """The store sits below protocols and lists no kinds: a new kind needs no line there."""
    for kind in [*STEP_KINDS, ATTACH, BACK, "checks"]:
        assert re.match(STEP_KIND_PATTERN, kind), kind
    for bad in ["", "Checks", "a kind", "x" * 33, "1st", "<b>"]:
        assert not re.match(STEP_KIND_PATTERN, bad), bad
