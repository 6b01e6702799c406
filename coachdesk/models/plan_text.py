"""The plan as plain text, for the keyboard-only editor; `format_plan(parse_plan(x))` is stable.

    # a line starting with one '#' is a note to yourself: it is not saved
    ## Health                                   a section heading
    - Get to the clinic every week               a goal (in Health, Home, Purpose, Community)
      - [participant] book a ride (by 2026-03-01)   a step: [participant|coach|other] what (by date)
    ## Supports
    - Aunt May: call after 6 pm                  a person or service: how to reach them
    ## Strengths
    - good with people                           any other section: one item a line

Every problem is reported with its line number; a text with problems gives no plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from coachdesk.errors import ValidationFailed
from coachdesk.models.plan import (
    CONTACTS,
    DIMENSIONS,
    LISTS,
    SAFETY_STEPS,
    Contact,
    Goal,
    Plan,
    Step,
    Text,
    Who,
)
from coachdesk.models.validation import first_problem

KEPT_WHERE = "Safety: where the plan is kept"
HINT = ("goal: '- text'  step: '  - [participant|coach|other] what (by YYYY-MM-DD)'  "
        "contact: '- name: how to reach'")
"""A one-line reminder of the format, for the editor."""

_STEP_WHO = re.compile(r"^\[([^\]]*)\]\s*(.*)$")
_STEP_BY = re.compile(r"^(.*?)\s*\(\s*by\s+([^)]*)\)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEXT: TypeAdapter[str] = TypeAdapter(Text)


def _headings() -> dict[str, str]:
    """Heading shown in the text -> where its items go ('dim:health', 'list:...', ...)."""
    found = {title: f"dim:{name}" for name, title in DIMENSIONS.items()}
    found |= {title: f"list:{name}" for name, title in LISTS.items()}
    found |= {title: f"contact:{name}" for name, title in CONTACTS.items()}
    found |= {f"Safety {title}": f"safety:{name}" for name, title in SAFETY_STEPS.items()}
    found[KEPT_WHERE] = "kept:"
    return found


_ORDER = (
    [f"dim:{n}" for n in DIMENSIONS] + ["list:strengths", "contact:supports"]
    + [f"list:{n}" for n in LISTS if n != "strengths"] + ["contact:crisis_contacts"]
    + [f"safety:{n}" for n in SAFETY_STEPS] + ["kept:"]
)
_TITLE = {target: title for title, target in _headings().items()}


def _key(heading: str) -> str:
    return " ".join(heading.replace(":", " ").replace(".", " ").split()).casefold()


_BY_KEY = {_key(title): target for title, target in _headings().items()}


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class PlanTextError(ValidationFailed):
    """The text has problems; `problems` lists each with its line number."""

    def __init__(self, problems: list[LineProblem]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def _who(word: str) -> Who | None:
    word = word.strip().casefold()
    matches = [w for w in Who if word and w.value.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def _step(body: str, number: int) -> Step | LineProblem:
    by: dt.date | None = None
    who = Who.PARTICIPANT
    match = _STEP_WHO.match(body)
    if match:
        found = _who(match.group(1))
        if found is None:
            return LineProblem(number, f"[{match.group(1)}] should be [participant], [coach] or [other]")
        who, body = found, match.group(2)
    match = _STEP_BY.match(body)
    if match:
        body, when = match.group(1), match.group(2).strip()
        try:
            if not _ISO_DATE.match(when):
                raise ValueError
            by = dt.date.fromisoformat(when)
        except ValueError:
            return LineProblem(number, f"'by {when}' is not a date (write it as YYYY-MM-DD)")
    if not body.strip():
        return LineProblem(number, "the step says nothing to do")
    try:
        return Step(what=body, who=who, by=by)
    except ValidationError as exc:
        return LineProblem(number, "step " + first_problem(exc))


def _item(body: str, number: int, what: str) -> str | LineProblem:
    if not body.strip():
        return LineProblem(number, f"the {what} is empty")
    try:
        return _TEXT.validate_python(body)
    except ValidationError as exc:
        return LineProblem(number, f"{what}: {first_problem(exc).split(': ', 1)[-1]}")


def _contact(body: str, number: int) -> Contact | LineProblem:
    name, _, reach = body.partition(":")
    if not name.strip():
        return LineProblem(number, "the name is empty (write '- name: how to reach')")
    try:
        return Contact(name=name, reach=reach)
    except ValidationError as exc:
        return LineProblem(number, first_problem(exc))


def parse_plan(text: str) -> Plan:
    """The plan written in `text`; raises PlanTextError naming every bad line."""
    data: dict[str, Any] = {}
    safety: dict[str, Any] = {}
    problems: list[LineProblem] = []
    target: str | None = None
    in_unknown_section = False
    goal: Goal | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("##")):
            continue
        if stripped.startswith("##"):
            heading = stripped.lstrip("#").strip()
            target = _BY_KEY.get(_key(heading))
            goal = None
            in_unknown_section = target is None
            if target is None:
                problems.append(LineProblem(number, f"unknown section '{heading}'"))
            continue
        if target is None:
            if not in_unknown_section:  # lines under an unknown heading: one problem is enough
                problems.append(LineProblem(
                    number, "put this under a section heading such as '## Health'"))
            continue
        if not stripped.startswith("-"):
            problems.append(LineProblem(number, "start each item with '- '"))
            continue
        body = stripped[1:].strip()
        indented = line[:1].isspace()
        kind, _, name = target.partition(":")
        if kind == "dim":
            if indented:
                if goal is None:
                    problems.append(LineProblem(number, "a step must come after its goal"))
                    continue
                step = _step(body, number)
                if isinstance(step, LineProblem):
                    problems.append(step)
                else:
                    goal.steps.append(step)
                continue
            if not body:
                problems.append(LineProblem(number, "the goal is empty"))
                goal = None
                continue
            try:
                goal = Goal(text=body)
            except ValidationError as exc:
                problems.append(LineProblem(number, "goal " + first_problem(exc)))
                goal = None
                continue
            data.setdefault(name, []).append(goal)
        elif kind == "contact":
            contact = _contact(body, number)
            if isinstance(contact, LineProblem):
                problems.append(contact)
            else:
                data.setdefault(name, []).append(contact)
        elif kind == "kept":
            item = _item(body, number, "place")
            if isinstance(item, LineProblem):
                problems.append(item)
            elif safety.get("kept_where"):
                problems.append(LineProblem(number, "say in one line where the plan is kept"))
            else:
                safety["kept_where"] = item
        else:
            item = _item(body, number, "item")
            if isinstance(item, LineProblem):
                problems.append(item)
            else:
                (safety if kind == "safety" else data).setdefault(name, []).append(item)
    if problems:
        raise PlanTextError(problems)
    data["safety"] = safety
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanTextError([LineProblem(0, first_problem(exc))]) from None


def _step_line(step: Step) -> str:
    by = f" (by {step.by.isoformat()})" if step.by else ""
    return f"  - [{step.who.value}] {step.what}{by}"


def _contact_line(contact: Contact) -> str:
    return f"- {contact.name}: {contact.reach}" if contact.reach else f"- {contact.name}"


def format_plan(plan: Plan) -> str:
    """The plan as editable text, every section present (empty ones too)."""
    lines: list[str] = []
    for target in _ORDER:
        kind, _, name = target.partition(":")
        lines.append(f"## {_TITLE[target]}")
        if kind == "dim":
            for goal in getattr(plan, name):
                lines.append(f"- {goal.text}")
                lines += [_step_line(step) for step in goal.steps]
        elif kind == "contact":
            lines += [_contact_line(c) for c in getattr(plan, name)]
        elif kind == "safety":
            lines += [f"- {item}" for item in getattr(plan.safety, name)]
        elif kind == "kept":
            lines += [f"- {plan.safety.kept_where}"] if plan.safety.kept_where else []
        else:
            lines += [f"- {item}" for item in getattr(plan, name)]
    return "\n".join(lines) + "\n"
