"""What changed between two plans, field by field, in words a coach reads.

Goals are matched by their text, steps by what they say, contacts by name; a goal whose
text changed shows as one removed and one added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coachdesk.models.plan import CONTACTS, DIMENSIONS, LISTS, SAFETY_STEPS, Contact, Goal, Plan, Step

Kind = Literal["added", "removed", "changed"]
MARK: dict[str, str] = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True)
class Change:
    kind: Kind
    section: str
    text: str

    def __str__(self) -> str:
        return f"{MARK[self.kind]} {self.section}: {self.text}"


def describe_step(step: Step) -> str:
    by = f", by {step.by.isoformat()}" if step.by else ""
    return f"{step.what} ({step.who.value}{by})"


def _list_changes(section: str, old: list[str], new: list[str]) -> list[Change]:
    changes = [Change("removed", section, item) for item in old if item not in new]
    return changes + [Change("added", section, item) for item in new if item not in old]


def _step_changes(section: str, goal: str, old: list[Step], new: list[Step]) -> list[Change]:
    before = {s.what: s for s in old}
    after = {s.what: s for s in new}
    changes: list[Change] = []
    for what, step in before.items():
        if what not in after:
            changes.append(Change("removed", section, f"step of '{goal}': {describe_step(step)}"))
    for what, step in after.items():
        if what not in before:
            changes.append(Change("added", section, f"step of '{goal}': {describe_step(step)}"))
            continue
        was = before[what]
        if was.who != step.who:
            changes.append(Change("changed", section,
                                  f"step '{what}': who {was.who.value} -> {step.who.value}"))
        if was.by != step.by:
            old_by = was.by.isoformat() if was.by else "no date"
            new_by = step.by.isoformat() if step.by else "no date"
            changes.append(Change("changed", section, f"step '{what}': by {old_by} -> {new_by}"))
    return changes


def _goal_changes(section: str, old: list[Goal], new: list[Goal]) -> list[Change]:
    before = {g.text: g for g in old}
    after = {g.text: g for g in new}
    changes: list[Change] = []
    for text, goal in before.items():
        if text not in after:
            changes.append(Change("removed", section, f"goal '{text}'"
                                  + (f" and its {len(goal.steps)} steps" if goal.steps else "")))
    for text, goal in after.items():
        if text not in before:
            changes.append(Change("added", section, f"goal '{text}'"))
            changes += [Change("added", section, f"step of '{text}': {describe_step(s)}")
                        for s in goal.steps]
        else:
            changes += _step_changes(section, text, before[text].steps, goal.steps)
    return changes


def _contact_changes(section: str, old: list[Contact], new: list[Contact]) -> list[Change]:
    before = {c.name: c.reach for c in old}
    after = {c.name: c.reach for c in new}
    changes = [Change("removed", section, name) for name in before if name not in after]
    for name, reach in after.items():
        if name not in before:
            changes.append(Change("added", section, f"{name}: {reach}" if reach else name))
        elif before[name] != reach:
            changes.append(Change("changed", section,
                                  f"how to reach {name}: '{before[name]}' -> '{reach}'"))
    return changes


def diff_plans(old: Plan | None, new: Plan) -> list[Change]:
    """Every change from `old` (None: an empty plan) to `new`, in plan order."""
    old = old or Plan()
    changes: list[Change] = []
    for name, title in DIMENSIONS.items():
        changes += _goal_changes(title, getattr(old, name), getattr(new, name))
    for name, title in LISTS.items():
        changes += _list_changes(title, getattr(old, name), getattr(new, name))
    for name, title in CONTACTS.items():
        changes += _contact_changes(title, getattr(old, name), getattr(new, name))
    for name, title in SAFETY_STEPS.items():
        changes += _list_changes(f"Safety {title}", getattr(old.safety, name),
                                 getattr(new.safety, name))
    if old.safety.kept_where != new.safety.kept_where:
        changes.append(Change("changed", "Safety plan",
                              f"kept: '{old.safety.kept_where}' -> '{new.safety.kept_where}'"))
    return changes
