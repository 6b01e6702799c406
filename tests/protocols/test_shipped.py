"""Every shipped protocol loads, and every path from its start reaches an end."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.protocols import Walk, load_all, load_file
from coachdesk.protocols.model import Choice, Protocol, Step

SHIPPED = sorted((config.assets_dir() / "protocols").glob("*.toml"))
MAX_VISITS = 2  # a loop (another naloxone dose) is walked twice, then its exit is taken


def answers_for(step: Step) -> list[str]:
    if step.kind == "yesno":
        return ["yes", "no"]
    if isinstance(step, Choice):
        return [str(i) for i in range(1, len(step.options) + 1)]
    if step.kind == "text":
        return ["a few words"]
    return [""]


def all_paths(protocol: Protocol) -> list[list[tuple[str, str]]]:
    """Every walk from the start, trying every answer at every step (loops bounded)."""
    finished: list[list[tuple[str, str]]] = []

    def explore(answers: list[tuple[str, str]]) -> None:
        walk = Walk.replay(protocol, [(protocol.step(s).kind, s, a) for s, a in answers])
        if walk.finished:
            finished.append(answers)
            return
        step = walk.current
        if walk.path.count(step.id) > MAX_VISITS:
            return
        for raw in answers_for(step):
            probe = Walk(protocol, path=list(walk.path))
            value = probe.answer(raw)
            explore([*answers, (step.id, value)])

    explore([])
    return finished


def test_the_four_protocols_ship_and_load_cleanly() -> None:
    library = load_all(config.assets_dir() / "protocols")
    assert library.errors == []
    assert [p.id for p in library] == ["overdose", "harm-self", "harm-others", "after-crisis"]
    for protocol in library:
        if protocol.followup:
            assert library.get(protocol.followup) is not None


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_path_reaches_an_end_and_every_step_is_visited(path: Path) -> None:
    protocol = load_file(path)
    paths = all_paths(protocol)
    assert paths, "no path reaches an end"
    visited = {step_id for answers in paths for step_id, _ in answers}
    assert visited == {s.id for s in protocol.steps}
    ends = {answers[-1][0] for answers in paths}
    assert ends == {s.id for s in protocol.steps if s.kind == "end"}
    for answers in paths:
        assert protocol.step(answers[-1][0]).kind == "end"


def test_overdose_has_a_timer_and_a_second_dose_loop() -> None:
    protocol = load_file(config.assets_dir() / "protocols" / "overdose.toml")
    wait = protocol.step("wait")
    assert wait.kind == "timer" and 120 <= wait.seconds <= 180  # type: ignore[union-attr]
    walk = Walk(protocol)
    for raw in ["yes", "", "yes", "", "", "", "no", "yes", ""]:
        walk.answer(raw)
    assert walk.current.id == "wait"  # back to the wait after another dose


def test_self_harm_triage_follows_the_screener_skip_logic() -> None:
    protocol = load_file(config.assets_dir() / "protocols" / "harm-self.toml")

    def run(*answers: str) -> list[str]:
        walk = Walk(protocol)
        for raw in answers:
            walk.answer(raw)
        return walk.path

    # Question 2 "no": straight to question 6; nothing in 6 -> not imminent.
    assert run("", "yes", "no", "no")[-1] == "not-imminent"
    assert "q3" not in run("", "yes", "no", "no")
    # Question 2 "yes": 3, 4, 5 and 6 are asked; intention (4) -> imminent.
    assert run("", "yes", "yes", "yes", "yes", "no", "no")[-1] == "imminent"
    # A plan with intent (5) -> imminent.
    assert run("", "no", "yes", "yes", "no", "yes", "no")[-1] == "imminent"
    # Method only (3), nothing else -> not imminent.
    assert run("", "yes", "yes", "yes", "no", "no", "no")[-1] == "not-imminent"
    # Preparing within 3 months -> imminent; longer ago -> not imminent.
    assert run("", "no", "no", "yes", "yes")[-1] == "imminent"
    assert run("", "no", "no", "yes", "no")[-1] == "not-imminent"
    assert "safety-plan" in {s.id for s in protocol.steps}
