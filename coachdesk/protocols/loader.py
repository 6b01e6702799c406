"""Load and check protocol files. A file that fails names itself and the step at fault.

Checks: TOML syntax, fields of the protocol and of every step (unknown kinds too),
unique step ids, every branch goes to a step that exists, every step is reachable
from the start, and from every step some path reaches an end.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.models.validation import first_problem
from coachdesk.protocols.model import STEP_KINDS, Protocol, Step

ENV_DIR = "COACHDESK_PROTOCOLS_DIR"
MAX_FILE_BYTES = 256 * 1024


class ProtocolError(CoachdeskError):
    """A protocol file that cannot be used: `file: step 'x': what is wrong`."""

    def __init__(self, file: str, problem: str, step: str | None = None) -> None:
        self.file = file
        self.step = step
        self.problem = problem
        where = f"{file}: step '{step}'" if step else file
        super().__init__(f"{where}: {problem}")


def protocols_dir() -> Path:
    """`$COACHDESK_PROTOCOLS_DIR` if set (an agency's own set, or tests), else the shipped set."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override).expanduser()
    return shipped.path("protocols")


def _read(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProtocolError(name, f"file is larger than {MAX_FILE_BYTES // 1024} KB")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(name, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ProtocolError(name, "not UTF-8 text") from None
    except OSError as exc:
        raise ProtocolError(name, f"cannot read: {exc.strerror}") from None


def _step(name: str, index: int, raw: object) -> Step:
    if not isinstance(raw, dict):
        raise ProtocolError(name, f"steps[{index}] is not a table")
    label = str(raw.get("id") or f"#{index + 1}")
    kind = raw.get("kind")
    if kind is None:
        raise ProtocolError(name, "kind is missing", label)
    model = STEP_KINDS.get(str(kind))
    if model is None:
        known = ", ".join(STEP_KINDS)
        raise ProtocolError(name, f"unknown step kind {kind!r} (known: {known})", label)
    try:
        return model.model_validate(raw)  # type: ignore[return-value]
    except ValidationError as exc:
        raise ProtocolError(name, first_problem(exc), label) from None


def _fill_next(name: str, steps: list[Step]) -> list[Step]:
    """An onward step with no `next` goes to the step below it; the last one cannot."""
    filled: list[Step] = []
    for index, step in enumerate(steps):
        if step.kind in ("yesno", "choice", "end") or getattr(step, "next", None):
            filled.append(step)
        elif index + 1 < len(steps):
            filled.append(step.model_copy(update={"next": steps[index + 1].id}))
        else:
            raise ProtocolError(name, "dead end: the last step has no next step and is not "
                                "an end", step.id)
    return filled


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def check_paths(name: str, start: str, steps: list[Step]) -> None:
    """Every branch lands on a step, every step is reached, and every step can end."""
    ids = [s.id for s in steps]
    seen: set[str] = set()
    for step_id in ids:
        if step_id in seen:
            raise ProtocolError(name, "two steps have this id", step_id)
        seen.add(step_id)
    if start not in seen:
        raise ProtocolError(name, f"start goes to {start!r}, which is not a step")
    edges: dict[str, list[str]] = {}
    for step in steps:
        for branch, target in step.targets():
            if target not in seen:
                raise ProtocolError(name, f"{branch} goes to {target!r}, which is not a step",
                                    step.id)
        edges[step.id] = [t for _, t in step.targets()]
    reached = _reachable(start, edges)
    for step_id in ids:
        if step_id not in reached:
            raise ProtocolError(name, "unreachable: no path from the start leads here", step_id)
    backwards: dict[str, list[str]] = {s: [] for s in ids}
    for source, targets in edges.items():
        for target in targets:
            backwards[target].append(source)
    can_end: set[str] = set()
    for step in steps:
        if step.kind == "end":
            can_end |= _reachable(step.id, backwards)
    for step_id in ids:
        if step_id not in can_end:
            raise ProtocolError(name, "no end: every path from here loops without reaching an "
                                "end step", step_id)


def load_file(path: Path) -> Protocol:
    """One protocol, fully checked, or a ProtocolError naming the file (and step)."""
    name = path.name
    data = _read(path)
    raw_steps = data.pop("steps", None)
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ProtocolError(name, "no [[steps]]")
    steps = _fill_next(name, [_step(name, i, raw) for i, raw in enumerate(raw_steps)])
    start = str(data.get("start") or steps[0].id)
    check_paths(name, start, steps)
    try:
        return Protocol.model_validate({**data, "start": start, "steps": steps, "source": name})
    except ValidationError as exc:
        raise ProtocolError(name, first_problem(exc)) from None


@dataclass
class Library:
    """The protocols that loaded, and one line for each file that did not."""

    protocols: list[Protocol] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def get(self, protocol_id: str) -> Protocol | None:
        return next((p for p in self.protocols if p.id == protocol_id), None)

    def __iter__(self) -> Iterator[Protocol]:
        return iter(self.protocols)


def load_all(directory: Path | None = None) -> Library:
    """Every *.toml in the directory. A bad file never stops the others from loading."""
    library = Library()
    try:
        directory = directory or protocols_dir()
        paths = sorted(p for p in directory.iterdir() if p.suffix == ".toml")
    except CoachdeskError as exc:
        library.errors.append(str(exc))
        return library
    except OSError as exc:
        library.errors.append(f"{directory}: cannot read: {exc.strerror}")
        return library
    if not paths:
        library.errors.append(f"{directory}: no protocol files (*.toml) found")
    for path in paths:
        try:
            protocol = load_file(path)
        except ProtocolError as exc:
            library.errors.append(str(exc))
            continue
        if library.get(protocol.id):
            library.errors.append(f"{path.name}: id {protocol.id!r} is already used by "
                                  f"{library.get(protocol.id).source}")  # type: ignore[union-attr]
            continue
        library.protocols.append(protocol)
    library.protocols.sort(key=lambda p: (p.order, p.title.casefold()))
    return library
